/**
 * The outcomes dashboard: every catalogue indicator for the ICS or one place, latest period with
 * confidence limits, the trend over every period of the data window, the ICS benchmark, a
 * better/similar/worse judgement, and inequality across IMD deciles within the area.
 *
 * Counts come from the indicator engine (one query per indicator and period counts every
 * breakdown), are kept for the data version (memo), and are published by core's publishIndicator:
 * counts perturbed or withheld, values and inequality computed from the protected counts. A place's
 * decile counts are the engine's LSOA counts summed within the place (each LSOA lies in one place
 * and one decile; every measure's cells, and their cell keys, are additive by group and age band),
 * so the engine needs no place filter.
 */
import {
  addKeys,
  INDICATOR_POLICY,
  publishIndicator,
  type AggregateCell,
  type Breakdown,
  type Figure,
  type IndicatorDefinition,
  type IndicatorEngine,
  type IndicatorPolarity,
  type Period,
  type PublishedIndicator,
  type PublishedRow,
  windowPeriods,
} from '@openphm/core';
import { z } from 'zod';
import { indicatorTables } from '@openphm/store-duckdb';
import { memoised, persisted, type ServerContext } from '../context.js';
import { definitionHash } from './persisted-results.js';
import { geoNames } from './features.js';
import { servedWindow } from './window.js';

export type Comparison = 'better' | 'similar' | 'worse' | 'higher' | 'lower' | 'not-compared';

/** A value with its 95% limits (a published figure, or any number: comparing publishes nothing). */
export interface ComparableValue {
  readonly value: number | null;
  readonly lower95: number | null;
  readonly upper95: number | null;
  readonly suppressed: boolean;
}

/**
 * The public-health convention (as Fingertips, at 95%): the area's 95% confidence interval against
 * the benchmark value. Entirely above or below it is a significant difference, judged better or
 * worse by the indicator's polarity (higher or lower when it has none); overlapping it is similar.
 * Not compared when the area's figure is withheld or has no interval, or there is no benchmark.
 */
export const compareWithBenchmark = (area: ComparableValue, benchmark: number | null, polarity: IndicatorPolarity): Comparison => {
  if (area.suppressed || area.value === null || area.lower95 === null || area.upper95 === null || benchmark === null || !Number.isFinite(benchmark)) return 'not-compared';
  const side = area.lower95 > benchmark ? 'above' : area.upper95 < benchmark ? 'below' : 'overlaps';
  if (side === 'overlaps') return 'similar';
  if (polarity === 'higher-is-better') return side === 'above' ? 'better' : 'worse';
  if (polarity === 'lower-is-better') return side === 'above' ? 'worse' : 'better';
  return side === 'above' ? 'higher' : 'lower';
};

/**
 * Every whole period of `years` financial years inside the data window, oldest first (rolling
 * pooled periods for multi-year indicators). At least the latest period.
 */
export const dataPeriods = async (ctx: ServerContext, years: number): Promise<Period[]> => windowPeriods(await servedWindow(ctx), years);

const periodKey = (definition: IndicatorDefinition, period: Period) => `${definition.id}@${definition.version}:${period.start}:${period.end}`;

/** Engine counts as persisted (data/persisted-results.ts): checked when read back. */
const StoredCells = z.array(
  z.object({
    group: z.string(),
    ageBand: z.string().optional(),
    numerator: z.number(),
    denominator: z.number(),
    numeratorKey: z.number().optional(),
    denominatorKey: z.number().optional(),
  }),
);

/** What an indicator's persisted counts depend on: the tables its queries read, its definition and the engine. */
const cellsSpec = (engine: IndicatorEngine, definition: IndicatorDefinition) => ({ tables: indicatorTables(definition), code: `${engine.name}:${definitionHash(definition)}` });

/** One indicator-period-breakdown's counts kept for the data version and on disk; `compute` when neither holds them. */
const persistedCells = (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, period: Period, breakdown: Breakdown, compute: () => Promise<readonly AggregateCell[]>) =>
  persisted(ctx, { kind: 'indicator-cells', key: `${periodKey(definition, period)}:${breakdown}`, ...cellsSpec(engine, definition), schema: StoredCells }, compute);

/** Engine counts for one indicator, period and breakdown, kept for the data version (and on disk, data/persisted-results.ts). */
export const indicatorCells = (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, period: Period, breakdown: Breakdown): Promise<readonly AggregateCell[]> =>
  persistedCells(ctx, engine, definition, period, breakdown, () => engine.aggregate({ definition, period, breakdown }));

/**
 * Makes sure the counts of an indicator for the periods before the latest, by `breakdowns`, are kept
 * as indicatorCells keeps them (memo and disk). Those not yet kept are counted together in one
 * engine call (the DuckDB engine: one scan for every period, only these breakdowns) rather than one
 * query per period counting every breakdown. The latest period is left to indicatorCells (the
 * DuckDB engine counts all its breakdowns at once); other breakdowns of older periods are counted
 * when first asked for.
 */
