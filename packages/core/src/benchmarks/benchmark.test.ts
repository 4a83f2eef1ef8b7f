import { describe, expect, it } from 'vitest';
import type { ImportTable } from '../care/import-table.js';
import { BenchmarkValueSchema, parseBenchmarkTable } from './benchmark.js';

/** A table from CSV lines without quotes (line 1 is the header). */
const table = (...lines: string[]): ImportTable => ({
  file: 'england.csv',
  header: lines[0]!.split(','),
  rows: lines.slice(1).map((l, i) => ({ line: i + 2, cells: l.split(',') })),
});

const FINGERTIPS =
  'Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend';
const SHARED = 'indicator_name,fingertips_indicator_id,area_code,area_name,sex,age,period,value,lower_ci_95,upper_ci_95,count,denominator,unit,source_repo,source_path,source_commit,licence';

describe('reading benchmark CSV tables', () => {
  it('reads a Fingertips download by column name, leaving out category rows and extra columns', () => {
    const parsed = parseBenchmarkTable(
      table(
        FINGERTIPS,
        '93085,Smoking status at time of delivery,,,E92000001,England,England,Female,All ages,,,2023/24,7.4,7.35,7.45,7.3,7.5,38884,525432,,',
        '93085,Smoking status at time of delivery,,,E92000001,England,England,Female,All ages,Deprivation deciles,Most deprived decile,2023/24,12.1,11.9,12.3,,,9000,74000,,',
        '93085,Smoking status at time of delivery,E92000001,England,E12000003,Yorkshire and the Humber,Region,Female,All ages,,,2023/24,9.1,,,,,,,,',
      ),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.categoryRows).toBe(1);
    expect(parsed.values).toEqual([
      { indicatorId: '93085', indicatorName: 'Smoking status at time of delivery', areaCode: 'E92000001', areaName: 'England', sex: 'Female', age: 'All ages', period: '2023/24', value: 7.4, lower95: 7.35, upper95: 7.45, count: 38884, denominator: 525432, unit: '', source: 'OHID Fingertips' },
      { indicatorId: '93085', indicatorName: 'Smoking status at time of delivery', areaCode: 'E12000003', areaName: 'Yorkshire and the Humber', sex: 'Female', age: 'All ages', period: '2023/24', value: 9.1, lower95: null, upper95: null, count: null, denominator: null, unit: '', source: 'OHID Fingertips' },
    ]);
    for (const v of parsed.values) expect(BenchmarkValueSchema.safeParse(v).success).toBe(true);
  });

  it("reads the shared file's snake_case header, with its source and unit, and rows without an id", () => {
    const parsed = parseBenchmarkTable(
      table(
        SHARED,
        'Diabetes prevalence,241,E92000001,England,Persons,17+ yrs,2023/24,7.655,7.648,7.662,3938080,51441000,Proportion,dhsc-govuk/FingertipsNext,data/x.csv,0123456789abcdef0123,OGL v3',
        'Reception obesity,92026/90319/93105,E92000001,England,Persons,4-5 yrs,2024/25,10.5,,,,,Percentage,traffordDataLab/trafford_themes,y.csv,abc,OGL v3',
        'Suicide rate (ONS),—,E92000001,England,Persons,,2017-2019,10.1,,,,,Age-standardised rate,traffordDataLab/charticles,z.csv,def,OGL v3',
      ),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.values.map((v) => [v.indicatorId, v.age, v.value, v.unit])).toEqual([
      ['241', '17+ yrs', 7.655, 'Proportion'],
      ['92026/90319/93105', '4-5 yrs', 10.5, 'Percentage'],
      [null, '', 10.1, 'Age-standardised rate'],
    ]);
    expect(parsed.values[0]!.source).toBe('OHID Fingertips, read from github.com/dhsc-govuk/FingertipsNext/data/x.csv at 0123456789ab');
  });

  const bad = (row: string) => parseBenchmarkTable(table(SHARED, row)).errors.map((e) => e.message);
  const good = 'X,241,E92000001,England,Persons,17+ yrs,2023/24,7.6,7.5,7.7,10,100,,r,p,c,l';
  const withCell = (i: number, v: string) => good.split(',').map((c, j) => (j === i ? v : c)).join(',');

  it.each([
    ['an id that is not digits', withCell(1, '24a'), "line 2, field 'Indicator ID (fingertips_indicator_id)': '24a' is not a Fingertips indicator id"],
    ['an empty name', withCell(0, ''), "line 2, field 'Indicator Name (indicator_name)': empty"],
    ['an area code with a space', withCell(2, 'E92 01'), "line 2, field 'Area Code (area_code)': 'E92 01' is not an area code"],
    ['an empty area name', withCell(3, ''), "field 'Area Name (area_name)': empty"],
    ['an unknown sex', withCell(4, 'All'), "field 'Sex (sex)': 'All' is not one of Persons, Female, Male"],
    ['an empty period', withCell(6, ''), "field 'Time period (period)': empty"],
    ['a value in words', withCell(7, 'seven'), "field 'Value (value)': 'seven' is not a number"],
    ['a thousands separator', withCell(11, '1 000'), "field 'Denominator (denominator)': '1 000' is not a number"],
    ['a negative count', withCell(10, '-1'), "field 'Count (count)': -1 is negative"],
    ['limits the wrong way round', withCell(8, '7.8'), "field 'Lower CI 95.0 limit (lower_ci_95)': the lower limit 7.8 is above the upper limit 7.7"],
    ['a value outside its limits', withCell(7, '7.9'), "field 'Value (value)': 7.9 is above its upper 95% limit 7.7"],
    ['a short row', 'X,241,E92000001', "line 2, field '(row)': 3 fields, the header has 17"],
  ])('refuses %s, naming the file, line and field', (_what, row, message) => {
    const errors = bad(row);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('england.csv');
    expect(errors[0]).toContain(message);
  });

  it('accepts a row without a value (the source publishes none) and blank lines', () => {
    const parsed = parseBenchmarkTable(table(SHARED, withCell(7, ''), ''));
    expect(parsed.errors).toEqual([]);
    expect(parsed.values.map((v) => v.value)).toEqual([null]);
  });

  it('refuses a row repeating the indicator, area, sex, age and period of an earlier one', () => {
    const errors = parseBenchmarkTable(table(SHARED, good, withCell(7, '7.65'))).errors.map((e) => e.message);
    expect(errors).toEqual(["england.csv, line 3, field '(row)': repeats line 2 (the same indicator, area, sex, age and period)"]);
  });

  it('names the missing columns of another file', () => {
    const errors = parseBenchmarkTable(table('indicator,area,value', 'a,b,1')).errors.map((e) => e.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^england\.csv, line 1: missing columns Indicator ID \(fingertips_indicator_id\), Indicator Name \(indicator_name\), Area Code/);
  });

  it('stops after the limit of problems', () => {
    const rows = Array.from({ length: 30 }, () => withCell(4, 'X'));
    expect(parseBenchmarkTable(table(SHARED, ...rows), { limit: 5 }).errors).toHaveLength(5);
  });
});
