/**
 * The input to disclosure control: one indicator's table of cells (counts and the statistic the
 * caller computed from them) and its additivity structure, stated explicitly as marginal groups
 * (a total and the parts that sum to it).
 * @module
 */
import { UserError } from '../errors/errors.js';
import type { MeasureKind } from '../indicators/definition.js';

/** Breakdown dimension → value, e.g. `{ place: 'leeds', sex: 'F' }`. A dimension left out means "all values". */
export type CellKey = Readonly<Record<string, string>>;

/**
 * What a cell's denominator is, which decides how it is protected:
 * - `count`: a count of people or events of which the numerator is a subset (proportions). It is
 *   perturbed (or rounded) like the numerator and withheld with it, and the complement
 *   (denominator − numerator) is checked too, because "7 of 10" discloses the 3 who did not.
 * - `population`: a population estimate, person-years or expected count (rates, DSRs, life
 *   expectancy, observed/expected). Published as given, even when the cell is suppressed.
 */
export type DenominatorKind = 'count' | 'population';

export const DENOMINATOR_KINDS = ['count', 'population'] as const satisfies readonly DenominatorKind[];

const DENOMINATOR_OF: Record<MeasureKind, DenominatorKind> = {
  'person-proportion': 'count',
  'event-proportion': 'count',
  'event-rate': 'population',
  'life-expectancy': 'population',
  'observed-expected': 'population',
};

/** The denominator kind of an indicator measure: proportions have count denominators, rates populations. */
export const denominatorKindOf = (measure: MeasureKind): DenominatorKind => DENOMINATOR_OF[measure];

/** One cell of a table, before disclosure control: true counts and their cell keys. */
export interface DisclosureCell {
  /** Unique within the table; defaults to `cellId(key)`. Reasons name cells by id. */
  readonly id?: string;
  readonly key: CellKey;
  /** Events or people counted: a non-negative integer. */
  readonly numerator: number;
  /** Count (proportions: an integer ≥ numerator) or population / person-years (may be non-integer); null if none. */
  readonly denominator?: number | null;
  /**
   * The cell key of the numerator's records (sum of their record keys modulo 256; see cell-key.ts).
   * Required when the policy perturbs.
   */
  readonly numeratorKey?: number;
  /** The cell key of a count denominator's records. Required when the policy perturbs a count denominator. */
  readonly denominatorKey?: number;
  /**
   * Other cells whose counts this cell's value is computed from (e.g. a gap between two groups).
   * If any of them is withheld the value cannot be published either ('derived' suppression).
   */
  readonly derivedFrom?: readonly string[];
}

/**
 * numerator(total) = Σ numerator(parts): e.g. the ICS and its places, a place and its
 * neighbourhoods, all persons and the sexes. A table may have many groups and a cell may be in
 * several (a 2-D table has one group per row and per column).
 */
export interface MarginalGroup {
  readonly total: string;
  readonly parts: readonly string[];
}

/** A readable, canonical id for a key: dimensions sorted, `place=leeds;sex=F`; the empty key is `all`. */
export const cellId = (key: CellKey): string => {
  const dims = Object.keys(key).sort();
  if (dims.length === 0) return 'all';
  return dims.map((dim) => `${dim}=${key[dim]!}`).join(';');
};

export const idOf = (cell: DisclosureCell): string => cell.id ?? cellId(cell.key);

const sameKeyPlus = (total: CellKey, part: CellKey, dim: string): boolean => {
  const totalDims = Object.keys(total);
  const partDims = Object.keys(part);
  if (partDims.length !== totalDims.length + 1 || part[dim] === undefined || total[dim] !== undefined) return false;
  return totalDims.every((d) => part[d] === total[d]);
};

/**
 * Marginal groups read from the keys, where a dimension missing from a key means "all values":
 * for each cell and each dimension not in its key, the cells whose key is the same plus that one
 * dimension are its parts. `{}` is the total of `{place: …}` cells; `{place: 'leeds'}` is the total
 * of `{place: 'leeds', sex: …}` and of `{place: 'leeds', neighbourhood: …}`. Nested breakdowns
 * (neighbourhoods within places) must carry the parent dimension in their keys.
 * Groups come out in cell order, then dimension order (sorted), so the result is deterministic.
 */