export const trendCells = async (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, periods: readonly Period[], breakdowns: readonly Breakdown[]): Promise<void> => {
  const older = periods.slice(0, -1);
  if (older.length === 0 || breakdowns.length === 0) return;
  const count = countedTogether(engine, definition, older, breakdowns);
  await Promise.all(older.flatMap((period, i) => breakdowns.map((b) => persistedCells(ctx, engine, definition, period, b, async () => [...(await count())[i]!.get(b)!]))));
};

/**
 * The counts of `periods` by `breakdowns` (result[i]: periods[i]'s cells by breakdown), counted when
 * first asked for and once: in one engine call where the engine offers one (the DuckDB engine: one
 * scan for every period), else period by period.
 */
const countedTogether = (engine: IndicatorEngine, definition: IndicatorDefinition, periods: readonly Period[], breakdowns: readonly Breakdown[]) => {
  let counted: Promise<readonly ReadonlyMap<Breakdown, readonly AggregateCell[]>[]> | undefined;
  return () =>
    (counted ??= engine.aggregateMany
      ? engine.aggregateMany({ definition, periods, breakdowns })
      : Promise.all(periods.map(async (period) => new Map(await Promise.all(breakdowns.map(async (breakdown) => [breakdown, await engine.aggregate({ definition, period, breakdown })] as const))))));
};

/**
 * The breakdowns the dashboards and scorecards read for every period: the ICS, each place, the
 * ICS's IMD deciles and the LSOAs (each place's deciles, kept as placeDecileCells). All are areas,
 * so one query groups its rows by period and LSOA once and rolls them up into each.
 */
export const AREA_BREAKDOWNS: readonly Breakdown[] = ['ics', 'place', 'imd-decile', 'lsoa'];

/**
 * Makes sure every period of an indicator is kept by the ICS, place and IMD decile (indicatorCells'
 * keys) and by each place's deciles (placeDecileCells'), counting those not yet kept in one engine
 * call (the DuckDB engine: one scan for every period, latest included): what the dashboards and the
 * scorecards show, without the latest period's other breakdowns (age, sex, ethnic group,
 * neighbourhood …: one grouping key each, counted later or when first asked for).
 */
export const areaCells = async (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, periods: readonly Period[]): Promise<void> => {
  const count = countedTogether(engine, definition, periods, AREA_BREAKDOWNS);
  await Promise.all(
    periods.flatMap((period, i) => [
      ...AREA_BREAKDOWNS.filter((b) => b !== 'lsoa').map((b) => persistedCells(ctx, engine, definition, period, b, async () => [...(await count())[i]!.get(b)!])),
      placeDecileCells(ctx, engine, definition, period, async () => (await count())[i]!.get('lsoa')!),
    ]),
  );
};

/** One breakdown of an indicator for a period as published (core's publishIndicator), kept for the data version. */
export const publishedIndicator = (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, period: Period, breakdown: Breakdown): Promise<PublishedIndicator> =>
  memoised(ctx, `published:${periodKey(definition, period)}:${breakdown}`, async () =>
    publishIndicator({ definition, period, breakdown }, await indicatorCells(ctx, engine, definition, period, breakdown), INDICATOR_POLICY),
  );

/**
 * Sums cells that fall in the same (new group, age band): re-aggregation keeps every measure's
 * counts, and their cell keys, additive.
 */
export const regroupCells = (cells: readonly AggregateCell[], groupOf: (cell: AggregateCell) => string | undefined): AggregateCell[] => {
  const out = new Map<string, { group: string; ageBand?: string; numerator: number; denominator: number; numeratorKey?: number; denominatorKey?: number }>();
  for (const c of cells) {
    const group = groupOf(c);
    if (group === undefined) continue;
    const key = `${group}\u0000${c.ageBand ?? ''}`;
    let cell = out.get(key);
    if (cell === undefined) {
      cell = { group, ...(c.ageBand !== undefined ? { ageBand: c.ageBand } : {}), numerator: 0, denominator: 0 };
      if (c.numeratorKey !== undefined) cell.numeratorKey = 0;
      if (c.denominatorKey !== undefined) cell.denominatorKey = 0;
      out.set(key, cell);
    }
    cell.numerator += c.numerator;
    cell.denominator += c.denominator;
    if (cell.numeratorKey !== undefined) cell.numeratorKey = c.numeratorKey === undefined ? undefined : addKeys(cell.numeratorKey, c.numeratorKey);
    if (cell.denominatorKey !== undefined) cell.denominatorKey = c.denominatorKey === undefined ? undefined : addKeys(cell.denominatorKey, c.denominatorKey);
  }
  return [...out.values()].map((c) => {
    const { numeratorKey, denominatorKey, ...rest } = c;
    return { ...rest, ...(numeratorKey !== undefined ? { numeratorKey } : {}), ...(denominatorKey !== undefined ? { denominatorKey } : {}) };
  });
};

