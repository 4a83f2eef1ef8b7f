/**
 * A service's inbox: the referrals it receives, those waiting for its decision first, and its
 * decisions (accept, or decline with a reason: core's referral-decisions.ts), in the referral's
 * history. The referrer is told of the decision; the service's members are told when a referral
 * arrives. A professional's inbox is the referrals to the services they work for (user_service);
 * one who works for none has their team's: the referrals made in its neighbourhood.
 */
import { DECLINE_REASONS, awaitsDecision, recipientsOf, referralDecisionProblem, type Referral, type ReferralDecision, type ReferralDecisionInput, type SessionUser } from '@openphm/core';
import type { InboxReferralT, InboxResponseT } from '@openphm/api-contract';
import type { Audited, ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { getReferral, type StoredService } from '../operational/care.js';
import { notify } from '../operational/notifications.js';
import { decideReferral, decisionsOf, inboxReferrals } from '../operational/referral-decisions.js';
import { userIdByEmail } from '../operational/team.js';
import { userServices } from '../operational/care-zone.js';
import { atomically } from '../operational/versioned.js';
import { servicesById } from './directory.js';
import { referralOut } from './referrals.js';

const decisionOut = (d: ReferralDecision | undefined): InboxReferralT['decision'] =>
  d === undefined ? null : { ...d, reasonLabel: d.reason === null ? null : (DECLINE_REASONS.find((r) => r.id === d.reason)?.label ?? d.reason) };

const inboxOut = (r: Referral, services: ReadonlyMap<string, StoredService>, decision: ReferralDecision | undefined): InboxReferralT => ({
  ...referralOut(r, services),
  awaitsDecision: awaitsDecision(r),
  decision: decisionOut(decision),
});

/** The signed-in professional's inbox: their services' referrals, or their team's (GET /api/care/inbox). */
export const inboxOf = async (ctx: ServerContext, user: SessionUser, neighbourhoodId: string, show: 'waiting' | 'decided' | 'all'): Promise<Audited<InboxResponseT>> => {
  const serviceIds = await userServices(ctx.ops, user.id);
  const all = await inboxReferrals(ctx.ops, { serviceIds, neighbourhoodId });
  const decisions = await decisionsOf(ctx.ops, all.map((r) => r.id));
  const shown = all.filter((r) => show === 'all' || (show === 'waiting' ? awaitsDecision(r) : decisions.has(r.id)));
  const services = await servicesById(ctx);
  const used = serviceIds.length > 0 ? serviceIds : [...new Set(all.map((r) => r.serviceId))].sort();
  return {
    value: {
      neighbourhood: neighbourhoodId,
      services: used.map((id) => ({ id, name: services.get(id)?.entry.name ?? id })),
      declineReasons: DECLINE_REASONS.map(({ id, label }) => ({ id, label })),
      waiting: all.filter(awaitsDecision).length,
      referrals: shown.map((r) => inboxOut(r, services, decisions.get(r.id))),
    },
    audit: `${shown.length} referrals (${show}) ${serviceIds.length > 0 ? `to ${serviceIds.length} services` : 'of the team'}`,
  };
};

/** Accepts or declines a referral (POST /api/care/inbox/:referralId/decision); the referrer is told. */
export const decide = async (ctx: ServerContext, referralId: number, input: ReferralDecisionInput, user: SessionUser): Promise<Audited<InboxReferralT>> => {
  const current = await getReferral(ctx.ops, referralId);
  // A decision on an older version is a conflict (decideReferral says who changed it), whatever it asks.
  const problem = current.version !== input.version ? null : referralDecisionProblem(current, input);
  if (problem) throw invalidRequest('body', [problem]);
  const services = await servicesById(ctx);
  const { referral, decision } = await atomically(ctx.ops, async (tx) => {
    const done = await decideReferral(tx, referralId, input, user.email);
    const to = recipientsOf({ kind: 'referral-decided', actorId: user.id, referrerId: await userIdByEmail(tx, current.referredBy) });
    const name = services.get(current.serviceId)?.entry.name ?? current.serviceId;
    await notify(
      tx,
      to.map((userId) => ({ userId, kind: 'referral-decided' as const, summary: `${name} ${done.decision.decision} the referral of person ${current.personId}`, link: `#/person?id=${current.personId}`, personId: current.personId })),
    );
    return done;
  });
  return { value: inboxOut(referral, services, decision), audit: `referral ${referralId} ${decision.decision}${decision.reason ? ` (${decision.reason})` : ''}` };
};

/**
 * Why a professional may not decide a referral, or null (the route table's service-referral scope):
 * it must be to a service they work for, or, when they work for none, made in their neighbourhood.
 */
export const decisionRefusal = async (ctx: ServerContext, user: SessionUser, referralId: number): Promise<string | null> => {
  const referral = await getReferral(ctx.ops, referralId);
  const services = await userServices(ctx.ops, user.id);
  if (services.length > 0) return services.includes(referral.serviceId) ? null : 'this referral is to a service you do not work for';
  return referral.neighbourhoodId === user.neighbourhoodId ? null : 'this referral is not in your neighbourhood';
};
