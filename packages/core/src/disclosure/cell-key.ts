/**
 * Cell-key perturbation (the ONS 2021 Census method; docs/decisions/0006): every record carries a
 * fixed secret record key 0-255, a cell's key is the sum of its records' keys modulo 256, and the
 * noise added to a count is read from a fixed table by that key. The same set of records therefore
 * gets the same noise in every table that publishes it, and two different sets unrelated noise: a
 * difference of published cells is noise, not a count. Pure and deterministic.
 * @module
 */
import { InternalError } from '../errors/errors.js';

/** Record and cell keys are integers in [0, KEY_SPACE). */
export const KEY_SPACE = 256;

/** A record key or cell key: an integer 0-255. */
export type CellKeyValue = number;

const checkKey = (key: number): number => {
  if (!Number.isInteger(key) || key < 0) throw new InternalError(`cell key must be a non-negative integer, got ${key}`);
  return key % KEY_SPACE;
};

/** The key of the union of two disjoint sets of records: keys add modulo 256. */
export const addKeys = (a: number, b: number): CellKeyValue => (checkKey(a) + checkKey(b)) % KEY_SPACE;

/** The key of a cell from its records' keys (an event count lists its person's key once per event). */
export const cellKeyOf = (recordKeys: Iterable<number>): CellKeyValue => {
  let sum = 0;
  for (const k of recordKeys) sum = (sum + checkKey(k)) % KEY_SPACE;
  return sum;
};

/** The key of a cell from a sum of record keys (as SQL returns it), reduced modulo 256. */
export const cellKeyFromSum = (sum: number | bigint): CellKeyValue => {
  const n = typeof sum === 'bigint' ? Number(sum % BigInt(KEY_SPACE)) : sum;
  return checkKey(Math.round(n)) % KEY_SPACE;
};

/**
 * A perturbation table: the noise d = −max … +max, each with a weight in 256ths (so that every cell
 * key 0-255 selects exactly one noise). Symmetric, so the noise has mean zero.
 */
export interface PerturbationTable {
  readonly id: string;
  /** Weights in 256ths for d = −max … +max (odd length, symmetric, summing to 256). */
  readonly weights: readonly number[];
}

/**
 * OpenPHM's perturbation table 1: noise −5 … +5 with weights 1, 4, 10, 26, 49, 76, 49, 26, 10, 4, 1
 * (in 256ths): no noise for 30% of cells, ±1 for 38%, ±2 for 20%, and ±5 for one cell key in 128.
 * Variance 2.59, about that of rounding to the nearest 5 (2.0), which it replaces.
 */
export const OPENPHM_PTABLE_1: PerturbationTable = Object.freeze({ id: 'openphm-ptable-1', weights: Object.freeze([1, 4, 10, 26, 49, 76, 49, 26, 10, 4, 1]) });

/** The largest noise a table adds (5 for OPENPHM_PTABLE_1). */
export const maxPerturbation = (table: PerturbationTable = OPENPHM_PTABLE_1): number => (table.weights.length - 1) / 2;

/** Checks a table's shape: odd length, integer weights ≥ 0 summing to 256, symmetric. */
export const checkPerturbationTable = (table: PerturbationTable): PerturbationTable => {
  const w = table.weights;
  const total = w.reduce((a, b) => a + b, 0);
  const symmetric = w.every((x, i) => x === w[w.length - 1 - i]);
  if (w.length % 2 !== 1 || total !== KEY_SPACE || !symmetric || w.some((x) => !Number.isInteger(x) || x < 0)) {
    throw new InternalError(`perturbation table ${table.id}: weights must be symmetric non-negative integers summing to ${KEY_SPACE}`);
  }
  return table;
};

/** The noise a cell key selects before any narrowing: the inverse of the cumulative weights. */
const noiseOfKey = (key: CellKeyValue, table: PerturbationTable): number => {
  const max = maxPerturbation(table);
  let cumulative = 0;
  for (let i = 0; i < table.weights.length; i++) {
    cumulative += table.weights[i]!;
    if (key < cumulative) return i - max;
  }
  throw new InternalError(`perturbation table ${table.id}: weights do not cover key ${key}`);
};

/**
 * The noise added to a count `n` whose cell key is `key`, for a count that must stay at or above
 * `floor` (the publication threshold for a published count, 0 for a count used only inside a
 * statistic). Near the floor the noise is narrowed symmetrically to ±(n − floor), the excess going
 * to no noise, so it stays unbiased. Zero is never perturbed (an empty cell has no records).
 */
export const perturbation = (n: number, key: CellKeyValue, floor: number, table: PerturbationTable = OPENPHM_PTABLE_1): number => {
  if (!Number.isInteger(n) || n < 0) throw new InternalError(`perturbation: count must be a non-negative integer, got ${n}`);
  if (n === 0) return 0;
  if (n < floor) throw new InternalError(`perturbation: count ${n} is below its floor ${floor} (it should have been suppressed)`);
  const limit = Math.min(maxPerturbation(table), n - floor);
  const d = noiseOfKey(checkKey(key), table);
  return Math.abs(d) > limit ? 0 : d;
};

/** n plus its perturbation (see `perturbation`). */
export const perturbCount = (n: number, key: CellKeyValue, floor: number, table: PerturbationTable = OPENPHM_PTABLE_1): number => n + perturbation(n, key, floor, table);

/** For a published perturbed count y ≥ floor, every true count that could have produced it (an attacker's best knowledge). */
export const possibleTrueCounts = (y: number, floor: number, table: PerturbationTable = OPENPHM_PTABLE_1): number[] => {
  if (y === 0) return [0];
  const out: number[] = [];
  const max = maxPerturbation(table);
  for (let n = Math.max(floor, y - max, 1); n <= y + max; n++) {
    for (let key = 0; key < KEY_SPACE; key++) {
      if (perturbCount(n, key, floor, table) === y) {
        out.push(n);
        break;
      }
    }
  }
  return out;
};
