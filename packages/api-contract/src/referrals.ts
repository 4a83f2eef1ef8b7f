/** Social prescribing referrals and their reach (routes/referrals.ts). */
import { z } from 'zod';
import { notAFigure, REFERRAL_STATUSES } from '@openphm/core';
import { DisclosureSchema, Figure } from './common.js';

export const ReferralParams = z.object({ referralId: z.coerce.number().int().min(1) });

export const Ons4Out = z.object({ lifeSatisfaction: z.number(), worthwhile: z.number(), happiness: z.number(), anxiety: z.number() });

export const ReferralOut = notAFigure(z.object({
  id: z.number().int(),
  personId: z.string(),
  neighbourhoodId: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  reason: z.string(),
  reasonLabel: z.string(),
  status: z.enum(REFERRAL_STATUSES),
  statusLabel: z.string(),
  nextStatuses: z.array(z.string()),
  wellbeingBefore: Ons4Out.nullable(),
  wellbeingAfter: Ons4Out.nullable(),
  referredBy: z.string(),
  referredAt: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}), 'a person-level referral for the care team (audited), never published');

export const ReferralsQuery = z.object({
  neighbourhood: z.string().max(64).optional().describe('analysts: one neighbourhood (neighbourhood teams always see their own)'),
  person: z.string().regex(/^\d{1,18}$/).optional(),
  status: z.enum(REFERRAL_STATUSES).optional(),
});

export const ReferralsResponse = z.object({
  neighbourhood: z.string().nullable(),
  reasons: z.array(z.object({ id: z.string(), label: z.string() })),
  statuses: z.array(z.object({ id: z.string(), label: z.string() })),
  wellbeingItems: z.array(z.object({ id: z.string(), label: z.string(), higherIsBetter: z.boolean() })),
  referrals: z.array(ReferralOut),
});

export const ReachQuery = z.object({
  by: z.enum(['place', 'neighbourhood', 'imd-quintile', 'imd-decile', 'age-band', 'sex', 'ethnic-group']).default('imd-quintile'),
  place: z.string().max(64).optional(),
});

export const ReachResponse = z.object({
  by: z.string(),
  area: z.object({ place: z.string().nullable() }),
  date: z.string(),
  overall: z.object({ referred: Figure(), adults: Figure(), rate: Figure('Per 1,000 adults, from the published counts'), lower95: Figure(), upper95: Figure() }),
  rows: z.array(
    z.object({
      group: z.string(),
      groupLabel: z.string(),
      referred: Figure(),
      adults: Figure(),
      rate: Figure('Per 1,000 adults, from the published counts'),
      lower95: Figure(),
      upper95: Figure(),
      comparison: z.enum(['higher', 'similar', 'lower', 'not-compared']),
      suppressed: z.boolean(),
      note: z.string(),
    }),
  ),
  statuses: z.array(z.object({ status: z.string(), label: z.string(), referrals: Figure() })),
  wellbeing: z.array(z.object({ item: z.string(), label: z.string(), higherIsBetter: z.boolean(), people: Figure(), meanChange: Figure('Mean change in the score, rounded to a step that cannot be solved for how many were scored'), lower95: Figure(), upper95: Figure() })),
  disclosure: DisclosureSchema,
});

export type ReferralsResponseT = z.infer<typeof ReferralsResponse>;

export type ReferralT = z.infer<typeof ReferralOut>;

export type ReachResponseT = z.infer<typeof ReachResponse>;

// ---- a service's inbox: referrals to decide (routes/inbox.ts)

export const ReferralDecisionOut = z.object({
  decision: z.enum(['accepted', 'declined']),
  reason: z.string().nullable(),
  reasonLabel: z.string().nullable(),
  note: z.string(),
  decidedBy: z.string(),
  decidedAt: z.string(),
});

export const InboxReferralOut = notAFigure(
  z.object({ ...ReferralOut.shape, awaitsDecision: z.boolean(), decision: ReferralDecisionOut.nullable() }),
  'a person-level referral to the service (audited), never published',
);

export const InboxQuery = z.object({
  show: z.enum(['waiting', 'decided', 'all']).default('waiting').describe('waiting (default): referrals to accept or decline; decided: those decided; all'),
});

export const InboxResponse = notAFigure(
  z.object({
    neighbourhood: z.string(),
    services: z.array(z.object({ id: z.string(), name: z.string() })).describe('the services whose referrals are shown'),
    declineReasons: z.array(z.object({ id: z.string(), label: z.string() })),
    waiting: z.number().int().describe('referrals waiting for a decision'),
    referrals: z.array(InboxReferralOut),
  }),
  "a service's person-level referrals (audited), never published",
);

export type InboxReferralT = z.infer<typeof InboxReferralOut>;
export type InboxResponseT = z.infer<typeof InboxResponse>;
