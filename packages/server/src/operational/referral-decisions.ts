/**
 * A receiving service's decisions on referrals in the operational store: the referral's new status
 * (a new version, in its history) and the decision kept, once (append-only, one a referral); and
 * who works for a service (told when a referral arrives in its inbox).
 */
import { DECISION_STATUS, DECLINE_REASON_IDS, expectOneOf, type Referral, type ReferralDecision, type ReferralDecisionInput, type ReferralStatus } from '@openphm/core';
import type { Queryable } from './db.js';
import { listReferrals, updateReferral } from './care.js';
import { ISO_TIME } from './versioned.js';

const SELECT = `referral_id, decision, reason, note, decided_by, ${ISO_TIME('decided_at')} AS decided_at`;

const toDecision = (r: Record<string, unknown>): ReferralDecision => ({
  referralId: Number(r.referral_id),
  decision: r.decision === 'accepted' ? 'accepted' : 'declined',
  reason: r.reason === null ? null : expectOneOf(DECLINE_REASON_IDS, r.reason, 'decline reason'),
  note: String(r.note),
  decidedBy: String(r.decided_by),
  decidedAt: String(r.decided_at),
});

/** Records a decision in the caller's transaction: the referral's status (version checked) and the decision. */
export const decideReferral = async (tx: Queryable, referralId: number, d: ReferralDecisionInput, by: string): Promise<{ referral: Referral; decision: ReferralDecision }> => {
  const referral = await updateReferral(tx, referralId, { status: DECISION_STATUS[d.decision], version: d.version }, by);
  const [row] = await tx.query<Record<string, unknown>>(
    `INSERT INTO referral_decision (referral_id, decision, reason, note, decided_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${SELECT}`,
    [referralId, DECISION_STATUS[d.decision], d.reason, d.note, by],
  );
  return { referral, decision: toDecision(row!) };
};

/** The decisions on some referrals, by referral id. */
export const decisionsOf = async (db: Queryable, referralIds: readonly number[]): Promise<Map<number, ReferralDecision>> => {
  if (referralIds.length === 0) return new Map();
  const rows = await db.query<Record<string, unknown>>(`SELECT ${SELECT} FROM referral_decision WHERE referral_id = ANY(string_to_array($1, ',')::integer[])`, [referralIds.join(',')]);
  return new Map(rows.map((r) => [Number(r.referral_id), toDecision(r)]));
};

/**
 * A service's inbox: the referrals to the services a professional works for (any neighbourhood), or
 * when they work for none, the referrals made in their team's neighbourhood; those waiting for a
 * decision first, then the most recent.
 */
export const inboxReferrals = async (db: Queryable, where: { readonly serviceIds: readonly string[]; readonly neighbourhoodId: string; readonly statuses?: readonly ReferralStatus[] }): Promise<Referral[]> => {
  const all =
    where.serviceIds.length > 0
      ? (await Promise.all(where.serviceIds.map((serviceId) => listReferrals(db, { serviceId })))).flat().sort((a, b) => b.referredAt.localeCompare(a.referredAt) || b.id - a.id)
      : await listReferrals(db, { neighbourhoodId: where.neighbourhoodId });
  const wanted = where.statuses === undefined ? all : all.filter((r) => where.statuses!.includes(r.status));
  return [...wanted].sort((a, b) => Number(b.status === 'referred') - Number(a.status === 'referred'));
};
