/**
 * NHS numbers for synthetic people: unique, valid modulus 11, and from a range never issued.
 *
 * Each LSOA gets its own block of nine-digit prefixes, sized in proportion to the people it is
 * expected to hold (its share of the partnership plus the births of the window, with room to
 * spare), so every chunk of the generator numbers its people without knowing how many the others
 * have: the same seed and size always give the same numbers, whichever worker runs the area. Within
 * a block, numbers are taken in a scrambled order (a fixed stride coprime with the block size), so
 * neighbours do not get consecutive numbers; prefixes with no check digit are skipped.
 *
 * The test range (999 000 0000 - 999 999 9999, 909,091 valid numbers) is used whenever it holds the
 * population about twice over (every generated partnership up to about 350,000 people); larger
 * ones (the whole ICS) use 990 000 0000 - 999 999 9999, also never issued (core's nhs-number.ts),
 * with less room to spare above about 4.1 million people (MIN_HEADROOM), up to about 6.5 million.
 */
import {
  InternalError,
  NHS_NUMBER_SYNTHETIC_WIDE_RANGE,
  NHS_NUMBER_TEST_RANGE,
  UserError,
  nhsNumberFromNine,
  type NhsNumber,
  type NhsNumberRange,
} from '@openphm/core';
import type { GeneratorArea } from '../areas.js';

/** Births over the window, as a share of the starting population per year (measured: about 1.1%), with margin. */
const BIRTHS_PER_YEAR_MARGIN = 0.02;
/** Room for small areas whose expected count is near zero. */
const SLACK_PER_AREA = 2;
/** How many times over a range must hold the expected people (the rest is headroom for chance). */
const HEADROOM = 2.2;
/**
 * The least headroom the wide range is used with, for populations it cannot hold 2.2 times over
 * (about 4.1 to 6.5 million people, e.g. twice the partnership for the cost curve): each area's
 * block still holds 1.4 times its expected people and births, far more than chance moves an area's count.
 */
const MIN_HEADROOM = 1.4;
/** Share of nine-digit prefixes that have a check digit. */
const VALID_SHARE = 10 / 11;

export interface NhsNumberBlock {
  /** The first nine-digit prefix of the block. */
  readonly first: number;
  readonly size: number;
  /** Step through the block (coprime with size, so every prefix is visited once). */
  readonly stride: number;
}

export interface NhsNumberPlan {
  readonly range: NhsNumberRange;
  /** By area index. */
  readonly blocks: readonly NhsNumberBlock[];
}

const gcd = (a: number, b: number): number => {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
};

const strideFor = (size: number): number => {
  if (size <= 2) return 1;
  let stride = Math.max(1, Math.floor(size * 0.6180339887));
  while (gcd(stride, size) !== 1) stride++;
  return stride;
};

/** The blocks of every area (by index) for a generation of `years` years. */
export const planNhsNumbers = (areas: readonly GeneratorArea[], years: number): NhsNumberPlan => {
  const weights = areas.map((a) => (a.expected[0] + a.expected[1] + a.expected[2]) * (1 + BIRTHS_PER_YEAR_MARGIN * years) + SLACK_PER_AREA);
  const total = weights.reduce((s, w) => s + w, 0);
  const prefixes = (r: NhsNumberRange) => r.lastNine - r.firstNine + 1;
  const fits = (r: NhsNumberRange, headroom = HEADROOM) => total * headroom <= prefixes(r) * VALID_SHARE;
  const range = fits(NHS_NUMBER_TEST_RANGE) ? NHS_NUMBER_TEST_RANGE : NHS_NUMBER_SYNTHETIC_WIDE_RANGE;
  if (!fits(range, MIN_HEADROOM)) {
    throw new UserError(`too many people for unique synthetic NHS numbers (about ${Math.round(total)}; the never-issued range ${range.name} holds ${Math.floor((prefixes(range) * VALID_SHARE) / MIN_HEADROOM)} with room to spare)`);
  }
  const blocks: NhsNumberBlock[] = [];
  let cumulative = 0;
  let previous = range.firstNine;
  for (const w of weights) {
    cumulative += w;
    const end = range.firstNine + Math.floor((prefixes(range) * cumulative) / total);
    const size = end - previous;
    blocks.push({ first: previous, size, stride: strideFor(size) });
    previous = end;
  }
  return { range, blocks };
};

/** Hands out the numbers of one block, in the same order every time. */
export class NhsNumberAllocator {
  private step = 0;

  constructor(
    private readonly block: NhsNumberBlock,
    private readonly where: string,
  ) {}

  next(): NhsNumber {
    const { first, size, stride } = this.block;
    while (this.step < size) {
      const nine = first + ((this.step++ * stride) % size);
      const n = nhsNumberFromNine(String(nine).padStart(9, '0'));
      if (n !== null) return n;
    }
    throw new InternalError(`the synthetic NHS numbers of ${this.where} ran out (${size} prefixes)`);
  }
}
