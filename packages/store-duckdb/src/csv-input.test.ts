import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordLines, splitCsvLine } from './csv-input.js';
import { makeTempDir, removeDir } from './test-support.js';

describe('splitCsvLine', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['"a","b,c",d', ['a', 'b,c', 'd']],
    ['"say ""hi""",,x', ['say "hi"', '', 'x']],
  ])('%s', (line, fields) => {
    expect(splitCsvLine(line)).toEqual(fields);
  });
});

describe('recordLines', () => {
  let root: string;
  beforeAll(() => {
    root = makeTempDir();
  });
  afterAll(() => removeDir(root));

  it.each([
    ['plain lines', 'h1,h2\na,1\nb,2\nc,3\n', [0, 2], [[0, 2], [2, 4]]],
    ['blank lines are not records', 'h1,h2\n\na,1\n\r\n\nb,2\n', [0, 1], [[0, 3], [1, 6]]],
    ['a quoted line break stays in its record', 'h1,h2\n"a\nstill a",1\nb,2\n', [0, 1], [[0, 2], [1, 4]]],
    ['CRLF', 'h1,h2\r\na,1\r\nb,2\r\n', [1], [[1, 3]]],
    ['a record past the end is not found', 'h1,h2\na,1\n', [5], []],
  ])('%s', async (_name, text, indices, expected) => {
    const file = join(root, 'f.csv');
    writeFileSync(file, text);
    expect([...(await recordLines(file, indices))]).toEqual(expected);
  });
});
