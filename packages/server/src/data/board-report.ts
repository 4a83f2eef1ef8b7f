/**
 * The quarterly board report of a strategy (purpose, background, main issues by exception,
 * governance, conclusions, recommendations), built by core from the scorecard, the action plan,
 * the risk register and the strategy's versions: as JSON, or as a Markdown paper.
 */
import { dataWindow } from '@openphm/store-duckdb';
import { buildBoardReport, parseQuarter, quarterContaining, renderBoardReportMarkdown, strategyMeasures } from '@openphm/core';
import type { BoardReportResponseT } from '@openphm/api-contract';
import type { ServerContext } from '../context.js';
import { latestMeasureCommentary, listActions, listRisks, strategyVersions } from '../operational/delivery.js';
import { changesOf, scorecardOf, strategyById } from './strategies.js';

export type BoardReportOut = { readonly format: 'json'; readonly body: BoardReportResponseT } | { readonly format: 'markdown'; readonly fileName: string; readonly text: string };

/** A strategy's board report for a financial quarter (default: the quarter containing today). */
export const boardReport = async (ctx: ServerContext, strategyId: string, query: { readonly quarter?: string | undefined; readonly format: 'json' | 'markdown' }): Promise<BoardReportOut> => {
  const stored = await strategyById(ctx, strategyId);
  const today = ctx.today();
  const quarter = query.quarter ? parseQuarter(query.quarter) : quarterContaining(today);
  const { measures } = await scorecardOf(ctx, stored);
  const versionRows = await strategyVersions(ctx.ops, stored.strategy.id);
  const window = await dataWindow(ctx.data);
  const commentary = await latestMeasureCommentary(ctx.ops, stored.strategy.id);
  const commentaryOf = (id: string) => {
    const c = commentary.get(id);
    return c ? { text: c.commentary, writtenBy: c.writtenBy, writtenAt: c.writtenAt } : null;
  };
  const report = buildBoardReport({
    strategy: stored.strategy,
    quarter,
    today,
    measures: measures.map((m) => ({ priorityId: m.priorityId, priorityTitle: '', ambitionId: m.ambitionId, ambitionTitle: stored.strategy.priorities.find((p) => p.id === m.priorityId)!.ambitions.find((a) => a.id === m.ambitionId)!.title, measure: strategyMeasures(stored.strategy).find((x) => x.measure.id === m.id)!.measure, unit: m.unit, assessment: m.assessment, commentary: commentaryOf(m.id) })),
    actions: await listActions(ctx.ops, stored.strategy.id),
    risks: await listRisks(ctx.ops, stored.strategy.id),
    dataNote: `${window.source === 'synthetic' ? 'synthetic data' : 'linked person-level data'}, records ${window.start ?? 'unknown'} to ${window.lastDay ?? 'unknown'}; published figures are disclosure-controlled`,
    // Every version after the first stored is a change to the strategy (from its file or made in the app).
    versions: versionRows.slice(1).map((r, i) => ({ version: r.version, date: r.loadedAt.slice(0, 10), reason: r.reason, changes: changesOf(versionRows, i + 1) })),
  });
  if (query.format === 'markdown') return { format: 'markdown', fileName: `${stored.strategy.id}-${quarter.id}.md`, text: renderBoardReportMarkdown(report) };
  return {
    format: 'json',
    body: {
      ...report,
      mainIssues: [...report.mainIssues],
      incompleteMeasures: report.incompleteMeasures.map((m) => ({ title: m.title, reasons: [...m.reasons] })),
      planChanges: report.planChanges.map((v) => ({ ...v, changes: [...v.changes] })),
      conclusions: [...report.conclusions],
      recommendations: [...report.recommendations],
    },
  };
};
