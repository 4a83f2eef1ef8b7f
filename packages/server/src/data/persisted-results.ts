/**
 * Persisted results: what the server computed for a data version (person features, indicator
 * counts, segment, risk and population summaries, dashboards), kept in a private folder beside the
 * database (`<db>.results/`, 0700) so that a restart on the same data reads them instead of
 * computing them again, and a new data version computes only what depends on a changed table
 * (docs/decisions/0011-persisted-results.md).
 *
 * Every entry records what it was computed from: the fingerprint of each table it reads
 * (store-duckdb's tableFingerprints: row count and a hash of every row; meta and the geography
 * lookups always), the operational store's stamps it depends on (benchmark sets, neighbourhood
 * names), and the code version (a hash of the running code, with the definition it computes: an
 * indicator's, the features' SQL). An entry is served only when all of these equal the current
 * ones and its checksum matches; anything else (a corrupt, half-written or foreign file, another
 * code version) is ignored and computed again, never served. Files are written to a temporary name
 * and renamed, so a reader sees a whole entry or none.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { TABLE_NAMES } from '@openphm/core';
import { GEO_TABLES, buildIdOf, changedTables, readLoadHistory, tableFingerprints } from '@openphm/store-duckdb';
import type { PhmData } from './phm-data.js';

/** Bump when the layout of the folder or of an entry changes. */
export const RESULTS_FORMAT = 1;

/** What every result depends on, whatever it reads: the meta table (window, record key salt) and the geography lookups. */
export const BASE_TABLES: readonly string[] = ['meta', ...GEO_TABLES.map((t) => t.name)];

/** Every table a fingerprint is kept for. */
export const RESULT_TABLES: readonly string[] = [...TABLE_NAMES, ...BASE_TABLES];

export type Fingerprints = Readonly<Record<string, string>>;

/** What one persisted result is, and what it depends on. */
export interface EntrySpec<T, S = T> {
  /** The kind of result (counted by onCompute, a folder of its own). */
  readonly kind: string;
  /** Unique within the kind (an indicator, period and breakdown; an area; …). */
  readonly key: string;
  /** The version of its definition (e.g. a hash of the indicator definition), beside the code version. */
  readonly code: string;
  /** The person-level tables it reads (BASE_TABLES are added). */
  readonly tables: readonly string[];
  /** Operational-store stamps it depends on. */
  readonly stamps?: Readonly<Record<string, string>>;
  /** Checks the stored form when read back. */
  readonly schema: z.ZodType<S>;
  /** The stored form of a computed value (default: the value itself, which must then be JSON). */
  readonly store?: (value: T) => Promise<S>;
  /** The value from its stored form (default: the stored form itself); throws when it cannot be restored. */
  readonly restore?: (stored: S) => Promise<T>;
  /** Whether a computed value is kept on disk (default: always): a provisional one is not. */
  readonly keep?: (value: T) => boolean;
}

export interface ResultStoreOptions {
  /** The folder (created 0700); undefined keeps nothing on disk (results are then computed once per process, as before). */
  readonly dir?: string;
  /** The version of the code the results come from (default codeVersion(): a hash of the running packages). */
  readonly codeVersion?: string;
  /** Told of every computation (a result not read from disk): the counted tests inject a counter. */
  readonly onCompute?: (kind: string, key: string) => void;
  /** Told of an entry that was ignored (corrupt, half-written) or could not be written; never with its content. */
  readonly warn?: (message: string) => void;
}

export interface ResultStore {
  readonly dir: string | undefined;
  readonly codeVersion: string;
  /** Results computed, read from disk, and entries ignored, since start. */
  readonly stats: { computed: number; restored: number; ignored: number };
  /** The value of the entry at the current data version: read from disk when valid, else computed (and written). */
  get<T, S = T>(data: PhmData, spec: EntrySpec<T, S>, compute: () => Promise<T>): Promise<T>;
  /** A path in the folder for a file of an entry (written by the caller, e.g. Parquet), or undefined without a folder. */
  fileFor(kind: string, key: string, extension: string): string | undefined;
  /** The fingerprints of the tables of the data version being served. */
  fingerprints(data: PhmData): Promise<Fingerprints>;
}

const sha = (text: string | Buffer): string => createHash('sha256').update(text).digest('base64url');
const short = (text: string): string => sha(text).slice(0, 32);

/** A stable hash of a definition (JSON with sorted keys). */
export const definitionHash = (value: unknown): string => short(stableJson(value));

const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

