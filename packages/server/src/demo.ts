/** Demo accounts for `phm demo` (documented in docs/security.md): seeded only into an empty store. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ActionInputSchema,
  INDICATOR_CATALOGUE,
  InputError,
  REFERRAL_REASONS,
  Random,
  RiskInputSchema,
  actionPlacementProblem,
  measureLinkProblem,
  dayFromIso,
  isoFromDay,
  parseDirectoryService,
  searchDirectory,
  strategyMeasures,
  type Ons4,
  type ReferralStatus,
} from '@openphm/core';
import { dataWindow, demoFrequentAdmissions, demoNeighbourhoodId, demoPastEpisodes, demoReferralPeople, neighbourhoodRows } from '@openphm/store-duckdb';
import type { PhmData } from './data/phm-data.js';
import { tablesEmpty, type OperationalDb } from './operational/db.js';
import { countServices, createReferral, createService, listServices, updateReferral } from './operational/care.js';
import { addToCaseload, updateCaseloadEntry } from './operational/care-plans.js';
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
  return demoNeighbourhoodId(data);
};

/** The demo accounts' display names, where not "Demo <role>". */
const DEMO_NAMES: Readonly<Record<string, string>> = { 'linkworker@demo': 'Demo link worker' };

/**
 * Creates analyst@demo, neighbourhood@demo, linkworker@demo (a second member of the same team, who
 * works for a social prescribing service: demo-team.ts), admin@demo, programme@demo and board@demo
 * when the store has no accounts yet.
 */
