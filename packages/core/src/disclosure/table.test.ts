import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/errors.js';
import { type DisclosureCell, type MarginalGroup, cellId, denominatorKindOf, marginalGroupsFromKeys, validateTable } from './table.js';

describe('cellId', () => {
  it.each([
    [{}, 'all'],
    [{ place: 'leeds' }, 'place=leeds'],
    [{ sex: 'F', place: 'leeds' }, 'place=leeds;sex=F'],
  ])('%o → %s', (key, expected) => {
    expect(cellId(key)).toBe(expected);
  });
});

describe('denominatorKindOf', () => {
  it.each([
    ['person-proportion', 'count'],
    ['event-proportion', 'count'],
    ['event-rate', 'population'],
    ['life-expectancy', 'population'],
    ['observed-expected', 'population'],
  ] as const)('%s → %s', (measure, expected) => {
    expect(denominatorKindOf(measure)).toBe(expected);
  });
});

describe('marginalGroupsFromKeys', () => {
  const cell = (key: Record<string, string>, numerator = 10): DisclosureCell => ({ key, numerator });

  it('reads a 1-D table: the ICS is the total of its places', () => {
    const cells = [cell({}), cell({ place: 'a' }), cell({ place: 'b' })];
    expect(marginalGroupsFromKeys(cells)).toEqual([{ total: 'all', parts: ['place=a', 'place=b'] }]);
  });

  it('reads a 2-D table: rows, columns and both margins', () => {
    const cells = [
      cell({}),
      cell({ sex: 'F' }),
      cell({ sex: 'M' }),
      cell({ place: 'a' }),
      cell({ place: 'b' }),
      ...['F', 'M'].flatMap((sex) => ['a', 'b'].map((place) => cell({ place, sex }))),
    ];
    expect(marginalGroupsFromKeys(cells)).toEqual([
      { total: 'all', parts: ['place=a', 'place=b'] },
      { total: 'all', parts: ['sex=F', 'sex=M'] },
      { total: 'sex=F', parts: ['place=a;sex=F', 'place=b;sex=F'] },
      { total: 'sex=M', parts: ['place=a;sex=M', 'place=b;sex=M'] },
      { total: 'place=a', parts: ['place=a;sex=F', 'place=a;sex=M'] },
      { total: 'place=b', parts: ['place=b;sex=F', 'place=b;sex=M'] },
    ]);
  });

  it('reads a hierarchy when nested keys carry the parent dimension', () => {
    const cells = [cell({}), cell({ place: 'a' }), cell({ place: 'a', neighbourhood: 'a1' }), cell({ place: 'a', neighbourhood: 'a2' })];
    expect(marginalGroupsFromKeys(cells)).toEqual([
      { total: 'all', parts: ['place=a'] },
      { total: 'place=a', parts: ['neighbourhood=a1;place=a', 'neighbourhood=a2;place=a'] },
    ]);
  });
});

describe('validateTable', () => {
  const ok: DisclosureCell[] = [
    { id: 'all', key: {}, numerator: 30, denominator: 100 },
    { id: 'a', key: { place: 'a' }, numerator: 10, denominator: 40 },
    { id: 'b', key: { place: 'b' }, numerator: 20, denominator: 60 },
  ];
  const groups: MarginalGroup[] = [{ total: 'all', parts: ['a', 'b'] }];

  it('accepts a consistent table and returns the cells by id', () => {
    expect([...validateTable(ok, groups, 'count').keys()]).toEqual(['all', 'a', 'b']);
  });

  it('accepts non-integer population denominators', () => {
    const cells = ok.map((c) => ({ ...c, denominator: (c.denominator ?? 0) + 0.5 }));
    expect(() => validateTable(cells, groups, 'population')).not.toThrow();
  });

  const withCell = (index: number, change: Partial<DisclosureCell>): DisclosureCell[] => ok.map((c, i) => (i === index ? { ...c, ...change } : c));

  it.each([
    ['a duplicated id', withCell(2, { id: 'a' }), groups, 'count', /cell id 'a' appears twice/],
    ['an empty id', withCell(1, { id: '' }), groups, 'count', /empty id/],
    ['a negative numerator', withCell(1, { numerator: -1 }), groups, 'count', /cell 'a': numerator must be a non-negative integer/],
    ['a fractional numerator', withCell(1, { numerator: 2.5 }), groups, 'count', /cell 'a': numerator must be a non-negative integer/],
    ['a NaN denominator', withCell(1, { denominator: Number.NaN }), groups, 'population', /cell 'a': denominator must be a non-negative number/],
    ['a fractional count denominator', withCell(1, { denominator: 40.5 }), groups, 'count', /use denominator kind 'population'/],
    ['a numerator above its count denominator', withCell(1, { denominator: 5 }), groups, 'count', /numerator 10 is above the count denominator 5/],
    ['an unknown derivedFrom', withCell(0, { derivedFrom: ['zz'] }), groups, 'count', /derived from unknown cell 'zz'/],
    ['a self-derived cell', withCell(0, { derivedFrom: ['all'] }), groups, 'count', /derived from itself/],
    ['an unknown total', ok, [{ total: 'x', parts: ['a'] }], 'count', /group total 'x' is not a cell/],
    ['an unknown part', ok, [{ total: 'all', parts: ['a', 'c'] }], 'count', /part 'c' is not a cell/],
    ['no parts', ok, [{ total: 'all', parts: [] }], 'count', /has no parts/],
    ['the total as a part', ok, [{ total: 'all', parts: ['all', 'a'] }], 'count', /lists its total as a part/],
    ['a repeated part', ok, [{ total: 'all', parts: ['a', 'a', 'b'] }], 'count', /lists part 'a' twice/],
    ['parts that do not add up', ok, [{ total: 'all', parts: ['a'] }], 'count', /numerators sum to 10, not the total's 30/],
    ['count denominators that do not add up', withCell(0, { denominator: 99 }), groups, 'count', /count denominators sum to 100, not the total's 99/],
    ['an unknown denominator kind', ok, groups, 'people', /denominator kind must be/],
  ] as const)('rejects %s', (_what, cells, g, kind, message) => {
    const run = () => validateTable(cells, g, kind as 'count');
    expect(run).toThrow(UserError);
    expect(run).toThrow(message);
    expect(() => validateTable(cells, g, kind as 'count')).toThrow(expect.objectContaining({ kind: 'invalid-input' }));
  });

  it('does not require population denominators to add up', () => {
    expect(() => validateTable(withCell(0, { denominator: 99 }), groups, 'population')).not.toThrow();
  });
});
