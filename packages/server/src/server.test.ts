import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDICATOR_CATALOGUE, perturbCount, type IndicatorEngine } from '@openphm/core';
import { buildDatabase } from '@openphm/store-duckdb';
import { GEOGRAPHY, META, VALID_FILES, csv, writeCsvDir } from '../../store-duckdb/src/test-support.js';
import { ROUTES } from './access.js';
import { listAudit } from './operational/audit.js';
import { createServer } from './server.js';
import { PopulationSummary } from '@openphm/api-contract';
import { PASSWORD, buildFixtureDatabase, cookieOf, login, startSignedInServer, testService, type SignedInServer, type Who } from './test-support.js';

const INDICATOR = INDICATOR_CATALOGUE[0]!.id;
/** The server's own "today" (the clock's UTC day): a review is recorded on or before it. */
const TODAY = new Date().toISOString().slice(0, 10);
const IN_A_MONTH = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

/** Every published count in a JSON document: null (withheld), 0, or a whole number of at least 8 (never 1-7). */
const publishedCounts = (value: unknown, path = ''): { path: string; value: unknown }[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => publishedCounts(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      ['count', 'female', 'male', 'total', 'numerator', 'denominator'].includes(k) && (v === null || typeof v === 'number')
        ? [{ path: `${path}.${k}`, value: v }]
        : publishedCounts(v, `${path}.${k}`),
    );
  }
  return [];
};
const expectDisclosureSafe = (doc: unknown) => {
  const counts = publishedCounts(doc);
  expect(counts.length).toBeGreaterThan(0);
  for (const c of counts) {
    if (c.value === null || c.value === 0) continue;
    expect(typeof c.value === 'number' && c.value > 7 && Number.isInteger(c.value), `${c.path} = ${String(c.value)}`).toBe(true);
  }
};

