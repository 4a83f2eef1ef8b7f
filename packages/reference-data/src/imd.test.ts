import { describe, expect, it } from 'vitest';
import { InputError } from '@openphm/core';
import { parseHealthDeprivationCsv, parseImdCsv, parsePopulationCsv, quintileOfDecile } from './imd.js';

const crlf = (lines: string[]) => `\uFEFF${lines.join('\r\n')}\r\n`;

const IMD_HEADER =
  'LSOA code (2011),LSOA name (2011),Local Authority District code (2019),Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile';

const caught = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
};

describe('parseImdCsv', () => {
  it('reads ranks written with thousands separators, with BOM and CRLF', () => {
    const rows = parseImdCsv(crlf([IMD_HEADER, 'E01000001,City of London 001A,E09000001,City of London,"29,199",9', 'E01010568,Bradford 016A,E08000032,Bradford,12,1']));
    expect([...rows]).toEqual([
      ['E01000001', { rank: 29199, decile: 9 }],
      ['E01010568', { rank: 12, decile: 1 }],
    ]);
  });

  it('names file, line and field for a missing column', () => {
    const error = caught(() => parseImdCsv(crlf(['LSOA code (2011),Index of Multiple Deprivation (IMD) Rank', 'E01000001,1']), 'imd.csv'));
    expect(error.location).toEqual({ file: 'imd.csv', line: 1, field: 'Index of Multiple Deprivation (IMD) Decile' });
  });

  it.each([
    ['not a number', 'E01000001,A,E09000001,C,n/a,9', 'Index of Multiple Deprivation (IMD) Rank', /'n\/a' is not a number/],
    ['rank out of range', 'E01000001,A,E09000001,C,"40,000",9', 'Index of Multiple Deprivation (IMD) Rank', /40000 is not a whole number from 1 to 32844/],
    ['decile out of range', 'E01000001,A,E09000001,C,5,11', 'Index of Multiple Deprivation (IMD) Decile', /11 is not a whole number from 1 to 10/],
  ])('rejects %s, naming line 3', (_label, row, field, message) => {
    const error = caught(() => parseImdCsv(crlf([IMD_HEADER, 'E01000002,B,E09000001,C,1,1', row]), 'imd.csv'));
    expect(error.location).toEqual({ file: 'imd.csv', line: 3, field });
    expect(error.message).toMatch(message);
  });

  it('rejects a duplicate LSOA', () => {
    const error = caught(() => parseImdCsv(crlf([IMD_HEADER, 'E01000001,A,E,C,1,1', 'E01000001,A,E,C,2,1'])));
    expect(error.message).toMatch(/line 3, field 'LSOA code \(2011\)': duplicate LSOA 'E01000001'/);
  });
});

describe('parseHealthDeprivationCsv', () => {
  it('reads the Health Deprivation and Disability rank among quoted headers', () => {
    const header = 'LSOA code (2011),"Education, Skills and Training Rank (where 1 is most deprived)",Health Deprivation and Disability Rank (where 1 is most deprived)';
    expect([...parseHealthDeprivationCsv(crlf([header, 'E01000001,"1,234","32,113"']))]).toEqual([['E01000001', 32113]]);
  });
});

describe('parsePopulationCsv', () => {
  const header =
    'LSOA code (2011),Total population: mid 2015 (excluding prisoners),Dependent Children aged 0-15: mid 2015 (excluding prisoners),Population aged 16-59: mid 2015 (excluding prisoners),Older population aged 60 and over: mid 2015 (excluding prisoners)';

  it('reads the total and age groups', () => {
    expect(parsePopulationCsv(crlf([header, 'E01000001,"1,296",175,656,465'])).get('E01000001')).toEqual({ total: 1296, age0to15: 175, age16to59: 656, age60plus: 465 });
  });

  it('rejects age groups that do not add up', () => {
    expect(() => parsePopulationCsv(crlf([header, 'E01000001,"1,296",175,656,400']), 'pop.csv')).toThrow(
      "pop.csv, line 2, field 'Total population: mid 2015 (excluding prisoners)': the age groups do not add up to the total",
    );
  });
});

describe('quintileOfDecile', () => {
  it.each([[1, 1], [2, 1], [3, 2], [9, 5], [10, 5]])('decile %d → quintile %d', (decile, quintile) => expect(quintileOfDecile(decile)).toBe(quintile));
});
