/**
 * The legitimate relationship rule of the care zone: whether a care professional may see a
 * person's identity and whole record. Pure: the facts come from the stores (the person's practice
 * and the neighbourhoods it belongs to, caseload episodes, referrals, break-glass grants, the
 * services the professional works for) and the decision says which relationships allow access, or
 * that there is none and the professional must break glass (state a reason; time-limited, audited,
 * shown to an admin). docs/security.md, "Legitimate relationship and break-glass", gives the reasons.
 *
 * A professional (the neighbourhood role) is bound to a neighbourhood and may also work for
 * directory services. They have a care relationship with a person who:
 * - is registered with a GP practice of their neighbourhood (its PCN is the one paired with it);
 * - is on an active caseload episode of their neighbourhood;
 * - has an open referral (not completed, declined, did-not-attend or withdrawn) to a service they work for;
 * - or, without any of these, for whom they broke glass less than BREAK_GLASS_HOURS ago.
 */
import { z } from 'zod';
import { isFinalStatus, type ReferralStatus } from './referrals.js';

export const CARE_RELATIONSHIP_KINDS = ['registered', 'caseload', 'referral', 'break-glass'] as const;
export type CareRelationshipKind = (typeof CARE_RELATIONSHIP_KINDS)[number];

/** How long a break-glass grant lasts. */
export const BREAK_GLASS_HOURS = 4;
export const BREAK_GLASS_REASON_MIN = 10;
export const BREAK_GLASS_REASON_MAX = 500;

export const BreakGlassInputSchema = z
  .object({
    reason: z
      .string()
      .trim()
      .min(BREAK_GLASS_REASON_MIN, `say why, in at least ${BREAK_GLASS_REASON_MIN} characters`)
      .max(BREAK_GLASS_REASON_MAX, `at most ${BREAK_GLASS_REASON_MAX} characters`)
      .describe('Why the professional needs the record without a care relationship (kept in the audit log and shown to admins)'),
  })
  .strict();
export type BreakGlassInput = z.infer<typeof BreakGlassInputSchema>;

/** What the stores say about a professional and a person. */
export interface CareRelationshipFacts {
  /** The professional's neighbourhood (null: none, so no relationship through one). */
  readonly neighbourhoodId: string | null;
  /** Directory services the professional works for. */
  readonly serviceIds: readonly string[];
  /** The person's registered practice and the neighbourhoods it belongs to (null: no such person, or no practice known). */
  readonly practice: { readonly code: string; readonly name: string; readonly neighbourhoodIds: readonly string[] } | null;
  /** The person's caseload episodes. */
  readonly caseload: readonly { readonly neighbourhoodId: string; readonly status: 'active' | 'discharged' }[];
  /** The person's referrals. */
  readonly referrals: readonly { readonly serviceId: string; readonly serviceName: string; readonly status: ReferralStatus }[];
  /** This professional's break-glass grants for the person (ISO timestamps). */
  readonly breakGlass: readonly { readonly grantedAt: string; readonly expiresAt: string }[];
  /** Now (ISO timestamp). */
  readonly now: string;
}

export interface CareRelationship {
  readonly kind: CareRelationshipKind;
  /** In words, for the banner: "Registered with Leeds Surgery (B86001), a practice of your neighbourhood". */
  readonly detail: string;
  /** Until when, for a break-glass grant (ISO timestamp). */
  readonly until?: string;
}

export type CareAccess =
  | { readonly allowed: true; readonly relationships: readonly CareRelationship[] }
  | { readonly allowed: false; readonly reason: string };

/** The refusal's words when there is no relationship (the web offers to break glass on it). */
export const NO_CARE_RELATIONSHIP = 'you have no care relationship with this person: break glass (with a reason) to see their record';

/** Whether the professional may see the person, and through which relationships (all that hold, in CARE_RELATIONSHIP_KINDS order). */
export const careAccess = (facts: CareRelationshipFacts): CareAccess => {
  const relationships: CareRelationship[] = [];
  const own = facts.neighbourhoodId;
  if (own !== null && facts.practice !== null && facts.practice.neighbourhoodIds.includes(own)) {
    relationships.push({ kind: 'registered', detail: `Registered with ${facts.practice.name} (${facts.practice.code}), a practice of your neighbourhood` });
  }
  if (own !== null && facts.caseload.some((e) => e.status === 'active' && e.neighbourhoodId === own)) {
    relationships.push({ kind: 'caseload', detail: "On your neighbourhood's caseload" });
  }
  const services = new Set(facts.serviceIds);
  const referred = [...new Map(facts.referrals.filter((r) => services.has(r.serviceId) && !isFinalStatus(r.status)).map((r) => [r.serviceId, r.serviceName])).values()];
  for (const name of referred) relationships.push({ kind: 'referral', detail: `Referred to ${name}, a service you work for` });
  const now = Date.parse(facts.now);
  const live = facts.breakGlass.filter((g) => Date.parse(g.grantedAt) <= now && now < Date.parse(g.expiresAt));
  if (live.length > 0) {
    const until = live.map((g) => g.expiresAt).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
    relationships.push({ kind: 'break-glass', detail: 'Break glass: you stated a reason to see this record without a care relationship', until });
  }
  return relationships.length > 0 ? { allowed: true, relationships } : { allowed: false, reason: NO_CARE_RELATIONSHIP };
};

/** When a grant made at `grantedAt` (ISO timestamp) expires. */
export const breakGlassExpiry = (grantedAt: string): string => new Date(Date.parse(grantedAt) + BREAK_GLASS_HOURS * 3_600_000).toISOString();
