import { describe, expect, it } from 'vitest';
import { breakdownLabel, breakdownOptions, breakdownPhrase, deprivationEnd, inSentence } from './breakdowns.js';

describe('the names of breakdowns', () => {
  it('names breakdowns for headings and for sentences ("by age band"), an unknown one by its id', () => {
    const ids = ['place', 'imd-decile', 'age-band', 'local-authority', 'lsoa', 'ics', 'something-new'];
    expect(ids.map(breakdownLabel)).toEqual(['Place', 'IMD decile', 'Age band', 'Local authority', 'LSOA', 'ICS', 'something-new']);
    expect(ids.map(breakdownPhrase)).toEqual(['place', 'IMD decile', 'age band', 'local authority', 'LSOA', 'ICS', 'something-new']);
  });

  it('writes a label in lower case inside a sentence, but not an initialism', () => {
    expect(['Ethnic group', 'IMD quintile', 'Sex', ''].map(inSentence)).toEqual(['ethnic group', 'IMD quintile', 'sex', '']);
  });

  it('makes options in the order asked for', () => {
    expect(breakdownOptions(['sex', 'imd-quintile'])).toEqual([
      { id: 'sex', label: 'Sex' },
      { id: 'imd-quintile', label: 'IMD quintile' },
    ]);
  });

  it.each<[number | string, number, string]>([
    [1, 10, ' (most deprived)'],
    ['1', 10, ' (most deprived)'],
    [10, 10, ' (least deprived)'],
    ['10', 10, ' (least deprived)'],
    [5, 5, ' (least deprived)'],
    [5, 10, ''],
    [3, 5, ''],
  ])('deprivation group %j of %i%s', (level, levels, end) => {
    expect(deprivationEnd(level, levels)).toBe(end);
  });
});
