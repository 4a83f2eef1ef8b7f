/**
 * Segment and risk summaries (GET /api/segments, GET /api/risk): counts over the person features of
 * the current data version (data/features.ts), by a breakdown and optionally within an area,
 * published through disclosure control (store-duckdb's publishSegmentCounts / publishRiskSummary,
 * which protect each group × category table with its margins).
 *
 * Within an area the breakdown is crossed with the area's level (place × decile, …) and only the
 * area's groups are kept; they are then protected as a table of their own, whose margins are the
 * area's totals, so no withheld cell can be recovered from the area's published figures.
 */
import type { z } from 'zod';
import { SEGMENTATIONS, TABLE_NAMES, UserError, disclosureStatement, type Breakdown } from '@openphm/core';
import { CROSS_LABEL, publishRiskSummary, publishSegmentCounts, riskSummary, segmentCounts, type BreakdownSpec } from '@openphm/store-duckdb';
import { type ServerContext } from '../context.js';
import { canonicalParams } from '../cache.js';
import { definitionHash } from './persisted-results.js';
import { neighbourhoodNames } from './neighbourhood-names.js';
import { servedReferenceDate } from './population.js';
import { geoNames, groupLabel, personFeatures, type GeoNames } from './features.js';
import { invalidRequest } from '../errors.js';
import { csvCount, csvNumber, toCsv } from '../csv.js';
import type { PublishedTable } from '../tables.js';
import { RiskResponse, SegmentsResponse, type RiskResponseT, type SegmentsResponseT } from '@openphm/api-contract';
export type SummaryArea = { readonly level: 'ics'; readonly id: 'ics' } | { readonly level: 'place' | 'neighbourhood'; readonly id: string };

export const parseSummaryArea = (text: string | undefined, geo: GeoNames): SummaryArea => {
  if (text === undefined || text === 'ics') return { level: 'ics', id: 'ics' };
  const [level, id] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)] as ['place' | 'neighbourhood', string];
  const known = level === 'place' ? geo.places.has(id) : geo.neighbourhoods.has(id);
  if (!known) throw new UserError(`no ${level} '${id}' in this database`, 'not-found');
  return { level, id };
};

export const areaOut = (area: SummaryArea, geo: GeoNames) => ({
  id: area.level === 'ics' ? 'ics' : `${area.level}:${area.id}`,
  name: area.level === 'ics' ? geo.icsName : area.level === 'place' ? geo.places.get(area.id)! : geo.neighbourhoods.get(area.id)!.name,
  level: area.level,
});

/** Coarser than or equal to the area's level: the breakdown collapses to the area itself. */
const COLLAPSES: Record<SummaryArea['level'], readonly Breakdown[]> = { ics: ['ics'], place: ['ics', 'place'], neighbourhood: ['ics', 'place', 'neighbourhood'] };

export interface AreaPlan {
  readonly spec: BreakdownSpec;
  /** The output group of a computed group, or undefined when it is outside the area. */
  readonly keep: (group: string) => string | undefined;
  /** The breakdown the output groups belong to (for labels). */
  readonly labelBy: Breakdown;
}

/** How to count `by` within an area: which (crossed) breakdown, and which of its groups to keep. */
export const areaPlan = (by: Breakdown, area: SummaryArea): AreaPlan => {
  if (area.level === 'ics') return { spec: [by], keep: (g) => g, labelBy: by };
  if (COLLAPSES[area.level].includes(by)) return { spec: [area.level], keep: (g) => (g === area.id ? g : undefined), labelBy: area.level };
  const prefix = `${area.id}${CROSS_LABEL}`;
  return { spec: [area.level, by], keep: (g) => (g.startsWith(prefix) ? g.slice(prefix.length) : undefined), labelBy: by };
};

const keepRows = <R extends { readonly group: string }>(rows: readonly R[], plan: AreaPlan, by: string): (R & { breakdown: string })[] =>
  rows.flatMap((r) => {
    const group = plan.keep(r.group);
    return group === undefined ? [] : [{ ...r, group, breakdown: by }];
  });

/** What both summaries start from: the area's names, the date of the person features and how to count within the area. */
const summaryFrame = async (ctx: ServerContext, by: Breakdown, areaText: string | undefined) => {
  const geo = await geoNames(ctx);
  const area = parseSummaryArea(areaText, geo);
  const { date } = await personFeatures(ctx);
  return { geo, area, date, plan: areaPlan(by, area) };
};

type GroupFigures = 'group' | 'people' | 'groupPeople' | 'share' | 'suppressed' | 'note';

/** A published row's group (labelled) and figures, as both summaries write them. */
const groupFigures = <R extends { readonly group: string } & Record<GroupFigures, unknown>>(geo: GeoNames, plan: AreaPlan, r: R): Pick<R, GroupFigures> & { groupLabel: string } => ({
  group: r.group,
  groupLabel: groupLabel(geo, plan.labelBy, r.group),
  people: r.people,
  groupPeople: r.groupPeople,
  share: r.share,
  suppressed: r.suppressed,
  note: r.note,
});

