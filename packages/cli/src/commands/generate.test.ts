/**
 * The load's memory limit: the option's default in the program (which repeats it rather than import this module, to
 * start fast) is DEFAULT_MEMORY_LIMIT for both commands that load. (A full generate with it: docs/benchmarks.md.)
 */
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../program.js';
import { DEFAULT_MEMORY_LIMIT } from './generate.js';

const io = { stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: {}, cwd: process.cwd() };

describe('the memory limit of a load', () => {
  it('defaults to DEFAULT_MEMORY_LIMIT, 2.5 GB, for phm generate and phm import', () => {
    const program = buildProgram(io);
    for (const name of ['generate', 'import']) {
      const option = program.commands.find((c) => c.name() === name)?.options.find((o) => o.long === '--memory-limit');
      expect(option?.defaultValue, name).toBe(DEFAULT_MEMORY_LIMIT);
    }
    expect(DEFAULT_MEMORY_LIMIT).toBe('2.5GB');
  });
});
