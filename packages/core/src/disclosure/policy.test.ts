import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/errors.js';
import { DEFAULT_POLICY, INDICATOR_POLICY, isPublishable, parseDisclosurePolicy, roundCount, suppressedRange, suppressedRangeText } from './policy.js';

describe('DEFAULT_POLICY', () => {
  it('suppresses 1-7, publishes 0 and perturbs the rest by cell key (no rounding, no secondary suppression)', () => {
    expect(DEFAULT_POLICY).toEqual({ minimumCount: 8, suppressZero: false, rounding: 1, secondary: false, perturbation: 'cell-key' });
    expect(suppressedRange()).toEqual({ from: 1, to: 7 });
    expect(suppressedRangeText()).toBe('1-7');
  });
});

describe('isPublishable', () => {
  it.each([
    [0, true],
    [1, false],
    [3, false],
    [7, false],
    [8, true],
    [9, true],
    [1000, true],
  ])('count %i → %s under the default policy', (count, expected) => {
    expect(isPublishable(count)).toBe(expected);
  });

  it.each([
    [0, false],
    [7, false],
    [8, true],
  ])('count %i → %s with suppressZero', (count, expected) => {
    expect(isPublishable(count, { ...DEFAULT_POLICY, suppressZero: true })).toBe(expected);
  });

  it('publishes everything when minimumCount is 1 and zero is allowed', () => {
    const policy = parseDisclosurePolicy({ minimumCount: 1, rounding: 1 });
    expect(suppressedRange(policy)).toBeNull();
    expect(suppressedRangeText(policy)).toBe('none');
    expect([0, 1, 2].every((n) => isPublishable(n, policy))).toBe(true);
    expect(suppressedRangeText(parseDisclosurePolicy({ minimumCount: 1, rounding: 1, suppressZero: true }))).toBe('0');
  });
});

describe('roundCount', () => {
  it.each([
    [0, 5, 0],
    [3, 5, 5],
    [12, 5, 10],
    [13, 5, 15],
    [8, 5, 10],
    [1234, 5, 1235],
    [15, 10, 20],
    [14, 10, 10],
    [13, 1, 13],
  ])('%i to the nearest %i → %i (halves up)', (count, base, expected) => {
    expect(roundCount(count, base)).toBe(expected);
  });
});

describe('parseDisclosurePolicy', () => {
  it('fills unset fields from the defaults', () => {
    expect(parseDisclosurePolicy()).toEqual(DEFAULT_POLICY);
    expect(parseDisclosurePolicy({ minimumCount: 10 })).toEqual({ ...DEFAULT_POLICY, minimumCount: 10 });
    expect(parseDisclosurePolicy({ suppressZero: true, secondary: false })).toEqual({ ...DEFAULT_POLICY, suppressZero: true, secondary: false });
  });

  it.each([
    [{ minimumCount: 0 }, /minimumCount/],
    [{ minimumCount: 7.5 }, /minimumCount/],
    [{ rounding: 0 }, /rounding/],
    [{ rounding: 2.5 }, /rounding/],
    [{ minimumCount: 3, rounding: 10 }, /rounding: rounding must be at most twice minimumCount/],
    [{ secondary: 'yes' }, /secondary/],
    [{ minCount: 8 }, /minCount/],
    ['strict', /\(root\)/],
  ])('rejects %o', (input, message) => {
    expect(() => parseDisclosurePolicy(input)).toThrow(UserError);
    expect(() => parseDisclosurePolicy(input)).toThrow(message);
    try {
      parseDisclosurePolicy(input, 'policy.json');
    } catch (error) {
      expect((error as UserError).kind).toBe('invalid-input');
      expect((error as UserError).message).toMatch(/^policy\.json: /);
    }
  });
});

describe('INDICATOR_POLICY', () => {
  it('withholds 0 with 1-7 and is otherwise the default', () => {
    expect(suppressedRangeText(INDICATOR_POLICY)).toBe('0-7');
    expect([0, 1, 7, 8].map((n) => isPublishable(n, INDICATOR_POLICY))).toEqual([false, false, false, true]);
    expect({ ...INDICATOR_POLICY, suppressZero: false }).toEqual(DEFAULT_POLICY);
  });
});
