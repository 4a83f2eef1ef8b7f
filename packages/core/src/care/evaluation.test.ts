import { describe, expect, it } from 'vitest';
import { EVALUATION_MINIMUM_CASES, matchedDifferenceInDifferences, priorActivityBand, type EvaluationUnit } from './evaluation.js';

const unit = (before: number, after: number, comparators: [number, number][]): EvaluationUnit => ({ before, after, comparators: comparators.map(([b, a]) => ({ before: b, after: a })) });

describe('matchedDifferenceInDifferences', () => {
  it('is withheld below the minimum number of matched cases, and counts the unmatched', () => {
    const units = [...Array.from({ length: EVALUATION_MINIMUM_CASES - 1 }, () => unit(3, 1, [[3, 2]])), unit(5, 0, [])];
    expect(matchedDifferenceInDifferences(units)).toMatchObject({ cases: 10, matched: 9, comparators: 9, effect: null, withheld: true });
  });

  it('takes out what the comparators also did: regression to the mean is not an effect', () => {
    // Ten cases taken on at a bad time (4 → 1): their comparators, matched on the same bad time, fall too (4 → 1).
    const units = Array.from({ length: 10 }, () => unit(4, 1, [[4, 1], [4, 1]]));
    const r = matchedDifferenceInDifferences(units);
    expect(r).toMatchObject({ cases: 10, matched: 10, comparators: 20, caseBefore: 4, caseAfter: 1, comparatorBefore: 4, comparatorAfter: 1, naiveChange: -3, effect: 0, withheld: false });
    expect(r.lower95).toBe(0);
    expect(r.upper95).toBe(0);
  });

  it('averages each case against its own comparators first, worked by hand', () => {
    // Per case d = (after − before) − mean comparator change:
    //   five cases: (2 − 4) − mean(−1, −1) = −2 + 1 = −1;   five cases: (3 − 4) − mean(0, −2) = −1 + 1 = 0.
    // Mean −0.5; sd of five −1 and five 0 = √(10 × 0.25 / 9) = 0.52705; se 0.16667; half-width 0.32666.
    const units = [...Array.from({ length: 5 }, () => unit(4, 2, [[3, 2], [2, 1]])), ...Array.from({ length: 5 }, () => unit(4, 3, [[3, 3], [4, 2]]))];
    const r = matchedDifferenceInDifferences(units);
    expect(r.effect).toBeCloseTo(-0.5, 12);
    expect(r.lower95).toBeCloseTo(-0.5 - 0.32666, 4);
    expect(r.upper95).toBeCloseTo(-0.5 + 0.32666, 4);
    expect(r.caseBefore).toBe(4);
    expect(r.caseAfter).toBe(2.5);
    expect(r.comparatorBefore).toBeCloseTo(3, 12); // each case's comparators average 2.5 or 3.5
    expect(r.comparatorAfter).toBeCloseTo(2, 12);
    expect(r.naiveChange).toBe(-1.5);
  });
});

describe('priorActivityBand', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [2, '2-3'],
    [3, '2-3'],
    [4, '4+'],
    [40, '4+'],
  ])('%i → %s', (n, band) => {
    expect(priorActivityBand(n)).toBe(band);
  });
});
