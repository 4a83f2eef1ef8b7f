/**
 * Personalised care and support plans as the API shows them. Who may see whose plan is the route
 * table's scope (the team's own residents); a plan the person has not agreed to share is for its
 * author only, which is checked here. Plan text never reaches a log.
 */
import { UserError, isPlanReviewDue, type CarePlanContent, type CarePlanUpdate } from '@openphm/core';
import type { CarePlanT } from '@openphm/api-contract';
import type { Audited, ServerContext } from '../context.js';
import { createCarePlan, currentCarePlan, updateCarePlan, type StoredCarePlan } from '../operational/care-plans.js';

export const planOut = (p: StoredCarePlan, today: string): CarePlanT => ({
  id: p.id,
  personId: p.personId,
  neighbourhoodId: p.neighbourhoodId,
  whatMatters: p.whatMatters,
  goals: p.goals.map((g) => ({ ...g })),
  support: p.support.map((s) => ({ ...s })),
  contingency: p.contingency,
  consentToShare: p.consentToShare,
  reviewDate: p.reviewDate,
  reviewDue: isPlanReviewDue(p, today),
  status: p.status,
  createdBy: p.createdBy,
  version: p.version,
  updatedAt: p.updatedAt,
  updatedBy: p.updatedBy,
});

/** The person's current plan as `reader` may see it: a plan not shared by the person is for its author only. */
const readablePlan = async (ctx: ServerContext, personId: string, reader: string): Promise<StoredCarePlan | null> => {
  const plan = await currentCarePlan(ctx.ops, personId);
  if (plan !== null && !plan.consentToShare && plan.createdBy !== reader) {
    throw new UserError(`the person has not agreed to share this plan beyond ${plan.createdBy}, who wrote it`, 'forbidden');
  }
  return plan;
};

export const carePlanOf = async (ctx: ServerContext, personId: string, reader: string): Promise<Audited<CarePlanT | null>> => {
  const plan = await readablePlan(ctx, personId, reader);
  return { value: plan ? planOut(plan, ctx.today()) : null, audit: plan ? `version ${plan.version}` : 'no plan' };
};

/** Starts a plan for a resident of `neighbourhoodId` (at most one active plan a person). */
export const startCarePlan = async (ctx: ServerContext, personId: string, neighbourhoodId: string, content: CarePlanContent, by: string): Promise<Audited<CarePlanT>> => {
  const current = await currentCarePlan(ctx.ops, personId);
  if (current?.status === 'active') throw new UserError('this person already has an active plan: change it, or close it first', 'conflict');
  const plan = await createCarePlan(ctx.ops, { ...content, personId, neighbourhoodId, createdBy: by }, by);
  return { value: planOut(plan, ctx.today()), audit: `plan ${plan.id}` };
};

/** Changes the person's current plan: the whole plan and the version edited. */
export const changeCarePlan = async (ctx: ServerContext, personId: string, update: CarePlanUpdate, by: string): Promise<Audited<CarePlanT>> => {
  const current = await readablePlan(ctx, personId, by);
  if (current === null) throw new UserError('this person has no care plan yet: start one', 'not-found');
  const plan = await updateCarePlan(ctx.ops, current.id, update, by);
  return { value: planOut(plan, ctx.today()), audit: `plan ${plan.id} version ${plan.version}` };
};