const Envelope = z.object({
  format: z.literal(RESULTS_FORMAT),
  kind: z.string(),
  key: z.string(),
  code: z.string(),
  tables: z.record(z.string(), z.string()),
  stamps: z.record(z.string(), z.string()),
  checksum: z.string(),
  value: z.unknown(),
});

const BuildFile = z.object({ format: z.literal(RESULTS_FORMAT), buildId: z.string(), tables: z.record(z.string(), z.string()) });

const here = dirname(fileURLToPath(import.meta.url));

/**
 * A hash of the code that computes results: every source file of core (definitions, statistics,
 * disclosure control), store-duckdb (all the SQL) and the server's data folder, in the form running
 * (dist or src). Any change to them makes every persisted result stale, so nothing computed by
 * older code is served.
 */
export const codeVersion = (): string => {
  const kind = here.includes(`${join('server', 'dist')}`) ? 'dist' : 'src';
  const packages = join(here, '..', '..', '..');
  const hash = createHash('sha256').update(`format ${RESULTS_FORMAT}`);
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|ts)$/.test(name) && !/\.(test|d)\.ts$/.test(name) && !name.endsWith('.test.js')) hash.update(relative(packages, path)).update(readFileSync(path));
    }
  };
  for (const pkg of ['core', 'store-duckdb']) walk(join(packages, pkg, kind));
  walk(join(packages, 'server', kind, 'data'));
  return hash.digest('base64url').slice(0, 32);
};

/** Writes a file whole: a temporary name beside it, then a rename (private: 0600). */
export const writeAtomically = async (file: string, content: string | Buffer): Promise<void> => {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content, { mode: 0o600 });
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
};

