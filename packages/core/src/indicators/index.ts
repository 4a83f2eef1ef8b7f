export * from './definition.js';
export * from './evaluate.js';
export * from './catalogue.js';
export * from './data.js';
