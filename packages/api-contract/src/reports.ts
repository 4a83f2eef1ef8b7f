/** Quarterly board reports (routes/reports.ts). */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';
import { Int, IsoDay } from './common.js';
import { MeasureStatusSchema } from './strategies.js';

export const ReportQuery = z.object({
  quarter: z.string().optional().describe('Financial quarter, e.g. 2026-27-q3 (default: the quarter containing today)'),
  format: z.enum(['json', 'markdown']).default('json').describe('markdown returns the board paper as text/markdown'),
});

export const IssueSchema = z.object({ kind: z.enum(['measure', 'action', 'risk']), severity: z.enum(['red', 'amber']), title: z.string(), detail: z.string(), owner: z.string(), measureId: z.string().optional().describe('The measure an issue about a measure concerns (for its chart)') });

export const BoardReportResponse = z.object({
  title: z.string(),
  board: z.string(),
  quarter: z.object({ id: z.string(), label: z.string(), start: IsoDay, end: IsoDay }),
  preparedOn: IsoDay,
  dataNote: z.string(),
  summary: notAFigure(
    z.object({
      measures: z.record(MeasureStatusSchema, z.number().int()),
      actions: z.object({ green: z.number(), amber: z.number(), red: z.number(), open: z.number(), overdue: z.number(), complete: z.number(), updatedInQuarter: z.number() }),
      risks: z.object({ critical: z.number(), serious: z.number(), high: z.number(), moderate: z.number(), low: z.number(), open: z.number(), reviewOverdue: z.number() }),
    }),
    'counts of measures, actions and risks (operational records), not of people',
  ),
  purpose: z.string(),
  background: z.string(),
  mainIssues: z.array(IssueSchema),
  incompleteMeasures: z.array(z.object({ title: z.string(), reasons: z.array(z.string()) })),
  governance: z.string(),
  planChanges: z
    .array(z.object({ version: Int('strategy version'), date: IsoDay, reason: z.string().nullable(), changes: z.array(z.string()) }))
    .describe('Versions of the strategy made in the quarter, with what changed'),
  conclusions: z.array(z.string()),
  recommendations: z.array(z.string()),
});

export type BoardReportResponseT = z.infer<typeof BoardReportResponse>;
