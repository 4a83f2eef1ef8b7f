import { describe, expect, it } from 'vitest';
import { listAudit } from '../operational/audit.js';
import { CohortCountResponse, CohortsResponse, WorklistResponse } from '@openphm/api-contract';
import { createUser } from '../operational/users.js';
import { PASSWORD, buildPopulationFixture, login, unsafeCounts, useSignedInServer } from '../test-support.js';

const HYPERTENSION = { rule: { kind: 'flag', feature: 'condition:hypertension' } };
const CARERS = { rule: { kind: 'flag', feature: 'carer' } };

describe('cohorts and worklists on a 64-person fixture', () => {
  const server = useSignedInServer({ fixture: buildPopulationFixture });
  const { as } = server;

  const newAudit = async (since: number) => (await listAudit(server.app.openphm.ops, { limit: 100, offset: 0 })).rows.filter((r) => r.id > since).reverse();
  const lastAuditId = async () => (await listAudit(server.app.openphm.ops, { limit: 1, offset: 0 })).rows[0]?.id ?? 0;

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
      ['personId', 'age', 'sex', 'efi', 'frailty', 'conditionCount', 'emergencyAdmissions12m', 'aeAttendances12m', 'gpAppointments12m', 'state'].sort(),
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
    const log = server.logLines.join('');
    expect(log).toContain('/api/worklist');
    expect(log).not.toContain('personId');
    for (const p of body.people) expect(log).not.toContain(`"${p.personId}"`);
    expect(log).not.toContain('neighbourhood=');
  });
});

/**
 * The cohort builder's rules (docs/disclosure-control.md, "Ad-hoc counts") on a fixture of 300 people
 * in leeds-1 (all with hypertension; every second a woman, an asthmatic and a carer) plus the four
 * of the store's fixture (one of them in calderdale-1).
 */
