/** `phm import DIR`: load real extracts (CSV in the documented schema) instead of synthetic data; `phm import --fhir PATH`: FHIR R4. */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError, type ResidenceContext, type SyntheticResidence } from '@openphm/core';
import { loadGeography, loadPostcodeLookup } from '@openphm/reference-data';
import {
  FhirImportError,
  acquireStoreLock,
  applyIncremental,
  buildDatabase,
  createWorkDir,
  importFhir,
  importFhirIncremental,
  loadLockOf,
  type BuildSummary,
  type FhirImportReport,
  type IncrementalSummary,
  type PersonIdCounts,
} from '@openphm/store-duckdb';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { DEFAULT_MEMORY_LIMIT } from './generate.js';
import { reportLeftovers, servedNote } from './served.js';

export interface ImportCommandOptions {
  readonly dir: string;
  readonly db: string;
  readonly dataDir?: string;
  readonly quiet?: boolean;
  readonly memoryLimit?: string;
  /** The data window (meta window_start, window_end); by default from the first and the day after the last activity in the files. */
  readonly windowStart?: string;
  readonly windowEnd?: string;
  /** Replace the people of the database even when none is kept or their ids name other people (see guardPeople in build.ts). */
  readonly replacePeople?: boolean;
}

/**
 * A full import into a database file that does not exist beside an operational store that does (its
 * PGlite folder next to it): the store's records name people by the ids of the database that was there,
 * which cannot be kept. Refused unless told to replace the people.
 */
const checkOperationalBeside = async (db: string, replacePeople: boolean | undefined): Promise<void> => {
  if (replacePeople || existsSync(db)) return;
  const { defaultOperationalDir } = await import('@openphm/server');
  const ops = defaultOperationalDir(db);
  if (!existsSync(ops)) return;
  throw new UserError(
    `${db} does not exist, but the operational store ${ops} beside it does: its records (care plans, caseload, referrals, tasks) name people by the ids of the database that was there, ` +
      'which a new database cannot keep, so they could be shown on other people. Restore the database and import over it (people keep their ids), ' +
      'or give --replace-people if that store is not for this data (then start a new operational store)',
    'conflict',
  );
};

