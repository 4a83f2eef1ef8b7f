/**
 * `phm segment`: everyone resident at a date assigned to one segment of a segmentation (Kirklees four
 * groups or Bridges to Health, or a JSON definition), counted by breakdown, or the movement between
 * segments over the year to the date. Counts are disclosure-controlled. See docs/segmentation.md.
 */
import { resolve } from 'node:path';
import { SEGMENTATIONS, UserError, parseSegmentation, publishCount, type Segmentation } from '@openphm/core';
import { readJsonFile, referenceDateOf, toCsv, writeOutput, type OutputFormat } from './output.js';
import {
  DISCLOSURE_NOTE,
  NO_DISCLOSURE_CONTROL,
  NO_DISCLOSURE_NOTE,
  addYears,
  ensurePersonFeatures,
  openDatabase,
  parseBreakdownList,
  publishSegmentCounts,
  publishTransitions,
  segmentCounts,
  segmentTransitions,
} from '@openphm/store-duckdb';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';

export interface SegmentCommandOptions {
  readonly db: string;
  /** A segmentation id, or a JSON file with a segmentation definition. */
  readonly segmentation: string;
  readonly date?: string;
  /** Comma-separated breakdowns, e.g. 'place,age-band:imd-quintile'. */
  readonly by: string;
  readonly transitions?: boolean;
  readonly format: OutputFormat;
  readonly out?: string;
  readonly quiet?: boolean;
  /** false: exact counts (--no-disclosure-control). Default true. */
  readonly disclosureControl?: boolean;
}

/** A built-in segmentation by id, or a JSON definition file (validated). */
export const loadSegmentation = (value: string, cwd: string): Segmentation => {
  const builtIn = SEGMENTATIONS.find((s) => s.id === value);
  if (builtIn) return builtIn;
  if (!value.endsWith('.json')) throw new UserError(`unknown segmentation '${value}' (one of ${SEGMENTATIONS.map((s) => s.id).join(', ')}, or a .json definition file)`);
  const input = readJsonFile(value, cwd, 'segmentation file');
  return parseSegmentation(input, value);
};

export const segmentCommand = async (options: SegmentCommandOptions, io: CliIo): Promise<void> => {
  const segmentation = loadSegmentation(options.segmentation, io.cwd);
  const breakdowns = parseBreakdownList(options.by);
  if (breakdowns.length === 0) throw new UserError('--by needs at least one breakdown');
  const policy = options.disclosureControl === false ? NO_DISCLOSURE_CONTROL : undefined;
  const note = policy ? NO_DISCLOSURE_NOTE : DISCLOSURE_NOTE;
  const progress = createProgress(io.stderr, options.quiet);
  const db = await openDatabase(resolve(io.cwd, options.db), { readOnly: true });
  try {
    const date = await referenceDateOf(db, options.date);
    const meta = { segmentation: segmentation.id, version: segmentation.version };
    if (options.transitions) {
      const from = addYears(date, -1);
      progress.step(`Segmenting at ${from} and ${date}`, 2);
      progress.update(0);
      const t = await segmentTransitions(db, segmentation, from, date);
      progress.update(2);
      progress.done();
      const cells = publishTransitions(t, policy);
      const rows = cells.map((c) => ({ ...meta, from_date: t.fromDate, to_date: t.toDate, from: c.from, to: c.to, people: c.people, suppressed: c.suppressed, note: c.note }));
      writeOutput(
        io,
        options.format === 'json'
          ? `${JSON.stringify({ ...meta, title: segmentation.title, fromDate: t.fromDate, toDate: t.toDate, fromStates: t.fromStates, toStates: t.toStates, disclosure: note, cells }, null, 2)}\n`
          : toCsv(rows),
        options.out,
      );
      return;
    }
    progress.step(`Person features at ${date}`, breakdowns.length + 1);
    progress.update(0);
    await ensurePersonFeatures(db, date);
    progress.update(1);
    const counts = await segmentCounts(db, segmentation, date, breakdowns);
    progress.update(breakdowns.length + 1);
    progress.done();
    const labels = new Map(segmentation.segments.map((s) => [s.id, s.label]));
    const rows = publishSegmentCounts(counts, policy).map((r) => ({
      ...meta,
      date,
      breakdown: r.breakdown,
      group: r.group,
      segment: r.segment,
      label: labels.get(r.segment) ?? r.segment,
      people: r.people,
      group_people: r.groupPeople,
      share: r.share,
      suppressed: r.suppressed,
      note: r.note,
    }));
    writeOutput(
      io,
      options.format === 'json'
        ? `${JSON.stringify({ ...meta, title: segmentation.title, date, population: publishCount({ n: counts.population, key: counts.populationKey }, policy), disclosure: note, rows: rows.map(({ segmentation: _s, version: _v, date: _d, ...rest }) => rest) }, null, 2)}\n`
        : toCsv(rows),
      options.out,
    );
  } finally {
    progress.done();
    db.close();
  }
};
