/** Matched evaluations of referrals and caseloads (routes/referrals.ts, routes/caseload.ts). */
import { z } from 'zod';
import { DisclosureSchema, Figure, Int } from './common.js';

export const EvaluationByParam = z
  .enum(['place', 'imd-quintile', 'sex', 'age-band', 'ethnic-group'])
  .optional()
  .describe('Effects also by place, IMD quintile, sex, age band or ethnic group (each group withheld below 10 matched people)');

export const EvaluationQuery = z.object({
  population: z.enum(['all', 'took-part']).default('all').describe('all referrals (intention to treat), or only people who attended or completed'),
  by: EvaluationByParam,
});

export const EvaluationOutcomeSchema = z.object({
  outcome: z.string(),
  label: z.string(),
  matched: Figure('People matched (perturbed)'),
  comparators: Figure('Comparators drawn (perturbed)'),
  caseBefore: Figure('Mean per matched person, rounded to a step (0.01-0.2) that cannot be solved for how many were matched'),
  caseAfter: Figure('Mean per matched person, rounded to a step (0.01-0.2) that cannot be solved for how many were matched'),
  comparatorBefore: Figure('Mean per matched person, rounded to a step (0.01-0.2) that cannot be solved for how many were matched'),
  comparatorAfter: Figure('Mean per matched person, rounded to a step (0.01-0.2) that cannot be solved for how many were matched'),
  naiveChange: Figure('Rounded as the means'),
  effect: Figure('Change in cases minus change in their matched comparators, per person over the window after (rounded as the means)'),
  lower95: Figure(),
  upper95: Figure(),
  withheld: z.boolean(),
});

export const EvaluationResponse = z.object({
  population: z.string().describe('Who was evaluated, as asked (e.g. all, took-part, or a caseload source)'),
  by: z.enum(['place', 'imd-quintile', 'sex', 'age-band', 'ethnic-group']).nullable().describe('The breakdown of `groups`, if asked for'),
  windowDays: Int('days before and after the index date'),
  dataWindow: z.object({ start: z.string(), end: z.string() }),
  evaluableIndexDates: z.object({ first: z.string(), last: z.string() }),
  exposed: Figure(),
  cases: Figure(),
  excluded: z.object({ outsideData: Figure(), notEligible: Figure() }),
  outcomes: z.array(EvaluationOutcomeSchema),
  groups: z
    .array(z.object({ group: z.string(), label: z.string(), outcomes: z.array(EvaluationOutcomeSchema) }))
    .describe('Effects in each group of the people evaluated (their group at the index date); each estimate needs 10 matched people'),
  method: z.string(),
  disclosure: DisclosureSchema,
});

export type EvaluationResponseT = z.infer<typeof EvaluationResponse>;
