/**
 * Putting a new database and its identity store in place as a pair (decision 0009): two renames,
 * the identity store first. A process killed between them would leave a new identity store beside
 * the old database (their build ids differ, so no identity is shown and the next incremental load
 * refused the pair). A small journal makes the pair whole again:
 *
 * 1. Before the first rename, the old identity store is hard-linked to `X.identity.duckdb.swap-old`
 *    (no copy) and the journal `X.duckdb.swap.json` is written (and synced): the new database's
 *    file identity (device and inode, which a rename keeps) and whether there was an old identity store.
 * 2. The identity store is renamed into place, then the database.
 * 3. The journal and the link are removed.
 *
 * recoverSwap(db), run before every load (createWorkDir) and when a server starts, finishes what a
 * dead run's journal describes: when the database in place is the journal's new one, the swap
 * completed (only the journal and link remain to remove); otherwise the database was never renamed,
 * and the old identity store is put back (or the new one removed when there was none): the old pair,
 * whole. A rename that fails with an error (not a kill) is rolled back at once the same way.
 */
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { identityFileOf } from './identity/store.js';
import { processAlive } from './store-lock.js';

export const swapJournalOf = (db: string): string => `${db}.swap.json`;
export const oldIdentityOf = (identityFile: string): string => `${identityFile}.swap-old`;

interface Journal {
  readonly pid: number;
  readonly host: string;
  readonly identityFile: string;
  /** `dev:ino` of the new database (kept by the rename). */
  readonly newDatabase: string;
  /** Whether an identity store was in place before (hard-linked to its .swap-old). */
  readonly hadIdentity: boolean;
}

const fileId = (file: string): string => {
  const s = statSync(file);
  return `${s.dev}:${s.ino}`;
};

const syncDir = (path: string): void => {
  try {
    const fd = openSync(dirname(path), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems cannot sync a directory; the renames are still atomic
  }
};

export interface SwapOptions {
  readonly db: string;
  readonly identityFile: string;
  /** The new database and identity store, complete and closed. */
  readonly newDatabase: string;
  readonly newIdentity: string;
  /** For tests: called between the two renames (e.g. to kill the process there). */
  readonly betweenRenames?: () => void;
}

/** What recoverSwap found and did. */
export type SwapRecovery = { readonly kind: 'none' } | { readonly kind: 'in-progress'; readonly pid: number } | { readonly kind: 'completed' | 'rolled-back'; readonly pid: number };

/** Finishes or undoes the swap a journal describes (see the module comment); `force` when the journal's process is this one. */
const settle = (db: string, journal: Journal): 'completed' | 'rolled-back' => {
  const old = oldIdentityOf(journal.identityFile);
  const swapped = existsSync(db) && fileId(db) === journal.newDatabase;
  if (!swapped) {
    if (journal.hadIdentity) {
      if (existsSync(old)) renameSync(old, journal.identityFile);
    } else rmSync(journal.identityFile, { force: true });
  }
  rmSync(old, { force: true });
  syncDir(db);
  rmSync(swapJournalOf(db), { force: true });
  syncDir(db);
  return swapped ? 'completed' : 'rolled-back';
};

/** Renames the new identity store and database into place as a pair, journaled (see the module comment). */
export const swapPair = (options: SwapOptions): void => {
  const { db, identityFile } = options;
  const old = oldIdentityOf(identityFile);
  rmSync(old, { force: true });
  const hadIdentity = existsSync(identityFile);
  if (hadIdentity) linkSync(identityFile, old);
  const journal: Journal = { pid: process.pid, host: hostname(), identityFile, newDatabase: fileId(options.newDatabase), hadIdentity };
  const file = swapJournalOf(db);
  writeFileSync(file, `${JSON.stringify(journal)}\n`, { mode: 0o600 });
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDir(db);
  try {
    renameSync(options.newIdentity, identityFile);
    options.betweenRenames?.();
    renameSync(options.newDatabase, db);
  } catch (error) {
    settle(db, journal);
    throw error;
  }
  settle(db, journal);
};

/**
 * Repairs the pair a run killed between its two renames left (see the module comment). A journal
 * whose process is alive on this host is a swap under way (a matter of milliseconds) and left alone.
 */
export const recoverSwap = (db: string, alive: (pid: number) => boolean = processAlive): SwapRecovery => {
  const file = swapJournalOf(db);
  if (!existsSync(file)) return { kind: 'none' };
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(file, 'utf8')) as Journal;
  } catch {
    // Written and synced before any rename: an unreadable journal is one whose writing was cut short, before any rename.
    rmSync(oldIdentityOf(identityFileOf(db)), { force: true });
    rmSync(file, { force: true });
    return { kind: 'none' };
  }
  if (journal.host === hostname() && journal.pid !== process.pid && alive(journal.pid)) return { kind: 'in-progress', pid: journal.pid };
  return { kind: settle(db, journal), pid: journal.pid };
};
