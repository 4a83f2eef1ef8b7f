import { describe, expect, it } from 'vitest';
import { formatRounded } from './number-format.js';

const reference = (v: number): string => (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e8) / 1e8));

describe('formatRounded writes what String(Math.round(v × 1e8) / 1e8) writes', () => {
  it.each([
    [77.358490566, '77.35849057'],
    [0.5, '0.5'],
    [-0.5, '-0.5'],
    [1.000000004, '1'],
    [1.000000005, '1.00000001'],
    [-2.3e-9, '0'],
    [0.00000123456, '0.00000123'],
    [0.0000001234, '1.2e-7'],
    [12345678.123456789, '12345678.12345679'],
    [9.99999999999, '10'],
    [100.1, '100.1'],
    [-1234.56789, '-1234.56789'],
  ])('%d → %s', (v, text) => {
    expect(formatRounded(v)).toBe(text);
    expect(formatRounded(v)).toBe(reference(v));
  });

  it('for a million numbers of every magnitude from 1e-10 to 1e12, either sign', () => {
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let i = 0; i < 1_000_000; i += 1) {
      const v = (next() < 0.5 ? -1 : 1) * next() * 10 ** (Math.floor(next() * 22) - 10);
      const fine = formatRounded(v);
      if (fine !== reference(v)) expect(`${v}: ${fine}`).toBe(`${v}: ${reference(v)}`);
    }
    // Values on a rounding boundary: k / 1e8 ± half a step.
    for (let k = 1; k < 200_000; k += 7) {
      for (const v of [(k + 0.5) / 1e8, (k * 1000 + 0.5) / 1e8, -(k + 0.5) / 1e6]) {
        if (formatRounded(v) !== reference(v)) expect(`${v}: ${formatRounded(v)}`).toBe(`${v}: ${reference(v)}`);
      }
    }
  });
});
