import { describe, expect, it } from 'vitest';
import { isNhsNumber, NHS_NUMBER_SYNTHETIC_WIDE_RANGE, NHS_NUMBER_TEST_RANGE, nhsNumberProblem } from '@openphm/core';
import type { GeneratorArea } from '../areas.js';
import { NhsNumberAllocator, planNhsNumbers } from './nhs-numbers.js';

/** Areas with the given expected people (only `index` and `expected` matter here). */
const areas = (counts: readonly number[]): GeneratorArea[] =>
  counts.map((n, index) => ({ index, expected: [0, n, 0] }) as unknown as GeneratorArea);

const evenly = (total: number, n = 1500) => areas(Array.from({ length: n }, () => total / n));

describe('planning synthetic NHS numbers', () => {
  it.each([
    ['the demo (100,000 people)', 100_000, NHS_NUMBER_TEST_RANGE.name],
    ['350,000 people', 350_000, NHS_NUMBER_TEST_RANGE.name],
    ['500,000 people', 500_000, NHS_NUMBER_SYNTHETIC_WIDE_RANGE.name],
    ['the whole ICS (2.7 million)', 2_700_000, NHS_NUMBER_SYNTHETIC_WIDE_RANGE.name],
    ['twice the ICS (5.4 million, the cost curve)', 5_400_000, NHS_NUMBER_SYNTHETIC_WIDE_RANGE.name],
  ])('%s: %s', (_, size, range) => {
    expect(planNhsNumbers(evenly(size), 5).range.name).toBe(range);
  });

  it('refuses a population the never-issued range cannot hold', () => {
    expect(() => planNhsNumbers(evenly(6_000_000), 5)).toThrow('too many people for unique synthetic NHS numbers');
  });

  it('beyond 2.2 times over, still gives every area at least 1.4 times its people and births', () => {
    const perArea = 5_400_000 / 1500;
    const { blocks } = planNhsNumbers(evenly(5_400_000), 5);
    for (const b of blocks) expect((b.size * 10) / 11).toBeGreaterThanOrEqual(1.4 * (perArea * 1.1 + 2));
  });

  it('gives each area its own block, in order, covering the range, in proportion to its people', () => {
    const plan = planNhsNumbers(areas([100, 300, 0, 600]), 5);
    const { blocks } = plan;
    expect(blocks[0]!.first).toBe(NHS_NUMBER_TEST_RANGE.firstNine);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.first).toBe(blocks[i - 1]!.first + blocks[i - 1]!.size);
    const last = blocks[blocks.length - 1]!;
    expect(last.first + last.size - 1).toBe(NHS_NUMBER_TEST_RANGE.lastNine);
    // An empty area still gets a little room; the others in proportion (300 vs 100 people).
    expect(blocks[2]!.size).toBeGreaterThan(0);
    expect(blocks[1]!.size / blocks[0]!.size).toBeCloseTo(3, 1);
  });
});

describe('handing out the numbers of a block', () => {
  it('gives valid, distinct numbers in a scrambled order until the block runs out', () => {
    const allocator = new NhsNumberAllocator({ first: 999_000_000, size: 50, stride: 31 }, 'a test block');
    const seen: string[] = [];
    for (;;) {
      try {
        seen.push(allocator.next());
      } catch (error) {
        expect(String(error)).toContain('the synthetic NHS numbers of a test block ran out (50 prefixes)');
        break;
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const n of seen) {
      expect(isNhsNumber(n), n).toBe(true);
      expect(nhsNumberProblem(n)).toBeNull();
      expect(Number(n.slice(0, 9))).toBeGreaterThanOrEqual(999_000_000);
      expect(Number(n.slice(0, 9))).toBeLessThan(999_000_050);
    }
    // Every prefix with a check digit is used once: 50 prefixes, those giving 10 skipped.
    const valid = Array.from({ length: 50 }, (_, i) => 999_000_000 + i).filter((nine) => {
      const digits = String(nine);
      let sum = 0;
      for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
      return 11 - (sum % 11) !== 10;
    }).length;
    expect(seen.length).toBe(valid);
    // Not consecutive: neighbours in the area do not get neighbouring numbers.
    expect(Number(seen[1]!.slice(0, 9)) - Number(seen[0]!.slice(0, 9))).not.toBe(1);
  });
});
