import { describe, expect, it } from 'vitest';
import { InputError } from '@openphm/core';
import { CsvRowReader, columnIndex, columnReader, parseCsv, parseNumber, readCsvTable } from './csv.js';

describe('parseCsv', () => {
  it.each([
    ['LF', 'a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['CRLF', 'a,b\r\n1,2\r\n', [['a', 'b'], ['1', '2']]],
    ['BOM', '\uFEFFa,b\r\n1,2', [['a', 'b'], ['1', '2']]],
    ['quoted thousands', 'a,b\r\nx,"1,296"\r\n', [['a', 'b'], ['x', '1,296']]],
    ['doubled quotes', 'a\n"say ""hi"""\n', [['a'], ['say "hi"']]],
    ['empty fields', 'a,b,c\n,,\n', [['a', 'b', 'c'], ['', '', '']]],
    ['blank lines skipped', 'a\n\n1\n\n', [['a'], ['1']]],
  ])('%s', (_label, text, expected) => {
    expect(parseCsv(text, 'f.csv').map((r) => r.cells)).toEqual(expected);
  });

  it('keeps the line number where a row starts, across quoted line breaks', () => {
    const rows = parseCsv('a,b\r\n"x\r\ny",1\r\nz,2\r\n', 'f.csv');
    expect(rows.map((r) => [r.line, r.cells[0]])).toEqual([[1, 'a'], [2, 'x\r\ny'], [4, 'z']]);
  });

  it('rejects an unterminated quote, naming file and line', () => {
    expect(() => parseCsv('a\n"oops\n', 'f.csv')).toThrow(/f\.csv, line 2: unterminated quoted field/);
  });
});

describe('CsvRowReader: the same rows whatever the chunks', () => {
  const text = '\uFEFFarea,name,n\r\nE1,"Leeds, West",1\r\nE2,"say ""hi""\r\nthere",2\r\n\r\nE3,plain,"1,296"\nE4,,\rE5,last,5';
  const expected = parseCsv(text, 'f.csv');
  const read = (chunks: string[]) => {
    const rows: { line: number; cells: string[] }[] = [];
    const reader = new CsvRowReader('f.csv', (cells, line) => rows.push({ line, cells }));
    for (const chunk of chunks) reader.push(chunk);
    reader.end();
    return rows;
  };

  it('reads the whole text as parseCsv does', () => {
    expect(expected.map((r) => [r.line, r.cells])).toEqual([
      [1, ['area', 'name', 'n']],
      [2, ['E1', 'Leeds, West', '1']],
      [3, ['E2', 'say "hi"\r\nthere', '2']],
      [6, ['E3', 'plain', '1,296']],
      [7, ['E4', '', '']],
      [8, ['E5', 'last', '5']],
    ]);
  });

  it('split at every position into two chunks', () => {
    for (let at = 0; at <= text.length; at += 1) expect(read([text.slice(0, at), text.slice(at)]), `split at ${at}`).toEqual(expected);
  });

  it('one character at a time', () => {
    expect(read([...text])).toEqual(expected);
  });

  it('an unterminated quote is an error at the end, naming the row', () => {
    const reader = new CsvRowReader('f.csv', () => undefined);
    reader.push('a\n"oops');
    reader.push('\nmore');
    expect(() => reader.end()).toThrow(/f\.csv, line 2: unterminated quoted field/);
  });
});

describe('parseNumber', () => {
  const at = { file: 'f.csv', line: 3, field: 'n' };
  it.each([
    ['29199', 29199],
    ['1,296', 1296],
    ['"1,296"'.slice(1, -1), 1296],
    ['12,345,678', 12345678],
    [' 16.5572758284893 ', 16.5572758284893],
    ['-2.5', -2.5],
  ])('%s → %d', (text, value) => expect(parseNumber(text, at)).toBe(value));

  it.each(['', 'abc', '1,2', '12,34,567', '1.2.3', 'NaN'])('rejects %j with the location', (text) => {
    const error = (() => {
      try {
        parseNumber(text, at);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location).toEqual(at);
    expect((error as InputError).message).toContain("f.csv, line 3, field 'n'");
  });
});

describe('columns', () => {
  const table = readCsvTable('\uFEFFCode , Total  Population\r\nE1,"1,000"\r\nE2,x\r\nE3\r\n', 'pop.csv');

  it('matches header names ignoring case and spacing', () => {
    expect(columnIndex(table, 'code')).toBe(0);
    expect(columnIndex(table, 'Total Population')).toBe(1);
  });

  it('names file, line 1 and the field for a missing column', () => {
    expect(() => columnIndex(table, 'Age')).toThrow("pop.csv, line 1, field 'Age': missing column 'Age' in the header");
  });

  it('reads text and numbers, naming the row of a bad value or a short row', () => {
    const get = columnReader(table, { code: 'Code', total: 'Total Population' });
    expect(get.number(table.rows[0]!, 'total')).toBe(1000);
    expect(() => get.number(table.rows[1]!, 'total')).toThrow("pop.csv, line 3, field 'Total Population': 'x' is not a number");
    expect(() => get.text(table.rows[2]!, 'total')).toThrow(/pop\.csv, line 4, field 'Total Population': the row has 1 fields/);
  });

  it('rejects an empty file', () => {
    expect(() => readCsvTable('', 'e.csv')).toThrow('e.csv, line 1: the file is empty');
  });
});
