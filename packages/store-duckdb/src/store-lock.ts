/**
 * One owner per store: a lock file next to a store (the DuckDB database `X.duckdb.lock`, the PGlite
 * folder `X.operational.lock`) names the process that owns it (pid, command, start time, host).
 * The file is created exclusively; a lock left by a process that is no longer alive (on this host)
 * is taken over. A lock held by a live process is refused with a conflict error naming it, so two
 * processes never write one PGlite folder at once (which corrupts it) and `phm generate` / `phm
 * import` can say which server will switch to the new data.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { UserError } from '@openphm/core';

export interface LockOwner {
  readonly pid: number;
  /** The owning process's command line, e.g. `phm serve --db data/demo.duckdb`. */
  readonly command: string;
  /** When it took the lock (ISO). */
  readonly startedAt: string;
  readonly host: string;
}

export interface StoreLock {
  readonly file: string;
  readonly owner: LockOwner;
  /** Removes the lock file, if it is still this process's (idempotent). */
  release(): void;
}

/** The lock file of a store: next to the database file or the PGlite folder. */
export const lockFileOf = (store: string): string => `${store.replace(/\/+$/, '')}.lock`;

/** This process's command line as people typed it: `phm <args>` for the CLI, else node's argv. */
export const currentCommand = (argv: readonly string[] = process.argv): string => {
  const [, script, ...args] = argv;
  const quoted = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`));
  if (script !== undefined && /[/\\]cli[/\\](dist|src)[/\\]main\.[jt]s$/.test(script)) return ['phm', ...quoted].join(' ');
  return [basename(argv[0] ?? 'node'), ...(script === undefined ? [] : [script]), ...quoted].join(' ');
};

const parseOwner = (text: string): LockOwner | undefined => {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid <= 0) return undefined;
    return { pid: o.pid, command: String(o.command ?? '?'), startedAt: String(o.startedAt ?? '?'), host: String(o.host ?? '?') };
  } catch {
    return undefined;
  }
};

/** Whether a process with this pid is alive on this machine (EPERM: alive, but someone else's). */
export const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The owner recorded in a lock file, or undefined when there is none (or it is unreadable). */
export const readLock = (file: string): LockOwner | undefined => {
  try {
    return parseOwner(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

/** Whether the owner still holds its lock: alive on this host (a lock from another host is assumed held). */
const held = (owner: LockOwner | undefined): owner is LockOwner => owner !== undefined && (owner.host !== hostname() || processAlive(owner.pid));

/** The live owner of a store's lock, if any. */
export const liveOwner = (store: string): LockOwner | undefined => {
  const owner = readLock(lockFileOf(store));
  return held(owner) ? owner : undefined;
};

/** `process 1234 (phm serve --db x.duckdb, since 2026-…)`. */
export const describeOwner = (owner: LockOwner): string =>
  `process ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''} (${owner.command}, since ${owner.startedAt})`;

/** Creates the lock file with its content in one step (a complete file or none): written aside, then hard-linked into place. */
const createExclusive = (file: string, text: string): boolean => {
  const temp = `${file}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    linkSync(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    const kind = code === 'ENOENT' ? 'not-found' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'forbidden' : 'conflict';
    throw new UserError(`cannot create the lock file ${file}: ${(error as Error).message}`, kind, { cause: error });
  } finally {
    rmSync(temp, { force: true });
  }
};

/** Locks this process holds, released on a clean exit even without close (kill -9 leaves a stale lock, taken over next time). */
const heldHere = new Set<() => void>();
let exitHook = false;
const releaseAllOnExit = () => {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const release of [...heldHere]) release();
  });
};

/**
 * Moves a stale lock aside (only one process can rename a given file), then checks that what was
 * moved is still stale: a lock taken meanwhile by a live process is put back (link fails if yet
 * another appeared, in which case that one stands).
 */
const takeOver = (file: string, stale: LockOwner | undefined): void => {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // already moved or removed by another process
  }
  const moved = readLock(aside);
  if (held(moved) && (stale === undefined || moved.pid !== stale.pid || moved.startedAt !== stale.startedAt)) {
    try {
      linkSync(aside, file);
    } catch {
      // another lock is in place already
    }
  }
  rmSync(aside, { force: true });
};

export interface AcquireOptions {
  /** What the store is, for the refusal: `the operational store data/x.operational`. */
  readonly what: string;
  /** How the owner holds it, for the refusal (default `in use`): `<what> is <held> by <owner>`. */
  readonly held?: string;
  /** Why, and what to do instead, after the owner in the refusal. */
  readonly advice: string;
  readonly command?: string;
}

/**
 * Takes the lock of a store, or throws a conflict UserError (exit 5) naming the process that holds
 * it. Stale locks (dead process on this host, or an unreadable file) are taken over.
 */
export const acquireStoreLock = (store: string, options: AcquireOptions): StoreLock => {
  const file = lockFileOf(store);
  const owner: LockOwner = { pid: process.pid, command: options.command ?? currentCommand(), startedAt: new Date().toISOString(), host: hostname() };
  const text = `${JSON.stringify(owner)}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createExclusive(file, text)) {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        heldHere.delete(release);
        const now = readLock(file);
        if (now?.pid === owner.pid && now.startedAt === owner.startedAt) rmSync(file, { force: true });
      };
      heldHere.add(release);
      releaseAllOnExit();
      return { file, owner, release };
    }
    const current = readLock(file);
    if (held(current)) {
      throw new UserError(
        `${options.what} is ${options.held ?? 'in use'} by ${describeOwner(current)}: ${options.advice} (lock file ${file})`,
        'conflict',
      );
    }
    takeOver(file, current);
  }
  throw new UserError(`could not take the lock ${file}: other processes keep taking it`, 'conflict');
};
