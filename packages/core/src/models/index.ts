export * from './logistic.js';