describe('API on the four-person fixture (PGlite)', () => {
  let fixture: Awaited<ReturnType<typeof buildFixtureDatabase>>;
  let app: FastifyInstance;
  let server: SignedInServer;
  let logLines: string[] = [];
  const as: SignedInServer['as'] = (...args) => server.as(...args);

  beforeAll(async () => {
    fixture = await buildFixtureDatabase();
    server = await startSignedInServer(fixture.file);
    app = server.app;
    logLines = server.logLines;
  });
  afterAll(async () => {
    await app?.close();
    fixture?.remove();
  });

  describe('validation errors are 400 and name the field', () => {
    it.each([
      ['GET', '/api/population/summary?area=bogus', 'area'],
      ['GET', '/api/population/summary?area=ics&format=xml', 'format'],
      ['GET', '/api/population/summary?area=ics&format=csv&table=nope', 'table'],
      ['GET', '/api/geography?format=pdf', 'format'],
      ['GET', `/api/indicators/${INDICATOR}/results?by=postcode`, 'by'],
      ['GET', '/api/indicators/Not_An_Id/results', 'id'],
    ] as const)('%s %s → %s', async (method, url, field) => {
      const r = await as('public', method, url);
      expect(r.statusCode).toBe(400);
      const body = r.json();
      expect(body.error.kind).toBe('usage');
      expect(body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(body.error.message).toContain(field);
    });

    it('person id, audit and login bodies', async () => {
      const person = await as('analyst', 'GET', '/api/people/abc');
      expect(person.statusCode).toBe(400);
      expect(person.json().error.fields[0].field).toBe('personId');
      const audit = await as('admin', 'GET', '/api/audit?limit=0');
      expect(audit.statusCode).toBe(400);
      expect(audit.json().error.fields[0].field).toBe('limit');
      const loginBody = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { password: 'x' } });
      expect(loginBody.statusCode).toBe(400);
      expect(loginBody.json().error.fields[0].field).toBe('email');
      const user = await as('admin', 'POST', '/api/admin/users', { email: 'x@y', displayName: 'X', password: 'long enough password', role: 'neighbourhood' });
      expect(user.statusCode).toBe(400);
      expect(user.json().error.fields[0].field).toBe('neighbourhoodId');
    });

    it('malformed JSON is a 400 in the same error shape', async () => {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: '{"email":', headers: { 'content-type': 'application/json' } });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.kind).toBe('usage');
    });
  });

  describe('401 and 403 for each role on each endpoint', () => {
    const newUser = { email: 'new@test', displayName: 'New', password: 'a long password', role: 'analyst' };
    const NEW_ACTION = { priorityId: 'well', title: 'Walking groups', ownerGroup: 'Active Kirklees', lead: 'A lead', dueDate: '2027-03-31', rag: 'amber' };
    const NEW_RISK = { title: 'Funding ends', owner: 'Director', likelihood: 3, impact: 3, reviewDate: '2027-01-31' };
    const MATRIX_PLAN = { whatMatters: 'Home.', goals: [], support: [], contingency: '', consentToShare: true, reviewDate: '2027-01-01', status: 'active' };
    const MATRIX_SERVICE = testService('matrix-service', { eligibility: {} });
    const MATRIX_ACP = { preferredPlaceOfCare: 'home', preferredPlaceOfDeath: 'home', cpr: { decision: 'not-recorded' }, lastingPowerOfAttorney: { healthAndWelfare: 'no' }, advanceDecisionToRefuseTreatment: 'no', ceilingOfCare: 'not-discussed', discussedOn: '2026-01-01', consentToShare: true };
    // [method, url, body, public, analyst, neighbourhood, admin, programme, board]
    const MATRIX: [string, string, object | undefined, number, number, number, number, number, number][] = [
      ['GET', '/api/health', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/auth/me', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/geography', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/geography/lsoa.geojson', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/geography/neighbourhoods.geojson', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/geography/places.geojson', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/geography/postcode?postcode=HD1%202AS', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/population/summary?area=ics', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/population/summary?area=place:leeds', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/indicators', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', `/api/indicators/${INDICATOR}/results`, undefined, 501, 501, 501, 501, 501, 501],
      ['GET', `/api/indicators/${INDICATOR}/trend`, undefined, 501, 501, 501, 501, 501, 501],
      ['GET', '/api/dashboard', undefined, 501, 501, 501, 501, 501, 501],
      ['GET', '/api/segments?by=place', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/risk?by=imd-decile', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/cohorts', undefined, 401, 200, 200, 403, 403, 403],
      ['POST', '/api/cohorts/count', { definition: { rule: { kind: 'always' } }, by: ['sex'] }, 401, 200, 200, 403, 403, 403],
      // Saved cohorts: the analyst saves (the neighbourhood team then finds the id taken), shares with everyone, and only the owner versions and archives.
      ['POST', '/api/cohorts/saved', { id: 'matrix-cohort', title: 'Matrix cohort', description: 'For the access matrix', definition: { rule: { kind: 'always' } }, sharing: 'everyone' }, 401, 201, 409, 403, 403, 403],
      ['GET', '/api/cohorts/saved/matrix-cohort', undefined, 401, 200, 200, 403, 403, 403],
      ['POST', '/api/cohorts/saved/matrix-cohort/versions', { title: 'Matrix cohort', description: 'Version 2', definition: { rule: { kind: 'always' } } }, 401, 201, 403, 403, 403, 403],
      ['PUT', '/api/cohorts/saved/matrix-cohort/sharing', { sharing: 'everyone' }, 401, 200, 403, 403, 403, 403],
      ['DELETE', '/api/cohorts/saved/matrix-cohort', undefined, 401, 200, 404, 403, 403, 403],
      ['GET', '/api/worklist?cohort=carers-multimorbidity&neighbourhood=leeds-1', undefined, 401, 200, 200, 403, 403, 403],
      ['POST', '/api/worklist', { definition: { rule: { kind: 'always' } }, neighbourhood: 'leeds-1' }, 401, 200, 200, 403, 403, 403],
      ['GET', '/api/people/1', undefined, 401, 200, 200, 403, 403, 403],
      ['GET', '/api/people/2', undefined, 401, 200, 403, 403, 403, 403],
      ['GET', '/api/people/999', undefined, 401, 404, 403, 403, 403, 403],
      ['GET', '/api/audit', undefined, 401, 403, 403, 200, 403, 403],
      ['GET', '/api/audit/people/1', undefined, 401, 403, 403, 200, 403, 403],
      ['GET', '/api/audit/chain', undefined, 401, 403, 403, 200, 403, 403],
      // Neighbourhood names: null names leeds-1 after its PCN again (the fixture's name stays for the other tests).
      ['GET', '/api/admin/neighbourhoods', undefined, 401, 403, 403, 200, 403, 403],
      ['PUT', '/api/admin/neighbourhoods/leeds-1/name', { name: null }, 401, 403, 403, 200, 403, 403],
      ['GET', '/api/admin/users', undefined, 401, 403, 403, 200, 403, 403],
      // An analyst account waits for a second admin (202).
      ['POST', '/api/admin/users', newUser, 401, 403, 403, 202, 403, 403],
      // Account 1 is the first start's admin@local: enabled, moved to another role (an admin's role change waits too), TOTP reset.
      ['PATCH', '/api/admin/users/1', { disabled: false }, 401, 403, 403, 200, 403, 403],
      ['PUT', '/api/admin/users/1/role', { role: 'programme' }, 401, 403, 403, 202, 403, 403],
      ['POST', '/api/admin/users/1/totp-reset', undefined, 401, 403, 403, 200, 403, 403],
      ['PUT', '/api/admin/users/1/services', { serviceIds: [] }, 401, 403, 403, 200, 403, 403],
      // Request 1 is admin@test's own: it cannot approve it, and rejecting it withdraws it.
      ['POST', '/api/admin/requests/1/approve', undefined, 401, 403, 403, 403, 403, 403],
      ['POST', '/api/admin/requests/1/reject', {}, 401, 403, 403, 200, 403, 403],
      ['POST', '/api/admin/lockouts/999/lift', undefined, 401, 403, 403, 404, 403, 403],
      ['GET', '/api/auth/methods', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/auth/oidc/login', undefined, 404, 404, 404, 404, 404, 404],
      ['GET', '/api/auth/oidc/callback?code=x&state=y', undefined, 404, 404, 404, 404, 404, 404],
      ['POST', '/api/auth/totp/confirm', { code: '123456' }, 401, 409, 409, 409, 409, 409],
      ['GET', '/api/openapi.json', undefined, 200, 200, 200, 200, 200, 200],
      // Three wrong passwords for one email are free; the fourth straight after is throttled (docs/security.md).
      ['POST', '/api/auth/login', { email: 'nobody@test', password: 'wrong password' }, 401, 401, 401, 429, 429, 429],
      // Delivery assurance (no indicator engine here, so scorecards and reports are 501).
      ['GET', '/api/strategies', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/strategies/kirklees-hwb/scorecard', undefined, 501, 501, 501, 501, 501, 501],
      ['GET', '/api/strategies/kirklees-hwb/actions', undefined, 401, 200, 200, 403, 200, 200],
      ['POST', '/api/strategies/kirklees-hwb/actions', NEW_ACTION, 401, 403, 403, 403, 201, 403],
      ['PATCH', '/api/actions/1', { rag: 'green', version: 1 }, 401, 403, 403, 403, 200, 403],
      ['GET', '/api/actions/1/history', undefined, 401, 200, 200, 403, 200, 200],
      ['GET', '/api/strategies/kirklees-hwb/risks', undefined, 401, 200, 200, 403, 200, 200],
      ['POST', '/api/strategies/kirklees-hwb/risks', NEW_RISK, 401, 403, 403, 403, 201, 403],
      ['PATCH', '/api/risks/1', { likelihood: 2, version: 1 }, 401, 403, 403, 403, 200, 403],
      ['GET', '/api/risks/1/history', undefined, 401, 200, 200, 403, 200, 200],
      ['POST', '/api/strategies/kirklees-hwb/measures/loneliness/values', { periodLabel: '2024/25', periodEnd: '2025-03-31', value: 20 }, 401, 403, 403, 403, 201, 403],
      ['POST', '/api/strategies/kirklees-hwb/measures/loneliness/commentary', { commentary: 'For the access matrix.' }, 401, 403, 403, 403, 201, 403],
      ['GET', '/api/strategies/kirklees-hwb/measure-links', undefined, 401, 200, 200, 403, 200, 200],
      ['GET', '/api/strategies/kirklees-hwb/report', undefined, 401, 501, 501, 403, 501, 501],
      ['PUT', '/api/strategies/kirklees-hwb/measures/loneliness', { strategyVersion: 1, baseline: null, target: null, polarity: 'lower-is-better', owner: 'Communities partnership', note: null, reason: 'For the access matrix' }, 401, 403, 403, 403, 200, 403],
      ['POST', '/api/strategies/kirklees-hwb/changes', { strategyVersion: 2, reason: 'For the access matrix', change: { kind: 'add-ambition', priorityId: 'well', ambition: { id: 'matrix-ambition', title: 'An ambition' } } }, 401, 403, 403, 403, 200, 403],
      ['POST', '/api/strategies', { reason: 'For the access matrix', strategy: { id: 'matrix-strategy', title: 'A board strategy', board: 'A board', area: 'place:leeds', period: { start: '2026-04-01', end: '2030-03-31' }, description: 'For the access matrix.', priorities: [{ id: 'p', title: 'A priority', ambitions: [{ id: 'a', title: 'An ambition', measures: [] }] }] } }, 401, 403, 403, 403, 201, 403],
      ['GET', '/api/strategies/kirklees-hwb/versions', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/strategies/kirklees-hwb/versions/1', undefined, 200, 200, 200, 200, 200, 200],
      // Joining up care: the public directory and its feed; referrals are person-level.
      ['GET', '/api/directory/services', undefined, 200, 200, 200, 200, 200, 200],
      ['POST', '/api/directory/services', MATRIX_SERVICE, 401, 403, 403, 403, 201, 403],
      ['PUT', '/api/directory/services/matrix-service', { entry: MATRIX_SERVICE, version: 1 }, 401, 403, 403, 403, 200, 403],
      ['GET', '/api/directory/services/matrix-service', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/oruk', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/oruk/services', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/oruk/services/matrix-service', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/oruk/taxonomies', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/api/oruk/taxonomy_terms', undefined, 200, 200, 200, 200, 200, 200],
      // FHIR out (docs/fhir-api.md): the CapabilityStatement and the directory for everyone; person-level resources for the care team
      // within a care relationship (this fixture holds no identities: 404 for a search by NHS number). Errors are OperationOutcomes.
      ['GET', '/fhir/metadata', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018', undefined, 401, 403, 404, 403, 403, 403],
      ['GET', '/fhir/Patient/1', undefined, 401, 403, 200, 403, 403, 403],
      ['GET', '/fhir/Patient/2', undefined, 401, 403, 403, 403, 403, 403],
      ['GET', '/fhir/Condition?patient=Patient/1', undefined, 401, 403, 200, 403, 403, 403],
      ['GET', '/fhir/CarePlan?patient=Patient/1', undefined, 401, 403, 200, 403, 403, 403],
      ['GET', '/fhir/ServiceRequest?patient=Patient/1', undefined, 401, 403, 200, 403, 403, 403],
      ['GET', '/fhir/Task?patient=Patient/1', undefined, 401, 403, 200, 403, 403, 403],
      ['GET', '/fhir/EpisodeOfCare?patient=Patient/2', undefined, 401, 403, 403, 403, 403, 403],
      ['GET', '/fhir/HealthcareService', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/fhir/HealthcareService/matrix-service', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/fhir/Location', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/fhir/Location/matrix-service-location', undefined, 404, 404, 404, 404, 404, 404],
      ['GET', '/fhir/Organization', undefined, 200, 200, 200, 200, 200, 200],
      ['GET', '/fhir/Organization/test-org', undefined, 200, 200, 200, 200, 200, 200],
      ['POST', '/api/referrals', { personId: '1', serviceId: 'matrix-service', reason: 'other' }, 401, 403, 201, 403, 403, 403],
      ['GET', '/api/referrals', undefined, 401, 200, 200, 403, 403, 403],
      ['PATCH', '/api/referrals/1', { status: 'accepted', version: 1 }, 401, 403, 200, 403, 403, 403],
      ['GET', '/api/referrals/1/history', undefined, 401, 200, 200, 403, 403, 403],
      ['GET', '/api/referrals/reach', undefined, 401, 200, 200, 403, 200, 200],
      ['GET', '/api/referrals/evaluation', undefined, 401, 200, 200, 403, 200, 200],
      // Care and support plans (the team only) and the caseload (the team; analysts read).
      ['POST', '/api/people/1/care-plan', MATRIX_PLAN, 401, 403, 201, 403, 403, 403],
      ['GET', '/api/people/1/care-plan', undefined, 401, 403, 200, 403, 403, 403],
      ['PUT', '/api/people/1/care-plan', { ...MATRIX_PLAN, version: 1 }, 401, 403, 200, 403, 403, 403],
      ['POST', '/api/caseload', { personId: '1', source: 'gp', keyWorker: 'Key worker', nextReview: '2027-01-01' }, 401, 403, 201, 403, 403, 403],
      ['GET', '/api/caseload', undefined, 401, 200, 200, 403, 403, 403],
      ['GET', '/api/caseload/evaluation', undefined, 401, 200, 200, 403, 200, 200],
      ['PATCH', '/api/caseload/1', { keyWorker: 'Another', version: 1 }, 401, 403, 200, 403, 403, 403],
      ['GET', '/api/caseload/1/history', undefined, 401, 200, 200, 403, 403, 403],
      // A person's record for their care team (the care zone: the team only, within its care relationship).
      ['GET', '/api/care/people/1/record', undefined, 401, 403, 200, 403, 403, 403],
      ['GET', '/api/care/people/1/timeline?kind=gp-record', undefined, 401, 403, 200, 403, 403, 403],
      ['GET', '/api/care/people/1/advance-care-plan', undefined, 401, 403, 200, 403, 403, 403],
      ['PUT', '/api/care/people/1/advance-care-plan', { plan: MATRIX_ACP, version: 0 }, 401, 403, 200, 403, 403, 403],
      ['GET', '/api/care/people/1/alerts', undefined, 401, 403, 200, 403, 403, 403],
      ['POST', '/api/care/people/1/alerts', { kind: 'communication', text: 'Hard of hearing: face them when speaking.', startsOn: '2026-01-01' }, 401, 403, 201, 403, 403, 403],
      ['PATCH', '/api/care/people/1/alerts/1', { status: 'ended', version: 1 }, 401, 403, 200, 403, 403, 403],
      // Who people are (the identifiable zone): care professionals within a relationship (this fixture holds no identities: 404 for a search); break-glass alerts for admins.
      ['GET', '/api/care/search?nhsNumber=9990000018', undefined, 401, 403, 404, 403, 403, 403],
      ['GET', '/api/care/people/1', undefined, 401, 403, 200, 403, 403, 403],
      ['POST', '/api/care/people/1/break-glass', { reason: 'Covering for a colleague today' }, 401, 403, 201, 403, 403, 403],
      ['GET', '/api/admin/break-glass', undefined, 401, 403, 403, 200, 403, 403],
      // Team working (the care zone): caseload reviews and key workers, tasks, notes, MDT meetings, notifications, a service's inbox.
      ['GET', '/api/caseload/1/reviews', undefined, 401, 403, 200, 403, 403, 403],
      ['POST', '/api/caseload/1/reviews', { reviewedOn: TODAY, outcome: 'continue', note: 'For the access matrix', nextReview: IN_A_MONTH, version: 2 }, 401, 403, 201, 403, 403, 403],
      ['PATCH', '/api/caseload/1/key-worker', { keyWorker: 'A third worker', reason: 'For the access matrix', version: 3 }, 401, 403, 200, 403, 403, 403],
      ['GET', '/api/care/team', undefined, 401, 403, 200, 403, 403, 403],
      ['POST', '/api/care/tasks', { personId: '1', title: 'Ring about the access matrix' }, 401, 403, 201, 403, 403, 403],
      ['GET', '/api/care/tasks?assignee=anyone', undefined, 401, 403, 200, 403, 403, 403],
      ['PATCH', '/api/care/tasks/1', { status: 'done', version: 1 }, 401, 403, 200, 403, 403, 403],
      ['GET', '/api/care/people/1/tasks', undefined, 401, 403, 200, 403, 403, 403],
      ['POST', '/api/care/people/1/notes', { text: 'A note for the access matrix' }, 401, 403, 201, 403, 403, 403],
      ['GET', '/api/care/people/1/notes', undefined, 401, 403, 200, 403, 403, 403],
      ['POST', '/api/care/meetings', { date: TODAY, title: 'Access matrix MDT' }, 401, 403, 201, 403, 403, 403],
      ['GET', '/api/care/meetings', undefined, 401, 403, 200, 403, 403, 403],
      ['GET', '/api/care/meetings/1', undefined, 401, 403, 200, 403, 403, 403],
      ['POST', '/api/care/meetings/1/items', { personId: '1', reason: 'For the access matrix' }, 401, 403, 201, 403, 403, 403],
      ['POST', '/api/care/meetings/1/items/1/outcome', { outcome: 'Agreed for the access matrix' }, 401, 403, 200, 403, 403, 403],
      ['GET', '/api/care/notifications', undefined, 401, 403, 200, 403, 403, 403],
      ['GET', '/api/care/notifications/count', undefined, 401, 403, 200, 403, 403, 403],
      ['POST', '/api/care/notifications/read', { all: true }, 401, 403, 200, 403, 403, 403],
      ['POST', '/api/referrals', { personId: '1', serviceId: 'matrix-service', reason: 'other' }, 401, 403, 201, 403, 403, 403],
      ['GET', '/api/care/inbox', undefined, 401, 403, 200, 403, 403, 403],
      ['POST', '/api/care/inbox/2/decision', { decision: 'accept', version: 1 }, 401, 403, 200, 403, 403, 403],
    ];
    const roles: Who[] = ['public', 'analyst', 'neighbourhood', 'admin', 'programme', 'board'];

    it.each(MATRIX)('%s %s', async (method, url, body, ...expected) => {
      for (const [i, who] of roles.entries()) {
        const r = await as(who, method as 'GET' | 'POST' | 'PATCH' | 'PUT', url, body);
        expect(r.statusCode, `${who}: ${r.body.slice(0, 200)}`).toBe(expected[i]);
        if (r.statusCode >= 400 && url.startsWith('/fhir/')) {
          // FHIR out's errors are OperationOutcomes, of the issue type of the same kind.
          expect(r.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: { 401: 'login', 403: 'forbidden', 404: 'not-found', 429: 'throttled' }[r.statusCode] }] });
        } else if (r.statusCode >= 400) {
          const kind = r.json().error.kind;
          expect(kind).toBe({ 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 429: 'rate-limited', 501: 'not-implemented' }[r.statusCode]);
        }
      }
    });

    it('the matrix covers every route in the access table', () => {
      const covered = new Set(MATRIX.map(([m, u]) => `${m} ${u.split('?')[0]!.replace('/admin/neighbourhoods/leeds-1/', '/admin/neighbourhoods/:neighbourhoodId/').replace('/cohorts/saved/matrix-cohort', '/cohorts/saved/:cohortId').replace(/\/people\/\d+/, '/people/:personId').replace(`/indicators/${INDICATOR}/`, '/indicators/:id/').replace('/strategies/kirklees-hwb', '/strategies/:strategyId').replace(/\/actions\/\d+/, '/actions/:actionId').replace(/\/risks\/\d+/, '/risks/:riskId').replace('/measures/loneliness', '/measures/:measureId').replace(/\/versions\/\d+/, '/versions/:version').replace('/directory/services/matrix-service', '/directory/services/:serviceId').replace('/oruk/services/matrix-service', '/oruk/services/:id').replace(/^\/fhir\/Patient\/\d+$/, '/fhir/Patient/:personId').replace(/^\/fhir\/(HealthcareService|Location|Organization)\/[a-z-]+$/, '/fhir/$1/:id').replace(/\/referrals\/\d+/, '/referrals/:referralId').replace(/\/caseload\/\d+/, '/caseload/:entryId').replace(/\/admin\/users\/\d+/, '/admin/users/:userId').replace(/\/requests\/\d+/, '/requests/:requestId').replace(/\/lockouts\/\d+/, '/lockouts/:lockoutId').replace(/\/alerts\/\d+/, '/alerts/:alertId').replace(/\/tasks\/\d+/, '/tasks/:taskId').replace(/\/meetings\/\d+/, '/meetings/:meetingId').replace(/\/items\/\d+/, '/items/:itemId').replace(/\/inbox\/\d+/, '/inbox/:referralId')}`));
      // Logout would end the sessions this matrix uses: it is covered by the sessions test below; starting
      // TOTP set-up changes an account: routes/accounts.test.ts covers it.
      expect([...Object.keys(ROUTES)].filter((k) => !covered.has(k))).toEqual(['POST /api/auth/logout', 'POST /api/auth/totp']);
    });
  });

  describe('audit log', () => {
    it('records every person-level access, granted or refused, and role refusals', async () => {
      const before = (await listAudit(app.openphm.ops, { limit: 1, offset: 0 })).rows[0]?.id ?? 0;
      await as('analyst', 'GET', '/api/people/3');
      await as('neighbourhood', 'GET', '/api/people/4');
      // From an address of its own: anonymous refusals from one address are summed up once a minute.
      await app.inject({ method: 'GET', url: '/api/people/3', remoteAddress: '10.0.0.77' });
      await as('admin', 'GET', '/api/people/3');
      await as('analyst', 'GET', '/api/people/123456');
      await as('analyst', 'GET', '/api/audit');
      const rows = (await listAudit(app.openphm.ops, { limit: 50, offset: 0 })).rows.filter((r) => r.id > before).reverse();
      expect(rows.map((r) => [r.userEmail, r.role, r.action, r.resource, r.outcome, r.status])).toEqual([
        ['analyst@test', 'analyst', 'person.view', 'person:3', 'granted', 200],
        ['leeds@test', 'neighbourhood', 'person.view', 'person:4', 'denied', 403],
        [null, 'public', 'person.view', 'person:3', 'unauthenticated', 401],
        ['admin@test', 'admin', 'person.view', 'person:3', 'denied', 403],
        ['analyst@test', 'analyst', 'person.view', 'person:123456', 'not-found', 404],
        ['analyst@test', 'analyst', 'GET /api/audit', null, 'denied', 403],
      ]);
      for (const r of rows) expect(Date.parse(r.at)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('records invalid person requests, logins and logouts; admins read it as JSON or CSV', async () => {
      await as('analyst', 'GET', '/api/people/12x');
      const bad = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'analyst@test', password: 'wrong password' } });
      expect(bad.statusCode).toBe(401);
      expect(bad.json().error.kind).toBe('unauthenticated');
      const r = await as('admin', 'GET', '/api/audit?limit=5');
      expect(r.statusCode).toBe(200);
      const rows = r.json().rows as { action: string; outcome: string; resource: string | null; userEmail: string | null }[];
      expect(rows[0]).toMatchObject({ action: 'auth.login', outcome: 'denied', userEmail: 'analyst@test' });
      expect(rows[1]).toMatchObject({ action: 'person.view', outcome: 'failed', resource: 'person:(invalid id)' });
      const csvText = await as('admin', 'GET', '/api/audit?format=csv&action=person.view');
      expect(csvText.headers['content-type']).toContain('text/csv');
      expect(csvText.body.split('\r\n')[0]).toBe('id,at,userId,userEmail,role,action,resource,outcome,status,ip,detail');
      expect(csvText.body).toContain('person:3');
    });

    it('never writes person ids to the server log', async () => {
      await as('analyst', 'GET', '/api/people/3');
      const log = logLines.join('');
      expect(log).toContain('/api/people/:personId');
      expect(log).not.toMatch(/\/api\/people\/\d/);
    });
  });

  describe('published counts are disclosure-controlled everywhere', () => {
    it.each(['ics', 'place:leeds', 'place:calderdale', 'neighbourhood:leeds-1', 'lsoa:E01011229'])('population summary for %s', async (area) => {
      const r = await as('analyst', 'GET', `/api/population/summary?area=${area}`);
      expect(r.statusCode).toBe(200);
      const body = PopulationSummary.parse(r.json());
      expectDisclosureSafe(body);
      // The fixture has 3 people alive at the end of the window: every non-zero cell is small.
      expect(body.total === null || body.total === 0).toBe(true);
      expect(body.disclosure.suppressedCells).toBeGreaterThan(0);
      expect(body.disclosure).toMatchObject({ method: 'cell-key-perturbation', minimumCount: 8, maxPerturbation: 5, valuesFrom: 'published-counts' });
      expect(body.disclosure.rule).toMatch(/withheld/);
    });

    it('in CSV exports, suppressed cells are [c]', async () => {
      for (const table of ['pyramid', 'imd-decile', 'breakdown']) {
        const r = await as('public', 'GET', `/api/population/summary?area=ics&format=csv&table=${table}`);
        expect(r.statusCode).toBe(200);
        expect(r.headers['content-type']).toContain('text/csv');
        expect(r.headers['content-disposition']).toContain('attachment');
        expect(r.body).toContain('[c]');
        for (const line of r.body.trim().split('\r\n').slice(1)) {
          const last = line.split(',').at(-1)!;
          expect(['[c]', '0'].includes(last) || Number(last) % 5 === 0, line).toBe(true);
        }
      }
    });

    it('unknown areas are 404 in the one error shape', async () => {
      const r = await as('public', 'GET', '/api/population/summary?area=place:nowhere');
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual({ error: { message: "no place 'nowhere' in this database", kind: 'not-found' } });
      const missing = await as('public', 'GET', '/api/nope');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.kind).toBe('not-found');
    });
  });

  describe('person summary', () => {
    it('is pseudonymous: age and year, no date of birth', async () => {
      const r = await as('neighbourhood', 'GET', '/api/people/3');
      expect(r.statusCode).toBe(200);
      const p = r.json();
      expect(p.demographics).toMatchObject({ sex: 'F', age: 76, ageBand: '75-79', ethnicGroup: 'White', isCarer: false, died: null });
      expect(p.residence).toMatchObject({ lsoaCode: 'E01011229', neighbourhoodId: 'leeds-1', place: 'leeds', imdDecile: 1 });
      expect(p.conditions.map((c: { key: string }) => c.key)).toEqual(['hypertension', 'asthma']);
      expect(JSON.stringify(p)).not.toContain('1950-02-01');
      const dead = (await as('analyst', 'GET', '/api/people/4')).json();
      expect(dead.demographics).toMatchObject({ died: '2023-02', age: 83 });
      expect(dead.recentActivity.map((a: { kind: string }) => a.kind)).toContain('Hospital admission');
    });
  });

  describe('sessions', () => {
    it('sets an HttpOnly, SameSite=Strict signed cookie; logout ends the session', async () => {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ANALYST@test ', password: PASSWORD } });
      expect(r.statusCode).toBe(200);
      const setCookie = String(r.headers['set-cookie']);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      const cookie = cookieOf(r);
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).json()).toMatchObject({ role: 'analyst', user: { email: 'analyst@test' } });
      await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
      expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).json()).toEqual({ user: null, role: 'public' });
      // A tampered cookie is no session.
      const forged = cookie.replace(/=.{4}/, '=AAAA');
      expect((await app.inject({ url: '/api/people/1', headers: { cookie: forged } })).statusCode).toBe(401);
    });
  });

  describe('OpenAPI and caching', () => {
    it('serves an OpenAPI 3.1 document describing every API route', async () => {
      const doc = (await as('public', 'GET', '/api/openapi.json')).json();
      expect(doc.openapi).toBe('3.1.0');
      for (const key of Object.keys(ROUTES)) {
        const [method, url] = key.split(' ') as [string, string];
        if (url === '/api/openapi.json') continue;
        const path = url.replace(/:(\w+)/g, '{$1}');
        expect(doc.paths[path]?.[method.toLowerCase()], key).toBeDefined();
      }
      expect(doc.paths['/api/population/summary'].get.parameters.map((p: { name: string }) => p.name)).toContain('area');
    });

    it('serves boundaries with the Crown copyright attribution and an ETag', async () => {
      const r = await as('public', 'GET', '/api/geography/lsoa.geojson');
      expect(r.headers['content-type']).toContain('application/geo+json');
      const fc = r.json();
      expect(fc.metadata.attribution).toMatch(/© Crown copyright/);
      expect(fc.features.map((f: { id: string }) => f.id).sort()).toEqual(expect.arrayContaining(['E01011229', 'E01011230']));
      const again = await app.inject({ url: '/api/geography/lsoa.geojson', headers: { 'if-none-match': String(r.headers.etag) } });
      expect(again.statusCode).toBe(304);
      const geo = (await as('public', 'GET', '/api/geography')).json();
      expect(geo.metadata.attribution).toMatch(/Crown copyright/);
      expect(geo.neighbourhoods.map((n: { id: string }) => n.id)).toEqual(['calderdale-1', 'leeds-1']);
    });

    it('caches results and invalidates them when the database file is replaced', async () => {
      const { cache } = app.openphm;
      const first = (await as('public', 'GET', '/api/population/summary?area=neighbourhood:leeds-1')).json();
      const hits = cache.stats.hits;
      await as('public', 'GET', '/api/population/summary?area=neighbourhood:leeds-1');
      expect(cache.stats.hits).toBe(hits + 1);
      expect(first.total).toBeNull();

      // Replace the file: 30 more people in leeds-1.
      const extra = Array.from({ length: 30 }, (_, i) => `${100 + i},F,1990-01-01,A,E01011230,B86002,2000-01-01,false`);
      const person = `${VALID_FILES['person.csv']!.trimEnd()}\n${extra.join('\n')}\n`;
      const csvDir = writeCsvDir(fixture.dir, { ...VALID_FILES, 'person.csv': csv(...person.trimEnd().split('\n')) });
      await new Promise((r) => setTimeout(r, 20));
      await buildDatabase({ outFile: fixture.file, csvDir, geography: GEOGRAPHY, meta: META, threads: 1 });
      const after = (await as('public', 'GET', '/api/population/summary?area=neighbourhood:leeds-1')).json();
      // 30 people, published with the noise of their cell key (at most ±5).
      expect(Math.abs(after.total - 30)).toBeLessThanOrEqual(5);
      expectDisclosureSafe(after);
    });
  });
});

