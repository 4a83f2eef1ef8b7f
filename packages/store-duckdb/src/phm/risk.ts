/**
 * Risk stratification in SQL over person features: eFI categories, the multimorbidity score,
 * Core20PLUS5 flags and (given a fitted model) admission-risk bands, counted by any breakdown.
 * Counts are exact, with the cell keys of their people; publish them with publishRiskSummary.
 */
import {
  ADMISSION_RISK_BANDS,
  CORE20_QUINTILE,
  DEFAULT_PLUS_GROUP_IDS,
  DEFAULT_POLICY,
  FRAILTY_CATEGORIES,
  MULTIMORBIDITY_BANDS,
  PLUS_GROUPS,
  UserError,
  cellKeyFromSum,
  ruleUsesEvents,
  cellKeyOf,
  publishCrossTable,
  type DisclosurePolicy,
  type PlusGroup,
  type PublishedCrossCell,
} from '@openphm/core';
import type { PhmDatabase } from '../database.js';
import { ident, literal } from '../sql.js';
import { breakdownName, breakdownSql, compareGroups, type BreakdownSpec } from './breakdowns.js';
import { keySumSql } from './disclosure.js';
import { PERSON_FEATURES_TABLE, ensurePersonFeatures, featuresRelation, multimorbiditySql } from './features.js';
import { ruleSql } from './rules.js';

type Column = (name: string) => string;
const id = (c: string) => c;

/** The band of a multimorbidity score expression. */
export const multimorbidityBandSql = (score: string): string =>
  `CASE ${[...MULTIMORBIDITY_BANDS].reverse().map((b) => `WHEN ${score} >= ${b.min}::DOUBLE THEN ${literal(b.id)}`).join(' ')} ELSE 'none' END`;

export const core20Sql = (column: Column = id): string => `(${column('imd_quintile')} = ${CORE20_QUINTILE})`;

export const plusGroupSql = (group: PlusGroup, column: Column = id): string => {
  const parts: string[] = [];
  if (group.rule) parts.push(ruleSql(group.rule, column));
  if (group.ethnicGroups && group.ethnicGroups.length > 0) parts.push(`${column('ethnic_group')} IN (${group.ethnicGroups.map(literal).join(', ')})`);
  return parts.length === 0 ? 'FALSE' : `(${parts.join(' OR ')})`;
};

/** PLUS groups by id (for `--plus`), with a message listing the known ones. */
export const plusGroupsById = (ids: readonly string[]): PlusGroup[] =>
  ids.map((x) => {
    const g = PLUS_GROUPS.find((p) => p.id === x);
    if (!g) throw new UserError(`unknown PLUS group '${x}' (one of ${PLUS_GROUPS.map((p) => p.id).join(', ')})`);
    return g;
  });

export const DEFAULT_PLUS_GROUPS: readonly PlusGroup[] = plusGroupsById(DEFAULT_PLUS_GROUP_IDS);

/** Conditions-count categories. */
const CONDITION_COUNT_CATEGORIES = ['0', '1', '2', '3+'] as const;

export interface RiskMeasure {
  readonly id: string;
  readonly label: string;
  /** Whether the categories partition everyone (all but Core20PLUS5). */
  readonly partition: boolean;
  /** Categories and their SQL conditions (not necessarily exclusive: Core20PLUS5 groups overlap). */
  readonly categories: readonly { readonly id: string; readonly sql: string }[];
}

/** The measures a risk summary counts. `riskSql` (a probability expression) adds admission-risk bands. */
export const riskMeasures = (plusGroups: readonly PlusGroup[] = DEFAULT_PLUS_GROUPS, riskSql?: string): RiskMeasure[] => {
  const mm = multimorbiditySql();
  const frailty: RiskMeasure = { id: 'frailty', label: 'Electronic Frailty Index category', partition: true, categories: FRAILTY_CATEGORIES.map((c) => ({ id: c, sql: `frailty_category = ${literal(c)}` })) };
  const conditions: RiskMeasure = {
    id: 'conditions',
    label: 'Long-term conditions (of 15)',
    partition: true,
    categories: CONDITION_COUNT_CATEGORIES.map((c) => ({ id: c, sql: c === '3+' ? 'condition_count >= 3' : `condition_count = ${c}` })),
  };
  const score: RiskMeasure = {
    id: 'multimorbidity-score',
    label: 'Multimorbidity score band',
    partition: true,
    categories: MULTIMORBIDITY_BANDS.map((b) => ({ id: b.id, sql: `${multimorbidityBandSql(mm)} = ${literal(b.id)}` })),
  };
  const plus = plusGroups.map((g) => ({ id: g.id, sql: plusGroupSql(g) }));
  const core20plus5: RiskMeasure = {
    id: 'core20plus5',
    label: 'Core20PLUS5 (groups overlap)',
    partition: false,
    categories: [
      { id: 'core20', sql: core20Sql() },
      ...plus,
      { id: 'core20-or-plus', sql: `(${[core20Sql(), ...plus.map((p) => p.sql)].join(' OR ')})` },
    ],
  };
  const measures = [frailty, conditions, score, core20plus5];
  if (riskSql !== undefined) {
    measures.push({
      id: 'admission-risk',
      label: 'Predicted risk of an emergency admission in the next 12 months',
      partition: true,
      categories: ADMISSION_RISK_BANDS.map((b, i) => {
        const next = ADMISSION_RISK_BANDS[i + 1];
        return { id: b.id, sql: `(${riskSql}) >= ${b.min}::DOUBLE${next ? ` AND (${riskSql}) < ${next.min}::DOUBLE` : ''}` };
      }),
    });
  }
  return measures;
};

