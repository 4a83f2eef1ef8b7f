/**
 * Counting ad-hoc cohorts for the cohort builder (POST /api/cohorts/count) under the table-builder
 * rules of core's publication/ad-hoc.ts (docs/disclosure-control.md, "Ad-hoc counts"):
 *
 * - a role counts only where it may look: analysts anywhere, by any breakdown but LSOA; a
 *   neighbourhood team only in its own neighbourhood, by age band, sex, IMD quintile and ethnic group;
 * - definitions too fine to count are refused, naming the field;
 * - zero counts as small, cohorts under 20 are not counted, groups under 50 people are withheld;
 * - every published cell is checked against the cells the same user was shown before in this data
 *   version: one that differs from an earlier one by fewer than 10 people is withheld, and the
 *   attempt written to the audit log; after 3 such attempts, or 300 queries in a day, the user's
 *   counting pauses for an hour and the audit log raises an alert.
 */
import { invalidRequest } from '../errors.js';
import {
  AD_HOC_LIMITS,
  AD_HOC_POLICY,
  DifferencingMonitor,
  UserError,
  adHocDefinitionProblems,
  cohortUsesEvents,
  disclosureStatement,
  type Breakdown,
  type CohortDefinition,
} from '@openphm/core';
import { runCohort, type CohortCountRow, type GroupTotalsCache } from '@openphm/store-duckdb';
import { memoised, type CohortCountingState, type ServerContext } from '../context.js';

import type { CohortCountResponseT } from '@openphm/api-contract';
import type { SessionUser } from '../roles.js';
import { geoNames, groupLabel, personEvents, personFeatures } from './features.js';

/** Breakdowns each counting role may use (the whole cohort, 'ics', is always counted). */
export const COHORT_BREAKDOWNS = {
  analyst: ['ics', 'place', 'local-authority', 'neighbourhood', 'imd-decile', 'imd-quintile', 'age-band', 'sex', 'ethnic-group'],
  neighbourhood: ['ics', 'imd-quintile', 'age-band', 'sex', 'ethnic-group'],
} as const satisfies Record<string, readonly Breakdown[]>;
export type CountingRole = keyof typeof COHORT_BREAKDOWNS;

/** The breakdowns counted when a request names none. */
export const DEFAULT_COHORT_BREAKDOWNS: Record<CountingRole, readonly Breakdown[]> = {
  analyst: ['place', 'imd-quintile', 'age-band'],
  neighbourhood: ['imd-quintile', 'age-band', 'sex'],
};

export const isCountingRole = (role: string): role is CountingRole => role in COHORT_BREAKDOWNS;

/** What an audited event of the cohort builder says (the route writes it with the request). */
export type CohortAudit = (action: 'cohort.differencing' | 'cohort.paused', outcome: 'granted' | 'denied', status: number, detail: string) => Promise<void>;

type UserCounting = CohortCountingState;

/** Per user: the queries and strikes (kept for the process, across data versions). */
const usersOf = (ctx: ServerContext): Map<number, UserCounting> => ctx.cohortCounting;

/** Per user: the cells they were shown in the current data version. */
/** Each breakdown's group totals over the person features, counted once per data version for every cohort counted on it. */
const groupTotalsOf = (ctx: ServerContext): Promise<GroupTotalsCache> => memoised(ctx, 'cohort-group-totals', async () => new Map());

const monitorsOf = (ctx: ServerContext): Promise<Map<number, DifferencingMonitor>> => memoised(ctx, 'cohort-differencing-monitors', async () => new Map());

const DAY_MS = 24 * 60 * 60 * 1000;

/** The definition a role may count: a neighbourhood team's is held to its own neighbourhood. */
export const scopedDefinition = (definition: CohortDefinition, role: CountingRole, user: SessionUser): CohortDefinition => {
  if (role !== 'neighbourhood') return definition;
  const own = user.neighbourhoodId;
  if (own === null) throw new UserError('your account has no neighbourhood', 'forbidden');
  const area = definition.area;
  if ((area?.neighbourhoodId !== undefined && area.neighbourhoodId !== own) || area?.place !== undefined) {
    throw new UserError('a neighbourhood team counts cohorts in its own neighbourhood only', 'forbidden');
  }
  return { ...definition, area: { neighbourhoodId: own } };
};

const checkBreakdowns = (by: readonly Breakdown[], role: CountingRole): void => {
  const allowed = COHORT_BREAKDOWNS[role] as readonly Breakdown[];
  const refused = by.map((b, i) => ({ b, i })).filter(({ b }) => !allowed.includes(b));
  if (refused.length > 0) {
    const fields = refused.map(({ b, i }) => ({ field: `by.${i}`, message: `'${b}' is not a breakdown your role may count by (${allowed.filter((x) => x !== 'ics').join(', ')})` }));
    throw invalidRequest('body', fields);
  }
};

const checkFineness = (definition: CohortDefinition): void => {
  const problems = adHocDefinitionProblems(definition);
  if (problems.length === 0) return;
  const fields = problems.map((p) => ({ field: `definition.${p.field}`, message: p.message }));
  throw invalidRequest('body', fields);
};

