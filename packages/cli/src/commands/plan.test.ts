import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '@openphm/core';
import type { CliIo } from '../io.js';
import { planCheckCommand } from './plan.js';

const REPO_PLAN = readFileSync(new URL('../../../../plans/kirklees-hwb.json', import.meta.url), 'utf8');

describe('phm plan check', () => {
  let dir: string;
  const out: string[] = [];
  const err: string[] = [];
  const io = (): CliIo => ({ stdout: { write: (t) => void out.push(t) }, stderr: { write: (t) => void err.push(t) }, env: {}, cwd: dir });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'phm-plan-'));
    mkdirSync(join(dir, 'plans'));
    writeFileSync(join(dir, 'plans', 'kirklees-hwb.json'), REPO_PLAN);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks every plans/*.json by default and says what each holds', () => {
    out.length = 0;
    planCheckCommand({ files: [] }, io());
    expect(out.join('')).toBe('ok: plans/kirklees-hwb.json: kirklees-hwb version 1, 2 priorities, 4 ambitions, 6 measures (2 without a baseline or target yet)\n');
  });

  it('names the file and field of each problem and fails with exit code 3', () => {
    const bad = JSON.parse(REPO_PLAN);
    bad.priorities[0].ambitions[0].measures[0].source.indicatorId = 'no-such-indicator';
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...bad, id: 'bad' }));
    writeFileSync(join(dir, 'misnamed.json'), REPO_PLAN);
    err.length = 0;
    let error: unknown;
    try {
      planCheckCommand({ files: ['bad.json', 'misnamed.json', 'missing.json', 'plans/kirklees-hwb.json'] }, io());
    } catch (e) {
      error = e;
    }
    expect(exitCodeFor(error)).toBe(3);
    expect((error as Error).message).toBe('3 of 4 plan files are invalid');
    expect(err).toEqual([
      "error: bad.json: priorities.0.ambitions.0.measures.0.source.indicatorId: unknown indicator 'no-such-indicator' (see phm indicators list)\n",
      'error: misnamed.json: the file name must be the strategy id (kirklees-hwb.json)\n',
      'error: missing.json: cannot be read\n',
    ]);
  });

  it('checks the *.json files of a folder given, not its subfolders', () => {
    mkdirSync(join(dir, 'other', 'demo'), { recursive: true });
    writeFileSync(join(dir, 'other', 'kirklees-hwb.json'), REPO_PLAN);
    writeFileSync(join(dir, 'other', 'notes.txt'), 'not a plan');
    writeFileSync(join(dir, 'other', 'demo', 'registers.json'), '{}');
    out.length = 0;
    planCheckCommand({ files: ['other'] }, io());
    expect(out.map((l) => l.split(': ')[1])).toEqual(['other/kirklees-hwb.json']);
    mkdirSync(join(dir, 'empty'));
    expect(() => planCheckCommand({ files: ['empty'] }, io())).toThrow(/^no plan files \(\*\.json\) in .*empty$/);
  });

  it('says so when there is nothing to check', () => {
    const empty = mkdtempSync(join(tmpdir(), 'phm-noplans-'));
    try {
      expect(() => planCheckCommand({ files: [] }, { ...io(), cwd: empty })).toThrow(/no files given and no plans\/ folder/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
