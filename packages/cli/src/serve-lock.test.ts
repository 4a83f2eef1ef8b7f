/**
 * One writer per store (issue 13), end to end with the built `phm`: a running `phm serve` owns its
 * database and its PGlite folder; `phm caseload import` and `phm referrals import` against the
 * served store refuse (exit 5) naming the server, and nothing is corrupted; after a kill -9 the
 * server starts again and takes the stale locks over; `phm generate` on a served database swaps
 * the new one in, and the running server switches to it without a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, readLock } from '@openphm/store-duckdb';
import { PHM_MAIN, phmRunner } from './test-support.js';

const { dir, phm, cleanup } = phmRunner('serve-lock');
const DB = 'x.duckdb';
const SERVE_ARGS = ['serve', '--db', DB, '--port', '0'];
const SERVE_COMMAND = `phm ${SERVE_ARGS.join(' ')}`;

interface Server {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly output: () => string;
}

const servers: ChildProcess[] = [];
/** Each test starts servers and runs the CLI several times (seconds each on a busy machine). */
const E2E_TIMEOUT = 300_000;

/**
 * Starts `phm serve` as its own process and waits for it to say where it listens. Without the background
 * precomputation (PHM_PRECOMPUTE=0): these tests are about its locks, its store and the swap, which the
 * precomputation does not touch, and it would count every indicator for every period at each start.
 */
const startServer = (): Promise<Server> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PHM_MAIN, ...SERVE_ARGS], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PHM_PRECOMPUTE: '0' } });
    servers.push(child);
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /OpenPHM is running at (http:\/\/\S+\/)/.exec(out);
      if (m) resolve({ child, pid: child.pid!, url: m[1]!, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`phm serve exited (${code ?? signal}) before listening:\n${out}`)));
  });

