import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/errors.js';
import {
  chiSquaredQuantile,
  gammaQuantile,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedGammaP,
  regularizedGammaQ,
} from './distributions.js';
import { byarsLower, byarsUpper, exactPoissonLower, exactPoissonUpper, wilsonLower, wilsonUpper, zScore } from './intervals.js';

// Expected values computed independently to 20+ significant digits (mpmath, 40-digit arithmetic).
const relativeError = (actual: number, expected: number): number =>
  expected === 0 ? Math.abs(actual) : Math.abs((actual - expected) / expected);

describe('normalQuantile (AS 241)', () => {
  const cases: [number, number][] = [
    [1e-300, -37.047096299361199237],
    [1e-50, -14.933337534788488981],
    [1e-10, -6.3613409024040562047],
    [0.001, -3.0902323061678135415],
    [0.025, -1.9599639845400542355],
    [0.1, -1.281551565544600467],
    [0.3, -0.52440051270804078404],
    [0.5, 0],
    [0.975, 1.9599639845400542355],
    [0.999, 3.0902323061678135415],
    [0.9999999, 5.1993375822906610937], // quantile of the double nearest 0.9999999 (0.99999990000000005264)
  ];
  it.each(cases)('Φ⁻¹(%s) = %s to 1e-14 relative', (p, expected) => {
    expect(relativeError(normalQuantile(p), expected)).toBeLessThan(1e-14);
  });

  it('is the inverse of normalCdf across the range', () => {
    for (let k = -12; k <= 12; k += 1) {
      const p = k < 0 ? 10 ** k : k === 0 ? 0.5 : 1 - 10 ** -k / 3;
      expect(relativeError(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-13);
    }
  });

  it('is antisymmetric and handles the end points', () => {
    expect(normalQuantile(0.25)).toBe(-normalQuantile(0.75));
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(UserError);
    expect(() => normalQuantile(Number.NaN)).toThrow(UserError);
  });

  it('gives the PHE critical values', () => {
    expect(zScore(0.95)).toBeCloseTo(1.959963984540054, 14);
    expect(zScore(0.998)).toBeCloseTo(3.090232306167813, 13);
  });
});

describe('normalCdf', () => {
  const cases: [number, number][] = [
    [-40, 3.6558935409150297037e-350], // underflows to 0 in double precision
    [-10, 7.619853024160526066e-24],
    [-1.96, 0.024997895148220436213],
    [0, 0.5],
    [1, 0.84134474606854294859],
    [3, 0.99865010196836990547],
  ];
  it.each(cases)('Φ(%s) = %s', (x, expected) => {
    expect(relativeError(normalCdf(x), expected)).toBeLessThan(1e-14);
  });
});

describe('logGamma and the incomplete gamma function', () => {
  const logGammaCases: [number, number][] = [
    [0.5, 0.5723649429247000870717],
    [1, 0],
    [2, 0],
    [3.7, 1.4280723266653881292],
    [10, 12.80182748008146961121],
    [15, 25.19122118273868150009],
    [100.5, 361.4355404677776215553],
    [1e6, 12815504.56914761165998],
  ];
  it.each(logGammaCases)('ln Γ(%s) = %s', (x, expected) => {
    expect(Math.abs(logGamma(x) - expected)).toBeLessThan(1e-14 * Math.max(1, Math.abs(expected)));
  });

  const gammaCases: [number, number, number, number][] = [
    [0.5, 0.1, 0.34527915398142297956, 0.65472084601857702044],
    [3, 2.5, 0.456186884116670482, 0.543813115883329518],
    [10, 15, 0.93014633930059023231, 0.069853660699409767692],
    [100, 90, 0.1582209891864301681, 0.8417790108135698319],
    [1e4, 1e4, 0.50132980833995520038, 0.49867019166004479962],
  ];
  it.each(gammaCases)('P(%s, %s) and Q', (a, x, p, q) => {
    expect(relativeError(regularizedGammaP(a, x), p)).toBeLessThan(1e-13);
    expect(relativeError(regularizedGammaQ(a, x), q)).toBeLessThan(1e-13);
  });
});

describe('chiSquaredQuantile / gammaQuantile', () => {
  const cases: [number, number, number][] = [
    [0.025, 2, 0.050635615968579750807],
    [0.975, 2, 7.3777589082278726057],
    [0.025, 20, 9.5907773922648672714],
    [0.975, 22, 36.780712084035557441],
    [0.001, 1, 1.5707971492624898793e-6],
    [0.999, 1, 10.827566170662732293],
    [0.5, 100, 99.334129235988455754],
    [0.0005, 6, 0.299407699846328838],
  ];
  it.each(cases)('χ²(%s; %s df) = %s', (p, df, expected) => {
    expect(relativeError(chiSquaredQuantile(p, df), expected)).toBeLessThan(1e-13);
  });

  it('upper-tail form agrees with the lower-tail form', () => {
    expect(relativeError(gammaQuantile(0.025, 7, true), gammaQuantile(0.975, 7))).toBeLessThan(1e-14);
  });

  it('rejects bad shapes and probabilities', () => {
    expect(() => gammaQuantile(0.5, 0)).toThrow(UserError);
    expect(() => chiSquaredQuantile(-0.1, 3)).toThrow(UserError);
  });
});

describe('Poisson and binomial limits', () => {
  it('exact Poisson limits solve the tail equations', () => {
    for (const x of [1, 2, 5, 9, 30]) {
      for (const c of [0.95, 0.998]) {
        const alpha = (1 - c) / 2;
        // P(X ≥ x | λ = lower) = α  ⇔  P(x, lower) = α;  P(X ≤ x | λ = upper) = α  ⇔  Q(x + 1, upper) = α.
        expect(relativeError(regularizedGammaP(x, exactPoissonLower(x, c)), alpha)).toBeLessThan(1e-12);
        expect(relativeError(regularizedGammaQ(x + 1, exactPoissonUpper(x, c)), alpha)).toBeLessThan(1e-12);
      }
    }
    expect(exactPoissonLower(0)).toBe(0);
    // x = 0: upper = −ln(0.025) at 95%.
    expect(relativeError(exactPoissonUpper(0), -Math.log(0.025))).toBeLessThan(1e-14);
  });

  it("Byar's limits approach the exact limits for large counts", () => {
    const x = 1000;
    expect(relativeError(byarsLower(x), exactPoissonLower(x))).toBeLessThan(1e-4);
    expect(relativeError(byarsUpper(x), exactPoissonUpper(x))).toBeLessThan(1e-4);
    expect(byarsLower(0)).toBe(0);
  });

  it('Wilson limits bracket the proportion and are 0 / 1 at the extremes', () => {
    expect(wilsonLower(0, 50)).toBe(0);
    expect(wilsonUpper(50, 50)).toBeCloseTo(1, 15);
    expect(wilsonLower(10, 50)).toBeLessThan(0.2);
    expect(wilsonUpper(10, 50)).toBeGreaterThan(0.2);
    expect(() => wilsonLower(51, 50)).toThrow(/must not be greater than the denominator/);
  });
});