describe('indicator results with an engine (extension point)', () => {
  let fixture: Awaited<ReturnType<typeof buildFixtureDatabase>>;
  let app: FastifyInstance;
  const definition = INDICATOR_CATALOGUE.find((d) => d.measure.kind === 'person-proportion')!;
  const engine: IndicatorEngine = {
    name: 'fake',
    // Keys stand in for the sums of the people's record keys.
    aggregate: async ({ breakdown }) =>
      breakdown === 'place'
        ? [
            { group: 'leeds', numerator: 3, denominator: 400, numeratorKey: 1, denominatorKey: 2 },
            { group: 'calderdale', numerator: 52, denominator: 1003, numeratorKey: 99, denominatorKey: 128 },
            { group: 'kirklees', numerator: 100, denominator: 2000, numeratorKey: 128, denominatorKey: 0 },
          ]
        : [{ group: 'ICS', numerator: 155, denominator: 3403, numeratorKey: 228, denominatorKey: 130 }],
  };

  beforeAll(async () => {
    fixture = await buildFixtureDatabase();
    app = await createServer({ duckdbFile: fixture.file, webDir: false, indicatorEngine: () => engine });
  });
  afterAll(async () => {
    await app?.close();
    fixture?.remove();
  });

  it('publishes through core disclosure control: small numerators withheld, the rest perturbed, values from the published counts', async () => {
    const catalogue = (await app.inject({ url: '/api/indicators' })).json();
    expect(catalogue.resultsAvailable).toBe(true);
    const r = await app.inject({ url: `/api/indicators/${definition.id}/results?by=place` });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expectDisclosureSafe(body);
    const row = (group: string) => body.rows.find((v: { group: string }) => v.group === group);
    expect(row('leeds')).toMatchObject({ numerator: null, denominator: null, value: null, suppressed: true });
    // Indicator tables withhold 0 with 1-7 (INDICATOR_POLICY): a withheld cell says nothing about being at least 1.
    expect(row('leeds').note).toBe('count 0-7');
    expect(body.disclosure).toMatchObject({ suppressZero: true, minimumCount: 8 });
    // No secondary suppression: the ICS total minus the other places is noise, not Leeds' count.
    expect(row('calderdale')).toMatchObject({ numerator: perturbCount(52, 99, 8), denominator: perturbCount(1003, 128, 8), suppressed: false });
    expect(row('kirklees')).toMatchObject({ numerator: 100, denominator: 1995, suppressed: false });
    expect(row('kirklees').value).toBeCloseTo((100 / 1995) * 100, 10);
    expect(body.period.end).toBe('2026-04-01');
    expect(body.disclosure.suppressedCells).toBe(1);
    const csvText = (await app.inject({ url: `/api/indicators/${definition.id}/results?by=place&format=csv` })).body;
    expect(csvText).toContain(',leeds,[c],[c],');
  });
});
