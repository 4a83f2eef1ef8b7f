export * from './systems.js';
export * from './codelists.js';
export * from './registry.js';
export * from './map.js';
export * from './out/index.js';
