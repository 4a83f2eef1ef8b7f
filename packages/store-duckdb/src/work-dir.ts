/**
 * A private working folder for one run that builds a database: `X.duckdb.work-<pid>/`, next to the
 * database (so the finished file is renamed into place on the same file system), mode 0700, with an
 * `owner.json` naming the process. Everything person-level a run writes before the database is
 * complete lives in it: the generator's CSV part files, the new database, DuckDB's spill files.
 *
 * A run that is killed (kill -9, power loss) cannot clean up; the next run that builds the same
 * database does: folders of processes no longer alive on this host are removed, with the files of
 * older versions (`X.duckdb.csv-tmp-<pid>/`, `X.duckdb.tmp-<pid>` and its `.wal` and `.tmp`). A folder
 * whose owner is alive, or on another host (a shared file system), is left alone.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { UserError } from '@openphm/core';
import { currentCommand, processAlive, readLock, type LockOwner } from './store-lock.js';
import { recoverSwap, type SwapRecovery } from './swap.js';

/** The working folder of a run (this process by default) building `db`. */
export const workDirOf = (db: string, pid: number = process.pid): string => `${db}.work-${pid}`;

const OWNER_FILE = 'owner.json';

/** What a run left behind, found next to a database. */
export interface Leftover {
  readonly path: string;
  readonly pid: number;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Files and folders next to `db` that runs of processes no longer alive left behind (this host only). */
export const findLeftovers = (db: string, alive: (pid: number) => boolean = processAlive): Leftover[] => {
  const dir = dirname(db);
  const name = escape(basename(db));
  // Current (.work-PID) and earlier versions' names (.csv-tmp-PID, .tmp-PID with .wal / .tmp).
  const pattern = new RegExp(`^${name}\\.(?:work|csv-tmp|tmp)-(\\d+)(?:\\.wal|\\.tmp)?$`);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const found: Leftover[] = [];
  for (const entry of entries.sort()) {
    const match = pattern.exec(entry);
    if (!match) continue;
    const pid = Number(match[1]);
    const path = join(dir, entry);
    if (pid === process.pid || alive(pid)) continue;
    // A working folder names its host: one made on another machine (shared file system) is not ours to judge.
    const owner = entry.includes('.work-') ? readLock(join(path, OWNER_FILE)) : undefined;
    if (owner !== undefined && owner.host !== hostname()) continue;
    found.push({ path, pid });
  }
  return found;
};

/** Removes what crashed runs left next to `db`; returns what was removed. */
export const removeLeftovers = (db: string, alive: (pid: number) => boolean = processAlive): Leftover[] => {
  const removed: Leftover[] = [];
  for (const leftover of findLeftovers(db, alive)) {
    try {
      rmSync(leftover.path, { recursive: true, force: true });
      removed.push(leftover);
    } catch {
      // not ours to remove (permissions): left for the operator, who is told by the next failure
    }
  }
  return removed;
};

export interface WorkDir {
  readonly path: string;
  /** Leftovers of crashed runs removed before this one started. */
  readonly removed: readonly Leftover[];
  /** A pair of renames a killed run left half done, completed or rolled back before this one started (swap.ts). */
  readonly recovered: SwapRecovery;
  /** Removes the folder and everything in it (idempotent). */
  remove(): void;
}

/**
 * Creates this run's private working folder for `db` (mode 0700, owner.json inside), after removing
 * what crashed runs left. Throws a UserError when the folder cannot be made (e.g. no permission).
 */
export const createWorkDir = (db: string, alive: (pid: number) => boolean = processAlive): WorkDir => {
  // First the swap a killed run left half done (its journal names files outside the work folders).
  const recovered = recoverSwap(db, alive);
  const removed = removeLeftovers(db, alive);
  const path = workDirOf(db);
  rmSync(path, { recursive: true, force: true });
  try {
    mkdirSync(path, { mode: 0o700 });
    chmodSync(path, 0o700); // the umask can only take permissions away; make sure of it
    const owner: LockOwner = { pid: process.pid, command: currentCommand(), startedAt: new Date().toISOString(), host: hostname() };
    writeFileSync(join(path, OWNER_FILE), `${JSON.stringify(owner)}\n`, { mode: 0o600 });
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`directory for the database does not exist: ${dirname(db)}`, 'not-found', { cause: error });
    throw new UserError(`cannot create the working folder ${path}: ${(error as Error).message}`, 'forbidden', { cause: error });
  }
  let gone = false;
  return {
    path,
    removed,
    recovered,
    remove: () => {
      if (gone) return;
      gone = true;
      rmSync(path, { recursive: true, force: true });
    },
  };
};

/** Whether a path is a folder only its owner can enter (for tests and checks). */
export const isPrivateFolder = (path: string): boolean => {
  const s = lstatSync(path);
  return s.isDirectory() && (s.mode & 0o077) === 0;
};
