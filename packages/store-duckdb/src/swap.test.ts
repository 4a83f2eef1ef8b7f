/**
 * The journaled pair of renames (swap.ts): a process killed (SIGKILL, in a child process) between
 * renaming the identity store and the database leaves a journal; the next load (createWorkDir) or
 * start (recoverSwap) rolls the pair back to the old version, or completes it when the database
 * was renamed too. Runs the built module (dist/) in the child: `npx tsc -b packages/store-duckdb` first.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDatabase } from './build.js';
import { openDatabase } from './database.js';
import { identityFileOf, openIdentityStore } from './identity/store.js';
import { applyIncremental } from './incremental.js';
import { oldIdentityOf, recoverSwap, swapJournalOf } from './swap.js';
import { GEOGRAPHY, IDENTITY_HEADER, IDENTITY_ROWS, META, VALID_FILES, csv, listDir, makeTempDir, removeDir, writeCsvDir } from './test-support.js';
import { createWorkDir } from './work-dir.js';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
let root: string;
beforeAll(() => {
  root = makeTempDir();
});
afterAll(() => removeDir(root));

/** Runs a module script in a child node process; returns its signal (SIGKILL when it killed itself). */
const child = (script: string): NodeJS.Signals | null => {
  const file = join(root, `child-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
  if (r.signal === null && r.status !== 0) throw new Error(r.stderr);
  return r.signal;
};

describe('swapPair and recoverSwap (files)', () => {
  const setUp = (name: string) => {
    const dir = join(root, name);
    mkdirSync(dir);
    const db = join(dir, 'x.duckdb');
    const identity = identityFileOf(db);
    writeFileSync(db, 'old database');
    writeFileSync(identity, 'old identities');
    writeFileSync(join(dir, 'new-db'), 'new database');
    writeFileSync(join(dir, 'new-id'), 'new identities');
    return { dir, db, identity };
  };
  const killBetween = (dir: string, db: string, identity: string) =>
    child(
      `import { swapPair } from ${JSON.stringify(join(DIST, 'swap.js'))};\n` +
        `swapPair({ db: ${JSON.stringify(db)}, identityFile: ${JSON.stringify(identity)}, newDatabase: ${JSON.stringify(join(dir, 'new-db'))}, newIdentity: ${JSON.stringify(join(dir, 'new-id'))}, betweenRenames: () => process.kill(process.pid, 'SIGKILL') });\n`,
    );

  it('killed between the renames: the new identity store beside the old database; the next start restores the old pair', () => {
    const { dir, db, identity } = setUp('rollback');
    expect(killBetween(dir, db, identity)).toBe('SIGKILL');
    // What the kill left: the half-done pair, and the journal naming it.
    expect(readFileSync(identity, 'utf8')).toBe('new identities');
    expect(readFileSync(db, 'utf8')).toBe('old database');
    expect(existsSync(swapJournalOf(db))).toBe(true);
    const recovered = recoverSwap(db);
    expect(recovered.kind).toBe('rolled-back');
    expect([readFileSync(db, 'utf8'), readFileSync(identity, 'utf8')]).toEqual(['old database', 'old identities']);
    expect(existsSync(swapJournalOf(db)) || existsSync(oldIdentityOf(identity))).toBe(false);
    expect(recoverSwap(db).kind).toBe('none');
  });

  it('killed after the database was renamed too (before the journal was removed): the new pair is kept', () => {
    const { dir, db, identity } = setUp('complete');
    expect(killBetween(dir, db, identity)).toBe('SIGKILL');
    renameSync(join(dir, 'new-db'), db);
    expect(recoverSwap(db).kind).toBe('completed');
    expect([readFileSync(db, 'utf8'), readFileSync(identity, 'utf8')]).toEqual(['new database', 'new identities']);
    expect(listDir(dir)).toEqual(['x.duckdb', 'x.identity.duckdb']);
  });

  it('a swap whose process is alive is left alone', () => {
    const { dir, db, identity } = setUp('alive');
    expect(killBetween(dir, db, identity)).toBe('SIGKILL');
    expect(recoverSwap(db, () => true).kind).toBe('in-progress');
    expect(existsSync(swapJournalOf(db))).toBe(true);
  });

  it('with no identity store before, rolling back removes the new one', () => {
    const { dir, db, identity } = setUp('no-identity');
    removeDir(identity);
    expect(killBetween(dir, db, identity)).toBe('SIGKILL');
    expect(recoverSwap(db).kind).toBe('rolled-back');
    expect(existsSync(identity)).toBe(false);
    expect(readFileSync(db, 'utf8')).toBe('old database');
  });
});

describe('an incremental load killed between its two renames', () => {
  it('leaves a pair the next load repairs: the identity store is shown again, and the load then succeeds', async () => {
    const dir = join(root, 'load');
    mkdirSync(dir);
    const db = join(dir, 'db.duckdb');
    const csvDir = writeCsvDir(dir, { ...VALID_FILES, 'identity.csv': csv(IDENTITY_HEADER, ...IDENTITY_ROWS) });
    await buildDatabase({ outFile: db, csvDir, geography: GEOGRAPHY, meta: META, threads: 1, memoryLimit: '512MB', recordKeySalt: 'swap-test-record-key-salt-01' });
    const month = join(dir, 'month');
    mkdirSync(month);
    writeFileSync(join(month, 'death.csv'), 'person_id,date_of_death,underlying_cause,place_of_death\n1,2026-03-02,C349,home\n');
    const buildIdOf = async (): Promise<string> => {
      const d = await openDatabase(db);
      try {
        return (await d.query<{ value: string }>("SELECT value FROM meta WHERE key = 'build_id'"))[0]!.value;
      } finally {
        d.close();
      }
    };
    const before = await buildIdOf();
    copyFileSync(identityFileOf(db), join(dir, 'identity-before'));
    const geography = join(dir, 'geography.json');
    writeFileSync(geography, JSON.stringify(GEOGRAPHY));
    const signal = child(
      `import { readFileSync } from 'node:fs';\nimport { applyIncremental } from ${JSON.stringify(join(DIST, 'incremental.js'))};\n` +
        `await applyIncremental({ dbFile: ${JSON.stringify(db)}, csvDir: ${JSON.stringify(month)}, geography: JSON.parse(readFileSync(${JSON.stringify(geography)}, 'utf8')), threads: 1, memoryLimit: '512MB', betweenRenames: () => process.kill(process.pid, 'SIGKILL') });\n`,
    );
    expect(signal).toBe('SIGKILL');
    // The broken pair: the database is the old version, its identity store the new one (no identity shown).
    expect(await buildIdOf()).toBe(before);
    await expect(openIdentityStore(identityFileOf(db), before)).rejects.toThrow(/belongs to another build/);

    // The next load (its working folder) repairs the pair before anything else.
    const work = createWorkDir(db);
    expect(work.recovered.kind).toBe('rolled-back');
    expect(readFileSync(identityFileOf(db)).equals(readFileSync(join(dir, 'identity-before')))).toBe(true);
    const store = (await openIdentityStore(identityFileOf(db), before))!;
    expect(store).toBeDefined();
    store.close();
    const summary = await applyIncremental({ dbFile: db, csvDir: month, workDir: work.path, geography: GEOGRAPHY, threads: 1, memoryLimit: '512MB' });
    work.remove();
    expect(summary.changes.death!.inserted).toBe(1);
    const after = (await openIdentityStore(identityFileOf(db), summary.buildId))!;
    expect(after).toBeDefined();
    after.close();
    expect(listDir(dir).filter((f) => f.startsWith('db.'))).toEqual(['db.duckdb', 'db.identity.duckdb']);
  }, 120_000);
});
