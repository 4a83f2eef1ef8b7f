/**
 * A person's record for their care team over HTTP, on the population fixture (people 1, 3 and
 * 100-159 live in leeds-1, the neighbourhood team's; person 2 in calderdale-1). Person 3: asthma and
 * hypertension since 2021, two medicines, two outpatient appointments, a nursing home since 2023,
 * mother of person 2.
 */
import { describe, expect, it } from 'vitest';
import { AdvanceCarePlanResponse, AlertOut, AlertsResponse, RecordResponse, TimelineResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { addToCaseload } from '../operational/care-plans.js';
import { buildIdentityFixture, buildPopulationFixture, useSignedInServer, type Who } from '../test-support.js';

const ACP = {
  preferredPlaceOfCare: 'home',
  preferredPlaceOfDeath: 'hospice',
  placeDetails: 'Wheatfields Hospice',
  cpr: { decision: 'dnacpr', decidedOn: '2026-10-01', decidedBy: 'Dr A Patel, GP', formLocation: 'Purple folder at home' },
  lastingPowerOfAttorney: { healthAndWelfare: 'yes', attorneys: 'Daughter, Jane' },
  advanceDecisionToRefuseTreatment: 'no',
  ceilingOfCare: 'comfort',
  wishes: 'To be at home with the dog.',
  discussedOn: '2026-10-01',
  discussedWith: 'The person and their daughter',
  consentToShare: true,
};
const ALERT = { kind: 'lone-worker', text: 'Visit in pairs: a relative has been aggressive.', startsOn: '2026-11-01' };

const ROUTES: ['GET' | 'PUT' | 'POST' | 'PATCH', string, string, object?][] = [
  ['GET', '/api/care/people/3/record', 'care.record.view'],
  ['GET', '/api/care/people/3/timeline', 'care.timeline.view'],
  ['GET', '/api/care/people/3/advance-care-plan', 'care.acp.view'],
  ['PUT', '/api/care/people/3/advance-care-plan', 'care.acp.update', { plan: ACP, version: 0 }],
  ['GET', '/api/care/people/3/alerts', 'care.alert.list'],
  ['POST', '/api/care/people/3/alerts', 'care.alert.create', ALERT],
  ['PATCH', '/api/care/people/3/alerts/1', 'care.alert.update', { status: 'ended', version: 1 }],
];

describe('the care record', () => {
  const server = useSignedInServer({ fixture: buildPopulationFixture, options: { today: () => '2026-11-26' } });
  const { as } = server;
  const audit = async (action: string) => (await listAudit(server.app.openphm.ops, { limit: 100, offset: 0, action })).rows.map((r) => [r.userEmail, r.outcome, r.status, r.resource]);

  it.each(ROUTES)('%s %s: 401 signed out, 403 for every role but the neighbourhood team, 403 without a care relationship (person 2: registered in Calderdale, on no caseload, never referred); every attempt audited', async (method, url, action, body) => {
    const roles: [Who, number][] = [['public', 401], ['analyst', 403], ['admin', 403], ['programme', 403], ['board', 403]];
    for (const [who, status] of roles) expect((await as(who, method, url, body)).statusCode, `${who} ${method} ${url}`).toBe(status);
    const elsewhere = await as('neighbourhood', method, url.replace('/people/3/', '/people/2/'), body);
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.message).toMatch(/you have no care relationship with this person: break glass/);
    const rows = await audit(action);
    expect(rows.map((r) => [r[1], r[2]])).toEqual([['denied', 403], ['denied', 403], ['denied', 403], ['denied', 403], ['denied', 403], ['unauthenticated', 401]]);
    expect(rows[0]).toEqual(['leeds@test', 'denied', 403, 'person:2']);
  });

  it('reads the whole record in plain terms', async () => {
    const r = await as('neighbourhood', 'GET', '/api/care/people/3/record');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const record = RecordResponse.parse(r.json());
    expect(record).toMatchObject({
      personId: '3',
      referenceDate: '2026-03-31',
      today: '2026-11-26',
      person: {
        sex: 'Female',
        age: 76,
        ethnicity: 'White - British',
        isCarer: false,
        died: null,
        registeredWith: { practiceCode: 'B86001', practice: 'Leeds Surgery (B86001)', pcnCode: 'U12345', pcn: 'Leeds PCN', since: '1990-01-01' },
        residence: { lsoaCode: 'E01011229', neighbourhood: 'Leeds One', imdDecile: 1 },
      },
      alerts: [],
      advanceCarePlan: null,
    });
    // Terms, not codes; onset dates.
    expect(record.conditions.map((c) => [c.label, c.onset, c.code.text])).toEqual([
      ['Hypertension', '2021-04-02', 'Hypertension'],
      ['Asthma', '2021-04-02', 'Asthma'],
    ]);
    expect(record.medicines.current).toEqual([]);
    expect(record.medicines.past.map((m) => [m.code.text, m.lastIssued])).toEqual([
      ['Corticosteroids (respiratory)', '2021-05-01'],
      ['Bronchodilators', '2021-04-01'],
    ]);
    // Hypertension and respiratory disease: 2 of 36 deficits.
    expect(record.risk.frailty).toMatchObject({ efi: 0.056, category: 'fit', of: 36 });
    expect(record.risk.frailty.deficits.map((d) => d.evidence)).toEqual(['On the Hypertension register', 'On the Asthma register']);
    // Too few people in the fixture to fit the admission model: it says so.
    expect(record.risk.admission).toMatchObject({ available: false });
    expect((record.risk.admission as { reason: string }).reason).toMatch(/^No emergency admission score: /);
    // Asthma: an annual review due (no record); 76: flu vaccination out of season on the data's last day (31 March is in it), bowel screening too old.
    expect(record.careGaps.map((g) => [g.ruleId, g.status])).toEqual([
      ['asthma-review', 'due'],
      ['flu-vaccination', 'due'],
    ]);
    expect(record.carers).toMatchObject({ isCarer: false, family: [{ relation: 'child', personId: '2', birthDate: '2021-06-01' }] });
    expect(record.timeline).toMatchObject({ total: 8, page: 1, pages: 1 });
    expect(record.timeline.events.slice(0, 3).map((e) => [e.date, e.title, e.detail])).toEqual([
      ['2023-01-01', 'Moved into a nursing care home', 'Permanent; still there'],
      ['2021-09-01', 'Outpatient appointment: General Medicine', 'Did not attend'],
      ['2021-08-01', 'Outpatient appointment: General Medicine', 'Attended'],
    ]);
    expect(record.carePlan).toEqual({ plan: null, unavailable: null });
    expect(record.referrals).toEqual([]);
    expect(record.caseload).toEqual([]);
    expect(await audit('care.record.view')).toContainEqual(['leeds@test', 'granted', 200, 'person:3']);
  });

  it('opens the record through any care relationship: someone registered elsewhere on the team’s caseload; the audit record names it', async () => {
    expect((await as('neighbourhood', 'GET', '/api/care/people/2/record')).statusCode).toBe(403);
    await addToCaseload(server.app.openphm.ops, { personId: '2', neighbourhoodId: 'leeds-1', source: 'other', cohortId: null, keyWorker: 'Care coordinator', nextReview: '2027-01-01' }, 'leeds@test');
    const r = await as('neighbourhood', 'GET', '/api/care/people/2/record');
    expect(r.statusCode, r.body).toBe(200);
    expect(RecordResponse.parse(r.json())).toMatchObject({ personId: '2', person: { registeredWith: { practice: 'Halifax Practice (B82001)' } }, carers: { family: [{ relation: 'mother', personId: '3' }] } });
    const [row] = (await listAudit(server.app.openphm.ops, { limit: 1, offset: 0, action: 'care.record.view' })).rows;
    expect(row).toMatchObject({ resource: 'person:2', outcome: 'granted' });
    expect(row!.detail).toMatch(/care relationship: caseload/);
  });

  it('reads a carer’s record: the latest BMI; whom they care for (person 3, and person 2 until 2024), by pseudonymous id', async () => {
    const record = RecordResponse.parse((await as('neighbourhood', 'GET', '/api/care/people/1/record')).json());
    expect(record.person).toMatchObject({ sex: 'Male', isCarer: true });
    expect(record.observations.bmi).toEqual({ date: '2021-05-01', value: 27.5 });
    expect(record.carers).toMatchObject({
      isCarer: true,
      caresFor: [{ personId: '3', since: '2022-01-01', until: null }, { personId: '2', since: '2023-01-01', until: '2024-06-30' }],
      caredForBy: [],
      note: null,
    });
  });

  it('reads who cares for a person: person 3 is cared for by person 1', async () => {
    const record = RecordResponse.parse((await as('neighbourhood', 'GET', '/api/care/people/3/record')).json());
    expect(record.carers).toMatchObject({ isCarer: false, caresFor: [], caredForBy: [{ personId: '1', since: '2022-01-01', until: null }], note: null });
  });

  it('says so when a carer is linked to no one (person 100: a carer who may care for someone outside the data)', async () => {
    const record = RecordResponse.parse((await as('neighbourhood', 'GET', '/api/care/people/100/record')).json());
    expect(record.carers).toMatchObject({ isCarer: true, caresFor: [], caredForBy: [] });
    expect(record.carers.note).toMatch(/^Whom they care for is not recorded here/);
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = (await as('public', 'GET', '/api/openapi.json')).json();
    for (const [method, url] of ROUTES) {
      const path = url.replace('/people/3/', '/people/{personId}/').replace('/alerts/1', '/alerts/{alertId}');
      expect(doc.paths[path]?.[method.toLowerCase()], `${method} ${path}`).toBeDefined();
    }
    expect(doc.paths['/api/care/people/{personId}/timeline'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['kind', 'from', 'to', 'page']));
  });

  it('pages and filters the timeline, and names the field of a bad query', async () => {
    const page = TimelineResponse.parse((await as('neighbourhood', 'GET', '/api/care/people/3/timeline?kind=outpatient,medicine&from=2021-04-01&to=2021-08-31')).json());
    expect(page).toMatchObject({ personId: '3', total: 3, filters: { kinds: ['outpatient', 'medicine'], from: '2021-04-01', to: '2021-08-31' } });
    expect(page.events.map((e) => e.title)).toEqual(['Outpatient appointment: General Medicine', 'Issued: Corticosteroids (respiratory)', 'Issued: Bronchodilators']);
    expect(page.counts.map((c) => [c.kind, c.count])).toEqual([['gp-record', 2], ['medicine', 2], ['outpatient', 1], ['birth', 1]]);
    const past = TimelineResponse.parse((await as('neighbourhood', 'GET', '/api/care/people/3/timeline?page=2')).json());
    expect(past).toMatchObject({ total: 8, page: 2, pages: 1, events: [] });
    for (const [query, field] of [
      ['kind=ae,bogus', 'kind'],
      ['from=2022-01-01&to=2021-01-01', 'to'],
      ['from=2021-02-30', 'from'],
      ['page=0', 'page'],
    ] as const) {
      const bad = await as('neighbourhood', 'GET', `/api/care/people/3/timeline?${query}`);
      expect(bad.statusCode, query).toBe(400);
      expect(bad.json().error.fields.map((f: { field: string }) => f.field), query).toEqual([field]);
    }
    expect((await as('neighbourhood', 'GET', '/api/care/people/3/timeline?kind=bogus')).json().error.fields[0].message).toMatch(/^unknown kind 'bogus': one or more of gp-record, medicine/);
    const rows = await audit('care.timeline.view');
    expect(rows.slice(0, 6).map((r) => [r[1], r[2]])).toEqual([['failed', 400], ['failed', 400], ['failed', 400], ['failed', 400], ['failed', 400], ['granted', 200]]);
  });

  it('records the advance care plan: the first as version 0, then each version; a stale or inconsistent one refused', async () => {
    expect(AdvanceCarePlanResponse.parse((await as('neighbourhood', 'GET', '/api/care/people/100/advance-care-plan')).json())).toMatchObject({ plan: null, history: [] });
    const first = await as('neighbourhood', 'PUT', '/api/care/people/100/advance-care-plan', { plan: ACP, version: 0 });
    expect(first.statusCode, first.body).toBe(200);
    expect(AdvanceCarePlanResponse.parse(first.json())).toMatchObject({
      plan: { personId: '100', version: 1, updatedBy: 'leeds@test', plan: { cpr: { decision: 'dnacpr', decidedOn: '2026-10-01' } }, labels: { preferredPlaceOfDeath: 'Hospice', cpr: 'Do not attempt cardiopulmonary resuscitation (DNACPR)' } },
      history: [{ version: 1, changedBy: 'leeds@test' }],
    });
    expect((await as('neighbourhood', 'PUT', '/api/care/people/100/advance-care-plan', { plan: ACP, version: 0 })).statusCode).toBe(409);
    const second = await as('neighbourhood', 'PUT', '/api/care/people/100/advance-care-plan', { plan: { ...ACP, preferredPlaceOfDeath: 'home' }, version: 1 });
    expect(AdvanceCarePlanResponse.parse(second.json()).history.map((h) => h.version)).toEqual([2, 1]);
    expect((await as('neighbourhood', 'PUT', '/api/care/people/100/advance-care-plan', { plan: ACP, version: 1 })).statusCode).toBe(409);
    expect((await as('neighbourhood', 'PUT', '/api/care/people/101/advance-care-plan', { plan: ACP, version: 3 })).statusCode).toBe(409);
    const noDate = await as('neighbourhood', 'PUT', '/api/care/people/100/advance-care-plan', { plan: { ...ACP, cpr: { decision: 'dnacpr', decidedBy: 'Dr A' } }, version: 2 });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.json().error.fields).toEqual([{ field: 'plan.cpr.decidedOn', message: 'give the date the CPR decision was made' }]);
    expect((await as('neighbourhood', 'PUT', '/api/care/people/100/advance-care-plan', { plan: ACP })).json().error.fields[0].field).toBe('version');
    // The record shows it in words.
    const record = RecordResponse.parse((await as('neighbourhood', 'GET', '/api/care/people/100/record')).json());
    expect(record.advanceCarePlan).toMatchObject({ version: 2, labels: { preferredPlaceOfCare: 'Home', preferredPlaceOfDeath: 'Home', ceilingOfCare: 'Treatment for comfort: symptom control, not prolonging life' } });
    expect((await audit('care.acp.update')).slice(0, 6).map((r) => [r[1], r[2]])).toEqual([['failed', 400], ['failed', 400], ['failed', 409], ['failed', 409], ['granted', 200], ['failed', 409]]);
    expect(server.logLines.join('\n')).not.toContain('Wheatfields');
  });

  it('raises, lists and ends alerts; the record shows those in force first', async () => {
    const raised = await as('neighbourhood', 'POST', '/api/care/people/101/alerts', ALERT);
    expect(raised.statusCode, raised.body).toBe(201);
    const alert = AlertOut.parse(raised.json());
    expect(alert).toMatchObject({ personId: '101', kindLabel: 'Lone-worker risk', inForce: true, reviewDue: false, createdBy: 'leeds@test', reviewOn: null, version: 1 });
    await as('neighbourhood', 'POST', '/api/care/people/101/alerts', { kind: 'communication', text: 'Deaf: book a BSL interpreter.', startsOn: '2026-12-01', reviewOn: '2027-06-01' });
    const bad = await as('neighbourhood', 'POST', '/api/care/people/101/alerts', { ...ALERT, text: ' ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([{ field: 'text', message: 'say what the alert is' }]);
    expect((await as('neighbourhood', 'POST', '/api/care/people/101/alerts', { ...ALERT, reviewOn: '2026-01-01' })).json().error.fields[0].field).toBe('reviewOn');
    const list = AlertsResponse.parse((await as('neighbourhood', 'GET', '/api/care/people/101/alerts')).json());
    expect(list.alerts.map((a) => [a.kind, a.inForce])).toEqual([['communication', false], ['lone-worker', true]]);
    // Someone else's alert through this person: not found; an old version: conflict; a review before the start: the field named.
    expect((await as('neighbourhood', 'PATCH', `/api/care/people/100/alerts/${alert.id}`, { status: 'ended', version: 1 })).statusCode).toBe(404);
    expect((await as('neighbourhood', 'PATCH', `/api/care/people/101/alerts/${alert.id}`, { reviewOn: '2026-10-01', version: 1 })).json().error.fields).toEqual([{ field: 'reviewOn', message: 'the review date cannot be before the alert starts' }]);
    const ended = await as('neighbourhood', 'PATCH', `/api/care/people/101/alerts/${alert.id}`, { status: 'ended', version: 1 });
    expect(AlertOut.parse(ended.json())).toMatchObject({ status: 'ended', inForce: false, version: 2 });
    expect((await as('neighbourhood', 'PATCH', `/api/care/people/101/alerts/${alert.id}`, { status: 'ended', version: 1 })).statusCode).toBe(409);
    expect((await as('neighbourhood', 'PATCH', `/api/care/people/101/alerts/${alert.id}`, { status: 'active', version: 2 })).statusCode).toBe(409);
    const record = RecordResponse.parse((await as('neighbourhood', 'GET', '/api/care/people/101/record')).json());
    expect(record.alerts.map((a) => [a.kindLabel, a.status])).toEqual([['Communication needs', 'active'], ['Lone-worker risk', 'ended']]);
    expect((await audit('care.alert.create')).slice(0, 4).map((r) => [r[1], r[2], r[3]])).toEqual([
      ['failed', 400, 'person:101'],
      ['failed', 400, 'person:101'],
      ['granted', 201, 'person:101'],
      ['granted', 201, 'person:101'],
    ]);
    expect((await audit('care.alert.update')).slice(0, 5).map((r) => [r[1], r[2]])).toEqual([['failed', 409], ['failed', 409], ['granted', 200], ['failed', 400], ['not-found', 404]]);
    expect(server.logLines.join('\n')).not.toContain('BSL interpreter');
  });
});

describe('carer links across the care relationship check', () => {
  const server = useSignedInServer({ fixture: buildIdentityFixture, options: { today: () => '2026-11-26' } });

  it('shows whom a carer cares for by pseudonymous id only: person 2 (Calderdale, no care relationship) is neither named nor opened', async () => {
    const r = await server.as('neighbourhood', 'GET', '/api/care/people/1/record');
    expect(r.statusCode, r.body).toBe(200);
    expect(RecordResponse.parse(r.json()).carers.caresFor.map((l) => l.personId)).toEqual(['3', '2']);
    // Nothing of who person 2 (Amelia Sutcliffe, 999 000 0026, 3 Oak Street, Halifax) is, nor of person 3, crosses the link.
    for (const identity of ['Sutcliffe', 'Amelia', '9990000026', 'Oak Street', 'Halifax', 'Wójcik', '9990000034', 'Mill Lane']) expect(r.body).not.toContain(identity);
    // The linked person's own record and identity still need a care relationship with them.
    for (const url of ['/api/care/people/2/record', '/api/care/people/2']) {
      const refused = await server.as('neighbourhood', 'GET', url);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.body).not.toContain('Sutcliffe');
    }
  });
});
