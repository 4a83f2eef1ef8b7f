/**
 * `phm export --fhir DIR`: the person-level data as Bulk FHIR NDJSON (one resource type a file, as
 * `$export` writes them), through core's export mapping (fhir/out/export.ts: the inverse of the FHIR
 * import, every resource UK Core) and store-duckdb's reads, a range of people at a time.
 * With an identity store the files hold NHS numbers, names and addresses: identifiable data, written
 * owner-only (0600). The folder is written whole or not at all: into a folder beside it, renamed
 * when complete; an existing non-empty folder is never written into.
 */
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { FHIR_EXPORT_RESOURCE_TYPES, UserError, exportPracticeRoles, exportResources, odsOrganization, OUTPATIENT_PROVIDER, type FhirResource } from '@openphm/core';
import { exportPracticeCodes, openDatabase, openExportIdentities, personIdBatches, readFhirExportBatch } from '@openphm/store-duckdb';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';

export interface ExportFhirCommandOptions {
  readonly out: string;
  readonly db: string;
  /** People a batch (by person id range). */
  readonly batch?: number;
  readonly quiet?: boolean;
}

const TYPES = FHIR_EXPORT_RESOURCE_TYPES;
type ExportType = (typeof TYPES)[number];

class NdjsonFiles {
  private readonly streams = new Map<ExportType, WriteStream>();
  readonly counts = new Map<ExportType, number>(TYPES.map((t) => [t, 0]));
  constructor(dir: string) {
    for (const type of TYPES) this.streams.set(type, createWriteStream(join(dir, `${type}.ndjson`), { mode: 0o600 }));
  }
  async write(resources: readonly FhirResource[]): Promise<void> {
    const lines = new Map<ExportType, string[]>();
    for (const r of resources) {
      const type = r.resourceType as ExportType;
      (lines.get(type) ?? lines.set(type, []).get(type)!).push(JSON.stringify(r));
      this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    }
    for (const [type, text] of lines) {
      const stream = this.streams.get(type)!;
      if (!stream.write(`${text.join('\n')}\n`)) await once(stream, 'drain');
    }
  }
  async close(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => new Promise<void>((done, fail) => s.end((error?: Error | null) => (error ? fail(error) : done())))));
  }
}

/** Folders a killed export left beside `out` (their process is gone). */
const removeDeadPartials = (out: string): void => {
  const prefix = `.${basename(out)}.partial-`;
  for (const name of existsSync(dirname(out)) ? readdirSync(dirname(out)) : []) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false;
    }
    if (!alive) rmSync(join(dirname(out), name), { recursive: true, force: true });
  }
};

export const exportFhirCommand = async (options: ExportFhirCommandOptions, io: CliIo): Promise<void> => {
  const out = resolve(io.cwd, options.out);
  if (existsSync(out) && readdirSync(out).length > 0) throw new UserError(`${options.out}: the folder exists and is not empty (the export writes a new folder)`, 'conflict');
  const db = await openDatabase(resolve(io.cwd, options.db), { readOnly: true });
  const partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  const progress = createProgress(io.stderr, options.quiet);
  const started = Date.now();
  let identities: Awaited<ReturnType<typeof openExportIdentities>>;
  try {
    identities = await openExportIdentities(db, db.file);
    removeDeadPartials(out);
    mkdirSync(partial, { recursive: true, mode: 0o700 });
    const files = new NdjsonFiles(partial);
    try {
      const practices = await exportPracticeCodes(db);
      await files.write([...practices.flatMap((code) => [odsOrganization(code), ...exportPracticeRoles(code)]), odsOrganization(OUTPATIENT_PROVIDER)]);
      const batches = await personIdBatches(db, options.batch ?? 20_000);
      const total = batches.reduce((sum, b) => sum + b.people, 0);
      let done = 0;
      progress.step('Exporting people', total);
      {
        for (const { from, to, people } of batches) {
          const rows = await readFhirExportBatch(db, identities, from, to);
          await files.write(exportResources(rows));
          done += people;
          progress.update(done, total);
        }
      }
    } finally {
      await files.close();
    }
    if (existsSync(out)) rmSync(out, { recursive: true });
    renameSync(partial, out);
    progress.done();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout.write(
      `Exported FHIR R4 (Bulk FHIR NDJSON) from ${db.file} to ${out} in ${seconds}s\n` +
        TYPES.map((t) => `  ${`${t}.ndjson`.padEnd(26)} ${files.counts.get(t)!.toLocaleString('en-GB')}`).join('\n') +
        `\n${identities === undefined ? 'No identity store: Patients have no NHS number, name or postcode (an import places them by the LSOA of their address)' : 'Identities included (NHS numbers, names, addresses): identifiable data, files readable by their owner only'}\n` +
        'Every person-level table and column is exported (docs/fhir-api.md#round-trip)\n',
    );
  } catch (error) {
    progress.done();
    rmSync(partial, { recursive: true, force: true });
    throw error;
  } finally {
    identities?.close();
    db.close();
  }
};
