/**
 * English Indices of Deprivation 2019 (MHCLG): File 1 (IMD), File 2 (domains), File 6 (population
 * denominators). One row per 2011 LSOA in England.
 */
import { InputError, type LsoaPopulation } from '@openphm/core';
import { columnReader, readCsvTable, type CsvRow, type CsvTable } from './csv.js';

export const IMD_FILE = 'File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv';
export const DOMAINS_FILE = 'File_2_-_IoD2019_Domains_of_Deprivation.csv';
export const POPULATION_FILE = 'File_6_-_IoD2019_Population_Denominators.csv';

/** Number of LSOAs ranked by IMD 2019. */
export const IMD_LSOA_COUNT = 32_844;

export interface ImdRow {
  readonly rank: number;
  readonly decile: number;
}

const LSOA_CODE = 'LSOA code (2011)';

const integerIn = (value: number, min: number, max: number, row: CsvRow, file: string, field: string): number => {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError({ file, line: row.line, field }, `${value} is not a whole number from ${min} to ${max}`);
  }
  return value;
};

/** Reads a file keyed by LSOA code; `prepare` checks the needed columns and returns the row reader. */
const keyedRows = <T>(text: string, file: string, prepare: (table: CsvTable) => (row: CsvRow) => T): Map<string, T> => {
  const table = readCsvTable(text, file);
  const code = columnReader(table, { code: LSOA_CODE });
  const read = prepare(table);
  const out = new Map<string, T>();
  for (const row of table.rows) {
    const key = code.text(row, 'code');
    if (out.has(key)) throw new InputError({ file, line: row.line, field: LSOA_CODE }, `duplicate LSOA '${key}'`);
    out.set(key, read(row));
  }
  return out;
};

/** File 1: IMD 2019 rank (1 = most deprived) and decile (1 = most deprived 10%) by LSOA code. */
export const parseImdCsv = (text: string, file = IMD_FILE): Map<string, ImdRow> => {
  const fields = { rank: 'Index of Multiple Deprivation (IMD) Rank', decile: 'Index of Multiple Deprivation (IMD) Decile' } as const;
  return keyedRows(text, file, (table) => {
    const get = columnReader(table, fields);
    return (row) => ({
      rank: integerIn(get.number(row, 'rank'), 1, IMD_LSOA_COUNT, row, file, fields.rank),
      decile: integerIn(get.number(row, 'decile'), 1, 10, row, file, fields.decile),
    });
  });
};

/** File 2: Health Deprivation and Disability domain rank (1 = most deprived) by LSOA code. */
export const parseHealthDeprivationCsv = (text: string, file = DOMAINS_FILE): Map<string, number> => {
  const fields = { rank: 'Health Deprivation and Disability Rank (where 1 is most deprived)' } as const;
  return keyedRows(text, file, (table) => {
    const get = columnReader(table, fields);
    return (row) => integerIn(get.number(row, 'rank'), 1, IMD_LSOA_COUNT, row, file, fields.rank);
  });
};

/** File 6: mid-2015 population (excluding prisoners) by LSOA code: total, 0-15, 16-59, 60+. */
export const parsePopulationCsv = (text: string, file = POPULATION_FILE): Map<string, LsoaPopulation> => {
  const fields = {
    total: 'Total population: mid 2015 (excluding prisoners)',
    age0to15: 'Dependent Children aged 0-15: mid 2015 (excluding prisoners)',
    age16to59: 'Population aged 16-59: mid 2015 (excluding prisoners)',
    age60plus: 'Older population aged 60 and over: mid 2015 (excluding prisoners)',
  } as const;
  return keyedRows(text, file, (table) => {
    const get = columnReader(table, fields);
    return (row) => {
      const count = (key: keyof typeof fields) => integerIn(get.number(row, key), 0, 1_000_000, row, file, fields[key]);
      const population = { total: count('total'), age0to15: count('age0to15'), age16to59: count('age16to59'), age60plus: count('age60plus') };
      if (population.age0to15 + population.age16to59 + population.age60plus !== population.total) {
        throw new InputError({ file, line: row.line, field: fields.total }, 'the age groups do not add up to the total');
      }
      return population;
    };
  });
};

/** IMD quintile (1 = most deprived 20%) from the decile. */
export const quintileOfDecile = (decile: number): number => Math.ceil(decile / 2);
