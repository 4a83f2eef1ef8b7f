/**
 * The one way out: every aggregate OpenPHM publishes (API JSON and CSV, web downloads, CLI output
 * for publication, scorecards, board reports, evaluations) is made here, from true counts and their
 * cell keys, through disclosure control (../disclosure). Its figures carry a type brand nothing
 * else can create. See docs/disclosure-control.md.
 * @module
 */
export { FIGURE_META_KEY, NOT_A_FIGURE_META_KEY, PublishedNumberSchema, figureSchema, notAFigure, requiredFigureSchema, type Figure, type PublishedNumber } from './figures.js';
export * from './statement.js';
export * from './counts.js';
export * from './cross-table.js';
export * from './indicator.js';
export * from './rate.js';
export * from './statistic.js';
export * from './ad-hoc.js';
