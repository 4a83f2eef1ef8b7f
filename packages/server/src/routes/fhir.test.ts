/**
 * FHIR out over HTTP (docs/fhir-api.md), on the four-person fixture with identities: people 1
 * (Arjun Patel, hypertension since 2021-04-03) and 3 (Margaret Wójcik: asthma and hypertension) are
 * registered with practices of leeds-1, the neighbourhood team's; 2 (Amelia Sutcliffe) and 4 live in
 * Calderdale. Per role, within the care relationship and break-glass, audited; searches and paging;
 * OperationOutcome errors; every resource served checked against UK Core.
 */
import { describe, expect, it } from 'vitest';
import { UK_CORE_PROFILES, parseDirectoryService, ukCoreProblems } from '@openphm/core';
import { listAudit } from '../operational/audit.js';
import { createReferral, createService } from '../operational/care.js';
import { addToCaseload, createCarePlan } from '../operational/care-plans.js';
import { createTask } from '../operational/tasks.js';
import { buildIdentityFixture, testService, useSignedInServer, type Who } from '../test-support.js';

let clock = new Date('2026-11-26T09:00:00Z');
const hours = (h: number) => (clock = new Date(clock.getTime() + h * 3_600_000));

type Json = Record<string, any>;
const PLAN = { whatMatters: 'Staying at home.', goals: [{ goal: 'Walk to the shop', status: 'working-on' as const }], support: [], contingency: '', reviewDate: '2027-01-01', status: 'active' as const };

/** Every resource of a Bundle (or the resource itself), each checked against UK Core. */
const resourcesOf = (body: Json): Json[] => (body.resourceType === 'Bundle' ? (body.entry ?? []).map((e: Json) => e.resource) : [body]);
const expectUkCore = (body: Json) => {
  for (const r of resourcesOf(body).filter((x) => x.resourceType !== 'OperationOutcome')) expect(ukCoreProblems(r), `${r.resourceType}/${r.id}`).toEqual([]);
};

