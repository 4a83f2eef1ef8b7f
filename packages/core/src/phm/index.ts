export * from './features.js';
export * from './segments.js';
export * from './cohorts.js';
export * from './risk.js';
export * from './efi.js';
