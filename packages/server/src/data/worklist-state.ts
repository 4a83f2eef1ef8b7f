/**
 * Worklists that show state: for each person listed, what the care team already has in hand (the
 * active caseload episode, the care and support plan, open referrals and tasks), the emergency
 * admission risk and the care gaps due, so a team sees at a glance who needs what and is offered
 * only the actions that will work (no "Add to caseload" for someone already on one). Batched: a
 * few queries for the whole list.
 */
import { CARE_GAP_CODES, careGaps, type CareAccess, type CareRelationshipKind, type SessionUser } from '@openphm/core';
import type { WorklistStateT } from '@openphm/api-contract';
import { careGapFacts, scorePeople } from '@openphm/store-duckdb';
import type { ServerContext } from '../context.js';
import { openTaskCounts } from '../operational/tasks.js';
import { activeEpisodesOf, activePlansOf, openReferralCounts } from '../operational/worklist-state.js';
import { admissionScorer } from './care-record.js';
import { careAccessOfMany } from './care-zone.js';

const relationshipsOf = (access: ReadonlyMap<string, CareAccess> | null, id: string): CareRelationshipKind[] | null => {
  if (access === null) return null;
  const one = access.get(id);
  return one?.allowed ? one.relationships.map((r) => r.kind) : [];
};

/**
 * The state of each person of a worklist of `neighbourhoodId`, from the features `table` at `date`
 * (the data's last day); care gaps are due at that date, reviews at `today`. For a care
 * professional (`viewer`), their care relationship with each person too (core's rule, as the
 * route table's care-relationship scope applies it), so that the list offers only what they may do.
 */
export const worklistStates = async (
  ctx: ServerContext,
  personIds: readonly string[],
  neighbourhoodId: string,
  table: string,
  date: string,
  viewer: SessionUser | null = null,
): Promise<Map<string, WorklistStateT>> => {
  const today = ctx.today();
  const professional = viewer !== null && viewer.role === 'neighbourhood' ? viewer : null;
  const [episodes, plans, referrals, tasks, access] = await Promise.all([
    activeEpisodesOf(ctx.ops, personIds),
    activePlansOf(ctx.ops, personIds),
    openReferralCounts(ctx.ops, personIds),
    openTaskCounts(ctx.ops, neighbourhoodId),
    professional === null ? null : careAccessOfMany(ctx, professional, personIds),
  ]);
  const scorer = await admissionScorer(ctx);
  const scores = 'unavailable' in scorer ? new Map() : await scorePeople(ctx.data, scorer, table, personIds);
  const facts = await careGapFacts(ctx.data, table, personIds, CARE_GAP_CODES, date);
  const out = new Map<string, WorklistStateT>();
  for (const id of personIds) {
    const episode = episodes.get(id);
    const plan = plans.get(id);
    const score = scores.get(id);
    const f = facts.get(id);
    out.set(id, {
      caseload: episode ? { entryId: episode.entryId, ownNeighbourhood: episode.neighbourhoodId === neighbourhoodId, keyWorker: episode.keyWorker, nextReview: episode.nextReview, reviewDue: episode.nextReview <= today } : null,
      carePlan: plan === undefined ? null : { reviewDate: plan, reviewDue: plan <= today },
      openReferrals: referrals.get(id) ?? 0,
      openTasks: tasks.get(id) ?? 0,
      admissionRisk: score ? { probability: Math.round(score.probability * 1000) / 1000, band: score.band } : null,
      careGapsDue: f ? careGaps({ ...f, conditions: new Set(f.conditions) }, date).filter((g) => g.status === 'due').map((g) => g.label) : [],
      careRelationships: relationshipsOf(access, id),
    });
  }
  return out;
};
