/**
 * Delivery assurance over HTTP, on the fixture database with a stand-in indicator engine whose
 * counts grow by period (so trends and statuses are worked out by hand below), a plans folder
 * written for the test, and "today" pinned to 2026-11-26.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perturbCount, quarterContaining, type AggregateCell, type Breakdown, type IndicatorEngine } from '@openphm/core';
import { listAudit } from '../operational/audit.js';
import { ActionsResponse, BoardReportResponse, HistoryResponse, MeasureEditResponse, RisksResponse, ScorecardResponse, StrategiesResponse, StrategyVersionsResponse } from '@openphm/api-contract';
import { buildFixtureDatabase, startSignedInServer, type SignedInServer } from '../test-support.js';

// Counts per LSOA; the first grows by 10 a financial year from 2021/22 (i = 0) to 2025/26 (i = 4).
// nk, dk: the cell keys of their records (sums of record keys).
const LSOAS: Record<string, { place: string; decile: string; n: (i: number) => number; d: number; nk: number; dk: number }> = {
  E01011230: { place: 'leeds', decile: '5', n: (i) => 300 + 10 * i, d: 1000, nk: 100, dk: 110 },
  E01011229: { place: 'leeds', decile: '1', n: () => 5, d: 100, nk: 15, dk: 0 },
  E01010001: { place: 'calderdale', decile: '10', n: () => 200, d: 1000, nk: 30, dk: 128 },
};
const engine: IndicatorEngine = {
  name: 'growing',
  aggregate: async ({ breakdown, period }) => {
    const i = Number(period.start.slice(0, 4)) - 2021;
    const out = new Map<string, AggregateCell>();
    for (const code of Object.keys(LSOAS)) {
      const g = ({ ics: 'ICS', place: LSOAS[code]!.place, lsoa: code, 'imd-decile': LSOAS[code]!.decile } as Partial<Record<Breakdown, string>>)[breakdown];
      if (g === undefined) return [];
      const c = out.get(g) ?? { group: g, numerator: 0, denominator: 0, numeratorKey: 0, denominatorKey: 0 };
      const l = LSOAS[code]!;
      out.set(g, { group: g, numerator: c.numerator + l.n(i), denominator: c.denominator + l.d, numeratorKey: (c.numeratorKey! + l.nk) % 256, denominatorKey: (c.denominatorKey! + l.dk) % 256 });
    }
    return [...out.values()];
  },
};
/** The published percentage of some LSOAs in year i: counts perturbed by their keys (docs/disclosure-control.md). */
const published = (codes: readonly string[], i: number): number => {
  const n = perturbCount(codes.reduce((a, c) => a + LSOAS[c]!.n(i), 0), codes.reduce((a, c) => a + LSOAS[c]!.nk, 0) % 256, 8);
  const d = perturbCount(codes.reduce((a, c) => a + LSOAS[c]!.d, 0), codes.reduce((a, c) => a + LSOAS[c]!.dk, 0) % 256, 8);
  return (n / d) * 100;
};
// ICS: about (505 + 10i) / 2100; Leeds: about (305 + 10i) / 1100 (percent), as published.
const ics = (i: number) => published(['E01011230', 'E01011229', 'E01010001'], i);
const leeds = (i: number) => published(['E01011230', 'E01011229'], i);