/** What became of the people of the database a full import replaced, in words. */
export const describePeople = (previous: BuildSummary['previous'], personIds?: PersonIdCounts): string => {
  const lines: string[] = [];
  if (personIds !== undefined) {
    lines.push(
      `Person ids: ${count(personIds.keptBySourceKey + personIds.keptByNhsNumber)} kept (${count(personIds.keptBySourceKey)} by their Patient id, ${count(personIds.keptByNhsNumber)} by NHS number), ${count(personIds.new)} new` +
        (personIds.sourceKeyNotConfirmed > 0 ? ` (${count(personIds.sourceKeyNotConfirmed)} of them with a stored Patient id whose NHS number, sex and date of birth were another person's)` : ''),
    );
  }
  if (previous !== undefined && previous.deleted > 0) {
    lines.push(
      `${count(previous.deleted)} of the ${count(previous.people)} people of the database replaced are not in this one: recorded as deleted, and what the operational store holds open about them ` +
        "(caseload episodes, care plans, referrals, tasks, alerts) is closed, and kept, by the server when it next answers (or by 'phm caseload import' / 'phm referrals import' when no server runs)",
    );
  }
  if (previous !== undefined && previous.changed > 0) lines.push(`${count(previous.changed)} people kept their id with another sex or date of birth (corrected by the source)`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
};

export const importCommand = async (options: ImportCommandOptions, io: CliIo): Promise<void> => {
  const dir = resolve(io.cwd, options.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`${options.dir}: no such directory (expected a folder of CSV files named after the tables, e.g. person.csv)`, 'not-found');
  }
  checkWindow(options.windowStart, options.windowEnd);
  const db = resolve(io.cwd, options.db);
  await checkOperationalBeside(db, options.replacePeople);
  const progress = createProgress(io.stderr, options.quiet);
  const geography = await loadGeography(options.dataDir ?? io.env.PHM_SHARED_DATA);
  // One load at a time (an incremental load must not be overwritten by this build, nor this one by it).
  const lock = acquireStoreLock(loadLockOf(db), { what: `the database ${db}`, held: 'being loaded', advice: 'wait until that load has finished, then import again' });
  // A private folder (0700) for the new database; what crashed runs left is removed first.
  let work: ReturnType<typeof createWorkDir>;
  try {
    work = createWorkDir(db);
  } catch (error) {
    lock.release();
    throw error;
  }
  reportLeftovers(io, work.removed, work.recovered, db);
  try {
    const summary = await buildDatabase({
      outFile: db,
      workDir: work.path,
      csvDir: dir,
      geography,
      memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      // Record keys (disclosure control): the salt of the database being replaced, or PHM_RECORD_KEY_SALT, or a new random one.
      ...(io.env.PHM_RECORD_KEY_SALT ? { recordKeySalt: io.env.PHM_RECORD_KEY_SALT } : {}),
      meta: {
        source: 'import',
        imported_from: dir,
        ...(options.windowStart !== undefined ? { window_start: options.windowStart } : {}),
        ...(options.windowEnd !== undefined ? { window_end: options.windowEnd } : {}),
      },
      // The window the data cover, from its activity where not given (as the FHIR import does: docs/fhir-import.md, "Data window").
      windowFromActivity: 'activity',
      // The extract gives its own ids: refused when they name other people than the database's (unless --replace-people).
      guardPeople: options.replacePeople !== true,
      onProgress: ({ step, done, total }) => {
        if (done === 0) progress.step(step, total);
        progress.update(done, total);
      },
    });
    progress.done();
    const rows = Object.entries(summary.rows)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `  ${t.padEnd(24)} ${n.toLocaleString('en-GB').padStart(12)}`)
      .join('\n');
    const identities = summary.identity
      ? `Identities: ${summary.identity.file} (${summary.identity.rows.toLocaleString('en-GB')} people, for care teams only)\n`
      : 'No identity.csv: no identity store (care teams see no names or NHS numbers)\n';
    io.stdout.write(`Imported ${dir} into ${db}\n${rows}\n${identities}${describeWindow(summary.window)}${describePeople(summary.previous)}${servedNote(db)}`);
  } finally {
    progress.done();
    work.remove();
    lock.release();
  }
};

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A window given on the command line: days, in order. */
const checkWindow = (start: string | undefined, end: string | undefined): void => {
  for (const day of [start, end]) {
    if (day !== undefined && !ISO_DAY.test(day)) throw new UserError(`the window's days are dates (YYYY-MM-DD), got '${day}'`, 'usage');
  }
  if (start !== undefined && end !== undefined && start >= end) throw new UserError(`--window-start ${start} must be before --window-end ${end} (the first day after the data)`, 'usage');
};

/** The data window a build recorded, in words. */
export const describeWindow = (window: { readonly start?: string; readonly end?: string; readonly from?: string } | undefined): string =>
  window === undefined
    ? 'No data window: no activity dated in the files (give --window-start and --window-end)\n'
    : `Data window: ${window.start ?? '?'} to ${window.end ?? '?'} (end exclusive${window.from === 'activity' ? '; from the activity in the files' : ''})\n`;

export interface ImportIncrementalCommandOptions {
  readonly dir: string;
  readonly db: string;
  readonly windowEnd?: string;
  readonly dataDir?: string;
  readonly quiet?: boolean;
  readonly memoryLimit?: string;
}

/** What an incremental load changed, table by table (tables it left alone are not listed). */
export const describeChanges = (summary: Pick<IncrementalSummary, 'changes'>): string => {
  const lines = Object.entries(summary.changes)
    .filter(([, c]) => c.inserted + c.updated + c.deleted > 0)
    .map(([t, c]) => `  ${t.padEnd(24)} ${count(c.inserted).padStart(10)} ${count(c.updated).padStart(10)} ${count(c.deleted).padStart(10)}`);
  if (lines.length === 0) return 'Nothing changed: every row was already stored as given.\n';
  return `  ${'table'.padEnd(24)} ${'inserted'.padStart(10)} ${'updated'.padStart(10)} ${'deleted'.padStart(10)}\n${lines.join('\n')}\n`;
};

