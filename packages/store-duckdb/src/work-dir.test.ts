import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '@openphm/core';
import { listDir, makeTempDir, removeDir } from './test-support.js';
import { createWorkDir, findLeftovers, isPrivateFolder, removeLeftovers, workDirOf } from './work-dir.js';

/** The pid of a process that has finished (so is certainly not alive, unless reused at once). */
const deadPid = (): number => spawnSync('true').pid!;

describe('working folders', () => {
  let root: string;
  let db: string;
  beforeEach(() => {
    root = makeTempDir();
    db = join(root, 'phm.duckdb');
  });
  afterEach(() => removeDir(root));

  const owner = (pid: number, host = hostname()) => `${JSON.stringify({ pid, command: 'phm generate', startedAt: '2026-12-05T10:00:00Z', host })}\n`;
  const leaveFolder = (pid: number, host?: string): string => {
    const dir = workDirOf(db, pid);
    mkdirSync(join(dir, 'csv', 'person'), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'owner.json'), owner(pid, host));
    writeFileSync(join(dir, 'csv', 'person', 'part-0.csv'), 'person_id\n1\n');
    return dir;
  };

  it('is made private (0700) with its owner named, and removed when done', () => {
    const work = createWorkDir(db);
    expect(work.path).toBe(`${db}.work-${process.pid}`);
    expect(isPrivateFolder(work.path)).toBe(true);
    expect(JSON.parse(readFileSync(join(work.path, 'owner.json'), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    work.remove();
    work.remove();
    expect(existsSync(work.path)).toBe(false);
  });

  it.each([
    // name next to phm.duckdb → removed by the next run?
    ['a crashed run of this version', (pid: number) => leaveFolder(pid), true],
    ['an older version’s CSV parts', (pid: number) => (mkdirSync(`${db}.csv-tmp-${pid}`), `${db}.csv-tmp-${pid}`), true],
    ['an older version’s new database', (pid: number) => (writeFileSync(`${db}.tmp-${pid}`, 'x'), `${db}.tmp-${pid}`), true],
    ['its write-ahead log', (pid: number) => (writeFileSync(`${db}.tmp-${pid}.wal`, 'x'), `${db}.tmp-${pid}.wal`), true],
    ['its spill folder', (pid: number) => (mkdirSync(`${db}.tmp-${pid}.tmp`), `${db}.tmp-${pid}.tmp`), true],
    ['a folder made on another host', (pid: number) => leaveFolder(pid, 'another-host'), false],
    ['another database’s folder', (pid: number) => (mkdirSync(join(root, `other.duckdb.work-${pid}`)), join(root, `other.duckdb.work-${pid}`)), false],
    ['a name that only looks alike', (pid: number) => (writeFileSync(`${db}.work-${pid}.bak`, 'x'), `${db}.work-${pid}.bak`), false],
  ])('%s: removed by the next run = %s', (_name, leave, removed) => {
    const pid = deadPid();
    const path = leave(pid);
    const work = createWorkDir(db);
    expect(work.removed).toEqual(removed ? [{ path, pid }] : []);
    expect(existsSync(path)).toBe(!removed);
    work.remove();
  });

  it('leaves alone what a live process is still writing', () => {
    const path = leaveFolder(4242);
    expect(findLeftovers(db, (pid) => pid === 4242)).toEqual([]);
    expect(removeLeftovers(db, () => false)).toEqual([{ path, pid: 4242 }]);
    expect(listDir(root)).toEqual([]);
  });

  it('says when the database’s folder does not exist', () => {
    expect(() => createWorkDir(join(root, 'missing', 'phm.duckdb'))).toThrow(new UserError(`directory for the database does not exist: ${join(root, 'missing')}`, 'not-found'));
  });
});
