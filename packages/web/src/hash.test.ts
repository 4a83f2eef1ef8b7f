import { describe, expect, it } from 'vitest';
import { hashOf, paramsOfHash } from './hash.js';

describe('the page and its choices in the address', () => {
  it.each<[string, Record<string, string | undefined>, string]>([
    ['dashboard', {}, '#/dashboard'],
    ['dashboard', { area: 'place:leeds' }, '#/dashboard?area=place%3Aleeds'],
    ['directory', { q: 'walking group', category: '', place: undefined, age: '70' }, '#/directory?q=walking+group&age=70'],
    ['worklist', { cohort: 'frail-65', neighbourhood: 'leeds-01' }, '#/worklist?cohort=frail-65&neighbourhood=leeds-01'],
  ])('%s with %j is %s', (page, params, hash) => {
    expect(hashOf(page, params)).toBe(hash);
  });

  it.each<[string, Record<string, string>]>([
    ['#/dashboard?area=place%3Aleeds&indicator=x', { area: 'place:leeds', indicator: 'x' }],
    ['#/dashboard', {}],
    ['', {}],
    ['#/directory?q=walking+group', { q: 'walking group' }],
  ])('%j reads as %j', (hash, params) => {
    expect(Object.fromEntries(paramsOfHash(hash))).toEqual(params);
  });

  it('reads back what it wrote', () => {
    const params = { area: 'neighbourhood:leeds-01', indicator: 'a&b=c' };
    expect(Object.fromEntries(paramsOfHash(hashOf('dashboard', params)))).toEqual(params);
  });
});
