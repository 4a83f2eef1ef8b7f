import { describe, expect, it } from 'vitest';
import { byarsLower, byarsLowerAt, byarsUpper, byarsUpperAt, wilsonLimitAt, wilsonLower, wilsonUpper, zScore } from './intervals.js';

/** A deterministic generator (mulberry32). */
const generator = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

describe('the limits at a critical value z (for callers that check their inputs and work z out once)', () => {
  const levels = [0.8, 0.9, 0.95, 0.99, 0.998];

  it('wilsonLimitAt is the Wilson formula as published, bit for bit, each side, and what wilsonLower/Upper give', () => {
    const random = generator(11);
    const differ: string[] = [];
    for (let i = 0; i < 50_000; i += 1) {
      const n = i % 5 === 0 ? 1 + random() * 1000 : 1 + Math.floor(random() * 10 ** (1 + Math.floor(random() * 6)));
      const x = i % 7 === 0 ? random() * n : Math.min(n, Math.floor(random() * (n + 1)));
      const c = levels[i % levels.length]!;
      const z = zScore(c);
      // (2x + z² ∓ z√(z² + 4x(1 − x/n))) / (2(n + z²)), written out as before the kernel existed.
      const lower = (2 * x + z * z - z * Math.sqrt(z * z + 4 * x * (1 - x / n))) / 2 / (n + z * z);
      const upper = (2 * x + z * z + z * Math.sqrt(z * z + 4 * x * (1 - x / n))) / 2 / (n + z * z);
      if (!Object.is(wilsonLimitAt(x, n, z, -1), lower) || !Object.is(wilsonLimitAt(x, n, z, 1), upper)) differ.push(`${x} of ${n} at ${c}`);
      if (!Object.is(wilsonLower(x, n, c), lower) || !Object.is(wilsonUpper(x, n, c), upper)) differ.push(`checked ${x} of ${n} at ${c}`);
    }
    expect(differ).toEqual([]);
  });

  it("byarsLowerAt and byarsUpperAt are Byar's formulas as published, bit for bit, and what byarsLower/Upper give", () => {
    const differ: string[] = [];
    for (let x = 1; x < 20_000; x += 1) {
      for (const c of levels) {
        const z = zScore(c);
        const y = x + 1;
        const lower = x * (1 - 1 / (9 * x) - z / (3 * Math.sqrt(x))) ** 3;
        const upper = y * (1 - 1 / (9 * y) + z / (3 * Math.sqrt(y))) ** 3;
        if (!Object.is(byarsLowerAt(x, z), lower) || !Object.is(byarsUpperAt(x, z), upper)) differ.push(`${x} at ${c}`);
        if (!Object.is(byarsLower(x, c), lower) || !Object.is(byarsUpper(x, c), upper)) differ.push(`checked ${x} at ${c}`);
      }
    }
    expect(differ).toEqual([]);
    expect(byarsLower(0, 0.95)).toBe(0);
  });
});
