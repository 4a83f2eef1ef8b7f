import { describe, expect, it } from 'vitest';
import { Random } from '@openphm/core';
import type { NameYear } from '@openphm/reference-data';
import { countedPicker, inheritedFamilyName, nameYearFor, pick, rankedPicker } from './names.js';

describe('names', () => {
  it.each([
    ['Nowakowska', false, 'Nowakowska'],
    ['Nowakowska', true, 'Nowakowski'],
    ['Wysocka', true, 'Wysocki'],
    ['Zawadzka', true, 'Zawadzki'],
    ['Smith', true, 'Smith'],
    ['Begum', false, null],
    ['Kaur', true, null],
    ['Akhtar', true, 'Akhtar'],
  ])("a baby of a mother named %s (boy: %s) is named %s", (mother, male, expected) => {
    expect(inheritedFamilyName(mother, male)).toBe(expected);
  });

  const years = [1904, 1994, 1996, 2024].map((year): NameYear => ({ year, names: [String(year)], cumulative: [1], counted: year >= 1996 }));
  it.each([
    [1880, 1904],
    [1909, 1904],
    [1949, 1994], // nearest published year
    [1995, 1996], // a tie goes to the later year
    [2010, 2024],
    [2026, 2024],
  ])('someone born in %i gets names of %i', (born, year) => {
    expect(nameYearFor(years, born).year).toBe(year);
  });

  it('weights ranked names 1/rank^0.9 and listed given names by the square root of ONS births (at least 100)', () => {
    const ranked = rankedPicker(['A', 'B', 'C']);
    expect(ranked.cumulative[0]).toBeCloseTo(1);
    expect(ranked.cumulative[1]! - ranked.cumulative[0]!).toBeCloseTo(1 / 2 ** 0.9);
    const counted = countedPicker(['Jakub', 'Michał', 'Zzz'], { Jakub: 10_000, Michal: 400 });
    expect(counted.cumulative).toEqual([100, 120, 130]);
  });

  it('draws by weight', () => {
    const rng = Random.fromKey('names-test');
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const name = pick(rng, { names: ['heavy', 'light'], cumulative: [9, 10] });
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    expect(counts.get('heavy')! / 10_000).toBeCloseTo(0.9, 1);
  });
});
