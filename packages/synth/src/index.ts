export * from './ages.js';
export * from './areas.js';
export * from './parameters.js';
export * from './ethnicity.js';
export * from './sink.js';
export * from './person-model.js';
export * from './chunk.js';
export * from './generate.js';