export const segmentSummary = async (ctx: ServerContext, segmentationId: string, by: Breakdown, areaText: string | undefined): Promise<SegmentsResponseT> => {
  const segmentation = SEGMENTATIONS.find((s) => s.id === segmentationId);
  if (!segmentation) {
    const message = `unknown segmentation '${segmentationId}' (one of ${SEGMENTATIONS.map((s) => s.id).join(', ')})`;
    throw invalidRequest('querystring', [{ field: 'segmentation', message }]);
  }
  const { geo, area, date, plan } = await summaryFrame(ctx, by, areaText);
  const counts = await segmentCounts(ctx.data, segmentation, date, [plan.spec]);
  const published = publishSegmentCounts({ ...counts, rows: keepRows(counts.rows, plan, by) });
  return {
    segmentation: {
      id: segmentation.id,
      version: segmentation.version,
      title: segmentation.title,
      source: segmentation.source,
      segments: segmentation.segments.map((s) => ({ id: s.id, label: s.label, description: s.description })),
    },
    date,
    by,
    area: areaOut(area, geo),
    rows: published.map((r) => ({ ...groupFigures(geo, plan, r), segment: r.segment })),
    disclosure: disclosureStatement(published.filter((r) => r.suppressed).length),
  };
};

export const riskDistribution = async (ctx: ServerContext, by: Breakdown, areaText: string | undefined): Promise<RiskResponseT> => {
  const { geo, area, date, plan } = await summaryFrame(ctx, by, areaText);
  const summary = await riskSummary(ctx.data, date, [plan.spec]);
  const published = publishRiskSummary({ ...summary, rows: keepRows(summary.rows, plan, by) });
  return {
    date,
    by,
    area: areaOut(area, geo),
    measures: summary.measures.map((m) => ({ id: m.id, label: m.label, partition: m.partition, categories: m.categories.map((c) => c.id) })),
    rows: published.map((r) => ({ ...groupFigures(geo, plan, r), measure: r.measure, category: r.category })),
    disclosure: disclosureStatement(published.filter((r) => r.suppressed).length),
  };
};

/**
 * A summary kept on disk (data/persisted-results.ts): computed from the person features (so from
 * every person-level table) at the reference date, labelled with the neighbourhoods' names.
 */
const persistedSummary = async <S extends z.ZodType>(ctx: ServerContext, kind: string, params: Readonly<Record<string, unknown>>, code: string, schema: S, compute: () => Promise<z.infer<S>>): Promise<z.infer<S>> => {
  const [date, names] = await Promise.all([servedReferenceDate(ctx), neighbourhoodNames(ctx)]);
  return ctx.results.get(ctx.data, { kind, key: `${date}:${canonicalParams(params)}`, code, tables: TABLE_NAMES, stamps: { 'neighbourhood-names': names.stamp }, schema }, compute);
};

/** segmentSummary, read from the results folder when computed before from the same data. */
export const persistedSegmentSummary = (ctx: ServerContext, segmentationId: string, by: Breakdown, areaText: string | undefined): Promise<SegmentsResponseT> =>
  persistedSummary(ctx, 'segments', { segmentationId, by, areaText }, definitionHash(SEGMENTATIONS.find((s) => s.id === segmentationId) ?? segmentationId), SegmentsResponse, () =>
    segmentSummary(ctx, segmentationId, by, areaText),
  );

/** riskDistribution, read from the results folder when computed before from the same data. */
export const persistedRiskDistribution = (ctx: ServerContext, by: Breakdown, areaText: string | undefined): Promise<RiskResponseT> =>
  persistedSummary(ctx, 'risk', { by, areaText }, 'risk', RiskResponse, () => riskDistribution(ctx, by, areaText));

/** GET /api/segments: a segmentation by a breakdown, optionally within an area. */
export const segmentsTable = (ctx: ServerContext, segmentation: string, by: Breakdown, area: string | undefined): PublishedTable<typeof SegmentsResponse> => ({
  endpoint: 'segments',
  params: { segmentation, by, area },
  schema: SegmentsResponse,
  compute: () => persistedSegmentSummary(ctx, segmentation, by, area),
  csv: (body) => ({
    fileName: `segments-${segmentation}-${by}${area ? `-${area}` : ''}.csv`,
    text: toCsv(
      ['area', 'segmentation', 'date', 'by', 'group', 'group_label', 'segment', 'people', 'group_people', 'share', 'suppressed'],
      body.rows.map((r) => [body.area.id, segmentation, body.date, by, r.group, r.groupLabel, r.segment, csvCount(r.people), csvCount(r.groupPeople), csvNumber(r.share), r.suppressed]),
    ),
  }),
});

/** GET /api/risk: the risk measures by a breakdown, optionally within an area. */
export const riskTable = (ctx: ServerContext, by: Breakdown, area: string | undefined): PublishedTable<typeof RiskResponse> => ({
  endpoint: 'risk',
  params: { by, area },
  schema: RiskResponse,
  compute: () => persistedRiskDistribution(ctx, by, area),
  csv: (body) => ({
    fileName: `risk-${by}${area ? `-${area}` : ''}.csv`,
    text: toCsv(
      ['area', 'date', 'by', 'group', 'group_label', 'measure', 'category', 'people', 'group_people', 'share', 'suppressed'],
      body.rows.map((r) => [body.area.id, body.date, by, r.group, r.groupLabel, r.measure, r.category, csvCount(r.people), csvCount(r.groupPeople), csvNumber(r.share), r.suppressed]),
    ),
  }),
});
