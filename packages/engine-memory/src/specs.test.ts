import { runSpecSuite } from '@openphm/indicator-specs';
import { createMemoryEngine } from './engine.js';
import { memoryDataFrom } from './data.js';

runSpecSuite('in-memory engine', async (input) => createMemoryEngine(memoryDataFrom(input.geography, input.tables)));
