export { CALDER_1, CALDER_2, LEEDS_1, LEEDS_2, OUTSIDE, SPEC_GEOGRAPHY, specInput, type SpecData, type SpecInput, type SpecRow, type SpecTables, type SpecValue } from './input.js';
export { indicator, indicatorSpecs, type Spec, type SpecCase } from './specs.js';
export { comparableCells, compareCells, runSpecSuite, sortCells, type MakeEngine } from './suite.js';
export { randomSpecInput } from './random-input.js';