/** What happens to the operational records of the people a load deleted (decision 0009), when it deleted any. */
export const removalsNote = (summary: Pick<IncrementalSummary, 'changes'>): string => {
  const n = summary.changes.person?.deleted ?? 0;
  return n === 0
    ? ''
    : `${count(n)} ${n === 1 ? 'person' : 'people'} deleted: what the operational store holds open about them (caseload episodes, care plans, referrals, tasks, alerts) ` +
        "is closed, and kept, by the server when it next answers (or by 'phm caseload import' / 'phm referrals import' when no server runs)\n";
};

/** `phm import --incremental DIR`: adds, replaces and deletes rows of an existing database, as a new data version. */
export const importIncrementalCommand = async (options: ImportIncrementalCommandOptions, io: CliIo): Promise<void> => {
  const dir = resolve(io.cwd, options.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`${options.dir}: no such directory (expected a folder of CSV files named after the tables, e.g. death.csv, person.deletes.csv)`, 'not-found');
  }
  const db = resolve(io.cwd, options.db);
  const progress = createProgress(io.stderr, options.quiet);
  const geography = await loadGeography(options.dataDir ?? io.env.PHM_SHARED_DATA);
  const work = createWorkDir(db);
  reportLeftovers(io, work.removed, work.recovered, db);
  const started = Date.now();
  try {
    const summary = await applyIncremental({
      dbFile: db,
      csvDir: dir,
      workDir: work.path,
      geography,
      memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      ...(options.windowEnd !== undefined ? { windowEnd: options.windowEnd } : {}),
      onProgress: ({ step, done, total }) => {
        if (done === 0) progress.step(step, total);
        progress.update(done, total);
      },
    });
    progress.done();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout.write(
      `Loaded ${dir} into ${db} in ${seconds}s: data version ${summary.buildId} (after ${summary.parentBuildId})\n${describeChanges(summary)}${removalsNote(summary)}` +
        (summary.windowEnd !== undefined ? `Data window ends ${summary.windowEnd}\n` : '') +
        servedNote(db),
    );
  } catch (error) {
    progress.done();
    io.stderr.write(`Nothing was stored: ${db} is as it was.\n`);
    throw error;
  } finally {
    progress.done();
    work.remove();
  }
};

export interface ImportFhirCommandOptions {
  readonly path: string;
  readonly db: string;
  readonly dataDir?: string;
  readonly quiet?: boolean;
  readonly memoryLimit?: string;
  readonly syntheticResidence?: boolean;
  /** Where the JSON report goes (default `<db>.fhir-import.json`). */
  readonly report?: string;
  /** Apply the files as an incremental load to the database (built from FHIR) instead of replacing it. */
  readonly incremental?: boolean;
  /** A full import: replace the people of the database even when none is kept (see guardPeople in build.ts). */
  readonly replacePeople?: boolean;
  /** The data window (meta window_start, window_end); by default from the first and last day of activity in the files. */
  readonly windowStart?: string;
  readonly windowEnd?: string;
}

const count = (n: number): string => n.toLocaleString('en-GB');