export const createResultStore = (options: ResultStoreOptions = {}): ResultStore => {
  const dir = options.dir;
  const code = options.codeVersion ?? (dir === undefined ? 'in-memory' : codeVersion());
  const stats = { computed: 0, restored: 0, ignored: 0 };
  const warn = options.warn ?? (() => undefined);
  let ready: Promise<void> | undefined;
  /** The folder, made private (0700) once. */
  const ensureDir = (): Promise<void> =>
    (ready ??= (async () => {
      await mkdir(dir!, { recursive: true, mode: 0o700 });
      await chmod(dir!, 0o700);
    })());
  const pathOf = (kind: string, key: string, extension: string) => join(dir!, kind.replace(/[^a-z0-9-]/gi, '_'), `${short(`${kind}\u0000${key}`)}.${extension}`);

  /** Fingerprints per data version (the file's identity), each computed once per build id and kept in the folder. */
  const byVersion = new Map<string, Promise<Fingerprints>>();
  const readBuild = async (file: string, buildId: string): Promise<Fingerprints | undefined> => {
    try {
      const parsed = BuildFile.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (parsed.success && parsed.data.buildId === buildId && RESULT_TABLES.every((t) => parsed.data.tables[t] !== undefined)) return parsed.data.tables;
      warn('ignored a persisted fingerprint file that does not match its build');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn('ignored an unreadable persisted fingerprint file');
    }
    return undefined;
  };
  const buildFile = (buildId: string) => join(dir!, 'builds', `${short(buildId)}.json`);
  /**
   * After an incremental load (the load history names the version it was applied to), the
   * fingerprints of that version for the tables the load did not change (decision 0009: its counts
   * of rows inserted, updated and deleted per table), and new ones for the tables it changed, meta
   * and the geography; undefined when the parent's are not known.
   */
  const fromParent = async (data: PhmData, buildId: string | undefined): Promise<Fingerprints | undefined> => {
    if (dir === undefined || buildId === undefined) return undefined;
    const last = (await readLoadHistory(data)).at(-1);
    if (last === undefined || last.buildId !== buildId || last.kind !== 'incremental' || last.parentBuildId === null) return undefined;
    const parent = await readBuild(buildFile(last.parentBuildId), last.parentBuildId);
    if (parent === undefined) return undefined;
    const changed = new Set(changedTables(last));
    const rescan = RESULT_TABLES.filter((t) => changed.has(t) || !(TABLE_NAMES as readonly string[]).includes(t));
    return { ...parent, ...(await tableFingerprints(data, rescan)) };
  };
  const computeFingerprints = async (data: PhmData): Promise<Fingerprints> => {
    const buildId = await buildIdOf(data);
    const file = dir !== undefined && buildId !== undefined ? buildFile(buildId) : undefined;
    if (file !== undefined) {
      const known = await readBuild(file, buildId!);
      if (known) return known;
    }
    const tables = (await fromParent(data, buildId)) ?? (await tableFingerprints(data, RESULT_TABLES));
    if (file !== undefined) {
      try {
        await ensureDir();
        await mkdir(dirname(file), { recursive: true, mode: 0o700 });
        await writeAtomically(file, JSON.stringify({ format: RESULTS_FORMAT, buildId, tables }));
      } catch (error) {
        warn(`could not keep the fingerprints of build ${buildId}: ${(error as Error).message}`);
      }
    }
    return tables;
  };
  const fingerprints = (data: PhmData): Promise<Fingerprints> => {
    const version = data.version();
    let known = byVersion.get(version);
    if (known === undefined) {
      byVersion.clear();
      known = computeFingerprints(data);
      byVersion.set(version, known);
      known.catch(() => {
        if (byVersion.get(version) === known) byVersion.delete(version);
      });
    }
    return known;
  };

  const dependencies = (spec: Pick<EntrySpec<unknown>, 'tables'>, prints: Fingerprints): Record<string, string> => {
    const tables: Record<string, string> = {};
    for (const t of [...new Set([...BASE_TABLES, ...spec.tables])].sort()) {
      const fp = prints[t];
      if (fp === undefined) throw new Error(`no fingerprint of table ${t}`);
      tables[t] = fp;
    }
    return tables;
  };
  const sameRecord = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) => stableJson(a) === stableJson(b);

  /** The stored form of the entry when it is valid for these dependencies; undefined when missing or not valid. */
  const read = async <S>(file: string, spec: Pick<EntrySpec<unknown, S>, 'kind' | 'key' | 'schema'>, entryCode: string, tables: Record<string, string>, stamps: Record<string, string>): Promise<S | undefined> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    let envelope: z.infer<typeof Envelope>;
    try {
      envelope = Envelope.parse(JSON.parse(text));
    } catch {
      stats.ignored++;
      warn(`ignored a corrupt persisted ${spec.kind} result (it is computed again)`);
      return undefined;
    }
    // Another version of the data, the code or the stamps: stale, not corrupt (it is overwritten).
    if (envelope.kind !== spec.kind || envelope.key !== spec.key || envelope.code !== entryCode || !sameRecord(envelope.tables, tables) || !sameRecord(envelope.stamps, stamps)) return undefined;
    const parsed = spec.schema.safeParse(envelope.value);
    if (envelope.checksum !== sha(stableJson(envelope.value)) || !parsed.success) {
      stats.ignored++;
      warn(`ignored a corrupt persisted ${spec.kind} result (it is computed again)`);
      return undefined;
    }
    return parsed.data;
  };

  return {
    dir,
    codeVersion: code,
    stats,
    fingerprints,
    fileFor: (kind, key, extension) => (dir === undefined ? undefined : pathOf(kind, key, extension)),
    get: async <T, S = T>(data: PhmData, spec: EntrySpec<T, S>, compute: () => Promise<T>): Promise<T> => {
      const run = async () => {
        stats.computed++;
        options.onCompute?.(spec.kind, spec.key);
        return compute();
      };
      if (dir === undefined) return run();
      const version = data.version();
      let prints: Fingerprints;
      try {
        prints = await fingerprints(data);
      } catch (error) {
        warn(`cannot fingerprint the database, so results are not persisted: ${(error as Error).message}`);
        return run();
      }
      const tables = dependencies(spec, prints);
      const stamps = { ...(spec.stamps ?? {}) };
      const entryCode = `${code}:${spec.code}`;
      const file = pathOf(spec.kind, spec.key, 'json');
      const stored = await read(file, spec, entryCode, tables, stamps);
      if (stored !== undefined) {
        try {
          const value = spec.restore ? await spec.restore(stored) : (stored as unknown as T);
          stats.restored++;
          return value;
        } catch {
          stats.ignored++;
          warn(`ignored a persisted ${spec.kind} result that could not be restored (it is computed again)`);
        }
      }
      const value = await run();
      // Computed on another version than the one fingerprinted (the database was replaced meanwhile), or provisional: not kept.
      if (data.version() !== version || (spec.keep !== undefined && !spec.keep(value))) return value;
      try {
        await ensureDir();
        await mkdir(dirname(file), { recursive: true, mode: 0o700 });
        const storedForm = spec.store ? await spec.store(value) : (value as unknown as S);
        const plain: unknown = JSON.parse(JSON.stringify(storedForm));
        await writeAtomically(file, JSON.stringify({ format: RESULTS_FORMAT, kind: spec.kind, key: spec.key, code: entryCode, tables, stamps, checksum: sha(stableJson(plain)), value: plain }));
      } catch (error) {
        warn(`could not persist a ${spec.kind} result: ${(error as Error).message}`);
      }
      return value;
    },
  };
};
