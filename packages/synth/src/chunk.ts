/** One chunk of LSOAs → one set of part files. Used in this thread and by worker.ts. */
import { Random, TABLE_NAMES, dayFromIso, hashString, type Geography, type TableName } from '@openphm/core';
import { buildGeneratorAreas, type GeneratorArea } from './areas.js';
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
}

export interface ChunkResult {
  readonly chunk: number;
  readonly lsoas: number;
  readonly people: number;
  readonly births: number;
  readonly deaths: number;
  readonly rows: Record<TableName, number>;
}

export const LSOAS_PER_CHUNK_DEFAULT = 24;

export const windowOf = (windowStart: string, years: number): Window => {
  const [y, rest] = [Number(windowStart.slice(0, 4)), windowStart.slice(4)];
  const yearStarts = Array.from({ length: years + 1 }, (_, i) => dayFromIso(`${y + i}${rest === '-02-29' ? '-03-01' : rest}`));
  return { start: yearStarts[0]!, end: yearStarts[years]!, yearStarts };
};

export const idKeyOf = (seed: string): number => hashString(`openphm-ids/${seed}`)[0];

export const runChunk = (job: ChunkJob, chunk: number, areas: readonly GeneratorArea[] = buildGeneratorAreas(job.geography, job.size), perChunk = LSOAS_PER_CHUNK_DEFAULT): ChunkResult => {
  const window = windowOf(job.windowStart, job.years);
  const sink = new CsvPartSink(job.outDir, `part-${String(chunk).padStart(4, '0')}`);
  const idKey = idKeyOf(job.seed);
  let people = 0;
  let births = 0;
  let deaths = 0;
  const mine = areas.slice(chunk * perChunk, (chunk + 1) * perChunk);
  try {
    for (const area of mine) {
      const rng = Random.fromKey(`${job.seed}/${area.lsoa.code}`);
      const summary = new PersonModel({ area, window, rng, sink, idKey }).run();
      people += summary.people;
      births += summary.births;
      deaths += summary.deaths;
    }
  } finally {
    sink.close();
  }
  const rows = Object.fromEntries(TABLE_NAMES.map((t) => [t, sink.counts[t]])) as Record<TableName, number>;
  return { chunk, lsoas: mine.length, people, births, deaths, rows };
};
