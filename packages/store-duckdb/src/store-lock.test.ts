import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '@openphm/core';
import { acquireStoreLock, currentCommand, liveOwner, lockFileOf, readLock } from './store-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'phm-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
const deadPid = (): number => {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid;
};

const OPTIONS = { what: 'the store', advice: 'stop it first', command: 'phm serve --db x.duckdb' };

describe('store locks', () => {
  it('records the owner next to the store, refuses a second owner naming the first (conflict, exit 5), and is free again once released', () => {
    const store = join(dir, 'a.duckdb');
    const lock = acquireStoreLock(store, OPTIONS);
    expect(lock.file).toBe(`${store}.lock`);
    expect(readLock(lock.file)).toEqual({ pid: process.pid, command: 'phm serve --db x.duckdb', startedAt: lock.owner.startedAt, host: hostname() });
    expect(liveOwner(store)?.pid).toBe(process.pid);
    let refusal: unknown;
    try {
      acquireStoreLock(store, { what: 'the store', advice: 'stop it first' });
    } catch (error) {
      refusal = error;
    }
    expect(exitCodeFor(refusal)).toBe(5);
    expect((refusal as Error).message).toBe(`the store is in use by process ${process.pid} (phm serve --db x.duckdb, since ${lock.owner.startedAt}): stop it first (lock file ${store}.lock)`);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    expect(liveOwner(store)).toBeUndefined();
    const again = acquireStoreLock(store, OPTIONS);
    again.release();
    again.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock left by a process that is no longer alive, and one that is empty or unreadable', () => {
    const store = join(dir, 'b.operational');
    const pid = deadPid();
    writeFileSync(lockFileOf(store), JSON.stringify({ pid, command: 'phm serve --db b.duckdb', startedAt: '2026-01-01T00:00:00.000Z', host: hostname() }));
    expect(liveOwner(store)).toBeUndefined();
    const lock = acquireStoreLock(store, OPTIONS);
    expect(readLock(lock.file)?.pid).toBe(process.pid);
    lock.release();
    for (const junk of ['', '{"pid":', 'not json']) {
      writeFileSync(lockFileOf(store), junk);
      const taken = acquireStoreLock(store, OPTIONS);
      expect(JSON.parse(readFileSync(taken.file, 'utf8')).pid).toBe(process.pid);
      taken.release();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never removes a lock that another process has taken meanwhile', () => {
    const store = join(dir, 'c.duckdb');
    const lock = acquireStoreLock(store, OPTIONS);
    const other = { pid: process.ppid, command: 'phm serve', startedAt: '2026-02-02T00:00:00.000Z', host: hostname() };
    writeFileSync(lock.file, JSON.stringify(other));
    lock.release();
    expect(readLock(lock.file)).toEqual(other);
    rmSync(lock.file);
  });

  it('names the command as typed: phm and its arguments', () => {
    expect(currentCommand(['/usr/bin/node', '/repo/packages/cli/dist/main.js', 'serve', '--db', 'data/x y.duckdb'])).toBe("phm serve --db 'data/x y.duckdb'");
    expect(currentCommand(['/usr/bin/node', '/repo/bench/api.mjs', '--port', '80'])).toBe('node /repo/bench/api.mjs --port 80');
  });
});