export const seedDemoAccounts = async (ops: OperationalDb, data: PhmData, password = DEMO_PASSWORD): Promise<SeededAccount[]> => {
  if ((await countUsers(ops)) > 0) return [];
  const neighbourhoodId = await demoNeighbourhood(data);
  const accounts: SeededAccount[] = [
    { email: 'analyst@demo', role: 'analyst', neighbourhoodId: null, password },
    ...(neighbourhoodId
      ? [
          { email: 'neighbourhood@demo', role: 'neighbourhood' as const, neighbourhoodId, password },
          { email: 'linkworker@demo', role: 'neighbourhood' as const, neighbourhoodId, password },
        ]
      : []),
    { email: 'admin@demo', role: 'admin', neighbourhoodId: null, password },
    { email: 'programme@demo', role: 'programme', neighbourhoodId: null, password },
    { email: 'board@demo', role: 'board', neighbourhoodId: null, password },
  ];
  for (const a of accounts) {
    await createUser(ops, { email: a.email, displayName: DEMO_NAMES[a.email] ?? `Demo ${a.role}`, password: a.password, role: a.role, neighbourhoodId: a.neighbourhoodId });
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

/** A demo risk entry: a risk as the API takes it, and the titles of the actions (of the same strategy, in the file) that address it. */
const DemoRiskLinks = z.object({ actionTitles: z.array(z.string()).default([]) }).passthrough();

/**
 * Seeds the demo's action plans, risk registers and reported values (plans/demo/registers.json)
 * into a store with no actions and no risks yet, recorded as by programme@demo. Every entry is
 * checked as the API checks it; a bad entry names the file, list and position.
 */
export const seedDemoRegisters = async (ops: OperationalDb, plansDir: string): Promise<void> => {
  if (!(await tablesEmpty(ops, 'plan_action', 'plan_risk'))) return;
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
    const strategy = strategyOf(parsed.data.strategyId, field);
    const problem = actionPlacementProblem(strategy, parsed.data.priorityId, parsed.data.ambitionId) ?? measureLinkProblem(strategy, parsed.data.measureIds);
    if (problem) throw new InputError({ file, field: `${field}.${problem.field}` }, problem.message);
    return parsed.data;
  });
  // A demo risk names the actions that address it by their titles (ids are given when they are written).
  const risks = registers.risks.map((entry, i) => {
    const field = `risks.${i}`;
    const { actionTitles, ...raw } = DemoRiskLinks.parse(entry);
    const parsed = RiskInputSchema.safeParse(raw);
    if (!parsed.success) throw new InputError({ file, field }, parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
    const strategy = strategyOf(parsed.data.strategyId, field);
    if (parsed.data.priorityId !== null && !strategy.priorities.some((p) => p.id === parsed.data.priorityId)) {
      throw new InputError({ file, field: `${field}.priorityId` }, `'${parsed.data.priorityId}' is not a priority of ${strategy.id}`);
    }
    const problem = measureLinkProblem(strategy, parsed.data.measureIds);
    if (problem) throw new InputError({ file, field: `${field}.${problem.field}` }, problem.message);
    actionTitles.forEach((title, j) => {
      if (!actions.some((a) => a.strategyId === strategy.id && a.title === title)) throw new InputError({ file, field: `${field}.actionTitles.${j}` }, `no action of ${strategy.id} is titled '${title}'`);
    });
    return { risk: parsed.data, actionTitles };
  });
  registers.measureValues.forEach((v, i) => {
    const measure = strategyMeasures(strategyOf(v.strategyId, `measureValues.${i}`)).find((m) => m.measure.id === v.measureId)?.measure;
    if (measure?.source.kind !== 'manual') throw new InputError({ file, field: `measureValues.${i}.measureId` }, `'${v.measureId}' is not a manual measure of ${v.strategyId}`);
  });
  const by = 'programme@demo';
  await ops.transaction(async (tx) => {
    const ids = new Map<string, number>();
    for (const a of actions) ids.set(`${a.strategyId}\n${a.title}`, (await createAction(tx, a, by)).id);
    for (const { risk, actionTitles } of risks) await createRisk(tx, { ...risk, actionIds: actionTitles.map((t) => ids.get(`${risk.strategyId}\n${t}`)!) }, by);
    for (const v of registers.measureValues) await recordMeasureValue(tx, { ...v, note: 'demo value', recordedBy: by });
  });
};

/**
 * Seeds the demo directory (directory/demo-services.json: invented services) into an empty
 * directory, every entry checked first (file and entry named), then written in one transaction.
 */
export const seedDemoDirectory = async (ops: OperationalDb, data: PhmData, directoryDir: string): Promise<void> => {
  if ((await countServices(ops)) > 0) return;
  const file = join(directoryDir, 'demo-services.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  const services = z.object({ description: z.string(), services: z.array(z.unknown()) }).parse(json).services.map((raw, i) => parseDirectoryService(raw, `${file}: services.${i}`));
  const known = new Set((await neighbourhoodRows(data)).map((r) => r.id));
  services.forEach((s, i) => {
    const unknown = (s.neighbourhoods ?? []).find((n) => !known.has(n));
    if (unknown !== undefined) throw new InputError({ file, field: `services.${i}.neighbourhoods` }, `unknown neighbourhood '${unknown}'`);
  });
  await ops.transaction(async (tx) => {
    for (const s of services) await createService(tx, s, 'programme@demo');
  });
};

/** How far the demo referrals get, in tenths: most are taken up, some decline or do not attend. */
const DEMO_PATHS: readonly (readonly ReferralStatus[])[] = [
  ['referred'],
  ['referred', 'accepted'],
  ['referred', 'accepted', 'attending'],
  ['referred', 'accepted', 'attending', 'completed'],
  ['referred', 'accepted', 'attending', 'completed'],
  ['referred', 'accepted', 'attending', 'completed'],
  ['referred', 'accepted', 'attending', 'completed'],
  ['referred', 'declined'],
  ['referred', 'accepted', 'did-not-attend'],
  ['referred', 'withdrawn'],
];

const clamp = (v: number) => Math.max(0, Math.min(10, Math.round(v)));
/** Demo referrals start 18 months before the last year of the data (so a year after these lies in the data) and carry on until today. */
const DEMO_REFERRAL_DAYS = 548;
/** Demo referrals grow as link workers are recruited: the daily rate at the end is twice that at the start. */
const DEMO_REFERRAL_GROWTH = 1;
/** A day in [0, days) drawn with density rising linearly by `growth` over the span (inverse of its distribution function at u). */
const risingDay = (u: number, days: number, growth: number): number =>
  Math.min(days - 1, Math.floor((days * (Math.sqrt(1 + 2 * growth * u * (1 + growth / 2)) - 1)) / growth));

/**
 * Seeds invented social prescribing referrals for adult residents of every neighbourhood (about 1
 * in 120 adults every 18 months on average, more in deprived areas, and more as time goes on), deterministic for the database and
 * today, to services their place offers, recorded by the neighbourhood team (neighbourhood@demo)
 * with ONS4 scores before and, for people who took part, after (a modest average improvement).
 * Referrals after the data evaluable by the matched comparison are recorded too, as a live service
 * would: the evaluation counts them as outside the data and the referral rate measure uses them.
 */
export const seedDemoReferrals = async (ops: OperationalDb, data: PhmData, today: string): Promise<void> => {
  if (!(await tablesEmpty(ops, 'referral'))) return;
  const services = (await listServices(ops)).map((s) => s.entry);
  if (services.length === 0) return;
  // The end of the window (dates were checked when the database was built).
  const day = (await dataWindow(data)).end ?? new Date().toISOString().slice(0, 10);
  const firstReferralDay = dayFromIso(day) - 365 - DEMO_REFERRAL_DAYS;
  const referralDays = Math.max(DEMO_REFERRAL_DAYS, dayFromIso(today) - firstReferralDay);
  // Adults alive at the end of the window, sampled by a hash of the id: per 18 months on average, 1 in 160 in the least deprived decile, about 1 in 85 in the most.
  const people = await demoReferralPeople(data, day, DEMO_REFERRAL_DAYS, referralDays);
  const random = Random.fromKey('openphm-demo-referrals');
  await ops.transaction(async (tx) => {
    for (const p of people) {
      const options = searchDirectory(services, { neighbourhood: { id: p.neighbourhood, place: p.place }, age: p.age, linkWorkerReferral: true });
      if (options.length === 0) continue;
      const service = options[Math.floor(random.next() * options.length)]!;
      const reason = REFERRAL_REASONS[Math.floor(random.next() * (REFERRAL_REASONS.length - 1))]!.id;
      const base = 3 + random.next() * 4;
      const before: Ons4 = { lifeSatisfaction: clamp(base), worthwhile: clamp(base + 1), happiness: clamp(base - 0.5 + random.next()), anxiety: clamp(10 - base + random.next() * 2 - 1) };
      const path = DEMO_PATHS[Math.floor(random.next() * DEMO_PATHS.length)]!;
      // Referred from 18 months before the last year of the data (docs/social-prescribing.md) until yesterday.
      const referredAt = `${isoFromDay(firstReferralDay + risingDay(random.next(), referralDays, DEMO_REFERRAL_GROWTH))}T${String(9 + Math.floor(random.next() * 8)).padStart(2, '0')}:00:00Z`;
      let referral = await createReferral(tx, { personId: p.id, serviceId: service.id, reason, wellbeingBefore: before, neighbourhoodId: p.neighbourhood, referredAt }, 'neighbourhood@demo');
      for (const status of path.slice(1)) {
        const after: Ons4 | undefined =
          status === 'completed'
            ? { lifeSatisfaction: clamp(before.lifeSatisfaction + 0.5 + random.next() * 1.5), worthwhile: clamp(before.worthwhile + random.next() * 1.5), happiness: clamp(before.happiness + random.next() * 2), anxiety: clamp(before.anxiety - random.next() * 2) }
            : undefined;
        referral = await updateReferral(tx, referral.id, { status, ...(after ? { wellbeingAfter: after } : {}), version: referral.version }, 'neighbourhood@demo');
      }
    }
  });
};

const KEY_WORKERS = ['Community matron', 'Care coordinator', 'Practice nurse', 'Social worker', 'Community mental health nurse'] as const;

/**
 * Seeds an invented caseload for each neighbourhood: up to six residents with two or more emergency
 * admissions in the last year of the data (taken on after hospital discharge), deterministic for the
 * database, with key workers and review dates spread over the next eight weeks from `today`; and
 * past, discharged episodes (pastCaseloadEpisodes) that the evaluation can use.
 */
export const seedDemoCaseload = async (ops: OperationalDb, data: PhmData, today: string): Promise<void> => {
  if (!(await tablesEmpty(ops, 'caseload_entry'))) return;
  const day = (await dataWindow(data)).end ?? today;
  const people = await demoFrequentAdmissions(data, day);
  const random = Random.fromKey('openphm-demo-caseload');
  const base = Date.parse(`${today}T00:00:00Z`);
  const past = await pastCaseloadEpisodes(data, day);
  await ops.transaction(async (tx) => {
    for (const p of past) {
      const keyWorker = KEY_WORKERS[Math.floor(random.next() * KEY_WORKERS.length)]!;
      const entry = await addToCaseload(
        tx,
        { personId: p.id, neighbourhoodId: p.neighbourhood, source: 'hospital-discharge', cohortId: null, keyWorker, nextReview: isoFromDay(dayFromIso(p.day) + 28), addedAt: `${p.day}T10:00:00Z` },
        'neighbourhood@demo',
      );
      const outcome = p.died ? 'died' : PAST_OUTCOMES[Math.floor(random.next() * PAST_OUTCOMES.length)]!;
      await updateCaseloadEntry(tx, entry.id, { status: 'discharged', outcome, version: entry.version }, 'neighbourhood@demo');
    }
    for (const p of people) {
      const nextReview = new Date(base + Math.floor(random.next() * 56 - 7) * 86_400_000).toISOString().slice(0, 10);
      const keyWorker = KEY_WORKERS[Math.floor(random.next() * KEY_WORKERS.length)]!;
      await addToCaseload(tx, { personId: p.id, neighbourhoodId: p.neighbourhood, source: 'hospital-discharge', cohortId: null, keyWorker, nextReview }, 'neighbourhood@demo');
    }
  });
};

/** How past demo episodes ended (people who died during one are discharged as died). */
const PAST_OUTCOMES = ['goals-met', 'stable-self-managing', 'stable-self-managing', 'moved-to-other-service', 'declined'] as const;

/**
 * Past episodes for the demo, so that the caseload can be evaluated: in each neighbourhood, up to
 * twelve adults taken on in the years a year of data lies either side of (index quarters from a year
 * after the start of the data to a year before its end), each with two or more emergency admissions
 * in the year before, on a day in that quarter; discharged 60-180 days later (as died if they died
 * by then). Deterministic for the database.
 */
const pastCaseloadEpisodes = async (data: PhmData, windowEnd: string): Promise<{ id: string; neighbourhood: string; day: string; died: boolean }[]> => {
  const start = (await dataWindow(data)).start;
  if (start === undefined) return [];
  const first = isoFromDay(dayFromIso(start) + 365);
  const last = isoFromDay(dayFromIso(windowEnd) - 365 - 90);
  if (first > last) return [];
  return demoPastEpisodes(data, first, last);
};
