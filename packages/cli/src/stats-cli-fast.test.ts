import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatRounded } from './commands/number-format.js';
import type { CliIo } from './io.js';
import { runCli } from './program.js';
import { plainStatsArgs, runStatsCli } from './stats-cli.js';
import { runPlainStats, writeRounded } from './stats-cli-fast.js';

const dir = mkdtempSync(path.join(tmpdir(), 'phm-stats-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = { code: number; stdout: string; stderr: string };
const capture = (): { io: CliIo; result: (code: number) => Run } => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: { write: (t) => void out.push(t) }, stderr: { write: (t) => void err.push(t) }, env: {}, cwd: dir };
  return { io, result: (code) => ({ code, stdout: out.join(''), stderr: err.join('') }) };
};
/** `phm stats …` as main.ts runs it (the fast path first). */
const statsCli = async (...argv: string[]): Promise<Run> => {
  const { io, result } = capture();
  return result(await runStatsCli(argv, io));
};
/** The same command through the full program, which always runs the general command (commands/stats.ts). */
const general = async (...argv: string[]): Promise<Run> => {
  const { io, result } = capture();
  return result(await runCli(argv, io));
};
/** Whether the fast path takes the run (and then its output), read in pieces of `chunk` bytes and written in pieces of about `piece`. */
const fast = async (argv: string[], chunk?: number, piece = 1000): Promise<Run | false> => {
  const args = plainStatsArgs(argv);
  if (args === undefined) return false;
  const { io, result } = capture();
  return (await runPlainStats(args, io, ...(chunk === undefined ? [] : [{ chunk, piece }]))) ? result(0) : false;
};
const file = (name: string, text: string | Buffer): string => {
  writeFileSync(path.join(dir, name), text);
  return name;
};
const leftovers = (): string[] => readdirSync(dir).filter((f) => f.includes('.tmp-'));

/** A deterministic generator (mulberry32). */
const generator = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

describe('writeRounded', () => {
  it("writes formatRounded's text, byte for byte, at every magnitude and at the rounding edges", () => {
    const random = generator(7);
    const values: number[] = [0, -0, 1, -1, 0.5, 1e-6, 9.99e-7, 1e-8, 5e-9, 4.9999999e-9, 1e7 - 5e-9, 1e7, 9999999.99999999, 1e15, 2 ** 53, 2 ** 53 + 2, 1e21, 1e300, 5e-324];
    values.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1 + 0.2, 2.675, 1.005, 123456.123456785, 0.000001234567895);
    for (let i = 0; i < 50_000; i += 1) {
      const magnitude = 10 ** Math.floor(random() * 24 - 10);
      const v = random() * magnitude;
      values.push(v, -v, Math.round(v), Math.round(v * 1e8) / 1e8, (Math.round(v * 1e8) + 0.5) / 1e8);
    }
    const out = new Uint8Array(64);
    const wrong = values.filter((v) => Buffer.from(out.subarray(0, writeRounded(out, 0, v))).toString('latin1') !== formatRounded(v));
    expect(wrong).toEqual([]);
  });
});

