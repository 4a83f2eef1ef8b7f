/**
 * Reading the operational store without the server: a saved cohort for `phm cohort run <id>`, a
 * strategy as its plan file for `phm plan export`, the store opened read-only (a PGlite folder, as
 * `phm serve` leaves it next to the database).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDICATOR_CATALOGUE, parseStrategy, parseStrategyFile, type CohortDefinition } from '@openphm/core';
import { planFileOf } from './data/strategies.js';
import { openOperationalDb, openOperationalDbReadOnly } from './operational/db.js';
import { saveStrategyEdit, syncStrategies } from './operational/delivery.js';
import { archiveSavedCohort, saveCohortVersion, saveNewCohort, viewerOf } from './operational/saved-cohorts.js';
import { createUserWithHash } from './operational/users.js';
import { planExportCommand, readSavedCohort } from './store-reads.js';

const PLAN = parseStrategy(JSON.parse(readFileSync(new URL('../../../plans/kirklees-hwb.json', import.meta.url), 'utf8')), INDICATOR_CATALOGUE, 'kirklees-hwb.json');

const carers: CohortDefinition = { id: 'carers-leeds', version: 1, title: 'Carers in Leeds', description: 'Unpaid carers living in Leeds', rule: { kind: 'flag', feature: 'carer' }, area: { place: 'leeds' } };

let dir: string;
const db = () => join(dir, 'phm.duckdb');
const store = () => join(dir, 'phm.operational');
const io = () => {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (t: string) => void (out.stdout += t) }, stderr: { write: (t: string) => void (out.stderr += t) }, env: {}, cwd: dir } };
};
/** The store's files (PostgreSQL itself touches catalogue pages when a session opens and closes, so names only). */
const files = (path: string): string[] => readdirSync(path, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
/** What the store holds: every row of the tables these reads touch, and of the audit log and migrations. */
const contents = async (): Promise<unknown[]> => {
  const ops = await openOperationalDbReadOnly({ dataDir: store() });
  try {
    const out: unknown[] = [];
    for (const table of ['saved_cohort', 'saved_cohort_version', 'strategy_version', 'audit_event', 'schema_migration', 'app_user']) out.push(table, await ops.query(`SELECT * FROM ${table} ORDER BY 1, 2`));
    return out;
  } finally {
    await ops.close();
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phm-store-reads-'));
  const ops = await openOperationalDb({ dataDir: store() });
  try {
    const ana = viewerOf(await createUserWithHash(ops, { email: 'ana@test', displayName: 'Ana', passwordHash: 'x', role: 'analyst' }));
    await saveNewCohort(ops, carers, 'private', ana);
    await saveCohortVersion(ops, 'carers-leeds', { ...carers, title: 'Carers in Leeds, 65+', rule: { kind: 'all', of: [{ kind: 'flag', feature: 'carer' }, { kind: 'compare', feature: 'age', op: '>=', value: 65 }] } }, ana);
    await saveNewCohort(ops, { ...carers, id: 'gone' }, 'everyone', ana);
    await archiveSavedCohort(ops, 'gone', ana);
    await syncStrategies(ops, [{ strategy: PLAN, source: 'plans/kirklees-hwb.json' }]);
    await saveStrategyEdit(ops, { ...PLAN, version: 2, description: 'Edited in the app.' }, 'lead@test', 'Agreed by the board');
  } finally {
    await ops.close();
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('reading a saved cohort', () => {
  it.each<[string, number | undefined, number, string]>([
    ['the latest version', undefined, 2, 'Carers in Leeds, 65+'],
    ['an earlier version', 1, 1, 'Carers in Leeds'],
  ])('reads %s, whoever owns it, saying whose it is and how it is shared', async (_what, version, expected, title) => {
    const read = await readSavedCohort({ db: db(), id: 'carers-leeds', ...(version === undefined ? {} : { version }) }, io().io);
    expect(read.definition).toMatchObject({ id: 'carers-leeds', version: expected, title });
    expect(read).toMatchObject({ owner: 'ana@test', sharing: 'private', latestVersion: 2 });
  });

  it.each<[string, string, number | undefined, string]>([
    ['an unknown id', 'no-such-cohort', undefined, "no saved cohort 'no-such-cohort' (and no file of that name)"],
    ['an archived cohort', 'gone', undefined, "no saved cohort 'gone' (and no file of that name)"],
    ['a version it does not have', 'carers-leeds', 3, "saved cohort 'carers-leeds' has no version 3 (its latest is 2)"],
  ])('refuses %s, saying so', async (_what, id, version, message) => {
    await expect(readSavedCohort({ db: db(), id, ...(version === undefined ? {} : { version }) }, io().io)).rejects.toMatchObject({ kind: 'not-found', message });
  });
});

describe('the store, read-only', () => {
  it('is left as it was by reads: the same rows, no new files', async () => {
    const [before, held] = [files(store()), await contents()];
    await readSavedCohort({ db: db(), id: 'carers-leeds' }, io().io);
    await planExportCommand({ db: db(), strategy: 'kirklees-hwb' }, io().io);
    expect(files(store())).toEqual(before);
    expect(await contents()).toEqual(held);
  });

  it('refuses every write in the session', async () => {
    const ops = await openOperationalDbReadOnly({ dataDir: store() });
    try {
      await expect(ops.exec('CREATE TABLE scratch (a integer)')).rejects.toThrow(/read-only transaction/);
      await expect(ops.query("UPDATE saved_cohort SET sharing = 'everyone'")).rejects.toThrow(/read-only transaction/);
    } finally {
      await ops.close();
    }
  });

  it.each<[string, () => string, string]>([
    ['a missing folder', () => join(dir, 'nowhere'), 'no operational store at'],
    ['a folder holding no store', () => (mkdirSync(join(dir, 'empty'), { recursive: true }), join(dir, 'empty')), 'no operational store at'],
  ])('refuses %s without making anything there', async (_what, folder, message) => {
    const path = folder();
    await expect(readSavedCohort({ db: db(), operationalDir: path, id: 'carers-leeds' }, io().io)).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining(message) });
    expect(existsSync(join(path, 'PG_VERSION'))).toBe(false);
  });

  it('is refused while another process (here, a server) has the store open', async () => {
    const server = await openOperationalDb({ dataDir: store() });
    try {
      await expect(readSavedCohort({ db: db(), id: 'carers-leeds' }, io().io)).rejects.toMatchObject({ kind: 'conflict' });
    } finally {
      await server.close();
    }
  });
});

describe('phm plan export', () => {
  it('writes the latest version as the plan file the app downloads, one that phm plan check and the start-up load take', async () => {
    const { io: cli, out } = io();
    expect(await planExportCommand({ db: db(), strategy: 'kirklees-hwb', out: 'plans/kirklees-hwb.json' }, cli).catch((e: unknown) => e)).toMatchObject({ kind: 'not-found', message: 'cannot write plans/kirklees-hwb.json (ENOENT)' });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    mkdirSync(join(dir, 'plans'));
    expect(await planExportCommand({ db: db(), strategy: 'kirklees-hwb', out: 'plans/kirklees-hwb.json' }, cli)).toMatchObject({ version: 2 });
    const text = readFileSync(join(dir, 'plans', 'kirklees-hwb.json'), 'utf8');
    // The same text as the app's link (one writer), and a valid plan file of version 2.
    const ops = await openOperationalDbReadOnly({ dataDir: store() });
    try {
      expect(text).toBe((await planFileOf(ops, 'kirklees-hwb')).text);
      expect(text).toBe((await planFileOf(ops, 'kirklees-hwb', 2)).text);
    } finally {
      await ops.close();
    }
    expect(parseStrategyFile(text, 'kirklees-hwb.json', INDICATOR_CATALOGUE)).toEqual({ ...PLAN, version: 2, description: 'Edited in the app.' });
    expect(out.stderr).toBe('Wrote plans/kirklees-hwb.json: strategy kirklees-hwb version 2, ' + `${PLAN.priorities.length} priorities (put it in plans/ as kirklees-hwb.json to load it)\n`);
    expect(readdirSync(join(dir, 'plans'))).toEqual(['kirklees-hwb.json']);
  });

  it('writes an earlier version when asked, or to standard output', async () => {
    const { io: cli, out } = io();
    await planExportCommand({ db: db(), strategy: 'kirklees-hwb', version: 1 }, cli);
    expect(JSON.parse(out.stdout)).toEqual(JSON.parse(JSON.stringify(PLAN)));
  });

  it.each<[string, string, number | undefined, string]>([
    ['an unknown strategy', 'leeds-hwb', undefined, "no strategy 'leeds-hwb' in the operational store"],
    ['a version it does not have', 'kirklees-hwb', 9, "no version 9 of strategy 'kirklees-hwb' (it has versions 1 to 2)"],
  ])('refuses %s, writing nothing', async (_what, strategy, version, message) => {
    await expect(planExportCommand({ db: db(), strategy, out: 'x.json', ...(version === undefined ? {} : { version }) }, io().io)).rejects.toMatchObject({ kind: 'not-found', message });
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });
});
