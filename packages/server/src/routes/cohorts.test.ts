import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../operational/audit.js';
import { CohortCountResponse, CohortsResponse, WorklistResponse } from '../schemas.js';
import { buildPopulationFixture, startSignedInServer, unsafeCounts, type SignedInServer } from '../test-support.js';

const HYPERTENSION = { rule: { kind: 'flag', feature: 'condition:hypertension' } };

describe('cohorts and worklists on a 64-person fixture', () => {
  let fixture: Awaited<ReturnType<typeof buildPopulationFixture>>;
  let app: FastifyInstance;
  let server: SignedInServer;
  let logLines: string[] = [];
  const as: SignedInServer['as'] = (...args) => server.as(...args);

  beforeAll(async () => {
    fixture = await buildPopulationFixture();
    server = await startSignedInServer(fixture.file);
    app = server.app;
    logLines = server.logLines;
  });
  afterAll(async () => {
    await app?.close();
    fixture?.remove();
  });

  const newAudit = async (since: number) => (await listAudit(app.openphm.ops, { limit: 100, offset: 0 })).rows.filter((r) => r.id > since).reverse();
  const lastAuditId = async () => (await listAudit(app.openphm.ops, { limit: 1, offset: 0 })).rows[0]?.id ?? 0;

  it('GET /api/cohorts: stored definitions (validated) and what the builder needs', async () => {
    const r = await as('neighbourhood', 'GET', '/api/cohorts');
    expect(r.statusCode, r.body).toBe(200);
    const body = CohortsResponse.parse(r.json());
    expect(body.cohorts.map((c) => c.id)).toEqual(expect.arrayContaining(['carers-multimorbidity', 'frail-65-emergency-admission']));
    expect(body.features.numeric).toContain('efi');
    expect(body.features.flags).toContain('condition:hypertension');
    // What the builder needs for the dated rules, and the stored cohorts written with them.
    expect(body.features.conditions).toContain('dementia');
    expect(body.features.events).toEqual(expect.arrayContaining(['aeAttendance', 'antibioticCourse']));
    expect(body.features.eventLookbackDays).toBe(730);
    expect(body.cohorts.find((c) => c.id === 'high-intensity-ae-users')!.rule).toEqual({ kind: 'events', event: 'aeAttendance', atLeast: 5, withinDays: 365 });
    expect(body.segmentations.find((s) => s.id === 'kirklees-four-groups')!.segments).toHaveLength(4);
    expect(body.neighbourhoods).toEqual([
      { id: 'calderdale-1', name: 'Calderdale One', place: 'calderdale' },
      { id: 'leeds-1', name: 'Leeds One', place: 'leeds' },
    ]);
    expect((await as('public', 'GET', '/api/cohorts')).statusCode).toBe(401);
    expect((await as('admin', 'GET', '/api/cohorts')).statusCode).toBe(403);
  });

  it('POST /api/cohorts/count: total and breakdowns, disclosure-controlled', async () => {
    const r = await as('analyst', 'POST', '/api/cohorts/count', { definition: HYPERTENSION, by: ['place', 'sex', 'imd-quintile'] });
    expect(r.statusCode, r.body).toBe(200);
    const body = CohortCountResponse.parse(r.json());
    expect(body.cohort).toEqual({ id: 'ad-hoc', version: 1, title: 'Ad-hoc cohort' });
    // 60 extra people plus persons 1, 2 and 3 are on the register: 63, published rounded as 65.
    expect(body.total).toEqual({ people: 65, suppressed: false });
    expect(body.breakdowns.map((b) => b.by)).toEqual(['place', 'sex', 'imd-quintile']);
    expect(unsafeCounts(body)).toEqual([]);
    const calderdale = body.breakdowns[0]!.rows.find((x) => x.group === 'calderdale')!;
    expect(calderdale).toMatchObject({ people: null, suppressed: true });
    expect(body.date).toBe('2026-03-31');
    const defaults = CohortCountResponse.parse((await as('neighbourhood', 'POST', '/api/cohorts/count', { definition: { ...HYPERTENSION, imdQuintiles: [1] } })).json());
    expect(defaults.breakdowns.map((b) => b.by)).toEqual(['place', 'imd-quintile', 'age-band']);
    expect(unsafeCounts(defaults)).toEqual([]);
  });

  it('POST /api/cohorts/count: a dated rule counts the same people as its 12-month feature', async () => {
    const count = async (rule: object) => CohortCountResponse.parse((await as('analyst', 'POST', '/api/cohorts/count', { definition: { rule }, by: ['place'] })).json()).total;
    const events = await count({ kind: 'events', event: 'gpAppointment', atLeast: 1, withinDays: 365 });
    expect(events).toEqual(await count({ kind: 'compare', feature: 'gpAppointments12m', op: '>=', value: 1 }));
    const diagnosed = await count({ kind: 'diagnosed', condition: 'hypertension', withinDays: 36_525 });
    expect(diagnosed).toEqual(await count({ kind: 'flag', feature: 'condition:hypertension' }));
    expect(diagnosed.people).toBe(65);
    // Every hypertension code in the fixture is at least 1541 days before 2026-03-31 (the 60 extra people's is 2022-01-10, exactly 1541).
    expect(await count({ kind: 'diagnosed', condition: 'hypertension', withinDays: 1541 })).toEqual({ people: 0, suppressed: false });
    expect(await count({ kind: 'diagnosed', condition: 'hypertension', withinDays: 2000 })).toEqual({ people: 65, suppressed: false });
  });

  it('POST /api/cohorts/count: validation errors are 400 naming the field; roles', async () => {
    for (const [payload, field] of [
      [{ definition: { rule: { kind: 'flag', feature: 'condition:nope' } } }, 'definition.rule.feature'],
      [{ definition: { rule: { kind: 'compare', feature: 'age', op: '>=' } } }, 'definition.rule.value'],
      [{ definition: { ...HYPERTENSION, imdQuintiles: [1, 1] } }, 'definition.imdQuintiles'],
      [{ definition: { rule: { kind: 'events', event: 'aeAttendance', atLeast: 2, withinDays: 731 } } }, 'definition.rule.withinDays'],
      [{ definition: { rule: { kind: 'diagnosed', condition: 'gout', withinDays: 30 } } }, 'definition.rule.condition'],
      [{ definition: { ...HYPERTENSION, segment: { segmentation: 'kirklees-four-groups', segments: ['nope'] } } }, 'definition.segment.segments'],
      [{ definition: HYPERTENSION, by: ['postcode'] }, 'by.0'],
      [{ by: ['place'] }, 'definition'],
    ] as const) {
      const r = await as('analyst', 'POST', '/api/cohorts/count', payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().error.kind).toBe('usage');
      expect(r.json().error.fields.map((f: { field: string }) => f.field), r.body).toContain(field);
    }
    expect((await as('public', 'POST', '/api/cohorts/count', { definition: HYPERTENSION })).statusCode).toBe(401);
    expect((await as('admin', 'POST', '/api/cohorts/count', { definition: HYPERTENSION })).statusCode).toBe(403);
  });

  it('worklists: pseudonymous rows for the own neighbourhood; every access audited, granted or not', async () => {
    const since = await lastAuditId();
    const own = await as('neighbourhood', 'GET', '/api/worklist?cohort=carers-multimorbidity&neighbourhood=leeds-1');
    expect(own.statusCode, own.body).toBe(200);
    const body = WorklistResponse.parse(own.json());
    expect(body.cohort).toEqual({ id: 'carers-multimorbidity', title: 'Carers with two or more long-term conditions' });
    expect(body.neighbourhood).toEqual({ id: 'leeds-1', name: 'Leeds One' });
    // Every second extra person is a carer with hypertension and asthma: 30.
    expect(body.total).toBe(30);
    expect(body.people).toHaveLength(30);
    expect(Object.keys(body.people[0]!).sort()).toEqual(
      ['personId', 'age', 'sex', 'efi', 'frailty', 'conditionCount', 'emergencyAdmissions12m', 'aeAttendances12m', 'gpAppointments12m'].sort(),
    );
    expect(JSON.stringify(body)).not.toMatch(/date_of_birth|dateOfBirth|19\d\d-\d\d-\d\d/);
    const other = await as('neighbourhood', 'GET', '/api/worklist?cohort=carers-multimorbidity&neighbourhood=calderdale-1');
    expect(other.statusCode).toBe(403);
    expect((await as('public', 'GET', '/api/worklist?cohort=carers-multimorbidity&neighbourhood=leeds-1')).statusCode).toBe(401);
    expect((await as('admin', 'GET', '/api/worklist?cohort=carers-multimorbidity&neighbourhood=leeds-1')).statusCode).toBe(403);
    expect((await as('analyst', 'GET', '/api/worklist?cohort=no-such-cohort&neighbourhood=calderdale-1')).statusCode).toBe(404);
    expect((await as('analyst', 'GET', '/api/worklist?cohort=carers-multimorbidity&neighbourhood=nowhere')).statusCode).toBe(404);
    const invalid = await as('analyst', 'GET', '/api/worklist?cohort=carers-multimorbidity&neighbourhood=%3Cscript%3E');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.fields[0].field).toBe('neighbourhood');
    const adhoc = await as('analyst', 'POST', '/api/worklist', { definition: HYPERTENSION, neighbourhood: 'leeds-1', limit: 5 });
    expect(adhoc.statusCode, adhoc.body).toBe(200);
    expect(WorklistResponse.parse(adhoc.json())).toMatchObject({ total: 62, truncated: true });
    expect(adhoc.json().people).toHaveLength(5);
    const badDef = await as('analyst', 'POST', '/api/worklist', { definition: { rule: { kind: 'nope' } }, neighbourhood: 'leeds-1' });
    expect(badDef.statusCode).toBe(400);
    expect(badDef.json().error.fields[0].field).toMatch(/^definition\.rule/);
    const nbAdhoc = await as('neighbourhood', 'POST', '/api/worklist', { definition: HYPERTENSION, neighbourhood: 'calderdale-1' });
    expect(nbAdhoc.statusCode).toBe(403);

    const rows = await newAudit(since);
    expect(rows.map((r) => [r.userEmail, r.action, r.resource, r.outcome, r.status])).toEqual([
      ['leeds@test', 'worklist.view', 'worklist:carers-multimorbidity@leeds-1', 'granted', 200],
      ['leeds@test', 'worklist.view', 'worklist:carers-multimorbidity@calderdale-1', 'denied', 403],
      [null, 'worklist.view', 'worklist:carers-multimorbidity@leeds-1', 'unauthenticated', 401],
      ['admin@test', 'worklist.view', 'worklist:carers-multimorbidity@leeds-1', 'denied', 403],
      ['analyst@test', 'worklist.view', 'worklist:no-such-cohort@calderdale-1', 'not-found', 404],
      ['analyst@test', 'worklist.view', 'worklist:carers-multimorbidity@nowhere', 'not-found', 404],
      ['analyst@test', 'worklist.view', 'worklist:carers-multimorbidity@(invalid)', 'failed', 400],
      ['analyst@test', 'worklist.view', 'worklist:ad-hoc@leeds-1', 'granted', 200],
      ['analyst@test', 'worklist.view', 'worklist:ad-hoc@leeds-1', 'failed', 400],
      ['leeds@test', 'worklist.view', 'worklist:ad-hoc@calderdale-1', 'denied', 403],
    ]);
    // No person data in the server log: no ids, no query strings, no bodies.
    const log = logLines.join('');
    expect(log).toContain('/api/worklist');
    expect(log).not.toContain('personId');
    for (const p of body.people) expect(log).not.toContain(`"${p.personId}"`);
    expect(log).not.toContain('neighbourhood=');
  });
});
