/**
 * The care zone's identity routes over HTTP, on the four-person fixture with identities: people 1
 * (Arjun Patel) and 3 (Margaret Wójcik) are registered with practices of leeds-1, the neighbourhood
 * team's; 2 (Amelia Sutcliffe) and 4 (John O'Brien) live in Calderdale with a practice there.
 */
import { describe, expect, it } from 'vitest';
import { NO_CARE_RELATIONSHIP, parseDirectoryService } from '@openphm/core';
import { BreakGlassAlertsResponse, CarePersonResponse, CareSearchResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { createReferral, createService } from '../operational/care.js';
import { addToCaseload } from '../operational/care-plans.js';
import { setUserServices } from '../operational/care-zone.js';
import { listUsers } from '../operational/users.js';
import { buildFixtureDatabase, buildIdentityFixture, testService, useSignedInServer, type Who } from '../test-support.js';

let clock = new Date('2026-11-26T09:00:00Z');
const hours = (h: number) => (clock = new Date(clock.getTime() + h * 3_600_000));

const ROUTES: ['GET' | 'POST', string, string, object?][] = [
  ['GET', '/api/care/search?nhsNumber=9990000018', 'care.search'],
  ['GET', '/api/care/people/1', 'care.identity.view'],
  ['POST', '/api/care/people/2/break-glass', 'care.break-glass', { reason: 'Called by A&E about this patient' }],
];

describe('identities for care teams', () => {
  const server = useSignedInServer({ fixture: buildIdentityFixture, options: { today: () => '2026-11-26', signIn: { now: () => clock } } });
  const { as } = server;
  const audit = async (action: string) =>
    (await listAudit(server.app.openphm.ops, { limit: 100, offset: 0, action })).rows.map((r) => ({ who: r.userEmail, outcome: r.outcome, status: r.status, resource: r.resource, detail: r.detail }));

  it.each(ROUTES)('%s %s: 401 signed out, 403 for every role but the neighbourhood team; every attempt audited', async (method, url, action, body) => {
    const roles: [Who, number][] = [['public', 401], ['analyst', 403], ['admin', 403], ['programme', 403], ['board', 403]];
    for (const [who, status] of roles) expect((await as(who, method, url, body)).statusCode, `${who} ${method} ${url}`).toBe(status);
    expect((await audit(action)).map((r) => [r.outcome, r.status])).toEqual([['denied', 403], ['denied', 403], ['denied', 403], ['denied', 403], ['unauthenticated', 401]]);
  });

  it('GET /api/admin/break-glass: admins only', async () => {
    const roles: [Who, number][] = [['public', 401], ['analyst', 403], ['neighbourhood', 403], ['programme', 403], ['board', 403], ['admin', 200]];
    for (const [who, status] of roles) expect((await as(who, 'GET', '/api/admin/break-glass')).statusCode, who).toBe(status);
  });

  it('finds a person by NHS number (spaces allowed), with identity only where there is a care relationship', async () => {
    const found = await as('neighbourhood', 'GET', '/api/care/search?nhsNumber=999%20000%200018');
    expect(found.statusCode, found.body).toBe(200);
    expect(found.headers['cache-control']).toBe('no-store');
    expect(CareSearchResponse.parse(found.json())).toEqual({
      by: 'nhs-number',
      truncated: false,
      results: [
        {
          access: 'allowed',
          personId: '1',
          identity: {
            nhsNumber: '9990000018', nhsNumberFormatted: '999 000 0018', givenName: 'Arjun', familyName: 'Patel', dateOfBirth: '1980-05-06', age: 46, sex: 'M',
            address: { line1: 'Flat 2', line2: '4 Beck Road', town: 'Leeds', postcode: 'LS7 2BB' }, phone: null,
          },
          relationships: [{ kind: 'registered', detail: 'Registered with Leeds Health Centre (B86002), a practice of your neighbourhood' }],
        },
      ],
    });
    const other = await as('neighbourhood', 'GET', '/api/care/search?nhsNumber=9990000026');
    expect(other.json()).toEqual({ by: 'nhs-number', truncated: false, results: [{ access: 'break-glass', personId: '2', message: 'Found, no care relationship: break glass to view' }] });
    expect(other.body).not.toMatch(/Sutcliffe|Amelia|HX1|9990000026/);
    expect((await as('neighbourhood', 'GET', '/api/care/search?nhsNumber=9990000050')).json().results).toEqual([]);
  });

  it.each<[string, string, number[]]>([
    ['any case', 'familyName=pATEL&dateOfBirth=1980-05-06', [1]],
    ['without the accent', 'familyName=Wojcik&dateOfBirth=1950-02-01', [3]],
    ['the given name narrowing', 'familyName=Patel&dateOfBirth=1980-05-06&givenName=ar', [1]],
    ['another given name', 'familyName=Patel&dateOfBirth=1980-05-06&givenName=Ravi', []],
    ['another date of birth', 'familyName=Patel&dateOfBirth=1980-05-07', []],
  ])('finds people by family name and date of birth: %s', async (_, query, people) => {
    const r = await as('neighbourhood', 'GET', `/api/care/search?${query}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(CareSearchResponse.parse(r.json()).results.map((x) => Number(x.personId))).toEqual(people);
  });

  it.each<[string, string, string]>([
    ['a wrong check digit', 'nhsNumber=9990000019', 'nhsNumber'],
    ['nine digits', 'nhsNumber=999000001', 'nhsNumber'],
    ['nothing to search by', '', 'nhsNumber'],
    ['a name without a date of birth', 'familyName=Patel', 'dateOfBirth'],
    ['a date of birth without a name', 'dateOfBirth=1980-05-06', 'familyName'],
    ['a date that is not one', 'familyName=Patel&dateOfBirth=1980-02-30', 'dateOfBirth'],
    ['both ways at once', 'nhsNumber=9990000018&familyName=Patel&dateOfBirth=1980-05-06', 'nhsNumber'],
    ['an unknown parameter', 'nhsNumber=9990000018&name=x', 'name'],
  ])('refuses a search with %s, naming the field', async (_, query, field) => {
    const r = await as('neighbourhood', 'GET', `/api/care/search?${query}`);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().error.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it('shows who a person is, with the relationship, and refuses one without a relationship, offering to break glass', async () => {
    const r = await as('neighbourhood', 'GET', '/api/care/people/3');
    expect(r.statusCode, r.body).toBe(200);
    expect(CarePersonResponse.parse(r.json())).toMatchObject({
      personId: '3',
      identity: { nhsNumberFormatted: '999 000 0034', givenName: 'Margaret', familyName: 'Wójcik', age: 76, address: { postcode: 'LS6 1AA' }, phone: '07700 900123' },
      practice: { code: 'B86001', name: 'Leeds Surgery' },
      relationships: [{ kind: 'registered' }],
    });
    const refused = await as('neighbourhood', 'GET', '/api/care/people/2');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toBe(NO_CARE_RELATIONSHIP);
    expect(refused.body).not.toMatch(/Sutcliffe|Amelia/);
    expect((await as('neighbourhood', 'GET', '/api/care/people/99')).statusCode).toBe(404);
    const rows = await audit('care.identity.view');
    expect(rows.slice(0, 3).map((x) => [x.outcome, x.status, x.resource])).toEqual([['not-found', 404, 'person:99'], ['denied', 403, 'person:2'], ['granted', 200, 'person:3']]);
    expect(rows[2]!.detail).toBe('identity shown; care relationship: registered');
    expect(rows[1]!.detail).toContain('no care relationship');
  });

  it('breaks glass with a reason: the record for four hours, audited, an alert for admins; then refused again', async () => {
    expect((await as('neighbourhood', 'POST', '/api/care/people/2/break-glass', { reason: 'short' })).statusCode).toBe(400);
    const short = await as('neighbourhood', 'POST', '/api/care/people/2/break-glass', { reason: 'short' });
    expect(short.json().error.fields.map((f: { field: string }) => f.field)).toContain('reason');
    expect((await as('neighbourhood', 'POST', '/api/care/people/99/break-glass', { reason: 'Called by A&E about this patient' })).statusCode).toBe(404);
    const granted = await as('neighbourhood', 'POST', '/api/care/people/2/break-glass', { reason: 'Called by A&E about this patient' });
    expect(granted.statusCode, granted.body).toBe(201);
    expect(granted.json()).toEqual({ personId: '2', grantedAt: '2026-11-26T09:00:00Z', expiresAt: '2026-11-26T13:00:00Z' });
    const seen = await as('neighbourhood', 'GET', '/api/care/people/2');
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ identity: { familyName: 'Sutcliffe' }, relationships: [{ kind: 'break-glass', until: '2026-11-26T13:00:00Z' }] });
    // Search shows the identity too while the grant lasts.
    expect((await as('neighbourhood', 'GET', '/api/care/search?nhsNumber=9990000026')).json().results[0].access).toBe('allowed');
    const glass = await audit('care.break-glass');
    expect(glass[0]).toMatchObject({ who: 'leeds@test', outcome: 'granted', status: 201, resource: 'person:2' });
    expect(glass[0]!.detail).toMatch(/^break-glass grant \d+ until 2026-11-26T13:00:00Z$/);
    expect((await audit('care.identity.view'))[0]!.detail).toBe('identity shown; care relationship: break-glass');
    const alerts = BreakGlassAlertsResponse.parse((await as('admin', 'GET', '/api/admin/break-glass')).json()).alerts;
    expect(alerts).toEqual([
      { id: expect.any(Number), userEmail: 'leeds@test', neighbourhoodId: 'leeds-1', personId: '2', reason: 'Called by A&E about this patient', grantedAt: '2026-11-26T09:00:00Z', expiresAt: '2026-11-26T13:00:00Z', live: true },
    ]);
    expect(JSON.stringify(alerts)).not.toMatch(/Sutcliffe|Amelia|999/);
    hours(4);
    expect((await as('neighbourhood', 'GET', '/api/care/people/2')).statusCode).toBe(403);
    expect(BreakGlassAlertsResponse.parse((await as('admin', 'GET', '/api/admin/break-glass')).json()).alerts[0]!.live).toBe(false);
    expect((await as('admin', 'GET', '/api/admin/break-glass?since=2026-11-27')).json().alerts).toEqual([]);
  });

  it("allows a person on the neighbourhood's caseload, and one referred to a service the professional works for", async () => {
    const ops = server.app.openphm.ops;
    expect((await as('neighbourhood', 'GET', '/api/care/people/4')).statusCode).toBe(403);
    await createService(ops, parseDirectoryService(testService('walk')), 'editor@test');
    await createReferral(ops, { personId: '4', serviceId: 'walk', reason: 'loneliness', wellbeingBefore: null, neighbourhoodId: 'calderdale-1' }, 'kim@test');
    expect((await as('neighbourhood', 'GET', '/api/care/people/4')).statusCode).toBe(403);
    const leeds = (await listUsers(ops)).find((u) => u.email === 'leeds@test')!;
    await setUserServices(ops, leeds.id, ['walk'], 'admin@test');
    expect((await as('neighbourhood', 'GET', '/api/care/people/4')).json().relationships).toEqual([{ kind: 'referral', detail: 'Referred to Service walk, a service you work for' }]);
    await addToCaseload(ops, { personId: '2', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Community matron', nextReview: '2027-01-15' }, 'leeds@test');
    expect((await as('neighbourhood', 'GET', '/api/care/people/2')).json().relationships.map((r: { kind: string }) => r.kind)).toEqual(['caseload']);
  });

  it('names the people found in the audit record of a search, never what was searched for', async () => {
    const rows = await audit('care.search');
    const details = rows.filter((r) => r.outcome === 'granted').map((r) => r.detail);
    expect(details).toContain('by NHS number: person:1 registered');
    expect(details).toContain('by name and date of birth: nobody found');
    expect(JSON.stringify(rows)).not.toMatch(/Patel|Wojcik|999000/);
  });

  it('never writes an identity to the log', () => {
    const log = server.logLines.join('\n');
    expect(log).not.toMatch(/Patel|Wójcik|Wojcik|Sutcliffe|O'Brien|LS7 2BB|Beck Road/);
    // NHS numbers as whole numbers, written plain or spaced (not digits inside a response time such as 0.99900001).
    expect(log).not.toMatch(/(?<![\d.])999 ?000 ?\d{4}(?!\d)/);
  });
});

describe('a database without identities', () => {
  const server = useSignedInServer({ fixture: buildFixtureDatabase });

  it('says so when a professional searches, and shows the relationship without an identity', async () => {
    const r = await server.as('neighbourhood', 'GET', '/api/care/search?nhsNumber=9990000018');
    expect(r.statusCode).toBe(404);
    expect(r.json().error.message).toMatch(/this database holds no identities/);
    const person = await server.as('neighbourhood', 'GET', '/api/care/people/1');
    expect(person.statusCode, person.body).toBe(200);
    expect(person.json()).toMatchObject({ personId: '1', identity: null, relationships: [{ kind: 'registered' }] });
  });
});