export interface RiskSummaryRow {
  readonly breakdown: string;
  readonly group: string;
  readonly measure: string;
  readonly category: string;
  readonly people: number;
  readonly groupPeople: number;
  readonly share: number;
  /** Cell keys of the people counted, and of the group (disclosure control). */
  readonly peopleKey: number;
  readonly groupKey: number;
}

export interface RiskSummary {
  readonly referenceDate: string;
  readonly population: number;
  /** Cell key of everyone resident (disclosure control). */
  readonly populationKey: number;
  readonly plusGroups: readonly PlusGroup[];
  readonly measures: readonly RiskMeasure[];
  /** For each breakdown, each group in natural order, each measure's categories. */
  readonly rows: readonly RiskSummaryRow[];
}

export interface RiskSummaryOptions {
  readonly plusGroups?: readonly PlusGroup[];
  /** SQL probability of an emergency admission over the features table (see admission-model.ts). */
  readonly riskSql?: string;
  readonly table?: string;
}

/** Counts of every risk measure's categories by each breakdown, at `referenceDate`. */
export const riskSummary = async (db: PhmDatabase, referenceDate: string, breakdowns: readonly BreakdownSpec[], options: RiskSummaryOptions = {}): Promise<RiskSummary> => {
  const table = options.table ?? PERSON_FEATURES_TABLE;
  await ensurePersonFeatures(db, referenceDate, table);
  const plusGroups = options.plusGroups ?? DEFAULT_PLUS_GROUPS;
  const from = await featuresRelation(db, table, plusGroups.some((g) => g.rule !== undefined && ruleUsesEvents(g.rule)));
  const measures = riskMeasures(plusGroups, options.riskSql);
  const cells = measures.flatMap((m) => m.categories.map((c, i) => ({ measure: m.id, category: c.id, alias: `${m.id}_${i}`.replace(/[^a-z0-9_]/g, '_'), sql: c.sql })));
  const rows: RiskSummaryRow[] = [];
  let population = 0;
  let populationKey = 0;
  for (const spec of breakdowns) {
    const result = await db.query<Record<string, number | string>>(
      `SELECT ${breakdownSql(spec)} AS grp, count(*)::BIGINT AS people, ${keySumSql()} AS people_key,
        ${cells.map((c) => `count(*) FILTER (WHERE ${c.sql})::BIGINT AS ${ident(c.alias)}, ${keySumSql(c.sql)} AS ${ident(`${c.alias}_key`)}`).join(', ')}
       FROM ${from} f GROUP BY ALL`,
    );
    result.sort((a, b) => compareGroups(spec, String(a.grp), String(b.grp)));
    population = result.reduce((a, r) => a + Number(r.people), 0);
    populationKey = cellKeyOf(result.map((r) => cellKeyFromSum(Number(r.people_key))));
    for (const r of result) {
      const groupPeople = Number(r.people);
      const groupKey = cellKeyFromSum(Number(r.people_key));
      for (const c of cells) {
        const people = Number(r[c.alias]);
        rows.push({
          breakdown: breakdownName(spec),
          group: String(r.grp),
          measure: c.measure,
          category: c.category,
          people,
          groupPeople,
          share: groupPeople > 0 ? people / groupPeople : 0,
          peopleKey: cellKeyFromSum(Number(r[`${c.alias}_key`])),
          groupKey,
        });
      }
    }
  }
  return { referenceDate, population, populationKey, plusGroups, measures, rows };
};

export interface PublishedRiskRow extends Omit<PublishedCrossCell, 'category'> {
  readonly breakdown: string;
  readonly measure: string;
  readonly category: string;
}

/** A risk summary through disclosure control: one protected group × category table per breakdown and measure. */
export const publishRiskSummary = (summary: RiskSummary, policy: DisclosurePolicy = DEFAULT_POLICY): PublishedRiskRow[] => {
  const out: PublishedRiskRow[] = [];
  const breakdowns = [...new Set(summary.rows.map((r) => r.breakdown))];
  for (const breakdown of breakdowns) {
    for (const measure of summary.measures) {
      const rows = summary.rows.filter((r) => r.breakdown === breakdown && r.measure === measure.id);
      const groups = [...new Set(rows.map((r) => r.group))];
      const cell = new Map(rows.map((r) => [`${r.group}\u0000${r.category}`, r]));
      const published = publishCrossTable(
        {
          groups,
          categories: measure.categories.map((c) => c.id),
          count: (g, c) => {
            const r = cell.get(`${g}\u0000${c}`);
            return { n: r?.people ?? 0, key: r?.peopleKey ?? 0 };
          },
          groupTotal: (g) => {
            const r = rows.find((x) => x.group === g);
            return { n: r?.groupPeople ?? 0, key: r?.groupKey ?? 0 };
          },
          partition: measure.partition,
        },
        policy,
      );
      for (const p of published) out.push({ ...p, breakdown, measure: measure.id });
    }
  }
  return out;
};