describe('the cohort builder: table-builder rules, differencing and limits', () => {
  const server = useSignedInServer({ fixture: () => buildPopulationFixture(300) });
  const { as } = server;
  /**
   * A user of their own: the differencing check compares each user's cells with what that user was
   * shown before, and in this fixture most cohorts overlap all but a few people.
   */
  let users = 0;
  const newUser = async (role: 'analyst' | 'neighbourhood') => {
    const email = `${role}-${++users}@test`;
    await createUser(server.app.openphm.ops, { email, displayName: email, password: PASSWORD, role, ...(role === 'neighbourhood' ? { neighbourhoodId: 'leeds-1' } : {}) });
    const cookie = await login(server.app, email);
    return (method: 'GET' | 'POST', url: string, payload?: object) => server.app.inject({ method, url, ...(payload ? { payload } : {}), headers: { cookie } });
  };
  type Requester = Awaited<ReturnType<typeof newUser>>;
  const countAs = async (user: Requester, definition: object, by?: string[]) => {
    const r = await user('POST', '/api/cohorts/count', { definition, ...(by ? { by } : {}) });
    expect(r.statusCode, r.body).toBe(200);
    return CohortCountResponse.parse(r.json());
  };
  const count = async (who: 'analyst' | 'neighbourhood', definition: object, by?: string[]) => countAs(await newUser(who), definition, by);
  const audit = async (action: string) => (await listAudit(server.app.openphm.ops, { limit: 500, offset: 0, action })).rows;


  it('counts a cohort by breakdowns: small and zero cells withheld, the rest perturbed, shares from the published counts', async () => {
    // Every second extra person is a carer (150), and so is person 1: 151 of the 303 residents.
    const body = await count('analyst', CARERS, ['sex', 'imd-quintile']);
    expect(body.cohort).toEqual({ id: 'ad-hoc', version: 1, title: 'Ad-hoc cohort' });
    expect(body.total.suppressed).toBe(false);
    expect(Math.abs(body.total.people! - 151)).toBeLessThanOrEqual(5);
    // Nearly everyone has hypertension: 303 of 303, so the complement (0) is small and the total withheld.
    expect((await count('analyst', HYPERTENSION, ['sex'])).total).toMatchObject({ people: null, suppressed: true });
    expect(body.disclosure).toMatchObject({ method: 'cell-key-perturbation', minimumCount: 10, suppressZero: true, valuesFrom: 'published-counts' });
    expect(unsafeCounts(body)).toEqual([]);
    for (const row of body.breakdowns.flatMap((b) => b.rows).filter((r) => !r.suppressed)) expect(row.share).toBe(row.people! / row.groupPeople!);
    // Counted again by the same user: the same cells, the same figures (and not mistaken for differencing).
    const user = await newUser('analyst');
    expect(await countAs(user, CARERS, ['sex', 'imd-quintile'])).toEqual(await countAs(user, CARERS, ['sex', 'imd-quintile']));
    expect((await countAs(user, CARERS, ['sex', 'imd-quintile'])).total).toEqual(body.total);
  });

  it('withholds a cell whose people differ by a few from a cell the same user was shown: total minus Leeds would be Calderdale', async () => {
    // Women with hypertension: 151 in Leeds, 1 in Calderdale (person 2).
    const body = await count('analyst', { rule: { kind: 'all', of: [HYPERTENSION.rule, { kind: 'flag', feature: 'female' }] } }, ['place']);
    expect(body.total.suppressed).toBe(false);
    const leeds = body.breakdowns[0]!.rows.find((r) => r.group === 'leeds')!;
    // The total (counted first) minus Leeds would be Calderdale's one person.
    expect(leeds).toMatchObject({ people: null, suppressed: true });
    expect(leeds.note).toMatch(/differs by fewer than 10 people from a count you were shown earlier/);
    const rows = await audit('cohort.differencing');
    expect(rows[0]).toMatchObject({ userEmail: expect.stringMatching(/^analyst-\d+@test$/), outcome: 'denied' });
    expect(rows[0]!.detail).toMatch(/1 cells withheld as near-identical/);
  });

  it('refuses the padding attack: two padded definitions that differ by the few people with a condition', async () => {
    const asthma = { kind: 'flag', feature: 'condition:asthma' };
    const female = { kind: 'flag', feature: 'female' };
    // any(asthma, female) and all(female, not asthma) differ by the asthmatics (here also the women: every second person).
    const team = await newUser('neighbourhood');
    // Women: 150 of the extra people and person 3. The carers: 150 of the same women and person 1 (a man).
    // any(carer, female) and all(female, not carer) differ by the carers; padded with the team's own
    // knowledge, any(men over 45, female) against the women differs by the few men in the padding.
    const a = await countAs(team, { rule: { kind: 'any', of: [asthma, female] } }, ['sex']);
    expect(a.total.suppressed).toBe(false);
    const b = await countAs(team, { rule: { kind: 'all', of: [female, { kind: 'not', rule: { kind: 'flag', feature: 'carer' } }] } }, ['sex']);
    // The women who are not carers: person 3 alone, withheld as small.
    expect(b.total.suppressed).toBe(true);
    // Women with person 1 added (a carer who is a man): one person more than a cell shown before.
    const c = await countAs(team, { rule: { kind: 'any', of: [female, { kind: 'all', of: [{ kind: 'flag', feature: 'carer' }, { kind: 'not', rule: female }] }] } }, ['sex']);
    expect(c.total).toMatchObject({ people: null, suppressed: true });
    expect(c.breakdowns[0]!.rows.find((r) => r.group === 'F')!.people).toBe(a.breakdowns[0]!.rows.find((r) => r.group === 'F')!.people);
    const rows = (await audit('cohort.differencing')).filter((r) => r.userEmail?.startsWith('neighbourhood-'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]!.detail).toMatch(/near-identical/);
  });

  it('holds a neighbourhood team to its own neighbourhood and its own breakdowns', async () => {
    const own = await count('neighbourhood', CARERS);
    expect(own.breakdowns.map((b) => b.by)).toEqual(['imd-quintile', 'age-band', 'sex']);
    // Counted in leeds-1 only (all the carers live there).
    expect(Math.abs(own.total.people! - 151)).toBeLessThanOrEqual(5);
    const other = await as('neighbourhood', 'POST', '/api/cohorts/count', { definition: { ...CARERS, area: { neighbourhoodId: 'calderdale-1' } }, by: ['sex'] });
    expect(other.statusCode).toBe(403);
    const place = await as('neighbourhood', 'POST', '/api/cohorts/count', { definition: CARERS, by: ['place'] });
    expect(place.statusCode).toBe(400);
    expect(place.json().error.fields[0]).toMatchObject({ field: 'by.0' });
    const lsoa = await as('analyst', 'POST', '/api/cohorts/count', { definition: HYPERTENSION, by: ['lsoa'] });
    expect(lsoa.statusCode).toBe(400);
    const described = CohortsResponse.parse((await as('neighbourhood', 'GET', '/api/cohorts')).json());
    expect(described.breakdowns).toEqual(['ics', 'imd-quintile', 'age-band', 'sex', 'ethnic-group']);
    expect(described.countsIn).toEqual({ neighbourhoodId: 'leeds-1' });
    expect(described.limits).toMatchObject({ minimumCohort: 20, minimumGroup: 50, minimumCount: 10 });
  });

  it('refuses definitions too fine to count, naming the field', async () => {
    for (const [rule, field] of [
      [{ kind: 'compare', feature: 'age', op: '>=', value: 67 }, 'definition.rule.value'],
      [{ kind: 'compare', feature: 'age', op: '=', value: 70 }, 'definition.rule.op'],
      [{ kind: 'diagnosed', condition: 'hypertension', withinDays: 1541 }, 'definition.rule.withinDays'],
    ] as const) {
      const r = await as('analyst', 'POST', '/api/cohorts/count', { definition: { rule }, by: ['sex'] });
      expect(r.statusCode, JSON.stringify(rule)).toBe(400);
      expect(r.json().error.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
  });

  it('does not count a cohort of fewer than 20, nor a group of fewer than 50, and counts zero as small', async () => {
    const tiny = await count('analyst', { rule: { kind: 'flag', feature: 'carer' }, area: { neighbourhoodId: 'calderdale-1' } }, ['sex']);
    expect(tiny.total).toMatchObject({ people: null, suppressed: true });
    expect(tiny.breakdowns[0]!.rows.every((r) => r.suppressed && /fewer than 20 people in the cohort/.test(r.note))).toBe(true);
    const none = await count('analyst', { rule: { kind: 'flag', feature: 'condition:dementia' } }, ['sex']);
    expect(none.total).toMatchObject({ people: null, suppressed: true });
    const ages = await count('analyst', { rule: { kind: 'flag', feature: 'condition:asthma' } }, ['age-band']);
    const smallGroups = ages.breakdowns[0]!.rows.filter((r) => /fewer than 50 people/.test(r.note));
    expect(smallGroups.length, JSON.stringify(ages.breakdowns[0]!.rows)).toBeGreaterThan(0);
    for (const r of smallGroups) expect(r.people).toBeNull();
  });

  it('pauses counting after repeated differencing, with an alert in the audit log', async () => {
    // The carers, then the carers and person 3 (a woman of 76 who is not a carer) written three ways: each differs by one person.
    const women = (age: number) => ({ kind: 'all', of: [{ kind: 'flag', feature: 'female' }, { kind: 'compare', feature: 'age', op: '>=', value: age }] });
    const rules = [CARERS.rule, ...[75, 70, 65, 60].map((age) => ({ kind: 'any', of: [CARERS.rule, women(age)] }))];
    const analyst = await newUser('analyst');
    const statuses = [];
    for (const rule of rules) statuses.push((await analyst('POST', '/api/cohorts/count', { definition: { rule, id: 'padded', version: 1, title: 'Padded', description: 'padded' }, by: ['sex'] })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const refused = await analyst('POST', '/api/cohorts/count', { definition: HYPERTENSION, by: ['sex'] });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ kind: 'rate-limited' });
    const alerts = (await audit('cohort.differencing')).filter((r) => r.detail?.startsWith('alert'));
    expect(alerts.length).toBeGreaterThan(0);
    // Another user is not affected.
    expect((await as('neighbourhood', 'POST', '/api/cohorts/count', { definition: HYPERTENSION, by: ['sex'] })).statusCode).toBe(200);
  });
});

