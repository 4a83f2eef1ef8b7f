/** Personalised care and support plans (routes/care-plans.ts). */
import { z } from 'zod';
import { GOAL_STATUSES, notAFigure } from '@openphm/core';

export const PersonParamsOnly = z.object({ personId: z.string().regex(/^\d{1,18}$/, 'a pseudonymous person id (digits)') });

export const GoalOut = z.object({ goal: z.string(), status: z.enum(GOAL_STATUSES) });

export const CarePlanOut = notAFigure(z.object({
  id: z.number().int(),
  personId: z.string(),
  neighbourhoodId: z.string(),
  whatMatters: z.string(),
  goals: z.array(GoalOut),
  support: z.array(z.object({ who: z.string(), what: z.string() })),
  contingency: z.string(),
  consentToShare: z.boolean(),
  reviewDate: z.string(),
  reviewDue: z.boolean(),
  status: z.enum(['active', 'closed']),
  createdBy: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}), 'a person-level care and support plan for the care team (audited), never published');

export const CarePlanResponse = z.object({ plan: CarePlanOut.nullable() });

export type CarePlanT = z.infer<typeof CarePlanOut>;
