export * from './errors/errors.js';
export * from './codes/brand.js';
export * from './codes/codes.js';
export * from './geography/places.js';
export * from './geography/types.js';
