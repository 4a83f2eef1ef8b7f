/**
 * Feature rules and segmentations compiled to SQL over a features table (see features.ts). The
 * meaning of a rule is core's evaluateRule; segments.test.ts checks that both give the same segment
 * for every person of a synthetic population.
 */
import { InternalError, type FeatureRule, type Segmentation } from '@openphm/core';
import { literal } from '../sql.js';
import { DIAGNOSED_DAYS_COLUMNS, EVENT_COLUMNS, FLAG_FEATURE_COLUMNS, NUMERIC_FEATURE_COLUMNS } from './features.js';

type Compiler = (rule: never, column: (name: string) => string) => string;

/** A finite number as a DOUBLE literal (so 0.24 compares exactly as JavaScript's 0.24 does). */
const numberLiteral = (value: number): string => {
  if (!Number.isFinite(value)) throw new InternalError(`rule value ${value} is not a finite number`);
  return `${String(value)}::DOUBLE`;
};

/** A whole number literal (rule day counts and event counts are validated integers). */
const integerLiteral = (value: number): string => {
  if (!Number.isSafeInteger(value)) throw new InternalError(`rule value ${value} is not a whole number`);
  return String(value);
};

const COMPILERS: { [K in FeatureRule['kind']]: (rule: Extract<FeatureRule, { kind: K }>, column: (name: string) => string) => string } = {
  compare: (r, column) => `(${column(NUMERIC_FEATURE_COLUMNS[r.feature])} ${r.op} ${numberLiteral(r.value)})`,
  flag: (r, column) => column(FLAG_FEATURE_COLUMNS[r.feature]),
  all: (r, column) => `(${r.of.map((x) => ruleSql(x, column)).join(' AND ')})`,
  any: (r, column) => `(${r.of.map((x) => ruleSql(x, column)).join(' OR ')})`,
  not: (r, column) => `(NOT ${ruleSql(r.rule, column)})`,
  always: () => 'TRUE',
  // Days since first code is NULL when not on the register: coalesce keeps the expression two-valued.
  diagnosed: (r, column) => `coalesce(${column(DIAGNOSED_DAYS_COLUMNS[r.condition])} < ${integerLiteral(r.withinDays)}, FALSE)`,
  // Event lists are ascending days ago: at least K within N days when the K-th (1-based; NULL past the end) is < N.
  events: (r, column) => `coalesce(${column(EVENT_COLUMNS[r.event])}[${integerLiteral(r.atLeast)}] < ${integerLiteral(r.withinDays)}, FALSE)`,
};

/**
 * An SQL boolean expression for a rule. `column` maps a feature column name to SQL (e.g. to
 * qualify it with a table alias). Numeric and flag columns are never NULL, and the dated columns that can be (days since
 * diagnosis, event lists) are read under coalesce, so the expression never is.
 */
export const ruleSql = (rule: FeatureRule, column: (name: string) => string = (c) => c): string =>
  (COMPILERS[rule.kind] as Compiler)(rule as never, column);

/** A CASE expression giving the id of the first segment whose rule holds (the last segment otherwise). */
export const segmentationSql = (segmentation: Segmentation, column: (name: string) => string = (c) => c): string => {
  const last = segmentation.segments[segmentation.segments.length - 1]!;
  const whens = segmentation.segments.slice(0, -1).map((s) => `WHEN ${ruleSql(s.rule, column)} THEN ${literal(s.id)}`);
  return whens.length === 0 ? literal(last.id) : `CASE ${whens.join(' ')} ELSE ${literal(last.id)} END`;
};
