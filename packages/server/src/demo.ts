/** Demo accounts for `phm demo` (documented in docs/security.md): seeded only into an empty store. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ActionInputSchema, INDICATOR_CATALOGUE, InputError, RiskInputSchema, actionPlacementProblem, strategyMeasures } from '@openphm/core';
import type { PhmData } from './data/phm-data.js';
import type { OperationalDb } from './operational/db.js';
import { createAction, createRisk, latestStrategies, recordMeasureValue } from './operational/delivery.js';
import { countUsers, createUser } from './operational/users.js';
import type { AccountRole } from './roles.js';

/** The documented password of the demo accounts (synthetic data only; the server listens on 127.0.0.1 by default). */
export const DEMO_PASSWORD = 'openphm-demo';

export interface SeededAccount {
  readonly email: string;
  readonly role: AccountRole;
  readonly neighbourhoodId: string | null;
  readonly password: string;
}

/** The neighbourhood the demo neighbourhood account is bound to: the first of Leeds, else the first of all. */
export const demoNeighbourhood = async (data: PhmData): Promise<string | null> => {
  const rows = await data.query<{ id: string }>(
    `SELECT neighbourhood_id AS id FROM geo_neighbourhood ORDER BY (place = 'leeds') DESC, neighbourhood_id LIMIT 1`,
  );
  return rows[0]?.id ?? null;
};

/** Creates analyst@demo, neighbourhood@demo, admin@demo, programme@demo and board@demo when the store has no accounts yet. */
export const seedDemoAccounts = async (ops: OperationalDb, data: PhmData, password = DEMO_PASSWORD): Promise<SeededAccount[]> => {
  if ((await countUsers(ops)) > 0) return [];
  const neighbourhoodId = await demoNeighbourhood(data);
  const accounts: SeededAccount[] = [
    { email: 'analyst@demo', role: 'analyst', neighbourhoodId: null, password },
    ...(neighbourhoodId ? [{ email: 'neighbourhood@demo', role: 'neighbourhood' as const, neighbourhoodId, password }] : []),
    { email: 'admin@demo', role: 'admin', neighbourhoodId: null, password },
    { email: 'programme@demo', role: 'programme', neighbourhoodId: null, password },
    { email: 'board@demo', role: 'board', neighbourhoodId: null, password },
  ];
  for (const a of accounts) {
    await createUser(ops, { email: a.email, displayName: `Demo ${a.role}`, password: a.password, role: a.role, neighbourhoodId: a.neighbourhoodId });
  }
  return accounts;
};

/** On a store with no accounts at all (and no demo accounts), creates admin@local with a random password to be shown once. */
export const ensureInitialAdmin = async (ops: OperationalDb): Promise<SeededAccount | null> => {
  if ((await countUsers(ops)) > 0) return null;
  const password = randomBytes(12).toString('base64url');
  await createUser(ops, { email: 'admin@local', displayName: 'Administrator', password, role: 'admin' });
  return { email: 'admin@local', role: 'admin', neighbourhoodId: null, password };
};

const DemoRegisters = z.object({
  description: z.string(),
  actions: z.array(z.unknown()),
  risks: z.array(z.unknown()),
  measureValues: z.array(z.object({ strategyId: z.string(), measureId: z.string(), periodLabel: z.string(), periodEnd: z.string(), value: z.number() }).strict()),
});

/**
 * Seeds the demo's action plans, risk registers and reported values (plans/demo/registers.json)
 * into a store with no actions and no risks yet, recorded as by programme@demo. Every entry is
 * checked as the API checks it; a bad entry names the file, list and position.
 */
export const seedDemoRegisters = async (ops: OperationalDb, plansDir: string): Promise<void> => {
  const [row] = await ops.query<{ n: number }>('SELECT (SELECT count(*) FROM plan_action) + (SELECT count(*) FROM plan_risk) AS n');
  if (Number(row?.n ?? 0) > 0) return;
  const file = join(plansDir, 'demo', 'registers.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return; // no demo registers shipped with these plans
  }
  const registers = DemoRegisters.parse(json);
  const strategies = new Map((await latestStrategies(ops, INDICATOR_CATALOGUE)).map((s) => [s.strategy.id, s.strategy]));
  const strategyOf = (id: string, field: string) => {
    const s = strategies.get(id);
    if (!s) throw new InputError({ file, field }, `unknown strategy '${id}'`);
    return s;
  };
  // Everything is checked before anything is written, then written in one transaction.
  const actions = registers.actions.map((raw, i) => {
    const field = `actions.${i}`;
    const parsed = ActionInputSchema.safeParse(raw);
    if (!parsed.success) throw new InputError({ file, field }, parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
    const problem = actionPlacementProblem(strategyOf(parsed.data.strategyId, field), parsed.data.priorityId, parsed.data.ambitionId);
    if (problem) throw new InputError({ file, field: `${field}.${problem.field}` }, problem.message);
    return parsed.data;
  });
  const risks = registers.risks.map((raw, i) => {
    const field = `risks.${i}`;
    const parsed = RiskInputSchema.safeParse(raw);
    if (!parsed.success) throw new InputError({ file, field }, parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
    strategyOf(parsed.data.strategyId, field);
    return parsed.data;
  });
  registers.measureValues.forEach((v, i) => {
    const measure = strategyMeasures(strategyOf(v.strategyId, `measureValues.${i}`)).find((m) => m.measure.id === v.measureId)?.measure;
    if (measure?.source.kind !== 'manual') throw new InputError({ file, field: `measureValues.${i}.measureId` }, `'${v.measureId}' is not a manual measure of ${v.strategyId}`);
  });
  const by = 'programme@demo';
  await ops.transaction(async (tx) => {
    for (const a of actions) await createAction(tx, a, by);
    for (const r of risks) await createRisk(tx, r, by);
    for (const v of registers.measureValues) await recordMeasureValue(tx, { ...v, note: 'demo value', recordedBy: by });
  });
};
