/**
 * Public-health statistics as used by OHID / PHE Fingertips: proportions (Wilson), crude rates
 * (Byar's / exact), directly standardised rates (Dobson), life expectancy (Chiang II with
 * Silcocks), slope and relative index of inequality, and benchmark comparison.
 * See docs/statistics.md for the methods and conventions.
 * @module
 */
export * from './age-bands.js';
export * from './compare.js';
export {
  chiSquaredQuantile,
  gammaQuantile,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedGammaP,
  regularizedGammaQ,
} from './distributions.js';
export * from './dsr.js';
export * from './inequality.js';
export * from './intervals.js';
export * from './life-expectancy.js';
export * from './proportion.js';
export * from './rate.js';
export type { MaybeNumber } from './validate.js';