describe('FHIR out', () => {
  const server = useSignedInServer({
    fixture: buildIdentityFixture,
    options: { today: () => '2026-11-26', signIn: { now: () => clock } },
    prepare: async (s) => {
      const ops = s.app.openphm.ops;
      await createService(ops, parseDirectoryService(testService('walk', { location: { name: 'Park cafe', address: 'Park Road, Leeds', postcode: 'LS1 4AP' } })), 'editor@test');
      await createService(ops, parseDirectoryService(testService('choir', { organisation: { id: 'sing-org', name: 'Sing Together' }, status: 'inactive' })), 'editor@test');
      for (const [day, reason] of [['2026-01-10', 'loneliness'], ['2026-03-01', 'inactivity'], ['2026-06-01', 'low-mood']] as const) {
        await createReferral(ops, { personId: '1', serviceId: 'walk', reason, wellbeingBefore: null, neighbourhoodId: 'leeds-1', referredAt: `${day}T10:00:00.000Z` }, 'leeds@test');
      }
      await createReferral(ops, { personId: '2', serviceId: 'walk', reason: 'loneliness', wellbeingBefore: null, neighbourhoodId: 'calderdale-1' }, 'kim@test');
      await createCarePlan(ops, { ...PLAN, consentToShare: true, personId: '1', neighbourhoodId: 'leeds-1', createdBy: 'leeds@test' }, 'leeds@test');
      await createCarePlan(ops, { ...PLAN, consentToShare: false, personId: '3', neighbourhoodId: 'leeds-1', createdBy: 'colleague@test' }, 'colleague@test');
      for (const title of ['Ring about the review', 'Book a home visit', 'Check medicines']) {
        await createTask(ops, { personId: '1', title, detail: '', assigneeId: null, due: null, source: 'manual', sourceRef: null, neighbourhoodId: 'leeds-1', createdBy: 'leeds@test' }, 'leeds@test');
      }
      await createTask(ops, { personId: '4', title: 'Calderdale task', detail: '', assigneeId: null, due: null, source: 'manual', sourceRef: null, neighbourhoodId: 'calderdale-1', createdBy: 'kim@test' }, 'kim@test');
      await addToCaseload(ops, { personId: '1', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Community matron', nextReview: '2027-01-15' }, 'leeds@test');
    },
  });
  const { as } = server;
  const get = (who: Who, url: string) => as(who, 'GET', url);
  const audit = async (action: string) =>
    (await listAudit(server.app.openphm.ops, { limit: 200, offset: 0, action })).rows.map((r) => ({ who: r.userEmail, outcome: r.outcome, status: r.status, resource: r.resource, detail: r.detail }));

  const PERSON_LEVEL: [string, string][] = [
    ['/fhir/Patient/1', 'fhir.patient.read'],
    ['/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018', 'fhir.patient.search'],
    ['/fhir/Condition?patient=Patient/1', 'fhir.condition.search'],
    ['/fhir/CarePlan?patient=Patient/1', 'fhir.careplan.search'],
    ['/fhir/ServiceRequest?patient=Patient/1', 'fhir.servicerequest.search'],
    ['/fhir/Task?patient=Patient/1', 'fhir.task.search'],
    ['/fhir/EpisodeOfCare?patient=Patient/1', 'fhir.episodeofcare.search'],
  ];

  it.each(PERSON_LEVEL)('%s: 401 signed out, 403 for analysts, admins, programme leads and the board (OperationOutcomes); every attempt audited', async (url, action) => {
    const roles: [Who, number, string][] = [['public', 401, 'login'], ['analyst', 403, 'forbidden'], ['admin', 403, 'forbidden'], ['programme', 403, 'forbidden'], ['board', 403, 'forbidden']];
    for (const [who, status, code] of roles) {
      const r = await get(who, url);
      expect(r.statusCode, `${who} ${url}`).toBe(status);
      expect(r.headers['content-type']).toContain('application/fhir+json');
      expect(r.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code }] });
    }
    expect((await audit(action)).slice(0, 5).map((r) => [r.outcome, r.status])).toEqual([['denied', 403], ['denied', 403], ['denied', 403], ['denied', 403], ['unauthenticated', 401]]);
  });

  it.each(PERSON_LEVEL)('%s: the care team with a relationship gets UK Core resources, audited with the relationship', async (url, action) => {
    const r = await get('neighbourhood', url);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('application/fhir+json');
    expect(r.headers['cache-control']).toBe('no-store');
    expectUkCore(r.json());
    expect(resourcesOf(r.json()).length).toBeGreaterThan(0);
    const [row] = await audit(action);
    // A search by NHS number names the people found in its detail (never the number searched for), as the care zone's search does.
    expect(row).toMatchObject({ who: 'leeds@test', outcome: 'granted', status: 200, resource: url.startsWith('/fhir/Patient?') ? null : 'person:1' });
    expect(row!.detail).toContain(url.startsWith('/fhir/Patient?') ? 'person:1 registered' : 'registered');
    expect(row!.detail).not.toContain('9990000018');
  });

  it('Patient: the NHS number with its UK Core verification status, name, address and practice', async () => {
    const p = (await get('neighbourhood', '/fhir/Patient/1')).json();
    expect(p).toMatchObject({
      resourceType: 'Patient',
      id: '1',
      meta: { profile: [UK_CORE_PROFILES.Patient.url] },
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018', extension: [{ url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus' }] }],
      name: [{ family: 'Patel', given: ['Arjun'] }],
      gender: 'male',
      birthDate: '1980-05-06',
      address: [{ line: ['Flat 2', '4 Beck Road'], city: 'Leeds', postalCode: 'LS7 2BB' }],
      generalPractitioner: [{ identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B86002' } }],
    });
  });

  it('without a care relationship: 403 and nothing of the person; after breaking glass, the record, audited as break-glass', async () => {
    for (const url of ['/fhir/Patient/2', '/fhir/Condition?patient=Patient/2', '/fhir/ServiceRequest?patient=2']) {
      const refused = await get('neighbourhood', url);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json().issue[0].code).toBe('forbidden');
      expect(refused.body).not.toMatch(/Sutcliffe|Amelia|9990000026|HX1/);
    }
    expect((await audit('fhir.patient.read'))[0]).toMatchObject({ outcome: 'denied', status: 403, resource: 'person:2' });
    expect((await audit('fhir.condition.search'))[0]).toMatchObject({ outcome: 'denied', status: 403, resource: 'person:2' });
    const search = (await get('neighbourhood', '/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000026')).json();
    expect(search).toMatchObject({ resourceType: 'Bundle', total: 0, entry: [{ resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'forbidden' }] }, search: { mode: 'outcome' } }] });
    expect(JSON.stringify(search)).not.toMatch(/Sutcliffe|Amelia/);
    expect((await as('neighbourhood', 'POST', '/api/care/people/2/break-glass', { reason: 'Called by A&E about this patient' })).statusCode).toBe(201);
    const seen = await get('neighbourhood', '/fhir/Patient/2');
    expect(seen.statusCode).toBe(200);
    expect(seen.json().name[0].family).toBe('Sutcliffe');
    expect((await audit('fhir.patient.read'))[0]!.detail).toContain('care relationship: break-glass');
    const referrals = (await get('neighbourhood', '/fhir/ServiceRequest?patient=Patient/2')).json();
    expect(referrals.total).toBe(1);
    hours(4);
    expect((await get('neighbourhood', '/fhir/Patient/2')).statusCode).toBe(403);
    expect((await get('neighbourhood', '/fhir/Patient/99')).statusCode).toBe(404);
  });

  it('Condition: the long-term conditions, searched by recorded date and onset', async () => {
    const all = (await get('neighbourhood', '/fhir/Condition?patient=Patient/3')).json();
    expect(all.entry.map((e: Json) => [e.resource.code.coding[0].code, e.resource.onsetDateTime])).toEqual([['195967001', '2021-04-02'], ['38341003', '2021-04-02']]);
    expect(all.entry[0].fullUrl).toBe('http://localhost:80/fhir/Condition/3-195967001');
    expect((await get('neighbourhood', '/fhir/Condition?patient=Patient/1&recorded-date=ge2021-04-03')).json().total).toBe(1);
    expect((await get('neighbourhood', '/fhir/Condition?patient=Patient/1&recorded-date=gt2021-04-03')).json().total).toBe(0);
    expect((await get('neighbourhood', '/fhir/Condition?patient=Patient/3&onset-date=2021-04&recorded-date=le2021-12-31')).json().total).toBe(2);
    // BMI (a measurement) is not a condition.
    expect((await get('neighbourhood', '/fhir/Condition?patient=Patient/1')).json().entry.map((e: Json) => e.resource.code.coding[0].code)).toEqual(['38341003']);
  });

  it('ServiceRequest: paging with _count and the next link, and the authored date', async () => {
    const first = (await get('neighbourhood', '/fhir/ServiceRequest?patient=Patient/1&_count=2')).json();
    expect(first.total).toBe(3);
    expect(first.entry).toHaveLength(2);
    const next = first.link.find((l: Json) => l.relation === 'next').url as string;
    expect(next).toBe('http://localhost:80/fhir/ServiceRequest?patient=Patient%2F1&_count=2&_offset=2');
    const second = (await get('neighbourhood', next.replace('http://localhost:80', ''))).json();
    expect(second.entry).toHaveLength(1);
    expect(second.link.map((l: Json) => l.relation)).toEqual(['self', 'previous']);
    const ids = [...first.entry, ...second.entry].map((e: Json) => e.resource.id);
    expect(new Set(ids).size).toBe(3);
    const spring = (await get('neighbourhood', '/fhir/ServiceRequest?patient=Patient/1&authored=ge2026-02-01&authored=lt2026-05-01')).json();
    expect(spring.entry.map((e: Json) => e.resource.reasonCode[0].coding[0].code)).toEqual(['inactivity']);
    expect(spring.entry[0].resource.performer[0]).toEqual({ reference: 'HealthcareService/walk', display: 'Service walk' });
    expect((await get('neighbourhood', '/fhir/ServiceRequest?patient=Patient/1&status=completed')).json().total).toBe(0);
  });

  it('Task: a person\'s tasks, or the team\'s own by owner; another team\'s refused', async () => {
    expect((await get('neighbourhood', '/fhir/Task?patient=Patient/1')).json().total).toBe(3);
    const own = await get('neighbourhood', '/fhir/Task?owner=https://openphm.org/Id/neighbourhood-team|leeds-1&_count=1');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ total: 3, entry: [{ resource: { resourceType: 'Task', owner: { identifier: { value: 'leeds-1' } } } }] });
    expectUkCore(own.json());
    expect((await audit('fhir.task.search'))[0]).toMatchObject({ outcome: 'granted', detail: '3 tasks of leeds-1' });
    const other = await get('neighbourhood', '/fhir/Task?owner=calderdale-1');
    expect(other.statusCode).toBe(403);
    expect(other.body).not.toContain('Calderdale task');
    expect((await get('neighbourhood', '/fhir/Task')).json().issue[0]).toMatchObject({ code: 'invalid', expression: ['patient'] });
  });

  it('CarePlan: shared plans; one the person has not agreed to share is withheld from all but its author', async () => {
    const shared = (await get('neighbourhood', '/fhir/CarePlan?patient=Patient/1')).json();
    expect(shared.entry[0].resource).toMatchObject({ resourceType: 'CarePlan', status: 'active', intent: 'plan', description: 'Staying at home.' });
    const withheld = (await get('neighbourhood', '/fhir/CarePlan?patient=Patient/3')).json();
    expect(withheld.total).toBe(0);
    expect(withheld.entry).toEqual([{ resource: expect.objectContaining({ resourceType: 'OperationOutcome' }), search: { mode: 'outcome' } }]);
    expect(JSON.stringify(withheld)).not.toContain('Staying at home');
    expect((await audit('fhir.careplan.search'))[0]!.detail).toContain('plan withheld: not shared');
  });

  it('EpisodeOfCare: the caseload episodes, by date and status', async () => {
    const e = (await get('neighbourhood', '/fhir/EpisodeOfCare?patient=Patient/1')).json();
    expect(e.entry[0].resource).toMatchObject({ status: 'active', careManager: { display: 'Community matron' } });
    expect((await get('neighbourhood', '/fhir/EpisodeOfCare?patient=Patient/1&status=finished')).json().total).toBe(0);
    expect((await get('neighbourhood', '/fhir/EpisodeOfCare?patient=Patient/1&date=lt2020-01-01')).json().total).toBe(0);
  });

  it.each<[string, string, string]>([
    ['an unknown parameter', '/fhir/Condition?patient=Patient/1&code=38341003', 'code'],
    ['a malformed date', '/fhir/Condition?patient=Patient/1&recorded-date=yesterday', 'recorded-date'],
    ['a reference to another type', '/fhir/Condition?patient=Practitioner/1', 'patient'],
    ['no patient', '/fhir/Condition', 'patient'],
    ['_count of 0', '/fhir/Condition?patient=Patient/1&_count=0', '_count'],
    ['_count over 200', '/fhir/Condition?patient=Patient/1&_count=500', '_count'],
    ['a status outside the value set', '/fhir/ServiceRequest?patient=Patient/1&status=attending', 'status'],
    ['an identifier of another system', '/fhir/Patient?identifier=https://example.org|9990000018', 'identifier'],
    ['a malformed NHS number', '/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000019', 'identifier'],
  ])('%s is a 400 OperationOutcome naming the parameter', async (_what, url, param) => {
    const r = await get('neighbourhood', url);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.headers['content-type']).toContain('application/fhir+json');
    const issue = r.json().issue[0];
    expect(issue).toMatchObject({ severity: 'error', code: 'invalid' });
    expect(issue.diagnostics).toContain(param);
  });

  it('the directory is public: HealthcareService, Location and Organization, read and searched', async () => {
    const services = await get('public', '/fhir/HealthcareService');
    expect(services.statusCode).toBe(200);
    expectUkCore(services.json());
    expect(services.json().entry.map((e: Json) => [e.resource.id, e.resource.active])).toEqual([['choir', false], ['walk', true]]);
    expect((await get('public', '/fhir/HealthcareService?active=true')).json().total).toBe(1);
    expect((await get('public', '/fhir/HealthcareService?name=cho')).json().entry[0].resource.id).toBe('choir');
    const walk = (await get('public', '/fhir/HealthcareService/walk')).json();
    expect(walk).toMatchObject({ providedBy: { reference: 'Organization/test-org' }, location: [{ reference: 'Location/walk-location' }], extraDetails: 'Offered in: Leeds' });
    const location = (await get('analyst', '/fhir/Location/walk-location')).json();
    expect(location).toMatchObject({ resourceType: 'Location', name: 'Park cafe', address: { postalCode: 'LS1 4AP' } });
    const orgs = (await get('board', '/fhir/Organization')).json();
    expect(orgs.entry.map((e: Json) => e.resource.id)).toEqual(['sing-org', 'test-org']);
    expectUkCore(orgs);
    expect((await get('public', '/fhir/Organization/test-org')).json().name).toBe('Test Organisation');
    for (const url of ['/fhir/HealthcareService/nope', '/fhir/Location/nope', '/fhir/Organization/nope']) {
      const missing = await get('public', url);
      expect(missing.statusCode, url).toBe(404);
      expect(missing.json().issue[0].code).toBe('not-found');
    }
  });

  it('CapabilityStatement for everyone; unknown interactions are 404 OperationOutcomes', async () => {
    const c = await get('public', '/fhir/metadata');
    expect(c.statusCode).toBe(200);
    expect(c.headers['content-type']).toContain('application/fhir+json');
    expect(c.json()).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', implementation: { url: 'http://localhost:80/fhir' } });
    const missing = await get('neighbourhood', '/fhir/Observation?patient=Patient/1');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    expect((await get('neighbourhood', '/fhir/Condition/1-38341003')).statusCode).toBe(404);
  });

  it('never writes a person id or an identity to the log', () => {
    const log = server.logLines.join('\n');
    expect(log).toContain('/fhir/Patient/:personId');
    expect(log).not.toMatch(/\/fhir\/Patient\/\d/);
    expect(log).not.toMatch(/Patel|Wójcik|Sutcliffe|Beck Road|9990000018/);
  });
});