/** Waits until the server's output matches (its start-up lines may arrive in several chunks). */
const outputMatching = async (server: Server, pattern: RegExp): Promise<RegExpExecArray> => {
  for (let i = 0; i < 100; i++) {
    const m = pattern.exec(server.output());
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server never printed ${pattern}:\n${server.output()}`);
};

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));

const login = async (url: string, password: string): Promise<string> => {
  const r = await fetch(`${url}api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@local', password }) });
  expect(r.status).toBe(200);
  return r.headers.get('set-cookie')!.split(';')[0]!;
};

const audit = async (url: string, cookie: string, query = ''): Promise<{ total: number; rows: { action: string; outcome: string; detail: string | null }[] }> => {
  const r = await fetch(`${url}api/audit?limit=1000${query}`, { headers: { cookie } });
  expect(r.status).toBe(200);
  return r.json();
};

const peopleTotal = async (url: string): Promise<number> => (await (await fetch(`${url}api/population/summary`)).json()).total;

let password: string;
let caseloadCsv: string;

beforeAll(async () => {
  const g = await phm('generate', '--size', '2000', '--seed', 'lock', '--db', DB, '-q');
  expect(g.code, g.stderr).toBe(0);
  // Three residents of neighbourhoods, for a caseload file that imports once the store is free.
  const db = await openDatabase(join(dir, DB));
  try {
    const ids = await db.query<{ id: number }>(
      `SELECT p.person_id AS id FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code WHERE l.neighbourhood_id IS NOT NULL ORDER BY p.person_id LIMIT 3`,
    );
    caseloadCsv = [
      'person_id,source,key_worker,taken_on,next_review,cohort_id,outcome',
      `${ids[0]!.id},gp,Practice nurse,2024-01-10,2024-02-01,,stable-self-managing`,
      `${ids[1]!.id},hospital-discharge,Community matron,2024-03-01,2024-04-01,,goals-met`,
      `${ids[2]!.id},gp,Care coordinator,2024-05-05,2024-06-01,,declined`,
    ].join('\n');
  } finally {
    db.close();
  }
  writeFileSync(join(dir, 'caseload.csv'), caseloadCsv);
  writeFileSync(join(dir, 'referrals.csv'), 'person_id,service_id,reason,status,referred_on,referred_by\n');
});

afterAll(async () => {
  for (const s of servers) {
    s.kill('SIGKILL');
    await exited(s);
  }
  cleanup();
});

describe('one writer per store', () => {
  it('a served store refuses the imports and a second server, naming the server (exit 5); nothing is corrupted', async () => {
    const server = await startServer();
    password = (await outputMatching(server, /created the first account: admin@local \(admin\) with password (\S+)/))[1]!;
    for (const lock of [`${DB}.lock`, 'x.operational.lock']) {
      expect(readLock(join(dir, lock))).toMatchObject({ pid: server.pid, command: SERVE_COMMAND });
    }
    const cookie = await login(server.url, password);
    const before = await audit(server.url, cookie);

    const caseload = await phm('caseload', 'import', 'caseload.csv', '--db', DB, '--by', 'importer@test');
    expect(caseload.code, caseload.stderr).toBe(5);
    expect(caseload.stdout).toBe('');
    expect(caseload.stderr).toContain(`the operational store ${join(dir, 'x.operational')} is in use by process ${server.pid} (${SERVE_COMMAND}, since `);
    const referrals = await phm('referrals', 'import', 'referrals.csv', '--db', DB, '--by', 'importer@test');
    expect(referrals.code, referrals.stderr).toBe(5);
    expect(referrals.stderr).toContain(`is in use by process ${server.pid} (${SERVE_COMMAND}`);
    const second = await phm(...SERVE_ARGS);
    expect(second.code).toBe(5);
    expect(second.stderr).toContain(`the database ${join(dir, DB)} is already served by process ${server.pid} (${SERVE_COMMAND}`);
    const demo = await phm('demo', '--db', DB, '--size', '1000');
    expect(demo.code).toBe(5);
    expect(demo.stderr).toContain(`${join(dir, DB)} is already served by process ${server.pid} (${SERVE_COMMAND}`);
    expect(demo.stdout).toBe('');

    // The server and its store are untouched: the same account, every audit row, nothing imported.
    const after = await audit(server.url, await login(server.url, password));
    expect(after.total).toBeGreaterThan(before.total);
    expect(after.rows.slice(-before.total)).toEqual(before.rows);
    expect((await audit(server.url, cookie, '&action=caseload.import')).total).toBe(0);
    expect(server.child.exitCode).toBeNull();

    // kill -9: the locks stay behind, naming a process that no longer exists.
    server.child.kill('SIGKILL');
    await exited(server.child);
    expect(readLock(join(dir, 'x.operational.lock'))?.pid).toBe(server.pid);
  }, E2E_TIMEOUT);

  it('after a kill -9 the server starts again, takes the stale locks over, and its store is whole', async () => {
    const server = await startServer();
    for (const lock of [`${DB}.lock`, 'x.operational.lock']) expect(readLock(join(dir, lock))?.pid).toBe(server.pid);
    const cookie = await login(server.url, password);
    const rows = (await audit(server.url, cookie)).rows;
    expect(rows.filter((r) => r.action === 'auth.login' && r.outcome === 'granted').length).toBeGreaterThanOrEqual(3);
    // A clean stop frees both stores.
    server.child.kill('SIGTERM');
    await exited(server.child);
    expect(existsSync(join(dir, `${DB}.lock`))).toBe(false);
    expect(existsSync(join(dir, 'x.operational.lock'))).toBe(false);
  }, E2E_TIMEOUT);

  it('once the server has stopped the import runs; the next server sees it, and switches to a database phm generate swaps in, without a restart', async () => {
    const caseload = await phm('caseload', 'import', 'caseload.csv', '--db', DB, '--by', 'importer@test');
    expect(caseload.code, caseload.stderr).toBe(0);
    expect(caseload.stdout).toBe('caseload.csv: 3 episodes read, 3 imported, 0 already present\n');
    expect(existsSync(join(dir, 'x.operational.lock'))).toBe(false);
    const server = await startServer();
    const imported = await audit(server.url, await login(server.url, password), '&action=caseload.import');
    expect(imported.rows.map((r) => r.detail)).toEqual(['3 imported, 0 already present']);

    const health = async () => (await (await fetch(`${server.url}api/health`)).json()) as { dataVersion: string };
    const version = (await health()).dataVersion;
    const total = await peopleTotal(server.url);
    const g = await phm('generate', '--size', '1000', '--seed', 'other', '--db', DB, '-q');
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout).toContain(`Served by process ${server.pid} (${SERVE_COMMAND}, since `);
    expect(g.stdout).toContain('it switches to the new data at its next request, without a restart');
    expect(await peopleTotal(server.url)).toBeLessThan(total * 0.7);
    expect((await health()).dataVersion).not.toBe(version);
    expect(server.child.exitCode).toBeNull();
    server.child.kill('SIGTERM');
    await exited(server.child);
  }, E2E_TIMEOUT);
});
