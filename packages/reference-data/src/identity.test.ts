import { describe, expect, it } from 'vitest';
import { loadGeography } from './geography.js';
import { buildIdentityReference, loadIdentityReference, postcodesOfLsoa, type IdentityTexts } from './identity.js';

const texts = (over: Partial<IdentityTexts> = {}): IdentityTexts => ({
  firstNames: [
    'name,sex,year,count,rank',
    'Mary,F,1904,,1',
    'Florence,F,1904,,2',
    'John,M,1904,,1',
    'Olivia,F,2010,500,1',
    'Amelia,F,2010,300,2',
    'Olivia,F,2011,400,1',
    'Oliver,M,2010,700,1',
  ].join('\n'),
  surnames: [
    'surname,rank,count,population,form,source_id',
    'Brown,2,,Scotland,all,NRS',
    'Smith,1,,Scotland,all,NRS',
    'Murphy,1,,Ireland,all,CSO',
    'Nowak,1,,Poland,male_form,PESEL',
    'Nowak,1,,Poland,female_form,PESEL',
    'Kowalski,2,,Poland,male_form,PESEL',
    'Kowalska,2,,Poland,female_form,PESEL',
    'Akter,1,,Bangladesh,all,W',
    'Rodriguez,23,,GB,all,W',
  ].join('\n'),
  postcodes: [
    'postcode,lsoa11cd,lad_code,latitude,longitude,terminated,terminated_basis,lsoa21cd,lsoa11_method',
    'LS1 2AB,E01000001,E08000035,,,0,x,E01000001,lsoa21_same',
    'LS1 1AA,E01000001,E08000035,,,,unknown,E01000001,lsoa21_same',
    'LS1 9ZZ,E01000001,E08000035,,,1,x,E01000001,lsoa21_same',
    'HD1 1AA,E01000002,E08000034,,,0,x,E01000099,lsoa21_bestfit',
    'HD1 1AB,E01000002,E08000034,,,0,x,E01000099,lsoa21_bestfit',
  ].join('\n'),
  lsoa21to11: [
    'lsoa21cd,lsoa21nm,lsoa11cd,lsoa11nm,method,overlap_frac',
    'E01000001,Leeds 001A,E01000001,Leeds 001A,same_code,1.0',
    'E01000099,Kirklees 053G,E01000002,Kirklees 053C,bestfit_area_overlap,0.77',
  ].join('\n'),
  ...over,
});

describe('the identity reference data', () => {
  const ref = buildIdentityReference(texts());

  it('weights given names by count from 1996 and by rank (1/rank) before', () => {
    expect(ref.givenNames.F.map((y) => [y.year, y.names, y.cumulative, y.counted])).toEqual([
      [1904, ['Mary', 'Florence'], [1, 1.5], false],
      [2010, ['Olivia', 'Amelia'], [500, 800], true],
      [2011, ['Olivia'], [400], true],
    ]);
    expect(ref.givenNames.M.map((y) => y.year)).toEqual([1904, 2010]);
    expect(ref.givenNameTotals.F).toEqual({ Olivia: 900, Amelia: 300 });
  });

  it('ranks surnames per source and sex, leaving out lists it does not use', () => {
    expect(ref.surnames).toEqual({
      scotland: ['Smith', 'Brown'],
      ireland: ['Murphy'],
      'poland-male': ['Nowak', 'Kowalski'],
      'poland-female': ['Nowak', 'Kowalska'],
      india: [],
      bangladesh: ['Akter'],
    });
  });

  it.each([
    ['its own live postcodes, sorted, not the terminated one', { code: 'E01000001', name: 'Leeds 001A' }, ['LS1 1AA', 'LS1 2AB']],
    ['the best-fit LSOA keeps its postcodes', { code: 'E01000002', name: 'Kirklees 053C' }, ['HD1 1AA', 'HD1 1AB']],
    ['an LSOA merged in 2021 takes those of the LSOA it merged into', { code: 'E01000003', name: 'Kirklees 053D' }, ['HD1 1AA', 'HD1 1AB']],
    ['an unknown LSOA has none', { code: 'E01000004', name: 'Leeds 002A' }, []],
  ])('%s', (_, lsoa, postcodes) => {
    expect(postcodesOfLsoa(ref, lsoa)).toEqual(postcodes);
  });

  it.each([
    [{ firstNames: 'name,sex,year,count,rank\nMary,X,1904,,1' }, "identity/first_names.csv, line 2, field 'sex': 'X' is not F or M"],
    [{ firstNames: 'name,sex,year,rank\nMary,F,1904,1' }, "identity/first_names.csv, line 1, field 'count': missing column 'count' in the header"],
    [{ postcodes: 'postcode,lsoa11cd\nLS1 1AA,E01000001' }, "identity/postcode_lsoa11_wyh.csv, line 1, field 'lsoa21cd'"],
  ])('names the file, line and field of a bad row (%j)', (over, message) => {
    expect(() => buildIdentityReference(texts(over))).toThrow(message);
  });

  it('covers every LSOA of the partnership with live postcodes (the shared data)', async () => {
    const [geography, real] = await Promise.all([loadGeography(), loadIdentityReference()]);
    const without = geography.lsoas.filter((l) => postcodesOfLsoa(real, l).length === 0).map((l) => l.code);
    expect(without).toEqual([]);
    // Kirklees 053D and Leeds 112E were merged in 2021: they take the merged LSOA's postcodes.
    expect(Object.keys(real.postcodesOfMergedByMsoa).sort()).toEqual(['Kirklees 053', 'Leeds 112']);
    expect(real.givenNames.F.length).toBeGreaterThan(30);
  });
});
