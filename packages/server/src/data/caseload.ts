/**
 * The neighbourhood caseload as the API shows it: episodes of proactive care, active first. Whose
 * episodes a team may see and change is the route table's scope.
 */
import { CASELOAD_SOURCES, DISCHARGE_OUTCOMES, UserError, caseloadUpdateProblem, dischargeOutcomeLabel, type CaseloadEntry, type CaseloadInput, type CaseloadUpdate } from '@openphm/core';
import type { CaseloadEntryT, CaseloadResponseT, HistoryResponseT } from '@openphm/api-contract';
import type { Audited, ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { addToCaseload, caseloadHistory, getCaseloadEntry, listCaseload, updateCaseloadEntry } from '../operational/care-plans.js';

export const entryOut = (e: CaseloadEntry, today: string): CaseloadEntryT => ({
  ...e,
  sourceLabel: CASELOAD_SOURCES.find((s) => s.id === e.source)?.label ?? e.source,
  outcomeLabel: e.outcome === null ? null : dischargeOutcomeLabel(e.outcome),
  reviewDue: e.status === 'active' && e.nextReview <= today,
});

/** The caseload of one neighbourhood (a team's own, or the one an analyst asks for) or all. */
export const caseloadList = async (ctx: ServerContext, filter: { readonly neighbourhood: string | null; readonly status?: 'active' | 'discharged' | undefined }): Promise<Audited<CaseloadResponseT>> => {
  const { neighbourhood } = filter;
  const entries = await listCaseload(ctx.ops, { ...(neighbourhood ? { neighbourhoodId: neighbourhood } : {}), ...(filter.status ? { status: filter.status } : {}) });
  const today = ctx.today();
  return {
    value: {
      neighbourhood,
      today,
      sources: CASELOAD_SOURCES.map((s) => ({ ...s })),
      outcomes: DISCHARGE_OUTCOMES.map((o) => ({ ...o })),
      entries: entries.map((e) => entryOut(e, today)),
    },
    audit: `${entries.length} entries${neighbourhood ? ` in ${neighbourhood}` : ''}`,
  };
};

/** Takes someone onto the caseload of `neighbourhoodId`, the team's (the route table's care-relationship scope checked), once at a time. */
export const takeOnCaseload = async (ctx: ServerContext, input: CaseloadInput, neighbourhoodId: string, by: string): Promise<Audited<CaseloadEntryT>> => {
  if ((await listCaseload(ctx.ops, { personId: input.personId, status: 'active' })).length > 0) throw new UserError('this person is already on the caseload', 'conflict');
  const entry = await addToCaseload(ctx.ops, { ...input, neighbourhoodId }, by);
  return { value: entryOut(entry, ctx.today()), audit: `entry ${entry.id}` };
};

/** Changes an episode (key worker, next review, discharge with an outcome) with the version edited. */
export const changeEpisode = async (ctx: ServerContext, id: number, update: CaseloadUpdate, by: string): Promise<Audited<CaseloadEntryT>> => {
  const current = await getCaseloadEntry(ctx.ops, id);
  const problem = caseloadUpdateProblem(current, update);
  if (problem) throw invalidRequest('body', [problem]);
  const entry = await updateCaseloadEntry(ctx.ops, current.id, update, by);
  return { value: entryOut(entry, ctx.today()), audit: `version ${entry.version}: ${entry.status}` };
};

export const episodeVersions = async (ctx: ServerContext, id: number): Promise<HistoryResponseT> => {
  const current = await getCaseloadEntry(ctx.ops, id);
  return { history: (await caseloadHistory(ctx.ops, current.id)).map((h) => ({ ...h, snapshot: { ...h.snapshot } })) };
};