/** The report in words: people, resources, rows, the commonest unmapped codes, defaults, problems. */
export const describeFhirReport = (report: FhirImportReport): string => {
  const lines: string[] = [];
  const excluded = Object.entries(report.people.excluded).filter(([, n]) => n > 0);
  lines.push(
    `People: ${count(report.people.read)} Patient resources, ${count(report.people.loaded)} loaded` +
      (excluded.length > 0 ? `, ${count(excluded.reduce((s, [, n]) => s + n, 0))} not loaded (${excluded.map(([r, n]) => `${r} ${count(n)}`).join(', ')})` : ''),
  );
  lines.push(`Resources read (${report.files.length} file${report.files.length === 1 ? '' : 's'}${report.repeated > 0 ? `; ${count(report.repeated)} repeats of the same resource read once` : ''}):`);
  for (const [type, n] of Object.entries(report.read)) {
    const outcome = Object.entries(report.outcomes[type] ?? {}).map(([k, v]) => `${k} ${count(v)}`).join(', ');
    lines.push(`  ${type.padEnd(24)} ${count(n).padStart(10)}${outcome ? `  → ${outcome}` : ''}`);
  }
  if (Object.keys(report.rows).length > 0) {
    lines.push('Rows mapped:');
    for (const [table, n] of Object.entries(report.rows)) lines.push(`  ${table.padEnd(24)} ${count(n).padStart(10)}`);
  }
  if (report.unmapped.length > 0) {
    const total = report.unmapped.reduce((s, u) => s + u.count, 0);
    lines.push(`Unmapped codes: ${count(report.unmapped.length)} distinct, ${count(total)} uses (the commonest; all in the report):`);
    for (const u of report.unmapped.slice(0, 10)) lines.push(`  ${count(u.count).padStart(6)}  ${u.system} ${u.code}${u.display ? ` (${u.display})` : ''}`);
  }
  const deletions = Object.entries(report.deletions ?? {});
  if (deletions.length > 0) lines.push(`Deletions: ${deletions.map(([k, v]) => `${k} ${count(v)}`).join(', ')}`);
  if (report.rejectedCount > 0) {
    lines.push(`Rejected: ${count(report.rejectedCount)} problem${report.rejectedCount === 1 ? '' : 's'}:`);
    for (const r of report.rejected.slice(0, 20)) {
      lines.push(`  ${r.file}, line ${r.line}${r.entry !== undefined ? ` (entry ${r.entry})` : ''}${r.resourceId !== undefined ? `, resource ${r.resourceId}` : ''}, ${r.path}: ${r.problem}`);
    }
  }
  return `${lines.join('\n')}\n`;
};

