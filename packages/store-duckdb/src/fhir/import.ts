/**
 * `phm import --fhir`: FHIR R4 Bundles and Bulk FHIR NDJSON into an OpenPHM database, all or nothing.
 *
 * 1. Index: every file is read once (streamed, read.ts); each resource's type and id are checked,
 *    duplicates found, and the registry (core fhir/registry.ts) learns ids, fullUrls, identifiers,
 *    ODS codes and the dates a person's registration needs. Problems here (malformed JSON, a wrong
 *    resource type, a duplicate id) stop the load before anything is mapped.
 * 2. Decide: each Patient is loaded or excluded (no postcode, outside the partnership, ...), counted
 *    by reason.
 * 3. Map: every file is read again and each resource mapped (core fhir/map.ts) to rows, written as
 *    CSV in OpenPHM's documented schema into the run's private working folder. Problems (an invalid
 *    code, a reference to a resource not in the files, a malformed date) are collected with file,
 *    line, resource id and element path; any problem rejects the load.
 * 4. Build: the CSV files are loaded and checked by the same build as `phm import DIR` (build.ts),
 *    into a new database renamed over the old one only when complete: a rejected or interrupted load
 *    (even kill -9) leaves the stored database as it was.
 * The report says what was read (resources per type and file), mapped (rows per table), unmapped
 * (by code system and code, with counts), excluded (people by reason) and rejected.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FhirRegistry,
  IDENTITY_TABLE,
  InputError,
  TABLES,
  UserError,
  decidePerson,
  digestSubject,
  REFERENCE_ONLY_TYPES,
  mapResource,
  patientFacts,
  typeAndIdProblem,
  type ExclusionReason,
  type FhirLocation,
  type MappedRow,
  type PatientFacts,
  type PersonOutcome,
  type ResidenceContext,
  type RowValue,
  type TableName,
} from '@openphm/core';
import { buildDatabase, type BuildOptions, type BuildSummary } from '../build.js';
import { discoverFhirFiles, readFhirFile, type FhirFile } from './read.js';

export interface FhirRejection {
  readonly file: string;
  readonly line: number;
  readonly entry?: number;
  readonly resourceId?: string;
  readonly path: string;
  readonly problem: string;
}

export interface FhirImportReport {
  readonly source: string;
  readonly files: readonly { readonly file: string; readonly format: 'ndjson' | 'bundle'; readonly bytes: number; readonly resources: number }[];
  /** Files at the path that are neither *.json nor *.ndjson (not read). */
  readonly skippedFiles: readonly string[];
  /** Resources read per type, as the files hold them (a resource repeated with the same content counts each time). */
  readonly read: Readonly<Record<string, number>>;
  /** Distinct resources per type (repeats of the same resource counted once). */
  readonly distinct: Readonly<Record<string, number>>;
  readonly repeated: number;
  /** Bundle entries without a resource (DELETE requests). */
  readonly entriesWithoutResource: number;
  readonly people: {
    readonly read: number;
    readonly loaded: number;
    readonly excluded: Readonly<Record<ExclusionReason, number>>;
  };
  /** Resources read per type and what became of them: rows, or why none. */
  readonly outcomes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Rows written per table. */
  readonly rows: Readonly<Record<string, number>>;
  /** Codes no list maps, by code system and code, most frequent first. */
  readonly unmapped: readonly { readonly system: string; readonly code: string; readonly display?: string; readonly count: number }[];
  /** Values filled with a documented default or derived another way, with counts. */
  readonly defaults: Readonly<Record<string, number>>;
  readonly rejectedCount: number;
  /** The first problems found (at most MAX_REJECTIONS). */
  readonly rejected: readonly FhirRejection[];
}

export const MAX_REJECTIONS = 100;

/** A load rejected for problems in the FHIR data: the report holds every problem (up to MAX_REJECTIONS). */
export class FhirImportError extends InputError {
  readonly report: FhirImportReport;
  constructor(first: FhirRejection, report: FhirImportReport) {
    super(
      { file: first.file, line: first.line },
      `${first.resourceId !== undefined ? `resource ${first.resourceId}, ` : ''}${first.path}: ${first.problem}` +
        (report.rejectedCount > 1 ? ` (and ${report.rejectedCount - 1} more problem${report.rejectedCount > 2 ? 's' : ''}: see the report)` : ''),
    );
    this.report = report;
  }
}

export const FHIR_INDEX_STEP = 'Reading FHIR (1/2 index)';
export const FHIR_MAP_STEP = 'Reading FHIR (2/2 map)';

export interface FhirImportOptions extends Omit<BuildOptions, 'csvDir' | 'workDir'> {
  /** A FHIR file or a folder of them. */
  readonly path: string;
  /** The run's private working folder (work-dir.ts): the mapped CSV files and the new database are written there. */
  readonly workDir: string;
  readonly residence: ResidenceContext;
  /** Called with the report before the build (also when the load is rejected). */
  readonly onReport?: (report: FhirImportReport) => void;
}

export interface FhirImportSummary {
  readonly build: BuildSummary;
  readonly report: FhirImportReport;
}

