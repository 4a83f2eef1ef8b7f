/**
 * Social prescribing referrals as the API shows them. Who may act on which referral is the route
 * table's business (its scope); the care rules for a new referral are core's (referralServiceProblem).
 */
import {
  ONS4_ITEMS,
  REFERRAL_REASONS,
  REFERRAL_STATUSES,
  REFERRAL_STATUS_LABEL,
  REFERRAL_TRANSITIONS,
  disclosureStatement,
  referralServiceProblem,
  referralUpdateProblem,
  type Breakdown,
  type Referral,
  type ReferralInput,
  type ReferralStatus,
  type ReferralUpdate,
} from '@openphm/core';
import type { HistoryResponseT, ReachResponseT, ReferralT, ReferralsResponseT } from '@openphm/api-contract';
import { UserError } from '@openphm/core';
import type { Audited, ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { createReferral, getReferral, listReferrals, referralHistory, updateReferral, type StoredService } from '../operational/care.js';
import { atomically } from '../operational/versioned.js';
import { servicesById } from './directory.js';
import { tellServiceOfReferral } from './notifications.js';
import { geoNames } from './features.js';
import { referralReach } from './referral-reach.js';

export const referralOut = (r: Referral, services: ReadonlyMap<string, StoredService>): ReferralT => ({
  ...r,
  serviceName: services.get(r.serviceId)?.entry.name ?? r.serviceId,
  reasonLabel: REFERRAL_REASONS.find((x) => x.id === r.reason)?.label ?? r.reason,
  statusLabel: REFERRAL_STATUS_LABEL[r.status],
  nextStatuses: [...REFERRAL_TRANSITIONS[r.status]],
});

/** Referrals, newest first, of one neighbourhood (a team's own, or the one an analyst asks for) or all. */
export const referralList = async (
  ctx: ServerContext,
  filter: { readonly neighbourhood: string | null; readonly person?: string | undefined; readonly status?: ReferralStatus | undefined },
): Promise<Audited<ReferralsResponseT>> => {
  const { neighbourhood } = filter;
  const referrals = await listReferrals(ctx.ops, { ...(neighbourhood ? { neighbourhoodId: neighbourhood } : {}), ...(filter.person ? { personId: filter.person } : {}), ...(filter.status ? { status: filter.status } : {}) });
  const services = await servicesById(ctx);
  return {
    value: {
      neighbourhood,
      reasons: REFERRAL_REASONS.map((r) => ({ ...r })),
      statuses: REFERRAL_STATUSES.map((id) => ({ id, label: REFERRAL_STATUS_LABEL[id] })),
      wellbeingItems: ONS4_ITEMS.map((i) => ({ ...i })),
      referrals: referrals.map((r) => referralOut(r, services)),
    },
    audit: `${referrals.length} referrals${neighbourhood ? ` in ${neighbourhood}` : ''}`,
  };
};

/**
 * Refers someone to a directory service offered in `neighbourhoodId`, the team's (the route table's care-relationship scope
 * checked the professional has a care relationship with the person): the referral is the team's, wherever the person lives.
 */
export const makeReferral = async (ctx: ServerContext, input: ReferralInput, neighbourhoodId: string, by: string): Promise<Audited<ReferralT>> => {
  const services = await servicesById(ctx);
  const geo = await geoNames(ctx);
  const place = geo.neighbourhoods.get(neighbourhoodId)?.place ?? '';
  const problem = referralServiceProblem(input.serviceId, services.get(input.serviceId)?.entry, { neighbourhoodId, place });
  if (problem) throw invalidRequest('body', [problem]);
  // The service's members are told in the same transaction (docs/care-teams.md).
  const created = await atomically(ctx.ops, async (tx) => {
    const made = await createReferral(tx, { ...input, neighbourhoodId }, by);
    await tellServiceOfReferral(tx, made, services.get(input.serviceId)?.entry.name ?? input.serviceId, by);
    return made;
  });
  return { value: referralOut(created, services), audit: `referral ${created.id} to ${input.serviceId}` };
};

/** Records a referral's progress (status, wellbeing scores) with the version edited. */
export const progressReferral = async (ctx: ServerContext, id: number, update: ReferralUpdate, by: string): Promise<Audited<ReferralT>> => {
  const current = await getReferral(ctx.ops, id);
  const problem = referralUpdateProblem(current, update);
  if (problem) throw invalidRequest('body', [problem]);
  const updated = await updateReferral(ctx.ops, current.id, update, by);
  return { value: referralOut(updated, await servicesById(ctx)), audit: `version ${updated.version}: ${updated.status}` };
};

export const referralVersions = async (ctx: ServerContext, id: number): Promise<HistoryResponseT> => {
  const current = await getReferral(ctx.ops, id);
  return { history: (await referralHistory(ctx.ops, current.id)).map((h) => ({ ...h, snapshot: { ...h.snapshot } })) };
};

/** Who social prescribing reaches in an area (a place, or the ICS when null), as published. */
export const reachOf = async (ctx: ServerContext, by: Breakdown, place: string | null): Promise<ReachResponseT> => {
  const geo = await geoNames(ctx);
  if (place !== null && !geo.places.has(place)) throw new UserError(`no place '${place}'`, 'not-found');
  const { suppressedCells, ...reach } = await referralReach(ctx, by, place);
  return {
    ...reach,
    rows: reach.rows.map((r) => ({ ...r })),
    statuses: reach.statuses.map((s) => ({ ...s, label: REFERRAL_STATUS_LABEL[s.status] })),
    wellbeing: reach.wellbeing.map((w) => ({ ...w })),
    disclosure: disclosureStatement(suppressedCells),
  };
};