const PLAN = {
  id: 'test-plan',
  version: 1,
  title: 'Test plan',
  board: 'Test Health and Wellbeing Board',
  area: 'ics',
  period: { start: '2022-04-01', end: '2030-03-31' },
  description: 'A plan for the tests.',
  priorities: [
    {
      id: 'healthy',
      title: 'Healthy lives',
      ambitions: [
        {
          id: 'smoking',
          title: 'Fewer smokers',
          measures: [
            // Lower is better, rising from the baseline: worse than baseline.
            { id: 'smoking', title: 'Smoking', source: { kind: 'indicator', indicatorId: 'smoking-prevalence' }, baseline: { kind: 'data', periodLabel: '2021/22' }, target: { kind: 'absolute', value: 20, date: '2026-03-31' }, owner: 'Tobacco lead' },
            // No target: incomplete.
            { id: 'smoking-leeds', title: 'Smoking, Leeds', source: { kind: 'indicator', indicatorId: 'smoking-prevalence' }, area: 'place:leeds', baseline: { kind: 'data', periodLabel: '2021/22' } },
          ],
        },
        {
          id: 'weight',
          title: 'Healthy weight',
          measures: [
            // Higher is better: 25.95 in 2025/26 reaches the target of 25: met.
            { id: 'weight', title: 'Healthy weight', source: { kind: 'indicator', indicatorId: 'adult-healthy-weight' }, baseline: { kind: 'data', periodLabel: '2021/22' }, target: { kind: 'absolute', value: 25, date: '2030-03-31' } },
            // Leeds 27.73 → 31.36; trajectory to 40 by 2030-03-31 is half way (33.86) on 2026-03-31: off track.
            { id: 'weight-leeds', title: 'Healthy weight, Leeds', source: { kind: 'indicator', indicatorId: 'adult-healthy-weight' }, area: 'place:leeds', baseline: { kind: 'data', periodLabel: '2021/22' }, target: { kind: 'absolute', value: 40, date: '2030-03-31' } },
          ],
        },
      ],
    },
    {
      id: 'connected',
      title: 'Connected communities',
      ambitions: [
        {
          id: 'referrals',
          title: 'More social prescribing',
          measures: [{ id: 'referrals', title: 'Referrals', source: { kind: 'manual', unit: 'referrals' }, polarity: 'higher-is-better', baseline: { kind: 'stated', value: 50, date: '2022-03-31', label: '2021/22' }, target: { kind: 'absolute', value: 100, date: '2026-03-31' } }],
        },
      ],
    },
  ],
};

