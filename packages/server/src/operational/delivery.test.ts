/**
 * The delivery registers on both back ends: strategy versions, manual measure values, and actions
 * and risks with optimistic concurrency and append-only history.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INDICATOR_CATALOGUE, parseStrategy, type Strategy } from '@openphm/core';
import {
  actionHistory,
  createAction,
  createRisk,
  createStrategy,
  getAction,
  latestStrategies,
  listActions,
  listMeasureValues,
  listRisks,
  recordMeasureValue,
  riskHistory,
  saveStrategyEdit,
  strategyVersions,
  syncStrategies,
  updateAction,
  updateRisk,
} from './delivery.js';
import { MIGRATIONS, migrate } from './migrations.js';
import { TEST_BACKENDS, testSchema, useTestDb } from './test-backends.js';

const PLAN = parseStrategy(JSON.parse(readFileSync(new URL('../../../../plans/kirklees-hwb.json', import.meta.url), 'utf8')), INDICATOR_CATALOGUE, 'kirklees-hwb.json');

describe.each(TEST_BACKENDS)('delivery registers on $name', (backend) => {
  const db = useTestDb(backend, 'phm_delivery');

  it('loads each strategy version once, keeps the latest, and refuses a changed plan under an old version', async () => {
    expect(await syncStrategies(db, [{ strategy: PLAN, source: 'plans/kirklees-hwb.json' }])).toEqual({ loaded: ['kirklees-hwb@1'], conflicts: [] });
    expect(await syncStrategies(db, [{ strategy: PLAN, source: 'plans/kirklees-hwb.json' }])).toEqual({ loaded: [], conflicts: [] });
    const changed: Strategy = { ...PLAN, title: 'Kirklees strategy, retitled' };
    const refused = await syncStrategies(db, [{ strategy: changed, source: 'plans/kirklees-hwb.json' }]);
    expect(refused.loaded).toEqual([]);
    expect(refused.conflicts[0]!.message).toBe("plans/kirklees-hwb.json: version 1 of 'kirklees-hwb' is already loaded with different content; give the changed plan a new version number");
    expect((await latestStrategies(db, INDICATOR_CATALOGUE))[0]!.strategy.title).toBe(PLAN.title);
    await syncStrategies(db, [{ strategy: { ...changed, version: 2 }, source: 'plans/kirklees-hwb.json' }]);
    const [latest] = await latestStrategies(db, INDICATOR_CATALOGUE);
    expect(latest!.strategy).toEqual({ ...changed, version: 2 });
    expect(latest!.loadedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('stores versions made in the app with who and why; a version is made once; stored versions never change', async () => {
    const [latest] = await latestStrategies(db, INDICATOR_CATALOGUE);
    const next: Strategy = { ...latest!.strategy, version: 3, description: 'Edited in the app.' };
    const saved = await saveStrategyEdit(db, next, 'lead@test', 'Agreed by the board');
    expect(saved).toMatchObject({ source: 'OpenPHM', loadedAt: expect.stringMatching(/Z$/) });
    expect((await latestStrategies(db, INDICATOR_CATALOGUE))[0]!.strategy.version).toBe(3);
    await expect(saveStrategyEdit(db, { ...next, description: 'Someone else.' }, 'other@test', 'Also')).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(/^version 3 of 'kirklees-hwb' was made by lead@test at .*: reload and edit again$/),
    });
    expect((await strategyVersions(db, 'kirklees-hwb')).map((v) => [v.version, v.source, v.editedBy, v.reason])).toEqual([
      [1, 'plans/kirklees-hwb.json', null, null],
      [2, 'plans/kirklees-hwb.json', null, null],
      [3, 'OpenPHM', 'lead@test', 'Agreed by the board'],
    ]);
    expect((await strategyVersions(db, 'kirklees-hwb'))[2]!.definition).toEqual(next);
    // A plan file that reuses the number of a version made in the app is refused, saying where to get it.
    const clash = await syncStrategies(db, [{ strategy: { ...next, description: 'From the file.' }, source: 'plans/kirklees-hwb.json' }]);
    expect(clash.conflicts[0]!.message).toMatch(/version 3 of 'kirklees-hwb' is already loaded with different content \(made in OpenPHM by lead@test: download it from \/api\/strategies\/kirklees-hwb\/versions\/3/);
    await expect(db.query(`UPDATE strategy_version SET source = 'x'`)).rejects.toThrow(/strategy_version is append-only/);
    await expect(db.query(`DELETE FROM strategy_version`)).rejects.toThrow(/append-only/);
    // Who and why go together.
    await expect(db.query(`INSERT INTO strategy_version (strategy_id, version, definition, source, edited_by) VALUES ('x', 1, '{}', 'OpenPHM', 'a@test')`)).rejects.toThrow();
  });

  it('records and corrects manual measure values', async () => {
    const base = { strategyId: 'kirklees-hwb', measureId: 'loneliness', note: '', recordedBy: 'lead@test' };
    await recordMeasureValue(db, { ...base, periodLabel: '2023/24', periodEnd: '2024-03-31', value: 24.5 });
    await recordMeasureValue(db, { ...base, periodLabel: '2022/23', periodEnd: '2023-03-31', value: 26 });
    await recordMeasureValue(db, { ...base, periodLabel: '2023/24', periodEnd: '2024-03-31', value: 23.9, note: 'corrected' });
    const values = await listMeasureValues(db, 'kirklees-hwb');
    expect(values.map((v) => [v.periodLabel, v.periodEnd, v.value, v.note])).toEqual([
      ['2022/23', '2023-03-31', 26, ''],
      ['2023/24', '2024-03-31', 23.9, 'corrected'],
    ]);
    expect(await listMeasureValues(db, 'other')).toEqual([]);
  });

  it('keeps every version of an action, and refuses an edit of a stale version', async () => {
    const created = await createAction(
      db,
      { strategyId: 'kirklees-hwb', priorityId: 'well', ambitionId: 'healthy-weight', title: 'Healthy weight pathway for families', ownerGroup: 'Healthy weight partnership', lead: 'A. Lead', dueDate: '2027-03-31', rag: 'amber', status: 'open', progressNote: '' },
      'lead@test',
    );
    expect(created).toMatchObject({ id: expect.any(Number), version: 1, dueDate: '2027-03-31', ambitionId: 'healthy-weight', updatedBy: 'lead@test' });
    const v2 = await updateAction(db, created.id, { rag: 'red', progressNote: 'Provider withdrew.', version: 1 }, 'lead@test');
    expect(v2).toMatchObject({ version: 2, rag: 'red', progressNote: 'Provider withdrew.', title: created.title, dueDate: '2027-03-31', status: 'open' });
    await expect(updateAction(db, created.id, { rag: 'green', version: 1 }, 'other@test')).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/changed by lead@test at .* \(now version 2, you edited version 1\)/) });
    await expect(updateAction(db, 999_999, { rag: 'green', version: 1 }, 'x')).rejects.toMatchObject({ kind: 'not-found' });
    const v3 = await updateAction(db, created.id, { ambitionId: null, dueDate: '2027-06-30', version: 2 }, 'other@test');
    expect(v3).toMatchObject({ version: 3, ambitionId: null, dueDate: '2027-06-30', updatedBy: 'other@test' });
    expect((await getAction(db, created.id)).version).toBe(3);
    const history = await actionHistory(db, created.id);
    expect(history.map((h) => [h.version, h.changedBy, h.snapshot.rag, h.snapshot.dueDate])).toEqual([
      [3, 'other@test', 'red', '2027-06-30'],
      [2, 'lead@test', 'red', '2027-03-31'],
      [1, 'lead@test', 'amber', '2027-03-31'],
    ]);
    await expect(db.query('UPDATE plan_action_history SET changed_by = $1', ['x'])).rejects.toThrow(/plan_action_history is append-only/);
    await expect(db.query('DELETE FROM plan_action_history')).rejects.toThrow(/append-only/);
    expect((await listActions(db, 'kirklees-hwb')).map((a) => a.id)).toEqual([created.id]);
  });

  it('scores risks, orders the register most serious first, and keeps their history', async () => {
    const base = { strategyId: 'kirklees-hwb', description: '', owner: 'Director', targetLikelihood: null, targetImpact: null, controls: '', mitigations: '', reviewDate: '2027-01-31', status: 'open' as const };
    const low = await createRisk(db, { ...base, title: 'Data sharing agreement lapses', likelihood: 1, impact: 3 }, 'lead@test');
    const high = await createRisk(db, { ...base, title: 'Workforce gaps in health visiting', likelihood: 4, impact: 4, targetLikelihood: 2, targetImpact: 4 }, 'lead@test');
    expect((await listRisks(db, 'kirklees-hwb')).map((r) => r.title)).toEqual(['Workforce gaps in health visiting', 'Data sharing agreement lapses']);
    const updated = await updateRisk(db, low.id, { likelihood: 5, impact: 5, version: 1 }, 'board@test');
    expect(updated).toMatchObject({ likelihood: 5, impact: 5, version: 2, reviewDate: '2027-01-31' });
    expect((await listRisks(db, 'kirklees-hwb')).map((r) => r.id)).toEqual([low.id, high.id]);
    expect((await riskHistory(db, low.id)).map((h) => [h.version, h.snapshot.likelihood])).toEqual([[2, 5], [1, 1]]);
    // The store itself refuses a half-set target and an out-of-range score.
    await expect(db.query(`UPDATE plan_risk SET target_likelihood = 2 WHERE id = $1`, [low.id])).rejects.toThrow();
    await expect(db.query(`UPDATE plan_risk SET likelihood = 6 WHERE id = $1`, [low.id])).rejects.toThrow();
  });

  it('creates a strategy for a board at version 1 with who and why, once: an id already stored is a conflict', async () => {
    const leeds: Strategy = { ...PLAN, id: 'leeds-hwb', version: 1, title: 'Healthy Leeds', board: 'Leeds Health and Wellbeing Board', area: 'place:leeds' };
    const [a, b] = await Promise.allSettled([createStrategy(db, leeds, 'lead@test', 'Agreed by the board'), createStrategy(db, { ...leeds, title: 'Leeds again' }, 'other@test', 'Also')]);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    const winner = a.status === 'fulfilled' ? leeds : { ...leeds, title: 'Leeds again' };
    expect((await strategyVersions(db, 'leeds-hwb')).map((v) => [v.version, v.source, v.definition])).toEqual([[1, 'OpenPHM', winner]]);
    await expect(createStrategy(db, { ...leeds, title: 'A third' }, 'third@test', 'Again')).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/^there is already a strategy 'leeds-hwb' \(made by (lead|other)@test at .*Z\): choose another id/) });
    // A strategy from a plan file is taken too.
    await expect(createStrategy(db, { ...PLAN, version: 1 }, 'lead@test', 'Again')).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('made by plans/kirklees-hwb.json') });
    expect((await latestStrategies(db, INDICATOR_CATALOGUE)).map((s) => s.strategy.id)).toEqual(['kirklees-hwb', 'leeds-hwb']);
  });

  it('links a risk to the actions that address it, kept in its history', async () => {
    const action = await createAction(db, { strategyId: 'kirklees-hwb', priorityId: 'well', ambitionId: null, title: 'Recruit health visitors', ownerGroup: 'Children', lead: 'Lead', dueDate: '2027-03-31', rag: 'amber', status: 'open', progressNote: '' }, 'lead@test');
    const base = { strategyId: 'kirklees-hwb', description: '', owner: 'Director', targetLikelihood: null, targetImpact: null, controls: '', mitigations: '', reviewDate: '2027-01-31', status: 'open' as const };
    const risk = await createRisk(db, { ...base, title: 'Health visitor vacancies', likelihood: 3, impact: 4, priorityId: 'well', actionIds: [action.id] }, 'lead@test');
    expect(risk).toMatchObject({ priorityId: 'well', actionIds: [action.id], measureIds: [] });
    const unlinked = await updateRisk(db, risk.id, { actionIds: [], version: 1 }, 'lead@test');
    expect(unlinked.actionIds).toEqual([]);
    expect((await riskHistory(db, risk.id)).map((h) => [h.version, h.snapshot.actionIds])).toEqual([[2, []], [1, [action.id]]]);
    // A risk made without links has none.
    expect((await createRisk(db, { ...base, title: 'Another', likelihood: 1, impact: 1 }, 'lead@test')).actionIds).toEqual([]);
    await expect(updateRisk(db, risk.id, { actionIds: [action.id], version: 1 }, 'other@test')).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('a store made before delivery assurance migrates, keeping its accounts, and accepts the new roles', async () => {
    const old = testSchema('phm_upgrade');
    const upgraded = await backend.open(old);
    try {
      // Back to an empty schema, then only migration 1 (a store from before this change) with an account in it.
      await upgraded.exec(`DROP SCHEMA ${old} CASCADE; CREATE SCHEMA ${old}`);
      expect(await migrate(upgraded, MIGRATIONS.slice(0, 1))).toEqual([1]);
      await upgraded.query(`INSERT INTO app_user (email, display_name, password_hash, role) VALUES ('a@test', 'A', 'h', 'analyst')`);
      await expect(upgraded.query(`INSERT INTO app_user (email, display_name, password_hash, role) VALUES ('p@test', 'P', 'h', 'programme')`)).rejects.toThrow();
      expect(await migrate(upgraded)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
      await upgraded.query(`INSERT INTO app_user (email, display_name, password_hash, role) VALUES ('p@test', 'P', 'h', 'programme'), ('b@test', 'B', 'h', 'board')`);
      await expect(upgraded.query(`INSERT INTO app_user (email, display_name, password_hash, role) VALUES ('x@test', 'X', 'h', 'superuser')`)).rejects.toThrow();
      expect((await upgraded.query<{ email: string }>('SELECT email FROM app_user ORDER BY id')).map((r) => r.email)).toEqual(['a@test', 'p@test', 'b@test']);
    } finally {
      await upgraded.close();
      await backend.drop(old);
    }
  });
});
