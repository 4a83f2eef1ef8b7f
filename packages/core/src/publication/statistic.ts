/**
 * Publishing numbers that are not counts: means and effects from the matched evaluations, model
 * metrics, values that owners report. Counts are published by counts.ts and cross-table.ts.
 * @module
 */
import { maxPerturbation } from '../disclosure/cell-key.js';
import { mint, mintOrNull, type Figure } from './figures.js';

const roundTo = (value: number, step: number): number => {
  const rounded = Math.round(value / step) * step;
  // Tidy the binary fraction (0.1 * 3 = 0.30000000000000004) and minus zero.
  const tidy = Number(rounded.toFixed(Math.max(0, Math.ceil(-Math.log10(step)) + 1)));
  return Object.is(tidy, -0) ? 0 : tidy;
};

/** A statistic that is not a mean of counts (a difference of published values, a model metric), to `decimals` places. */
export const publishStatistic = (value: number | null | undefined, decimals = 2): Figure => {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return mint(roundTo(value, 10 ** -decimals));
};

/** The steps a mean may be published to, finest first. */
export const MEAN_STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1] as const;

/**
 * The step to publish a mean of whole numbers over a group whose published size is `n`: at least
 * 1 / (the smallest size the group could truly have). A mean of whole numbers over n people, given
 * to full precision, gives n away (37 / 13 = 2.846153… has no other denominator from 10 to 20); to a
 * step of at least 1/n, every size the published count allows fits some whole total, so the mean
 * says nothing about the size that the perturbed count does not.
 */
export const meanStep = (n: number): number => {
  const smallest = n - maxPerturbation();
  if (smallest < 1) return 1;
  return MEAN_STEPS.find((s) => s >= 1 / smallest) ?? 1;
};

/**
 * A mean of whole numbers per person (A&E attendances before and after, a change in a 0-10 score)
 * over a group whose published size is `overPublished`, rounded to meanStep of it; withheld with it.
 */
export const publishMean = (value: number | null | undefined, overPublished: Figure): Figure => {
  if (value === null || value === undefined || !Number.isFinite(value) || overPublished === null) return null;
  return mint(roundTo(value, meanStep(overPublished)));
};

/**
 * A value reported by a measure's owner from a source outside OpenPHM's person-level data (a
 * published national figure, a provider's return): published as recorded. It carries nothing from
 * the person-level store, so there is nothing to protect.
 */
export const publishReported = (value: number | null | undefined): Figure => mintOrNull(value);

/**
 * A statistic computed from figures that were already published (a gap between two published
 * values, a trajectory between a published baseline and target): nothing new is revealed.
 */
export const fromPublished = (value: number | null | undefined): Figure => mintOrNull(value);

/** Numbers that are published reference data (e.g. ONS mid-2015 populations), not computed from person-level data. */
export const publishReference = (value: number): NonNullable<Figure> => mint(value);
