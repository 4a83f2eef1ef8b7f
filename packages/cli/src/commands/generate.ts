/** `phm generate`: synthetic partnership → CSV part files → DuckDB database (atomically replaced). */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { loadGeography, loadIdentityReference } from '@openphm/reference-data';
import { buildDatabase, createWorkDir, syntheticRecordKeySalt } from '@openphm/store-duckdb';
import { generatePopulation, type GenerationManifest } from '@openphm/synth';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { reportLeftovers, servedNote } from './served.js';

export interface GenerateCommandOptions {
  readonly size: number;
  readonly seed: string;
  readonly db: string;
  readonly workers?: number;
  readonly keepCsv?: string;
  readonly dataDir?: string;
  readonly quiet?: boolean;
  readonly windowStart?: string;
  readonly years?: number;
  /** DuckDB memory limit while loading (it spills to disk beyond it). */
  readonly memoryLimit?: string;
}

/**
 * DuckDB's memory limit while loading (it spills to disk beyond it). The whole process holds about 1.2 GB more (Node, the
 * generator's last buffers), so 2.5 GB keeps a full partnership's generate + load under 4 GB (issue 19 item 5): measured on
 * the full partnership, peak 2.93 GB in 296 s against 5.18 GB in 289 s with 4 GB (docs/benchmarks.md). program.ts repeats it
 * as the option's default (it does not import this module, to start fast).
 */
export const DEFAULT_MEMORY_LIMIT = '2.5GB';

export const defaultWorkers = (): number => Math.max(1, Math.min(4, availableParallelism()));

export const generateCommand = async (options: GenerateCommandOptions, io: CliIo): Promise<GenerationManifest> => {
  const progress = createProgress(io.stderr, options.quiet);
  const db = resolve(io.cwd, options.db);
  const dataDir = options.dataDir ?? io.env.PHM_SHARED_DATA;
  const [geography, identities] = await Promise.all([loadGeography(dataDir), loadIdentityReference(dataDir)]);
  // A private folder (0700) for the CSV part files and the new database; what crashed runs left is removed first.
  const work = createWorkDir(db);
  reportLeftovers(io, work.removed, work.recovered, db);
  const csvDir = options.keepCsv ? resolve(io.cwd, options.keepCsv) : join(work.path, 'csv');
  const started = Date.now();
  try {
    progress.step('Generating people (LSOAs)', geography.lsoas.length);
    const manifest = await generatePopulation({
      geography,
      seed: options.seed,
      size: options.size,
      outDir: csvDir,
      workers: options.workers ?? defaultWorkers(),
      // Synthetic identities (names, NHS numbers, addresses) for the identity store next to the database.
      identities,
      onProgress: (done, total) => progress.update(done, total),
      ...(options.windowStart ? { windowStart: options.windowStart } : {}),
      ...(options.years ? { years: options.years } : {}),
    });
    progress.done();
    const summary = await buildDatabase({
      outFile: db,
      csvDir,
      geography,
      memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      workDir: work.path,
      // Generated people get record keys from the seed, so the same seed gives the same database.
      recordKeySalt: syntheticRecordKeySalt(manifest.seed),
      meta: {
        source: 'synthetic',
        generator: manifest.generator,
        seed: manifest.seed,
        size: String(manifest.size),
        window_start: manifest.windowStart,
        years: String(manifest.years),
      },
      onProgress: ({ step, done, total }) => {
        if (done === 0) progress.step(step, total);
        progress.update(done, total);
      },
    });
    progress.done();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout.write(
      `Generated ${manifest.people.toLocaleString('en-GB')} people (${manifest.births.toLocaleString('en-GB')} births, ` +
        `${manifest.deaths.toLocaleString('en-GB')} deaths) with seed '${manifest.seed}' in ${seconds}s\n` +
        `Database: ${db} (${(summary.fileBytes / 1e6).toFixed(1)} MB)\n` +
        (summary.identity ? `Identities: ${summary.identity.file} (${summary.identity.rows.toLocaleString('en-GB')} people, for care teams only)\n` : '') +
        servedNote(db),
    );
    return manifest;
  } finally {
    progress.done();
    work.remove();
  }
};
