import { describe, expect, it } from 'vitest';
import type { FeatureRule } from '../phm/segments.js';
import { DifferencingMonitor, FINGERPRINT_BUCKETS, adHocDefinitionProblems, differingBuckets, differsBySmallGroup, type CellFingerprint } from './ad-hoc.js';

const flag = (feature: string): FeatureRule => ({ kind: 'flag', feature } as FeatureRule);

describe('adHocDefinitionProblems', () => {
  it.each<[string, FeatureRule, string[]]>([
    ['a plain rule', { kind: 'all', of: [flag('condition:dementia'), { kind: 'compare', feature: 'age', op: '>=', value: 65 }] }, []],
    ['age off a 5-year step', { kind: 'compare', feature: 'age', op: '>=', value: 67 }, ['rule.value']],
    ['age compared with =', { kind: 'compare', feature: 'age', op: '=', value: 70 }, ['rule.op']],
    ['BMI off a half step', { kind: 'compare', feature: 'latestBmi', op: '>=', value: 30.2 }, ['rule.value']],
    ['a window of 17 days', { kind: 'diagnosed', condition: 'dementia', withinDays: 17 }, ['rule.withinDays']],
    ['a window of two years', { kind: 'events', event: 'aeAttendance', atLeast: 2, withinDays: 730 }, []],
    ['too deep', { kind: 'not', rule: { kind: 'not', rule: { kind: 'not', rule: { kind: 'not', rule: flag('carer') } } } }, ['rule.rule.rule.rule.rule']],
    ['too many clauses', { kind: 'any', of: Array.from({ length: 11 }, () => flag('carer')) }, ['rule']],
  ])('%s', (_name, rule, fields) => {
    expect(adHocDefinitionProblems({ rule }).map((p) => p.field)).toEqual(fields);
  });
});

/** A fingerprint of a set of people with these ids (hash = id, bucket = id mod 64), as the store makes them. */
const fingerprint = (ids: readonly number[]): CellFingerprint => {
  const buckets = new Array<bigint>(FINGERPRINT_BUCKETS).fill(0n);
  for (const id of ids) buckets[id % FINGERPRINT_BUCKETS] = buckets[id % FINGERPRINT_BUCKETS]! ^ BigInt(id) * 2654435761n;
  return { n: ids.length, buckets };
};
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('differencing', () => {
  const big = fingerprint(range(1, 500));

  it('sees two cells that differ by a few people, and not the same cell or very different ones', () => {
    expect(differingBuckets(big, fingerprint(range(1, 500)))).toBe(0);
    expect(differingBuckets(big, fingerprint(range(1, 497)))).toBe(3);
    expect(differsBySmallGroup(big, fingerprint(range(1, 497)), 10)).toBe(true);
    expect(differsBySmallGroup(big, fingerprint(range(1, 500)), 10)).toBe(false);
    expect(differsBySmallGroup(big, fingerprint(range(100, 500)), 10)).toBe(false);
    // Same size, different people (3 out, 3 in): still a small difference.
    expect(differsBySmallGroup(big, fingerprint([...range(4, 497), 9001, 9002, 9003]), 10)).toBe(true);
  });

  it('remembers what a user was shown and finds the near-identical cell', () => {
    const monitor = new DifferencingMonitor(10);
    monitor.remember(big, 'dementia or female, nb-1');
    expect(monitor.clash(fingerprint(range(1, 500)))).toBeUndefined();
    expect(monitor.clash(fingerprint(range(1, 494)))).toBe('dementia or female, nb-1');
    expect(monitor.clash(fingerprint(range(1, 300)))).toBeUndefined();
  });

  it('forgets the oldest cells beyond its capacity', () => {
    const monitor = new DifferencingMonitor(10, 2);
    monitor.remember(fingerprint(range(1, 100)), 'a');
    monitor.remember(fingerprint(range(1000, 100)), 'b');
    monitor.remember(fingerprint(range(5000, 100)), 'c');
    expect(monitor.size).toBe(2);
    expect(monitor.clash(fingerprint(range(1, 98)))).toBeUndefined();
    expect(monitor.clash(fingerprint(range(1000, 98)))).toBe('b');
  });
});
