export * from './profiles.js';
export * from './resources.js';
export * from './validate.js';
export * from './search.js';
export * from './capability.js';
export * from './export.js';
