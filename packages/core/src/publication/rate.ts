/**
 * A crude rate published from two keyed counts (referrals per 1,000 adults): both counts are
 * protected, and the rate and its interval are computed from the published counts.
 * @module
 */
import { DEFAULT_POLICY, type DisclosurePolicy } from '../disclosure/policy.js';
import { crudeRate } from '../stats/rate.js';
import { publishCounts, type KeyedCount } from './counts.js';
import { mintOrNull, type Figure } from './figures.js';

export interface PublishedRate {
  readonly count: Figure;
  readonly population: Figure;
  readonly rate: Figure;
  readonly lower95: Figure;
  readonly upper95: Figure;
  /** True when the count (or the population) is withheld. */
  readonly suppressed: boolean;
}

export const publishRate = (count: KeyedCount, population: KeyedCount, multiplier: number, policy: DisclosurePolicy = DEFAULT_POLICY): PublishedRate => {
  const c = publishCounts(count, {}, policy).total;
  const p = publishCounts(population, {}, policy).total;
  if (c === null || p === null || p <= 0) return { count: c, population: p, rate: null, lower95: null, upper95: null, suppressed: c === null || p === null };
  const r = crudeRate(c, p, { multiplier });
  return { count: c, population: p, rate: mintOrNull(r.value), lower95: mintOrNull(r.intervals[0]?.lower), upper95: mintOrNull(r.intervals[0]?.upper), suppressed: false };
};