/**
 * Per place, its counts by IMD decile (from the engine's LSOA counts, or `lsoaCells` when given),
 * kept for the data version (and on disk).
 */
export const placeDecileCells = (
  ctx: ServerContext,
  engine: IndicatorEngine,
  definition: IndicatorDefinition,
  period: Period,
  lsoaCells: () => Promise<readonly AggregateCell[]> = () => engine.aggregate({ definition, period, breakdown: 'lsoa' }),
): Promise<ReadonlyMap<string, AggregateCell[]>> =>
  persisted<ReadonlyMap<string, AggregateCell[]>, [string, AggregateCell[]][]>(
    ctx,
    {
      kind: 'place-decile-cells',
      key: periodKey(definition, period),
      ...cellsSpec(engine, definition),
      schema: z.array(z.tuple([z.string(), StoredCells])),
      store: async (byPlace) => [...byPlace],
      restore: async (entries) => new Map(entries),
    },
    async () => {
      const geo = await geoNames(ctx);
      const byPlace = new Map<string, AggregateCell[]>();
      for (const c of await lsoaCells()) {
        const lsoa = geo.lsoas.get(c.group);
        if (lsoa === undefined) continue;
        (byPlace.get(lsoa.place) ?? byPlace.set(lsoa.place, []).get(lsoa.place)!).push(c);
      }
      return new Map([...byPlace].map(([place, cells]) => [place, regroupCells(cells, (c) => String(geo.lsoas.get(c.group)!.imdDecile))]));
    },
  );

export interface PublishedPoint {
  readonly period: Period;
  readonly value: Figure;
  readonly lower95: Figure;
  readonly upper95: Figure;
  readonly numerator: Figure;
  readonly denominator: Figure;
  readonly suppressed: boolean;
  readonly note: string;
}

export const pointOf = (period: Period, row: PublishedRow | undefined): PublishedPoint =>
  row === undefined
    ? { period, value: null, lower95: null, upper95: null, numerator: null, denominator: null, suppressed: true, note: 'no data for this group in this period' }
    : { period, value: row.value, lower95: row.lower_95, upper95: row.upper_95, numerator: row.numerator, denominator: row.denominator, suppressed: row.suppressed, note: row.note };

/** One group's published row for a period, exactly as /results publishes it (the same cell, the same figure). */
export const publishedRow = async (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, period: Period, breakdown: Breakdown, group: string): Promise<PublishedRow | undefined> =>
  (await publishedIndicator(ctx, engine, definition, period, breakdown)).rows.find((r) => r.group === (breakdown === 'ics' ? 'ICS' : group));

export interface DashboardArea {
  readonly level: 'ics' | 'place';
  /** 'ics' or the place id. */
  readonly id: string;
}

export interface InequalityOut {
  readonly gap: Figure;
  readonly gapLabel: string;
  readonly sii: Figure;
  readonly siiLower95: Figure;
  readonly siiUpper95: Figure;
  readonly suppressed: boolean;
  readonly note: string;
}

export const GAP_LABEL = 'decile 10 (least deprived) minus decile 1 (most deprived), the direction of the SII';

/** The area's inequality across IMD deciles in a period: null when the indicator has no decile breakdown or nothing is computable. */
export const areaInequality = async (ctx: ServerContext, engine: IndicatorEngine, definition: IndicatorDefinition, period: Period, area: DashboardArea): Promise<InequalityOut | null> => {
  if (definition.breakdowns && !definition.breakdowns.includes('imd-decile')) return null;
  let rows: readonly PublishedRow[];
  if (area.level === 'ics') {
    rows = (await publishedIndicator(ctx, engine, definition, period, 'imd-decile')).rows;
  } else {
    const cells = (await placeDecileCells(ctx, engine, definition, period)).get(area.id);
    if (cells === undefined || cells.length === 0) return null;
    rows = publishIndicator({ definition, period, breakdown: 'imd-decile' }, cells, INDICATOR_POLICY).rows;
  }
  const gapRow = rows.find((r) => r.group.startsWith('gap ('));
  const siiRow = rows.find((r) => r.group === 'SII');
  if (gapRow === undefined && siiRow === undefined) return null;
  const suppressed = (gapRow?.suppressed ?? false) || (siiRow?.suppressed ?? false);
  const out: InequalityOut = {
    gap: gapRow?.value ?? null,
    gapLabel: GAP_LABEL,
    sii: siiRow?.value ?? null,
    siiLower95: siiRow?.lower_95 ?? null,
    siiUpper95: siiRow?.upper_95 ?? null,
    suppressed,
    note: suppressed ? (gapRow?.note || siiRow?.note || 'withheld') : '',
  };
  // Not computable (a decile missing, or the regression failed) and nothing withheld: no summary.
  if (!suppressed && out.gap === null && out.sii === null) return null;
  return out;
};
