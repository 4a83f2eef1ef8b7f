/**
 * Strategies over HTTP (the list, scorecards, reported values, changes made in the app, versions),
 * on the fixture database with a stand-in indicator engine whose counts grow by period (so trends
 * and statuses are worked out by hand below), a plans folder written for the test, and "today"
 * pinned to 2026-11-26 (test-support.ts, useDeliveryServer).
 */
import { describe, expect, it } from 'vitest';
import { quarterContaining } from '@openphm/core';
import { listAudit } from '../operational/audit.js';
import { BoardReportResponse, MeasureEditResponse, ScorecardResponse, StrategiesResponse, StrategyVersionsResponse } from '@openphm/api-contract';
import { TEST_PLAN as PLAN, publishedIcs as ics, publishedLeeds as leeds, useDeliveryServer } from '../test-support.js';

describe('delivery assurance API', () => {
  const server = useDeliveryServer();
  const { as } = server;

  it('lists the strategies, and the plan files that could not be loaded', async () => {
    const r = await as('public', 'GET', '/api/strategies');
    expect(r.statusCode, r.body).toBe(200);
    const body = StrategiesResponse.parse(r.json());
    expect(body.strategies.map((s) => [s.id, s.version, s.areaName, s.source])).toEqual([['test-plan', 1, 'Test ICS', 'plans/test-plan.json']]);
    expect(body.strategies[0]!.priorities.map((p) => p.ambitions.map((a) => a.id))).toEqual([['smoking', 'weight'], ['referrals']]);
    expect(body.problems).toEqual([{ source: 'plans/broken.json', message: expect.stringMatching(/^plans\/broken\.json: area: /) }]);
  });

  it('publishes the scorecard: values each period, trajectory and status worked out by hand', async () => {
    const r = await as('public', 'GET', '/api/strategies/test-plan/scorecard');
    expect(r.statusCode, r.body).toBe(200);
    const body = ScorecardResponse.parse(r.json());
    const by = Object.fromEntries(body.measures.map((m) => [m.id, m]));
    expect(body.measures.map((m) => [m.id, m.status, m.rag])).toEqual([
      ['smoking', 'missed', 'red'], // today (2026-11-26) is past its target date, and its value for 2025/26 is above the target
      ['smoking-leeds', 'incomplete', 'grey'],
      ['weight', 'met', 'green'],
      ['weight-leeds', 'on-track', 'green'], // behind the trajectory on the value, within its 95% CI, and significantly above the baseline
      ['referrals', 'incomplete', 'grey'],
    ]);
    expect(body.summary).toEqual({ met: 1, 'on-track': 1, 'no-significant-change': 0, 'off-track': 0, worsening: 0, missed: 1, incomplete: 2 });
    const smoking = by.smoking!;
    expect(smoking.points.map((p) => p.label)).toEqual(['2021/22', '2022/23', '2023/24', '2024/25', '2025/26']);
    smoking.points.forEach((p, i) => expect(p.value).toBeCloseTo(ics(i), 10));
    expect(smoking.baseline).toMatchObject({ date: '2022-03-31', label: '2021/22' });
    expect(smoking.baseline!.value).toBeCloseTo(ics(0), 10);
    expect(smoking.trajectory.map((t) => t.date)).toEqual(['2022-03-31', '2026-03-31']);
    expect(smoking.expected).toBe(20); // the latest value is dated on the target date
    expect(smoking).toMatchObject({ unit: '%', polarity: 'lower-is-better', owner: 'Tobacco lead', areaName: 'Test ICS', statusLabel: 'Target missed', sourceLabel: 'Smoking prevalence in adults (recorded status)' });
    expect(by.referrals!.sourceLabel).toBe('Reported by the measure owner');
    expect(smoking.changeSinceBaseline).toBeCloseTo(ics(4) - ics(0), 10);
    expect(by['smoking-leeds']).toMatchObject({ areaName: 'Leeds', reasons: ['no target agreed'], expected: null });
    by['smoking-leeds']!.points.forEach((p, i) => expect(p.value).toBeCloseTo(leeds(i), 10));
    expect(by['weight-leeds']!.expected).toBeCloseTo(leeds(0) + (40 - leeds(0)) * (1461 / 2922), 10);
    expect(by['weight-leeds']!.reasons).toEqual(['behind the trajectory on the value, but not significantly; significantly better than the baseline']);
    expect(by.referrals).toMatchObject({ points: [], reasons: ['no value yet'] });
  });

  it('takes reported values for manual measures only, from programme leads', async () => {
    const value = { periodLabel: '2023/24', periodEnd: '2024-03-31', value: 80, note: 'From the link-worker services' };
    expect((await as('analyst', 'POST', '/api/strategies/test-plan/measures/referrals/values', value)).statusCode).toBe(403);
    const r = await as('programme', 'POST', '/api/strategies/test-plan/measures/referrals/values', value);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ ...value, recordedBy: 'programme@test' });
    const wrong = await as('programme', 'POST', '/api/strategies/test-plan/measures/smoking/values', value);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toMatch(/comes from the data \(indicator\); only manual measures/);
    expect((await as('programme', 'POST', '/api/strategies/test-plan/measures/nope/values', value)).statusCode).toBe(404);
    expect((await as('programme', 'POST', '/api/strategies/nope/measures/referrals/values', value)).statusCode).toBe(404);
    const bad = await as('programme', 'POST', '/api/strategies/test-plan/measures/referrals/values', { ...value, periodEnd: '31/03/2024' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['periodEnd']);
    // 80 on 2024-03-31 against a trajectory of 50 + 50 × 731/1461 = 75.0: on track.
    const m = ScorecardResponse.parse((await as('public', 'GET', '/api/strategies/test-plan/scorecard')).json()).measures.find((x) => x.id === 'referrals')!;
    expect(m).toMatchObject({ status: 'on-track', points: [{ label: '2023/24', value: 80, date: '2024-03-31' }] });
    expect(m.expected).toBeCloseTo(50 + (50 * 731) / 1461, 10);
  });

  describe('changing a measure in the app', () => {
    const target = { kind: 'absolute', value: 30, date: '2030-03-31' };
    const edit = { strategyVersion: 1, baseline: { kind: 'data', periodLabel: '2021/22' }, target, polarity: null, owner: 'Leeds tobacco lead', note: null, reason: 'Agreed by the Leeds board, November 2026' };

    it('programme leads complete a baseline and target: a new version, with what changed in words; audited', async () => {
      expect((await as('analyst', 'PUT', '/api/strategies/test-plan/measures/smoking-leeds', edit)).statusCode).toBe(403);
      const r = await as('programme', 'PUT', '/api/strategies/test-plan/measures/smoking-leeds', edit);
      expect(r.statusCode, r.body).toBe(200);
      expect(MeasureEditResponse.parse(r.json())).toEqual({
        strategyId: 'test-plan',
        version: 2,
        changes: ['"Smoking, Leeds": target set to 30 by 2030-03-31.', '"Smoking, Leeds": owner set to "Leeds tobacco lead".'],
      });
      // The scorecard judges it now: Leeds smoking rises from 27.73 (2021/22) while lower is better.
      const card = ScorecardResponse.parse((await as('public', 'GET', '/api/strategies/test-plan/scorecard')).json());
      expect(card.strategy.version).toBe(2);
      expect(card.measures.find((m) => m.id === 'smoking-leeds')).toMatchObject({ status: 'worsening', owner: 'Leeds tobacco lead', target: { value: 30, date: '2030-03-31' } });
      const audit = (await listAudit(server.app.openphm.ops, { limit: 5, offset: 0, action: 'strategy.edit' })).rows;
      expect(audit.map((a) => [a.userEmail, a.resource, a.outcome])).toEqual([['programme@test', 'strategy:test-plan/smoking-leeds', 'granted']]);
      expect(audit[0]!.detail).toMatch(/^version 2: "Smoking, Leeds": target set to 30/);
    });

    it('refuses a stale edit (409, saying who changed it) and names each bad field', async () => {
      const stale = await as('programme', 'PUT', '/api/strategies/test-plan/measures/smoking', { ...edit, owner: 'Someone' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.message).toMatch(/^the strategy changed: version 2 was made by programme@test at .* \(you edited version 1\); reload and edit again$/);
      const bad = await as('programme', 'PUT', '/api/strategies/test-plan/measures/referrals', { ...edit, strategyVersion: 2, baseline: { kind: 'data', periodLabel: '2021/22' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields).toEqual([
        { field: 'polarity', message: 'a manual measure needs a polarity (higher-is-better or lower-is-better)' },
        { field: 'baseline', message: 'a manual measure has no data periods: state the baseline (kind "stated")' },
      ]);
      const noReason = await as('programme', 'PUT', '/api/strategies/test-plan/measures/smoking', { ...edit, strategyVersion: 2, reason: '' });
      expect(noReason.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
      expect((await as('programme', 'PUT', '/api/strategies/test-plan/measures/nope', { ...edit, strategyVersion: 2 })).statusCode).toBe(404);
      expect((await as('programme', 'PUT', '/api/strategies/nope/measures/smoking', edit)).statusCode).toBe(404);
    });

    it('lists every version with what changed (who: staff only), and gives each as a plan file', async () => {
      const staff = StrategyVersionsResponse.parse((await as('board', 'GET', '/api/strategies/test-plan/versions')).json());
      expect(staff.versions.map((v) => [v.version, v.source, v.editedBy, v.reason, v.changes.length])).toEqual([
        [1, 'plans/test-plan.json', null, null, 1],
        [2, 'OpenPHM', 'programme@test', 'Agreed by the Leeds board, November 2026', 2],
      ]);
      const open = StrategyVersionsResponse.parse((await as('public', 'GET', '/api/strategies/test-plan/versions')).json());
      expect(open.versions[1]).toMatchObject({ editedBy: null, reason: 'Agreed by the Leeds board, November 2026', changes: staff.versions[1]!.changes });
      const file = await as('public', 'GET', '/api/strategies/test-plan/versions/2');
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-disposition']).toBe('attachment; filename="test-plan.json"');
      const definition = JSON.parse(file.body);
      expect(definition).toMatchObject({ id: 'test-plan', version: 2 });
      expect(definition.priorities[0].ambitions[0].measures[1]).toEqual({ ...PLAN.priorities[0]!.ambitions[0]!.measures[1], target, owner: 'Leeds tobacco lead' });
      expect((await as('public', 'GET', '/api/strategies/test-plan/versions/9')).statusCode).toBe(404);
      // The board report of the quarter the change was made in (the store's clock) lists it for the board to confirm.
      const quarter = quarterContaining(staff.versions[1]!.loadedAt.slice(0, 10));
      const report = BoardReportResponse.parse((await as('board', 'GET', `/api/strategies/test-plan/report?quarter=${quarter.id}`)).json());
      expect(report.planChanges).toEqual([{ version: 2, date: staff.versions[1]!.loadedAt.slice(0, 10), reason: 'Agreed by the Leeds board, November 2026', changes: staff.versions[1]!.changes }]);
      expect(report.recommendations.at(-1)).toBe(`Confirm the 1 change to the strategy made in ${quarter.label} (section 4).`);
      expect((await as('public', 'GET', '/api/strategies/nope/versions')).statusCode).toBe(404);
    });

    it('programme leads add and remove measures and ambitions; each change a version; removals that would orphan actions refused', async () => {
      const change = (strategyVersion: number, c: object) => as('programme', 'POST', '/api/strategies/test-plan/changes', { strategyVersion, reason: 'Agreed at the November board', change: c });
      const added = await change(2, { kind: 'add-ambition', priorityId: 'connected', ambition: { id: 'volunteering', title: 'More volunteering' } });
      expect(added.statusCode, added.body).toBe(200);
      expect(MeasureEditResponse.parse(added.json())).toEqual({ strategyId: 'test-plan', version: 3, changes: ['The ambition "More volunteering" added.'] });
      const measure = await change(3, { kind: 'add-measure', ambitionId: 'volunteering', measure: { id: 'volunteers', title: 'Adults who volunteer', source: { kind: 'manual', unit: '%' }, polarity: 'higher-is-better' } });
      expect(measure.json().changes).toEqual(['Measure "Adults who volunteer" added.']);
      const card = ScorecardResponse.parse((await as('public', 'GET', '/api/strategies/test-plan/scorecard')).json());
      expect(card.measures.find((m) => m.id === 'volunteers')).toMatchObject({ ambitionId: 'volunteering', status: 'incomplete' });
      // A bad measure names the field within the change; a stale version is a conflict.
      const bad = await change(4, { kind: 'add-measure', ambitionId: 'volunteering', measure: { id: 'x', title: 'X measure', source: { kind: 'indicator', indicatorId: 'nope' } } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields).toEqual([{ field: 'change.measure.source.indicatorId', message: "unknown indicator 'nope' (see phm indicators list)" }]);
      expect((await change(3, { kind: 'remove-measure', measureId: 'volunteers' })).statusCode).toBe(409);
      // An action placed under the new ambition: it cannot go while the action is there.
      const action = { priorityId: 'connected', ambitionId: 'volunteering', title: 'Volunteer passport', ownerGroup: 'Voluntary sector alliance', lead: 'A. Lead', dueDate: '2027-03-31', rag: 'green' };
      expect((await as('programme', 'POST', '/api/strategies/test-plan/actions', action)).statusCode).toBe(201);
      const orphaning = await change(4, { kind: 'remove-ambition', ambitionId: 'volunteering' });
      expect(orphaning.statusCode).toBe(400);
      expect(orphaning.json().error.fields[0]).toEqual({ field: 'change.ambitionId', message: '1 action is placed under this ambition ("Volunteer passport"): move them first' });
      expect((await change(4, { kind: 'remove-measure', measureId: 'volunteers' })).json()).toMatchObject({ version: 5, changes: ['Measure "Adults who volunteer" removed.'] });
      expect((await as('analyst', 'POST', '/api/strategies/test-plan/changes', { strategyVersion: 5, reason: 'x y z', change: { kind: 'remove-ambition', ambitionId: 'volunteering' } })).statusCode).toBe(403);
      const audit = (await listAudit(server.app.openphm.ops, { limit: 10, offset: 0, action: 'strategy.change' })).rows;
      expect(audit.map((a) => a.outcome)).toEqual(['granted', 'granted', 'granted']);
    });
  });
});

describe('strategies made in the app for any board', () => {
  const server = useDeliveryServer();
  const { as } = server;
  const LEEDS = {
    id: 'leeds-hwb',
    title: 'Healthy Leeds 2026-2030',
    board: 'Leeds Health and Wellbeing Board',
    area: 'place:leeds',
    period: { start: '2026-04-01', end: '2030-03-31' },
    description: "Leeds' joint local health and wellbeing strategy.",
    priorities: [{ id: 'start', title: 'Starting well', ambitions: [{ id: 'school-ready', title: 'Ready for school', measures: [] }] }],
  };
  const create = (who: 'programme' | 'board' | 'analyst' | 'public', strategy: object) => as(who, 'POST', '/api/strategies', { reason: 'Agreed by the Leeds board, 3 December 2026', strategy });

  it('only programme leads create a strategy; every bad field is named; a taken id is a conflict; audited', async () => {
    expect((await create('public', LEEDS)).statusCode).toBe(401);
    for (const who of ['board', 'analyst'] as const) expect((await create(who, LEEDS)).statusCode).toBe(403);
    const bad = await create('programme', { ...LEEDS, id: 'Leeds HWB', area: 'place:nowhere', period: { start: '2026-04-01', end: '2025-03-31' }, priorities: [{ id: 'start', title: 'S', ambitions: [] }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['strategy.area', 'strategy.id', 'strategy.priorities.0.ambitions', 'strategy.priorities.0.title']);
    const noReason = await as('programme', 'POST', '/api/strategies', { reason: '', strategy: LEEDS });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.map((f: { field: string }) => f.field)).toContain('reason');
    const made = await create('programme', LEEDS);
    expect(made.statusCode, made.body).toBe(201);
    expect(MeasureEditResponse.parse(made.json())).toEqual({ strategyId: 'leeds-hwb', version: 1, changes: ['First version.'] });
    const list = StrategiesResponse.parse((await as('public', 'GET', '/api/strategies')).json());
    expect(list.strategies.find((s) => s.id === 'leeds-hwb')).toMatchObject({ version: 1, areaName: 'Leeds', board: 'Leeds Health and Wellbeing Board', source: 'OpenPHM' });
    const again = await create('programme', { ...LEEDS, title: 'Another Leeds strategy' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/^there is already a strategy 'leeds-hwb' \(made by programme@test at .*\): choose another id/);
    // A plan file's strategy is taken too.
    expect((await create('programme', { ...LEEDS, id: 'test-plan' })).statusCode).toBe(409);
    const audit = (await listAudit(server.app.openphm.ops, { limit: 10, offset: 0, action: 'strategy.create' })).rows;
    expect(audit.map((a) => [a.outcome, a.detail])).toEqual([['granted', 'leeds-hwb version 1 for Leeds Health and Wellbeing Board (place:leeds)']]);
  });

  it('adds priorities, ambitions and measures with baseline and target; a stale version is a conflict', async () => {
    const change = (strategyVersion: number, c: object) => as('programme', 'POST', '/api/strategies/leeds-hwb/changes', { strategyVersion, reason: 'Agreed by the Leeds board', change: c });
    const priority = await change(1, { kind: 'add-priority', priority: { id: 'live', title: 'Living well', ambition: { id: 'smoke-free', title: 'A smoke-free Leeds' } } });
    expect(priority.statusCode, priority.body).toBe(200);
    expect(priority.json()).toEqual({ strategyId: 'leeds-hwb', version: 2, changes: ['The priority "Living well" added.', 'The ambition "A smoke-free Leeds" added.'] });
    const clash = await change(2, { kind: 'add-priority', priority: { id: 'start', title: 'Starting again', ambition: { id: 'other', title: 'Other ambition' } } });
    expect(clash.json().error.fields).toEqual([{ field: 'change.priority.id', message: "'start' is used twice" }]);
    expect((await change(1, { kind: 'edit-priority', priorityId: 'live', title: 'Living and working well' })).statusCode).toBe(409);
    expect((await as('board', 'POST', '/api/strategies/leeds-hwb/changes', { strategyVersion: 2, reason: 'Not mine', change: { kind: 'edit-priority', priorityId: 'live', title: 'Living and working well' } })).statusCode).toBe(403);
    const measure = { id: 'smoking', title: 'Adults who smoke', source: { kind: 'indicator', indicatorId: 'smoking-prevalence' }, baseline: { kind: 'stated', value: 14, date: '2025-03-31', label: '2024/25' }, target: { kind: 'absolute', value: 10, date: '2030-03-31' } };
    const added = await change(2, { kind: 'add-measure', ambitionId: 'smoke-free', measure });
    expect(added.statusCode, added.body).toBe(200);
    const card = ScorecardResponse.parse((await as('public', 'GET', '/api/strategies/leeds-hwb/scorecard')).json());
    expect(card.measures.map((m) => [m.id, m.priorityId, m.ambitionId, m.areaName])).toEqual([['smoking', 'live', 'smoke-free', 'Leeds']]);
    expect(card.measures[0]!.trajectory.map((t) => [t.date, t.value])).toEqual([['2025-03-31', 14], ['2030-03-31', 10]]);    // A priority a risk names cannot be removed until the risk moves; the strategy's own details change too.
    const risk = await as('programme', 'POST', '/api/strategies/leeds-hwb/risks', { title: 'Fewer school nurses', owner: 'Director of Public Health', reviewDate: '2027-01-31', likelihood: 2, impact: 3, priorityId: 'start' });
    expect(risk.statusCode, risk.body).toBe(201);
    const blocked = await change(3, { kind: 'remove-priority', priorityId: 'start' });
    expect(blocked.json().error.fields).toEqual([{ field: 'change.priorityId', message: '1 action or risk names this priority ("Risk: Fewer school nurses"): move them first' }]);
    const details = await change(3, { kind: 'edit-details', title: 'Healthy Leeds', board: 'Leeds Health and Wellbeing Board', description: "Leeds' joint local health and wellbeing strategy.", period: { start: '2026-04-01', end: '2031-03-31' } });
    expect(details.json()).toEqual({ strategyId: 'leeds-hwb', version: 4, changes: ["The strategy's title changed.", "The strategy's period changed from 2026-04-01 – 2030-03-31 to 2026-04-01 – 2031-03-31."] });
  });

  it('exports each version as a plan file that the plan import reads back as the same strategy', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readPlanFiles, loadStrategyFiles } = await import('../data/strategy-files.js');
    const versions = StrategyVersionsResponse.parse((await as('public', 'GET', '/api/strategies/leeds-hwb/versions')).json());
    const latest = versions.versions.at(-1)!;
    expect(latest).toMatchObject({ version: 4, source: 'OpenPHM' });
    const file = await as('public', 'GET', `/api/strategies/leeds-hwb/versions/${latest.version}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/filename="?leeds-hwb\.json/);
    const dir = mkdtempSync(join(tmpdir(), 'plans-'));
    try {
      writeFileSync(join(dir, 'leeds-hwb.json'), file.body);
      const read = readPlanFiles(dir);
      expect(read.problems).toEqual([]);
      const list = StrategiesResponse.parse((await as('public', 'GET', '/api/strategies')).json());
      const stored = list.strategies.find((s) => s.id === 'leeds-hwb')!;
      expect(read.files.map((f) => [f.strategy.id, f.strategy.version, f.strategy.priorities.map((p) => p.id)])).toEqual([['leeds-hwb', stored.version, stored.priorities.map((p) => p.id)]]);
      // Loading it is no change: the same content under the same version.
      expect(await loadStrategyFiles(server.app.openphm.ops, dir)).toEqual([]);
      expect((await strategyVersionsOf(server)).length).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const strategyVersionsOf = async (server: ReturnType<typeof useDeliveryServer>) => (await import('../operational/delivery.js')).strategyVersions(server.app.openphm.ops, 'leeds-hwb');
