/**
 * How draws are shaped across the model: relative-risk factors that keep population averages
 * calibrated, the average risk-factor mix they are normalised by, and picks from lists.
 */
import type { Random } from '@openphm/core';

/** Average smoking and obesity mix used to keep condition ratios mean-preserving. */
export const SMOKING_MIX = { current: 0.16, ex: 0.25 };
export const OBESE_MIX = 0.27;

/** Deprivation: ratio^(d − 0.5), so the middle of the distribution (d = 0.5) is unchanged. */
export const depFactor = (ratio: number, d: number): number => Math.pow(ratio, d - 0.5);
/** The latent health factor z: mean 1 over z ~ N(0, 1). */
export const latentFactor = (loading: number, z: number): number => Math.exp(loading * z - (loading * loading) / 2);
/** Sex: the male:female ratio split so that the average over both sexes is 1. */
export const sexFactor = (maleRatio: number, male: boolean): number => (male ? (2 * maleRatio) / (1 + maleRatio) : 2 / (1 + maleRatio));

/** One item, equally likely (one draw). */
export const pickFrom = <T>(rng: Random, items: readonly T[]): T => items[Math.floor(rng.next() * items.length)]!;
/** The first row the age reaches (rows by descending minAge), or the last. */
export const byAge = <T extends { readonly minAge: number }>(rows: readonly T[], age: number): T => rows.find((r) => age >= r.minAge) ?? rows[rows.length - 1]!;