describe('delivery assurance API', () => {
  let fixture: Awaited<ReturnType<typeof buildFixtureDatabase>>;
  let plansDir: string;
  let server: SignedInServer;
  const as: SignedInServer['as'] = (...args) => server.as(...args);

  beforeAll(async () => {
    fixture = await buildFixtureDatabase();
    plansDir = mkdtempSync(join(tmpdir(), 'phm-plans-'));
    writeFileSync(join(plansDir, 'test-plan.json'), JSON.stringify(PLAN));
    writeFileSync(join(plansDir, 'broken.json'), JSON.stringify({ ...PLAN, id: 'broken', area: 'mars' }));
    server = await startSignedInServer(fixture.file, { indicatorEngine: () => engine, plansDir, today: () => '2026-11-26' });
  });
  afterAll(async () => {
    await server?.app.close();
    fixture?.remove();
    rmSync(plansDir, { recursive: true, force: true });
  });

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
      ['smoking', 'worsening', 'red'],
      ['smoking-leeds', 'incomplete', 'grey'],
      ['weight', 'met', 'green'],
      ['weight-leeds', 'off-track', 'amber'],
      ['referrals', 'incomplete', 'grey'],
    ]);
    expect(body.summary).toEqual({ met: 1, 'on-track': 0, 'off-track': 1, worsening: 1, incomplete: 2 });
    const smoking = by.smoking!;
    expect(smoking.points.map((p) => p.label)).toEqual(['2021/22', '2022/23', '2023/24', '2024/25', '2025/26']);
    smoking.points.forEach((p, i) => expect(p.value).toBeCloseTo(ics(i), 10));
    expect(smoking.baseline).toMatchObject({ date: '2022-03-31', label: '2021/22' });
    expect(smoking.baseline!.value).toBeCloseTo(ics(0), 10);
    expect(smoking.trajectory.map((t) => t.date)).toEqual(['2022-03-31', '2026-03-31']);
    expect(smoking.expected).toBe(20); // the latest value is dated on the target date
    expect(smoking).toMatchObject({ unit: '%', polarity: 'lower-is-better', owner: 'Tobacco lead', areaName: 'Test ICS', statusLabel: 'Worse than baseline', sourceLabel: 'Smoking prevalence in adults (recorded status)' });
    expect(by.referrals!.sourceLabel).toBe('Reported by the measure owner');
    expect(smoking.changeSinceBaseline).toBeCloseTo(ics(4) - ics(0), 10);
    expect(by['smoking-leeds']).toMatchObject({ areaName: 'Leeds', reasons: ['no target agreed'], expected: null });
    by['smoking-leeds']!.points.forEach((p, i) => expect(p.value).toBeCloseTo(leeds(i), 10));
    expect(by['weight-leeds']!.expected).toBeCloseTo(leeds(0) + (40 - leeds(0)) * (1461 / 2922), 10);
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

  describe('action plan', () => {
    const action = { priorityId: 'healthy', ambitionId: 'weight', title: 'Family weight service', ownerGroup: 'Healthy weight group', lead: 'A. Lead', dueDate: '2026-10-31', rag: 'amber' };
    let id = 0;

    it('programme leads add actions; placement is checked and named', async () => {
      const bad = await as('programme', 'POST', '/api/strategies/test-plan/actions', { ...action, ambitionId: 'referrals' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({ kind: 'usage', fields: [{ field: 'ambitionId', message: "'referrals' is not an ambition of priority healthy (smoking, weight)" }] });
      const missing = await as('programme', 'POST', '/api/strategies/test-plan/actions', { ...action, lead: '' });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.fields[0].field).toBe('lead');
      const r = await as('programme', 'POST', '/api/strategies/test-plan/actions', action);
      expect(r.statusCode, r.body).toBe(201);
      id = r.json().id;
      // Due 2026-10-31, today 2026-11-26: overdue.
      expect(r.json()).toMatchObject({ ...action, status: 'open', progressNote: '', version: 1, updatedBy: 'programme@test', overdue: true });
    });

    it('staff and board members read the plan; admins and the public do not', async () => {
      const r = await as('board', 'GET', '/api/strategies/test-plan/actions');
      expect(r.statusCode).toBe(200);
      const body = ActionsResponse.parse(r.json());
      expect(body.today).toBe('2026-11-26');
      expect(body.actions.map((a) => [a.id, a.overdue])).toEqual([[id, true]]);
      expect(body.ragMeaning.red).toMatch(/insufficient progress/);
      expect((await as('admin', 'GET', '/api/strategies/test-plan/actions')).statusCode).toBe(403);
      expect((await as('public', 'GET', '/api/strategies/test-plan/actions')).statusCode).toBe(401);
    });

    it('an edit names the version it changes; a stale edit is a 409 that says who changed it', async () => {
      const r = await as('programme', 'PATCH', `/api/actions/${id}`, { rag: 'red', progressNote: 'Provider withdrew.', version: 1 });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ rag: 'red', progressNote: 'Provider withdrew.', version: 2, title: action.title, ambitionId: 'weight' });
      const stale = await as('programme', 'PATCH', `/api/actions/${id}`, { rag: 'green', version: 1 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.message).toMatch(/changed by programme@test at .*now version 2, you edited version 1/);
      // Moving to another priority without an ambition leaves it under none.
      const moved = await as('programme', 'PATCH', `/api/actions/${id}`, { priorityId: 'connected', version: 2 });
      expect(moved.json()).toMatchObject({ priorityId: 'connected', ambitionId: null, version: 3 });
      expect((await as('programme', 'PATCH', `/api/actions/${id}`, { ambitionId: 'weight', version: 3 })).json().error.fields[0].field).toBe('ambitionId');
      expect((await as('programme', 'PATCH', '/api/actions/9999', { rag: 'green', version: 1 })).statusCode).toBe(404);
      const history = HistoryResponse.parse((await as('analyst', 'GET', `/api/actions/${id}/history`)).json()).history;
      expect(history.map((h) => [h.version, h.snapshot.rag, h.snapshot.priorityId])).toEqual([
        [3, 'red', 'connected'],
        [2, 'red', 'healthy'],
        [1, 'amber', 'healthy'],
      ]);
      const audit = (await listAudit(server.app.openphm.ops, { limit: 50, offset: 0, action: 'action.update' })).rows;
      expect(audit.map((a) => [a.userEmail, a.resource, a.detail])).toEqual([
        ['programme@test', `action:${id}`, 'version 3: priorityId'],
        ['programme@test', `action:${id}`, 'version 2: rag, progressNote'],
      ]);
    });
  });

  describe('risk register', () => {
    it('scores, bands and orders risks; shows the heat map; keeps history', async () => {
      const base = { owner: 'Director', reviewDate: '2026-11-01' };
      const a = await as('programme', 'POST', '/api/strategies/test-plan/risks', { ...base, title: 'Workforce', likelihood: 4, impact: 5, targetLikelihood: 2, targetImpact: 5 });
      expect(a.statusCode, a.body).toBe(201);
      expect(a.json()).toMatchObject({ score: 20, band: 'critical', targetScore: 10, reviewOverdue: true, status: 'open', version: 1 });
      const b = await as('programme', 'POST', '/api/strategies/test-plan/risks', { ...base, title: 'IT outage', likelihood: 2, impact: 2, reviewDate: '2027-01-31' });
      expect(b.json()).toMatchObject({ score: 4, band: 'moderate', targetScore: null, reviewOverdue: false });
      const half = await as('programme', 'POST', '/api/strategies/test-plan/risks', { ...base, title: 'Half a target', likelihood: 2, impact: 2, targetLikelihood: 1 });
      expect(half.statusCode).toBe(400);
      expect(half.json().error.message).toMatch(/give both target likelihood and target impact/);
      const register = RisksResponse.parse((await as('board', 'GET', '/api/strategies/test-plan/risks')).json());
      expect(register.risks.map((r) => r.title)).toEqual(['Workforce', 'IT outage']);
      expect(register.heatmap[3]![4]).toBe(1);
      expect(register.heatmap[1]![1]).toBe(1);
      expect(register.bands.map((x) => x.label)).toEqual(['Critical', 'Serious', 'High', 'Moderate', 'Low']);
      const updated = await as('programme', 'PATCH', `/api/risks/${a.json().id}`, { likelihood: 3, mitigations: 'New rota', version: 1 });
      expect(updated.json()).toMatchObject({ score: 15, band: 'serious', version: 2, mitigations: 'New rota', targetScore: 10 });
      expect(HistoryResponse.parse((await as('analyst', 'GET', `/api/risks/${a.json().id}/history`)).json()).history.map((h) => h.snapshot.likelihood)).toEqual([3, 4]);
    });
  });

  describe('board report', () => {
    it('reports the quarter by exception, as JSON and as a Markdown paper', async () => {
      const r = await as('board', 'GET', '/api/strategies/test-plan/report?quarter=2026-27-q3');
      expect(r.statusCode, r.body).toBe(200);
      const report = BoardReportResponse.parse(r.json());
      expect(report.title).toBe('Test plan: progress report, Q3 2026/27');
      expect(report.preparedOn).toBe('2026-11-26');
      expect(report.dataNote).toBe('synthetic data, records 2021-04-01 to 2026-03-31; published figures are disclosure-controlled');
      expect(report.summary.measures).toEqual({ met: 1, 'on-track': 1, 'off-track': 1, worsening: 1, incomplete: 1 });
      expect(report.mainIssues.map((i) => i.title)).toEqual([
        'Smoking: worse than baseline',
        'Action: Family weight service',
        'Risk: Workforce (serious, 15)',
        'Healthy weight, Leeds: off track',
      ]);
      // The serious risk's review is overdue too: said in its detail rather than listed twice.
      expect(report.mainIssues[2]!.detail).toMatch(/Review overdue since 2026-11-01\.$/);
      expect(report.recommendations[0]).toBe('Note progress against the Test plan in Q3 2026/27.');
      const md = await as('analyst', 'GET', '/api/strategies/test-plan/report?quarter=2026-27-q3&format=markdown');
      expect(md.statusCode).toBe(200);
      expect(md.headers['content-type']).toMatch(/^text\/markdown/);
      expect(md.body).toMatch(/^# Test plan: progress report, Q3 2026\/27\n/);
      expect(md.body).toContain('## 6. Recommendations');
      const defaultQuarter = BoardReportResponse.parse((await as('board', 'GET', '/api/strategies/test-plan/report')).json());
      expect(defaultQuarter.quarter.id).toBe('2026-27-q3');
      const bad = await as('board', 'GET', '/api/strategies/test-plan/report?quarter=2026-q3');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toMatch(/write it like 2026-27-q3/);
    });
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
