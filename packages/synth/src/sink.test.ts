import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvPartSink, csvHeader, identityCsvHeader, IDENTITY_DIR } from './sink.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('CsvPartSink', () => {
  it.each([
    ['no rows', [] as string[]],
    ['one row', ['1,2021-04-01,GP,face-to-face']],
    // Many more bytes than one buffer holds, so lines cross its end.
    ['50,000 rows', Array.from({ length: 50_000 }, (_, i) => `${i * 7919},2021-04-${String(1 + (i % 28)).padStart(2, '0')},Nurse,telephone`)],
    ['non-ASCII text', ['1,Zoë Ó Briain,Łódź', '2,李,😀', '3,plain']],
    ['a line longer than the buffer', ['short', 'x'.repeat(300_000), 'é'.repeat(100_000), 'after']],
  ])('writes the header and every line, each ended by a newline (%s)', (_, lines) => {
    const dir = mkdtempSync(join(tmpdir(), 'phm-sink-'));
    dirs.push(dir);
    const sink = new CsvPartSink(dir, 'part-0007', { identities: true });
    for (const line of lines) {
      sink.row('gp_appointment', line);
      sink.identity(line);
    }
    sink.close();
    const expected = [csvHeader('gp_appointment'), ...lines].map((l) => `${l}\n`).join('');
    expect(readFileSync(join(dir, 'gp_appointment', 'part-0007.csv'), 'utf8') === expected).toBe(true);
    expect(readFileSync(join(dir, IDENTITY_DIR, 'part-0007.csv'), 'utf8') === [identityCsvHeader(), ...lines].map((l) => `${l}\n`).join('')).toBe(true);
    expect(readFileSync(join(dir, 'person', 'part-0007.csv'), 'utf8')).toBe(`${csvHeader('person')}\n`);
    expect([sink.counts.gp_appointment, sink.counts.person, sink.identities]).toEqual([lines.length, 0, lines.length]);
  });
});
