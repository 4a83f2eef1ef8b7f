export * from './strategy.js';
export * from './trajectory.js';
export * from './quarters.js';
export * from './actions.js';
export * from './risks.js';
export * from './board-report.js';
export * from './strategy-edit.js';
export * from './strategy-changes.js';