/** Refuses when the user is paused or over the day's queries (and records this query otherwise). */
const admit = async (ctx: ServerContext, user: SessionUser, audit: CohortAudit, now: number): Promise<UserCounting> => {
  const users = usersOf(ctx);
  const state = users.get(user.id) ?? users.set(user.id, { queries: [], strikes: 0, pausedUntil: 0 }).get(user.id)!;
  state.queries = state.queries.filter((t) => t > now - DAY_MS);
  if (state.pausedUntil > now) {
    throw new UserError(`counting is paused for your account until ${new Date(state.pausedUntil).toISOString().slice(11, 16)} UTC (too many near-identical queries); ask an administrator if you need it sooner`, 'rate-limited');
  }
  if (state.queries.length >= AD_HOC_LIMITS.queriesPerDay) {
    state.pausedUntil = now + AD_HOC_LIMITS.pauseMinutes * 60_000;
    await audit('cohort.paused', 'denied', 429, `alert: ${state.queries.length} count queries in 24 hours; counting paused for ${AD_HOC_LIMITS.pauseMinutes} minutes`);
    throw new UserError(`more than ${AD_HOC_LIMITS.queriesPerDay} cohort counts in 24 hours: counting is paused for ${AD_HOC_LIMITS.pauseMinutes} minutes`, 'rate-limited');
  }
  state.queries.push(now);
  return state;
};

const WITHHELD_SMALL_GROUP = `withheld: the group has fewer than ${AD_HOC_LIMITS.minimumGroup} people`;
const WITHHELD_DIFFERENCING = 'withheld: differs by fewer than 10 people from a count you were shown earlier (the difference would reveal that small group)';

const withhold = (row: CohortCountRow, note: string): CohortCountRow => ({ ...row, people: null, share: null, suppressed: true, note });

/** Counts a definition for a signed-in user of a counting role, under every rule above. */
export const countCohort = async (
  ctx: ServerContext,
  user: SessionUser,
  role: CountingRole,
  input: CohortDefinition,
  requested: readonly Breakdown[] | undefined,
  audit: CohortAudit,
  now = Date.now(),
): Promise<CohortCountResponseT> => {
  const by = requested ?? DEFAULT_COHORT_BREAKDOWNS[role];
  checkBreakdowns(by, role);
  checkFineness(input);
  const definition = scopedDefinition(input, role, user);
  const state = await admit(ctx, user, audit, now);
  // The event lists only when the cohort reads them (made on first need, then kept like the features).
  const { date, table } = cohortUsesEvents(definition) ? await personEvents(ctx) : await personFeatures(ctx);
  const geo = await geoNames(ctx);
  const breakdowns = [...new Set(by)].filter((b) => b !== 'ics');
  const groupTotals = await groupTotalsOf(ctx);
  const result = await runCohort(ctx.data, definition, { referenceDate: date, breakdowns: [['ics'], ...breakdowns.map((b) => [b] as const)], table, policy: AD_HOC_POLICY, fingerprints: true, groupTotals });
  const fingerprints = result.fingerprints!;
  const totalSize = fingerprints.get('ics|ICS')?.members.n ?? 0;
  const label = `${definition.title} (${definition.id})`;

  let rows: CohortCountRow[];
  let differencing = 0;
  if (totalSize < AD_HOC_LIMITS.minimumCohort) {
    const note = `withheld: fewer than ${AD_HOC_LIMITS.minimumCohort} people in the cohort`;
    rows = result.counts.map((r) => ({ ...withhold(r, note), groupPeople: r.groupPeople }));
  } else {
    const monitors = await monitorsOf(ctx);
    const monitor = monitors.get(user.id) ?? monitors.set(user.id, new DifferencingMonitor(AD_HOC_POLICY.minimumCount)).get(user.id)!;
    rows = result.counts.map((r) => {
      const fp = fingerprints.get(`${r.breakdown}|${r.group}`);
      if (r.suppressed || fp === undefined) return r;
      if (fp.groupSize < AD_HOC_LIMITS.minimumGroup) return withhold(r, WITHHELD_SMALL_GROUP);
      if (monitor.clash(fp.members) !== undefined) {
        differencing++;
        return withhold(r, WITHHELD_DIFFERENCING);
      }
      monitor.remember(fp.members, `${label}: ${r.breakdown} ${r.group}`);
      return r;
    });
  }
  const withheldCells = rows.filter((r) => r.suppressed).length;
  // Every query is counted (in memory, for the daily limit); the audit log gets what a reviewer needs:
  // differencing attempts, and the pauses and alerts they lead to (not every count, which would bury them).
  if (differencing > 0) {
    state.strikes++;
    const pause = state.strikes >= AD_HOC_LIMITS.differencingStrikes;
    if (pause) state.pausedUntil = now + AD_HOC_LIMITS.pauseMinutes * 60_000;
    await audit(
      'cohort.differencing',
      'denied',
      200,
      `${pause ? 'alert: ' : ''}${differencing} cells withheld as near-identical to cells shown before (attempt ${state.strikes} of ${AD_HOC_LIMITS.differencingStrikes})${pause ? `; counting paused for ${AD_HOC_LIMITS.pauseMinutes} minutes` : ''}`,
    );
  }

  const total = rows.find((r) => r.breakdown === 'ics');
  const rowsOf = (b: Breakdown) =>
    rows
      .filter((r) => r.breakdown === b)
      .map((r) => ({ group: r.group, groupLabel: groupLabel(geo, b, r.group), people: r.people, groupPeople: r.groupPeople, share: r.share, suppressed: r.suppressed, note: r.note }));
  return {
    cohort: { id: definition.id, version: definition.version, title: definition.title },
    total: { people: total?.people ?? null, suppressed: total?.suppressed ?? true, note: total === undefined ? 'not counted' : total.note },
    breakdowns: [...new Set(by)].map((b) => ({ by: b, rows: rowsOf(b) })),
    date,
    disclosure: disclosureStatement(withheldCells, AD_HOC_POLICY),
  };
};

/** The user's counting state, for tests and the admin page: queries in the last 24 hours, strikes, paused until. */
export const countingState = (ctx: ServerContext, userId: number): { queries: number; strikes: number; pausedUntil: number } | undefined => {
  const s = usersOf(ctx).get(userId);
  return s ? { queries: s.queries.length, strikes: s.strikes, pausedUntil: s.pausedUntil } : undefined;
};