describe('phm stats proportion|rate by the fast path', () => {
  const plainFile = (method: 'proportion' | 'rate', rows: number, seed: number): string => {
    const random = generator(seed);
    const lines = [method === 'proportion' ? 'area,sex,numerator,denominator' : 'area,Count,denominator,year'];
    for (let i = 0; i < rows; i += 1) {
      const n = 1 + Math.floor(random() * (i % 3 === 0 ? 20 : 100_000));
      const x = method === 'proportion' ? Math.floor(random() * (n + 1)) : Math.floor(random() * (i % 2 === 0 ? 15 : 30_000));
      const area = i % 50 === 0 ? `Zürich ${i}` : `E${String(i).padStart(8, '0')}`;
      lines.push(method === 'proportion' ? `${area},${i % 2 === 0 ? 'F' : 'M'},${x},${n}` : `${area},${x},${n},20${i % 25}`);
    }
    return lines.join('\n') + (seed % 2 === 0 ? '\n' : '');
  };

  it('writes what the general command writes, byte for byte, to --out and to standard output, whatever the pieces the file is read in', async () => {
    for (const method of ['proportion', 'rate'] as const) {
      const input = file(`plain-${method}.csv`, plainFile(method, 3000, method === 'proportion' ? 2 : 3));
      for (const extra of [[], ['--confidence', '0.998,0.95,0.8'], ['--multiplier', '1'], ['--multiplier', '1e7', '--confidence', '99']]) {
        const argv = ['stats', method, '--input', input, ...extra];
        const expected = await general(...argv);
        expect(expected.code, expected.stderr).toBe(0);
        for (const chunk of [undefined, 5, 64, 4099]) {
          expect(await fast(argv, chunk), `${argv.join(' ')} in pieces of ${chunk}`).toEqual(expected);
        }
        expect(await statsCli(...argv)).toEqual(expected);
        expect(await statsCli(...argv, '--out', 'fast-out.csv')).toEqual({ code: 0, stdout: '', stderr: '' });
        expect(readFileSync(path.join(dir, 'fast-out.csv'), 'utf8')).toBe(expected.stdout);
        expect(statSync(path.join(dir, 'fast-out.csv')).mode & 0o777).toBe(0o600);
      }
    }
    expect(leftovers()).toEqual([]);
  });

  it('a byte-order mark, spaces and capitals in the header, leading zeros, a last line without a line break and non-ASCII group values are taken, with the same output', async () => {
    const text = '\uFEFF area , Numerator,denominator\nÅland,3,7\nα β,0,1\nzeros,007,0010\nnone,00,5\n東京,9,9';
    const argv = ['stats', 'proportion', '--input', file('bom.csv', text)];
    const expected = await general(...argv);
    expect(expected.stdout.split('\n')[0]).toBe('area,numerator,denominator,value,lower_95,upper_95,lower_99_8,upper_99_8,reason');
    expect(await fast(argv, 3)).toEqual(expected);
  });

  it('CRLF line ends (as spreadsheets write them) are taken, with the same output', async () => {
    for (const method of ['proportion', 'rate'] as const) {
      const text = `${plainFile(method, 500, 4).replace(/\n/g, '\r\n')}`;
      const argv = ['stats', method, '--input', file(`crlf-${method}.csv`, text)];
      const expected = await general(...argv);
      expect(expected.code).toBe(0);
      for (const chunk of [undefined, 7, 300]) expect(await fast(argv, chunk), `pieces of ${chunk}`).toEqual(expected);
    }
  });

  it('gives back every file it cannot write exactly (nothing written, nothing left), and the general command gives the same output, reasons and errors', async () => {
    const header = 'area,numerator,denominator';
    const cases: Record<string, string | Buffer> = {
      quoted: `${header}\n"a",1,2\n`,
      'quoted number': `${header}\na,"1,200","3,000"\n`,
      'a CR alone': `${header}\na,1,2\rb,1,2\n`,
      'a CR alone in the header': `area\r,numerator,denominator\na,1,2\n`,
      blank: `${header}\na,,2\nb,1,2\n`,
      'numerator above denominator': `${header}\na,1,2\nb,3,2\n`,
      'zero denominator': `${header}\na,0,0\n`,
      decimal: `${header}\na,1.5,2\n`,
      exponent: `${header}\na,1e1,20\n`,
      negative: `${header}\na,-1,2\n`,
      spaces: `${header}\na, 1 ,2\n`,
      'spaces around a group value': `${header}\n a ,1,2\n`,
      'no-break space at a group value end': `${header}\na\u00a0,1,2\n`,
      '16 digits': `${header}\na,1,1234567890123456\n`,
      'short row': `${header}\na,1\n`,
      'long row': `${header}\na,1,2,3\n`,
      'blank line': `${header}\na,1,2\n\nb,1,2\n`,
      'header only': `${header}\n`,
      empty: '',
      'missing column': 'area,numerator,population\na,1,2\n',
      'group column named as an output': 'value,numerator,denominator\na,1,2\n',
      'group column twice': 'area,area,numerator,denominator\na,b,1,2\n',
      'input column twice': 'area,numerator,numerator,denominator\na,1,1,2\n',
      'a line over 64 KB': `${header}\na,1,2\n${'b'.repeat(70_000)},1,2\n`,
      'not UTF-8': Buffer.concat([Buffer.from(`${header}\na`), Buffer.from([0xff, 0xfe]), Buffer.from(',1,2\n')]),
    };
    for (const [name, text] of Object.entries(cases)) {
      const argv = ['stats', 'proportion', '--input', file('case.csv', text), '--out', 'case-out.csv'];
      rmSync(path.join(dir, 'case-out.csv'), { force: true });
      expect(await fast(argv, 16), name).toBe(false);
      expect(readdirSync(dir).filter((f) => f.startsWith('case-out')), name).toEqual([]);
      const expected = await general(...argv);
      const expectedOut = existsSync(path.join(dir, 'case-out.csv')) ? readFileSync(path.join(dir, 'case-out.csv'), 'utf8') : undefined;
      rmSync(path.join(dir, 'case-out.csv'), { force: true });
      expect(await statsCli(...argv), name).toEqual(expected);
      expect(existsSync(path.join(dir, 'case-out.csv')) ? readFileSync(path.join(dir, 'case-out.csv'), 'utf8') : undefined, name).toBe(expectedOut);
    }
    const missing = ['stats', 'rate', '--input', 'no-such.csv'];
    expect(await fast(missing)).toBe(false);
    expect(await statsCli(...missing)).toEqual(await general(...missing));
    expect((await statsCli(...missing)).code).toBe(4);
    expect(leftovers()).toEqual([]);
  });

  it('a rate: a zero or negative denominator goes the general way and gets its reason', async () => {
    const argv = ['stats', 'rate', '--input', file('rate-bad.csv', 'area,count,denominator\na,5,100\nb,5,0\n')];
    expect(await fast(argv)).toBe(false);
    const expected = await general(...argv);
    expect(expected.code).toBe(3);
    expect(await statsCli(...argv)).toEqual(expected);
  });
});
