/**
 * Disclosure control (statistical disclosure control of small numbers) for every published
 * aggregate: primary suppression of counts 1-7, secondary suppression within marginal groups,
 * derived suppression of values computed from suppressed counts, and rounding of published counts
 * to the nearest 5. See docs/disclosure-control.md.
 * @module
 */
export * from './policy.js';
export * from './table.js';
export * from './protect.js';
export * from './cell-key.js';
