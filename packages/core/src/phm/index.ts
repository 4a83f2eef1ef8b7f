export * from './features.js';
export * from './segments.js';
