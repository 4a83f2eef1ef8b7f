export * from './benchmark.js';
export * from './periods.js';
export * from './match.js';
