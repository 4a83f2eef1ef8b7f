/**
 * Generates a synthetic partnership: splits the LSOAs into fixed chunks, simulates each chunk
 * (in worker threads when asked, otherwise in this thread) and writes CSV part files in the
 * documented schema, plus a manifest. The output depends only on the geography, seed, size and
 * window: never on the number of workers or the order they finish in.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InternalError, Random, TABLE_NAMES, UserError, dayFromIso, type Geography, type TableName } from '@openphm/core';
import type { IdentityReference } from '@openphm/reference-data';
import { buildGeneratorAreas } from './areas.js';
import { areaIdentities, identityPlanOf, idKeyOf, runChunk, windowOf, type ChunkJob, type ChunkResult } from './chunk.js';
import { PersonModel } from './person-model.js';
import { MemorySink } from './sink.js';

export const DEFAULT_WINDOW_START = '2021-04-01';
export const DEFAULT_YEARS = 5;
/** LSOAs per part file: about 64 parts for the whole partnership, fewer for a smaller one. */
import { lsoasPerChunkFor } from './chunk.js';

export interface GenerateOptions {
  readonly geography: Geography;
  readonly seed: string;
  /** People alive at the start of the window across the partnership. */
  readonly size: number;
  /** Directory to write `<table>/part-NNNN.csv` and manifest.json into (emptied first). */
  readonly outDir: string;
  readonly windowStart?: string;
  readonly years?: number;
  /** Worker threads; 0 runs in this thread (needed when running from TypeScript sources). */
  readonly workers?: number;
  readonly onProgress?: (doneLsoas: number, totalLsoas: number) => void;
  /**
   * The identity reference data (reference-data's loadIdentityReference): when given, every person
   * also gets a synthetic identity, written to `identity/part-NNNN.csv` (kept apart from the tables).
   */
  readonly identities?: IdentityReference;
}

export interface GenerationManifest {
  readonly generator: string;
  readonly seed: string;
  readonly size: number;
  readonly windowStart: string;
  readonly years: number;
  readonly people: number;
  readonly births: number;
  readonly deaths: number;
  readonly rows: Record<TableName, number>;
  /** Synthetic identities written (one per person), 0 when none were asked for. */
  readonly identities: number;
}

export type { ChunkJob } from './chunk.js';

export const GENERATOR_VERSION = 'openphm-synth/1';

export const generatePopulation = async (options: GenerateOptions): Promise<GenerationManifest> => {
  const windowStart = options.windowStart ?? DEFAULT_WINDOW_START;
  const years = options.years ?? DEFAULT_YEARS;
  dayFromIso(windowStart);
  if (!Number.isInteger(years) || years < 1 || years > 20) throw new UserError(`years must be a whole number from 1 to 20, got ${years}`);
  if (!Number.isFinite(options.size) || options.size < 100) throw new UserError(`size must be at least 100 people, got ${options.size}`);
  const areas = buildGeneratorAreas(options.geography, options.size);
  const lsoasPerChunk = lsoasPerChunkFor(areas.length, options.size);
  const chunkCount = Math.ceil(areas.length / lsoasPerChunk);
  rmSync(options.outDir, { recursive: true, force: true });
  mkdirSync(options.outDir, { recursive: true });
  const job: ChunkJob = {
    geography: options.geography, seed: options.seed, size: options.size, windowStart, years, outDir: options.outDir, lsoasPerChunk,
    ...(options.identities ? { identities: options.identities } : {}),
  };
  // Refuse a population too large for unique synthetic NHS numbers before simulating anyone.
  if (options.identities) identityPlanOf(options.identities, areas, options.seed, windowOf(windowStart, years), years);

  const results: ChunkResult[] = [];
  let done = 0;
  const report = (r: ChunkResult) => {
    results.push(r);
    done += r.lsoas;
    options.onProgress?.(done, areas.length);
  };
  options.onProgress?.(0, areas.length);
  const workers = Math.max(0, Math.min(options.workers ?? 0, chunkCount));
  if (workers === 0) {
    for (let chunk = 0; chunk < chunkCount; chunk++) report(runChunk(job, chunk, areas));
  } else {
    await runInWorkers(job, chunkCount, workers, report);
  }

  const rows = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;
  let people = 0;
  let births = 0;
  let deaths = 0;
  let identities = 0;
  for (const r of results) {
    for (const t of TABLE_NAMES) rows[t] += r.rows[t];
    people += r.people;
    births += r.births;
    deaths += r.deaths;
    identities += r.identities;
  }
  const manifest: GenerationManifest = { generator: GENERATOR_VERSION, seed: options.seed, size: options.size, windowStart, years, people, births, deaths, rows, identities };
  writeFileSync(join(options.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
};

const runInWorkers = (job: ChunkJob, chunkCount: number, workerCount: number, report: (r: ChunkResult) => void): Promise<void> =>
  new Promise((resolve, reject) => {
    let nextChunk = 0;
    let running = 0;
    let failed = false;
    const workers: Worker[] = [];
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error instanceof Error ? error : new InternalError(`generator worker failed: ${String(error)}`));
    };
    for (let i = 0; i < workerCount; i++) {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: job });
      workers.push(worker);
      running++;
      const feed = () => {
        if (nextChunk < chunkCount) worker.postMessage(nextChunk++);
        else void worker.terminate();
      };
      worker.on('message', (message: ChunkResult | 'ready') => {
        if (message !== 'ready') report(message);
        feed();
      });
      worker.on('error', fail);
      worker.on('exit', () => {
        running--;
        if (running === 0 && !failed) {
          if (nextChunk < chunkCount) fail(new InternalError('generator workers stopped before all chunks were done'));
          else resolve();
        }
      });
    }
  });

/**
 * Generates the whole partnership into memory (tests, small examples): same rows as the CSV path.
 * With `identities`, the sink's `identities` holds everyone's synthetic identity too.
 */
export const generateInMemory = (
  geography: Geography,
  seed: string,
  size: number,
  windowStart = DEFAULT_WINDOW_START,
  years = DEFAULT_YEARS,
  identities?: IdentityReference,
): MemorySink => {
  const sink = new MemorySink();
  const window = windowOf(windowStart, years);
  const idKey = idKeyOf(seed);
  const areas = buildGeneratorAreas(geography, size);
  const plan = identities === undefined ? undefined : identityPlanOf(identities, areas, seed, window, years);
  for (const area of areas) {
    new PersonModel({ area, window, rng: Random.fromKey(`${seed}/${area.lsoa.code}`), sink, idKey, ...(plan ? { identities: areaIdentities(plan, area) } : {}) }).run();
  }
  return sink;
};