const digestOf = (resource: unknown): string => createHash('sha1').update(JSON.stringify(resource)).digest('base64');

const csvCell = (value: RowValue): string => {
  if (value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
};

/** CSV files of the mapped rows, one per table, written in batches. */
class CsvTables {
  private readonly files = new Map<string, { handle: FileHandle; columns: readonly string[]; buffer: string[]; size: number }>();
  readonly rows = new Map<string, number>();
  constructor(private readonly dir: string) {}

  async add(row: MappedRow): Promise<void> {
    let file = this.files.get(row.table);
    if (file === undefined) {
      const columns = (row.table === 'identity' ? IDENTITY_TABLE : TABLES[row.table as TableName]).columns.map((c) => c.name);
      const handle = await open(join(this.dir, `${row.table}.csv`), 'w', 0o600);
      file = { handle, columns, buffer: [`${columns.join(',')}\n`], size: 0 };
      this.files.set(row.table, file);
    }
    const line = `${file.columns.map((c) => csvCell(row.values[c] ?? null)).join(',')}\n`;
    file.buffer.push(line);
    file.size += line.length;
    this.rows.set(row.table, (this.rows.get(row.table) ?? 0) + 1);
    if (file.size > 1 << 20) await this.flush(file);
  }

  private async flush(file: { handle: FileHandle; buffer: string[]; size: number }): Promise<void> {
    await file.handle.write(file.buffer.join(''));
    file.buffer = [];
    file.size = 0;
  }

  async close(): Promise<void> {
    for (const file of this.files.values()) {
      await this.flush(file);
      await file.handle.close();
    }
  }
}

const increment = (map: Record<string, number>, key: string, by = 1): void => {
  map[key] = (map[key] ?? 0) + by;
};

const sortedRecord = (map: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Reads, checks and maps FHIR files, then builds the database from the rows (all or nothing). */
export const importFhir = async (options: FhirImportOptions): Promise<FhirImportSummary> => {
  const { files, skipped } = await discoverFhirFiles(options.path);
  const totalBytes = Math.max(1, files.reduce((s, f) => s + f.bytes, 0));
  const progress = (step: string) => {
    let done = 0;
    options.onProgress?.({ step, done: 0, total: totalBytes });
    return (bytes: number) => {
      done += bytes;
      options.onProgress?.({ step, done: Math.min(done, totalBytes), total: totalBytes });
    };
  };

  const registry = new FhirRegistry();
  const rejected: FhirRejection[] = [];
  let rejectedCount = 0;
  const reject = (location: FhirLocation, path: string, problem: string, resourceId?: string) => {
    rejectedCount++;
    if (rejected.length < MAX_REJECTIONS) {
      rejected.push({ file: location.file, line: location.line, ...(location.entry !== undefined ? { entry: location.entry } : {}), ...(resourceId !== undefined ? { resourceId } : {}), path, problem });
    }
  };
  const read: Record<string, number> = {};
  const perFile = new Map<string, number>();
  let repeated = 0;
  let entriesWithoutResource = 0;
  const facts = new Map<string, PatientFacts>();

  // 1. Index.
  const indexBytes = progress(FHIR_INDEX_STEP);
  for (const file of files) {
    let count = 0;
    for await (const item of readFhirFile(file, indexBytes)) {
      if (item.kind === 'problem') {
        reject(item.problem.location, item.problem.path, item.problem.problem, item.problem.resourceId);
        continue;
      }
      if (item.kind === 'no-resource') {
        entriesWithoutResource++;
        continue;
      }
      count++;
      const { resource, location } = item;
      const prefix = location.entry !== undefined ? `Bundle.entry[${location.entry}].resource.` : '';
      const problem = typeAndIdProblem(resource);
      if (problem !== undefined) {
        reject(location, problem.path.startsWith('(') ? problem.path : `${prefix}${problem.path}`, problem.problem, typeof resource?.id === 'string' ? resource.id : undefined);
        continue;
      }
      const type = resource.resourceType as string;
      increment(read, type);
      const added = registry.add(resource, location, digestOf(digestSubject(resource)), item.fullUrl);
      if (added.kind === 'duplicate') {
        reject(location, `${type}.id`, `duplicate id: ${added.key} is also at ${added.first.file} line ${added.first.line}, with different content${REFERENCE_ONLY_TYPES.includes(type) ? " (different identifiers)" : ""}`, resource.id as string);
      } else if (added.kind === 'repeat') repeated++;
      else {
        registry.note(resource);
        if (type === 'Patient') facts.set(added.key, patientFacts(resource));
      }
    }
    perFile.set(file.name, count);
  }
  registry.settle();

  // 2. Decide who is loaded.
  const outcomes = new Map<string, PersonOutcome>();
  const excluded = Object.fromEntries((['no-postcode', 'outside-partnership', 'no-partnership-practice', 'no-birth-date', 'sex-not-male-or-female'] as const).map((r) => [r, 0])) as Record<ExclusionReason, number>;
  for (const [key, f] of facts) {
    const outcome = decidePerson(key, f, registry, options.residence);
    outcomes.set(key, outcome);
    if (outcome.kind === 'excluded') excluded[outcome.reason]++;
  }

  const unmapped = new Map<string, { system: string; code: string; display?: string; count: number }>();
  const defaults: Record<string, number> = {};
  const resourceOutcomes: Record<string, Record<string, number>> = {};
  const report = (tables?: CsvTables): FhirImportReport => ({
    source: options.path,
    files: files.map((f) => ({ file: f.name, format: f.format, bytes: f.bytes, resources: perFile.get(f.name) ?? 0 })),
    skippedFiles: skipped,
    read: sortedRecord(read),
    distinct: sortedRecord(Object.fromEntries(registry.counts)),
    repeated,
    entriesWithoutResource,
    people: { read: facts.size, loaded: [...outcomes.values()].filter((o) => o.kind === 'person').length, excluded },
    outcomes: Object.fromEntries(Object.entries(resourceOutcomes).sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, m]) => [t, sortedRecord(m)])),
    rows: tables ? sortedRecord(Object.fromEntries(tables.rows)) : {},
    unmapped: [...unmapped.values()].sort((a, b) => b.count - a.count || (a.system < b.system ? -1 : a.system > b.system ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    defaults: sortedRecord(defaults),
    rejectedCount,
    rejected,
  });
  const fail = (tables?: CsvTables): never => {
    const r = report(tables);
    options.onReport?.(r);
    throw new FhirImportError(rejected[0]!, r);
  };
  if (rejectedCount > 0) fail();

  // 3. Map.
  const csvDir = join(options.workDir, 'fhir-csv');
  mkdirSync(csvDir, { recursive: true, mode: 0o700 });
  const tables = new CsvTables(csvDir);
  const ids = { ae_attendance: 0, hospital_spell: 0 };
  const nhsNumbers = new Map<string, string>();
  const context = {
    registry,
    person: (key: string) => outcomes.get(key),
    nextId: (table: 'ae_attendance' | 'hospital_spell') => ++ids[table],
  };
  const mapBytes = progress(FHIR_MAP_STEP);
  try {
    for (const file of files) {
      for await (const item of readFhirFile(file, mapBytes)) {
        if (item.kind !== 'resource') continue;
        const { resource, location } = item;
        const type = resource.resourceType as string;
        const key = `${type}/${resource.id as string}`;
        const first = registry.locationOf(key);
        const outcomesOfType = (resourceOutcomes[type] ??= {});
        if (first === undefined || first.file !== location.file || first.line !== location.line || first.entry !== location.entry) {
          increment(outcomesOfType, 'repeat');
          continue;
        }
        const result = mapResource(resource, context);
        const prefix = location.entry !== undefined ? `Bundle.entry[${location.entry}].resource.` : '';
        for (const p of result.problems) reject(location, `${prefix}${p.path}`, p.problem, resource.id as string);
        if (result.problems.length > 0) {
          increment(outcomesOfType, 'rejected');
          continue;
        }
        for (const u of result.unmapped) {
          const k = `${u.system}|${u.code}`;
          const entry = unmapped.get(k) ?? unmapped.set(k, { system: u.system, code: u.code, ...(u.display !== undefined ? { display: u.display } : {}), count: 0 }).get(k)!;
          entry.count++;
        }
        for (const d of result.defaults) increment(defaults, d);
        if (result.skipped !== undefined) increment(outcomesOfType, `not loaded: ${result.skipped}`);
        for (const row of result.rows) {
          if (row.table === 'identity') {
            const nhs = String(row.values.nhs_number);
            const other = nhsNumbers.get(nhs);
            if (other !== undefined) {
              reject(location, `${prefix}Patient.identifier`, `NHS number ${nhs} is also the NHS number of ${other}`, resource.id as string);
              continue;
            }
            nhsNumbers.set(nhs, key);
          }
          increment(outcomesOfType, row.table);
          await tables.add(row);
        }
      }
    }
  } finally {
    await tables.close();
  }
  if (rejectedCount > 0) fail(tables);
  const finalReport = report(tables);
  options.onReport?.(finalReport);
  if ((tables.rows.get('person') ?? 0) === 0) {
    const reasons = Object.entries(excluded).filter(([, n]) => n > 0).map(([r, n]) => `${n} ${r}`).join(', ');
    throw new UserError(
      `no person could be loaded from ${options.path}: ${facts.size} Patient resource${facts.size === 1 ? '' : 's'} read${reasons ? `, excluded: ${reasons}` : ''}. ` +
        'People must live at a partnership postcode and be registered with a partnership practice; for synthetic data from generators outside England (Synthea) use --synthetic-residence.',
      'invalid-input',
    );
  }

  // 4. Build (the same checks and atomic swap as a CSV import).
  const { path: _path, residence: _residence, onReport: _onReport, ...buildOptions } = options;
  const build = await buildDatabase({ ...buildOptions, csvDir, workDir: options.workDir });
  return { build, report: finalReport };
};

export type { FhirFile };