export const marginalGroupsFromKeys = (cells: readonly DisclosureCell[]): MarginalGroup[] => {
  const dims = [...new Set(cells.flatMap((cell) => Object.keys(cell.key)))].sort();
  const groups: MarginalGroup[] = [];
  for (const total of cells) {
    for (const dim of dims) {
      if (total.key[dim] !== undefined) continue;
      const parts = cells.filter((part) => sameKeyPlus(total.key, part.key, dim)).map(idOf);
      if (parts.length > 0) groups.push({ total: idOf(total), parts });
    }
  }
  return groups;
};

const invalid = (message: string): UserError => new UserError(`disclosure control: ${message}`, 'invalid-input');

const isCount = (x: number): boolean => Number.isInteger(x) && x >= 0;

/**
 * Checks the table before anything is published: unique ids, non-negative integer numerators,
 * valid denominators, groups that refer to existing cells and add up. Throws a UserError
 * ('invalid-input') naming the cell or group. Returns the cells by id.
 */
export const validateTable = (
  cells: readonly DisclosureCell[],
  groups: readonly MarginalGroup[],
  denominator: DenominatorKind,
): Map<string, DisclosureCell> => {
  if (!DENOMINATOR_KINDS.includes(denominator)) throw invalid(`denominator kind must be 'count' or 'population', not '${String(denominator)}'`);
  const byId = new Map<string, DisclosureCell>();
  for (const cell of cells) {
    const id = idOf(cell);
    if (id === '') throw invalid('a cell has an empty id');
    if (byId.has(id)) throw invalid(`cell id '${id}' appears twice`);
    byId.set(id, cell);
    if (typeof cell.numerator !== 'number' || !isCount(cell.numerator)) {
      throw invalid(`cell '${id}': numerator must be a non-negative integer count, got ${String(cell.numerator)}`);
    }
    for (const [name, key] of [['numeratorKey', cell.numeratorKey], ['denominatorKey', cell.denominatorKey]] as const) {
      if (key !== undefined && (!Number.isInteger(key) || key < 0)) throw invalid(`cell '${id}': ${name} must be a non-negative integer, got ${String(key)}`);
    }
    const d = cell.denominator;
    if (d !== undefined && d !== null) {
      if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) throw invalid(`cell '${id}': denominator must be a non-negative number, got ${String(d)}`);
      if (denominator === 'count') {
        if (!Number.isInteger(d)) throw invalid(`cell '${id}': a count denominator must be an integer, got ${d} (use denominator kind 'population' for person-years)`);
        if (cell.numerator > d) throw invalid(`cell '${id}': numerator ${cell.numerator} is above the count denominator ${d}`);
      }
    }
  }
  for (const cell of cells) {
    for (const source of cell.derivedFrom ?? []) {
      if (!byId.has(source)) throw invalid(`cell '${idOf(cell)}' is derived from unknown cell '${source}'`);
      if (source === idOf(cell)) throw invalid(`cell '${source}' is derived from itself`);
    }
  }
  for (const group of groups) {
    const total = byId.get(group.total);
    if (total === undefined) throw invalid(`group total '${group.total}' is not a cell of the table`);
    if (group.parts.length === 0) throw invalid(`group '${group.total}' has no parts`);
    const seen = new Set<string>();
    let numerators = 0;
    let denominators = 0;
    for (const partId of group.parts) {
      const part = byId.get(partId);
      if (part === undefined) throw invalid(`group '${group.total}': part '${partId}' is not a cell of the table`);
      if (partId === group.total) throw invalid(`group '${group.total}' lists its total as a part`);
      if (seen.has(partId)) throw invalid(`group '${group.total}' lists part '${partId}' twice`);
      seen.add(partId);
      numerators += part.numerator;
      denominators += part.denominator ?? 0;
    }
    if (numerators !== total.numerator) {
      throw invalid(
        `group '${group.total}': the parts' numerators sum to ${numerators}, not the total's ${total.numerator} (add the missing parts, e.g. an 'unknown' category)`,
      );
    }
    if (denominator === 'count' && denominators !== (total.denominator ?? 0)) {
      throw invalid(`group '${group.total}': the parts' count denominators sum to ${denominators}, not the total's ${total.denominator ?? 0}`);
    }
  }
  return byId;
};