/** `phm import --fhir PATH`: FHIR R4 Bundles / Bulk FHIR NDJSON, mapped, checked and loaded all or nothing. */
export const importFhirCommand = async (options: ImportFhirCommandOptions, io: CliIo): Promise<void> => {
  if (options.incremental && options.replacePeople) throw new UserError('--replace-people goes with a full import (--fhir without --incremental)', 'usage');
  const path = resolve(io.cwd, options.path);
  if (!existsSync(path)) throw new UserError(`${options.path}: no such file or folder (expected FHIR Bundles, *.json, or Bulk FHIR NDJSON, *.ndjson)`, 'not-found');
  const db = resolve(io.cwd, options.db);
  if (!options.incremental) await checkOperationalBeside(db, options.replacePeople);
  const reportFile = resolve(io.cwd, options.report ?? `${options.db}.fhir-import.json`);
  const progress = createProgress(io.stderr, options.quiet);
  const dataDir = options.dataDir ?? io.env.PHM_SHARED_DATA;
  const geography = await loadGeography(dataDir);
  const postcodes = await loadPostcodeLookup(dataDir);
  const lsoaCodes = new Set<string>(geography.lsoas.map((l) => l.code));
  const practicesByPlace = new Map<string, string[]>();
  for (const p of geography.practices) (practicesByPlace.get(p.place) ?? practicesByPlace.set(p.place, []).get(p.place)!).push(p.code);
  const synthetic: SyntheticResidence | undefined = options.syntheticResidence
    ? {
        lsoas: [...geography.lsoas]
          .sort((a, b) => (a.code < b.code ? -1 : 1))
          .map((l) => ({ code: l.code, practices: [...(practicesByPlace.get(l.place) ?? [])].sort() })),
      }
    : undefined;
  const residence: ResidenceContext = {
    lsoaOfPostcode: (postcode) => {
      const lsoa = postcodes.get(postcode as never)?.lsoa11;
      return lsoa !== undefined && lsoaCodes.has(lsoa) ? lsoa : undefined;
    },
    practiceCodes: new Set<string>(geography.practices.map((p) => p.code)),
    partnershipLsoas: lsoaCodes,
    ...(synthetic !== undefined ? { syntheticResidence: synthetic } : {}),
  };
  const writeReport = (report: FhirImportReport) => writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
  for (const day of [options.windowStart, options.windowEnd]) {
    if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new UserError(`the window's days are dates (YYYY-MM-DD), got '${day}'`, 'usage');
  }
  const work = createWorkDir(db);
  reportLeftovers(io, work.removed, work.recovered, db);
  const started = Date.now();
  const onProgress = ({ step, done, total }: { step: string; done: number; total: number }) => {
    if (done === 0) progress.step(step, total);
    progress.update(done, total);
  };
  if (options.incremental) {
    try {
      const summary = await importFhirIncremental({
        dbFile: db,
        path,
        workDir: work.path,
        geography,
        residence,
        memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
        ...(options.windowStart !== undefined ? { windowStart: options.windowStart } : {}),
        ...(options.windowEnd !== undefined ? { windowEnd: options.windowEnd } : {}),
        onReport: writeReport,
        onProgress,
      });
      progress.done();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      io.stdout.write(
        `Loaded FHIR from ${path} into ${db} in ${seconds}s: data version ${summary.buildId} (after ${summary.parentBuildId})\n${describeFhirReport(summary.report)}${describeChanges(summary)}${removalsNote(summary)}` +
          (summary.windowEnd !== undefined ? `Data window ends ${summary.windowEnd}\n` : '') +
          `Report: ${reportFile}\n${servedNote(db)}`,
      );
    } catch (error) {
      progress.done();
      if (error instanceof FhirImportError) io.stderr.write(`${describeFhirReport(error.report)}Report: ${reportFile}\n`);
      io.stderr.write(`Nothing was stored: ${db} is as it was.\n`);
      throw error;
    } finally {
      progress.done();
      work.remove();
    }
    return;
  }
  // One load at a time (an incremental load must not be overwritten by this build, nor this one by it).
  let lock: ReturnType<typeof acquireStoreLock>;
  try {
    lock = acquireStoreLock(loadLockOf(db), { what: `the database ${db}`, held: 'being loaded', advice: 'wait until that load has finished, then import again' });
  } catch (error) {
    work.remove();
    throw error;
  }
  try {
    const { build, report } = await importFhir({
      path,
      outFile: db,
      workDir: work.path,
      geography,
      residence,
      memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      ...(io.env.PHM_RECORD_KEY_SALT ? { recordKeySalt: io.env.PHM_RECORD_KEY_SALT } : {}),
      meta: {
        source: 'import',
        imported_from: path,
        import_format: 'fhir-r4',
        ...(options.syntheticResidence ? { synthetic_residence: 'true' } : {}),
        ...(options.windowStart !== undefined ? { window_start: options.windowStart } : {}),
        ...(options.windowEnd !== undefined ? { window_end: options.windowEnd } : {}),
      },
      // Over a database: people keep their ids; refused when none is kept (unless --replace-people).
      guardPeople: options.replacePeople !== true,
      onReport: writeReport,
      onProgress,
    });
    progress.done();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout.write(
      `Imported FHIR from ${path} into ${db} in ${seconds}s\n${describeFhirReport(report)}${describePeople(build.previous, report.personIds)}` +
        (build.identity ? `Identities: ${build.identity.file} (${count(build.identity.rows)} people with an NHS number, for care teams only)\n` : 'No NHS numbers: no identity store (care teams see no names or NHS numbers)\n') +
        `Report: ${reportFile}\n${servedNote(db)}`,
    );
  } catch (error) {
    progress.done();
    if (error instanceof FhirImportError) io.stderr.write(`${describeFhirReport(error.report)}Report: ${reportFile}\nNothing was stored: ${db} is as it was.\n`);
    throw error;
  } finally {
    progress.done();
    work.remove();
    lock.release();
  }
};
