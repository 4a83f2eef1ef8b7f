/** One chunk of LSOAs → one set of part files. Used in this thread and by worker.ts. */
import { Random, TABLE_NAMES, dayFromIso, hashString, type Geography, type TableName } from '@openphm/core';
import type { IdentityReference } from '@openphm/reference-data';
import { buildGeneratorAreas, type GeneratorArea } from './areas.js';
import { AreaIdentities, prepareIdentities, type PreparedIdentities } from './identity/identity.js';
import { planNhsNumbers, type NhsNumberPlan } from './identity/nhs-numbers.js';
import { PersonModel, type Window } from './person-model.js';
import { CsvPartSink } from './sink.js';

/** What every chunk of one generation shares (sent to worker threads as is). */
export interface ChunkJob {
  readonly geography: Geography;
  readonly seed: string;
  readonly size: number;
  readonly windowStart: string;
  readonly years: number;
  readonly outDir: string;
  /** When given, every person also gets a synthetic identity (written to `identity/`). */
  readonly identities?: IdentityReference;
  /** LSOAs per chunk (lsoasPerChunkFor; default LSOAS_PER_CHUNK_DEFAULT). */
  readonly lsoasPerChunk?: number;
}

export interface ChunkResult {
  readonly chunk: number;
  readonly lsoas: number;
  readonly people: number;
  readonly births: number;
  readonly deaths: number;
  readonly rows: Record<TableName, number>;
  /** Identity rows written (0 without identities). */
  readonly identities: number;
}

export const LSOAS_PER_CHUNK_DEFAULT = 24;
/** People per chunk aimed at below the whole partnership (which has about 42,000 per chunk of 24 LSOAs). */
const PEOPLE_PER_CHUNK = 40_000;
/** Chunks at least, so that up to four workers still share the work out. */
const MIN_CHUNKS = 8;

/**
 * LSOAs per chunk (one chunk: one part file per table): 24 for the whole partnership (about 64
 * parts), fewer chunks for a smaller population (one per 40,000 people, at least 8), since the
 * load reads each part file on its own (a 2,000-person partnership in 8 parts per table loads in
 * half the time of 64). The people generated do not depend on it (each LSOA has its own random
 * stream, and the database stores rows in key order), only how they are split into files.
 */
export const lsoasPerChunkFor = (areaCount: number, size: number): number => {
  const chunks = Math.min(Math.ceil(areaCount / LSOAS_PER_CHUNK_DEFAULT), Math.max(MIN_CHUNKS, Math.ceil(size / PEOPLE_PER_CHUNK)));
  return Math.max(1, Math.ceil(areaCount / Math.max(1, chunks)));
};

export const windowOf = (windowStart: string, years: number): Window => {
  const [y, rest] = [Number(windowStart.slice(0, 4)), windowStart.slice(4)];
  const yearStarts = Array.from({ length: years + 1 }, (_, i) => dayFromIso(`${y + i}${rest === '-02-29' ? '-03-01' : rest}`));
  return { start: yearStarts[0]!, end: yearStarts[years]!, yearStarts };
};

export const idKeyOf = (seed: string): number => hashString(`openphm-ids/${seed}`)[0];

/** What drawing identities needs across the areas of one generation (prepared once per thread). */
export interface IdentityPlan {
  readonly prepared: PreparedIdentities;
  readonly numbers: NhsNumberPlan;
  readonly idKey: number;
  /** Phone numbers go to people 16 or over on this day. */
  readonly asOf: number;
}

const preparedCache = new WeakMap<IdentityReference, PreparedIdentities>();

export const identityPlanOf = (reference: IdentityReference, areas: readonly GeneratorArea[], seed: string, window: Window, years: number): IdentityPlan => {
  let prepared = preparedCache.get(reference);
  if (prepared === undefined) {
    prepared = prepareIdentities(reference);
    preparedCache.set(reference, prepared);
  }
  return { prepared, numbers: planNhsNumbers(areas, years), idKey: idKeyOf(seed), asOf: window.end - 1 };
};

export const areaIdentities = (plan: IdentityPlan, area: GeneratorArea): AreaIdentities =>
  new AreaIdentities(plan.prepared, area, plan.numbers.blocks[area.index]!, plan.idKey, plan.asOf);

export const runChunk = (job: ChunkJob, chunk: number, areas: readonly GeneratorArea[] = buildGeneratorAreas(job.geography, job.size), perChunk = job.lsoasPerChunk ?? LSOAS_PER_CHUNK_DEFAULT): ChunkResult => {
  const window = windowOf(job.windowStart, job.years);
  const identities = job.identities === undefined ? undefined : identityPlanOf(job.identities, areas, job.seed, window, job.years);
  const sink = new CsvPartSink(job.outDir, `part-${String(chunk).padStart(4, '0')}`, { identities: identities !== undefined });
  const idKey = idKeyOf(job.seed);
  let people = 0;
  let births = 0;
  let deaths = 0;
  const mine = areas.slice(chunk * perChunk, (chunk + 1) * perChunk);
  try {
    for (const area of mine) {
      const rng = Random.fromKey(`${job.seed}/${area.lsoa.code}`);
      const summary = new PersonModel({ area, window, rng, sink, idKey, ...(identities ? { identities: areaIdentities(identities, area) } : {}) }).run();
      people += summary.people;
      births += summary.births;
      deaths += summary.deaths;
    }
  } finally {
    sink.close();
  }
  const rows = Object.fromEntries(TABLE_NAMES.map((t) => [t, sink.counts[t]])) as Record<TableName, number>;
  return { chunk, lsoas: mine.length, people, births, deaths, rows, identities: sink.identities };
};
