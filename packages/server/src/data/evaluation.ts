/**
 * Did an intervention change outcomes? The people who received it (social prescribing referrals,
 * a place on a neighbourhood team's caseload) against matched comparators who never did:
 * store-duckdb's matchedOutcomes finds the people and counts, core's matchedDifferenceInDifferences
 * estimates (docs/social-prescribing.md, docs/care-plans.md). Counts are published through
 * disclosure control; estimates need 10 or more matched cases.
 */
import { matchedDifferenceInDifferences } from '@openphm/core';
import { EVALUATION_OUTCOMES, evaluableIndexDates, matchedOutcomes, type Exposure } from '@openphm/store-duckdb';
import { cached, type ServerContext } from '../context.js';
import { listReferrals } from '../operational/care.js';
import { listCaseload } from '../operational/plans.js';
import { DISCLOSURE_RULE, publishCount } from '../disclosure.js';
import type { EvaluationResponseT } from '../schemas.js';

export const EVALUATION_WINDOW_DAYS = 365;

const LABEL: Record<(typeof EVALUATION_OUTCOMES)[number], string> = {
  aeAttendances: 'A&E attendances',
  emergencyAdmissions: 'Emergency admissions',
  gpAppointments: 'GP appointments',
};

/** How the people who received an intervention are named in the method text. */
export interface InterventionWords {
  /** e.g. "referred adult" */
  readonly case: string;
  /** e.g. "adults never referred" */
  readonly comparators: string;
  /** e.g. "their referral" */
  readonly index: string;
  /** e.g. "why someone was referred" */
  readonly why: string;
}

export const methodText = (w: InterventionWords): string =>
  `Each ${w.case} is compared with up to 3 ${w.comparators}, matched exactly on sex, age band, IMD quintile, place, and A&E attendances and emergency admissions in the year before (each banded 0, 1, 2-3, 4+), and evaluated from the start of the quarter of ${w.index}. The effect is the change in the person (year after minus year before) minus the average change in their comparators, averaged over everyone matched, with a 95% confidence interval. Matching on prior activity takes out regression to the mean; it cannot take out differences the data does not show (${w.why}). People who died or moved into the data during the two years are left out of both groups. Three outcomes are tested, so a 95% interval that excludes zero for one of them can happen by chance about one time in seven when nothing changed: look for the same result over time and across places before acting on it.`;

export const REFERRAL_WORDS: InterventionWords = { case: 'referred adult', comparators: 'adults never referred', index: 'their referral', why: 'why someone was referred' };

/** The evaluation of an intervention received by `exposures` (one per person: the first counts); `seed` fixes the comparators drawn. */
export const evaluateIntervention = async (ctx: ServerContext, exposures: readonly Exposure[], population: string, seed: string, words: InterventionWords): Promise<EvaluationResponseT> => {
  const meta = Object.fromEntries((await ctx.data.query<{ key: string; value: string }>(`SELECT key, value FROM meta WHERE key IN ('window_start', 'window_end')`)).map((r) => [r.key, r.value]));
  const start = meta.window_start ?? '';
  const end = meta.window_end ?? '';
  const matched = await matchedOutcomes(ctx.data, exposures, { windowDays: EVALUATION_WINDOW_DAYS, controlsPerCase: 3, seed });
  return {
    population,
    windowDays: EVALUATION_WINDOW_DAYS,
    dataWindow: { start, end },
    evaluableIndexDates: evaluableIndexDates(start, end, EVALUATION_WINDOW_DAYS),
    exposed: publishCount(matched.exposed),
    cases: publishCount(matched.cases),
    excluded: { outsideData: publishCount(matched.excluded.outsideData), notEligible: publishCount(matched.excluded.notEligible) },
    outcomes: EVALUATION_OUTCOMES.map((outcome) => {
      const r = matchedDifferenceInDifferences(matched.units[outcome]);
      return {
        outcome,
        label: LABEL[outcome],
        matched: publishCount(r.matched),
        comparators: publishCount(r.comparators),
        caseBefore: r.caseBefore,
        caseAfter: r.caseAfter,
        comparatorBefore: r.comparatorBefore,
        comparatorAfter: r.comparatorAfter,
        naiveChange: r.naiveChange,
        effect: r.effect,
        lower95: r.lower95,
        upper95: r.upper95,
        withheld: r.withheld,
      };
    }),
    method: methodText(words),
    disclosure: { rule: DISCLOSURE_RULE },
  };
};

export const CASELOAD_WORDS: InterventionWords = { case: 'adult taken onto a neighbourhood caseload', comparators: 'adults never on one', index: 'the day they were taken on', why: 'why the team took someone on' };

/** The evaluation of social prescribing (everyone referred, or those who took part), kept until the referrals change. */
export const referralEvaluation = async (ctx: ServerContext, population: 'all' | 'took-part'): Promise<EvaluationResponseT> => {
  const referrals = (await listReferrals(ctx.ops)).filter((r) => population === 'all' || r.status === 'attending' || r.status === 'completed');
  const stamp = `${referrals.length}:${referrals.reduce((a, r) => (r.updatedAt > a ? r.updatedAt : a), '')}`;
  const exposures = referrals.map((r) => ({ personId: r.personId, indexDate: r.referredAt.slice(0, 10) }));
  return cached(ctx, 'referrals/evaluation', { population, stamp }, () => evaluateIntervention(ctx, exposures, population, 'openphm-referral-evaluation', REFERRAL_WORDS));
};

/** The evaluation of neighbourhood caseloads (everyone taken on, or those from one source), kept until the caseloads change. */
export const caseloadEvaluation = async (ctx: ServerContext, source: string): Promise<EvaluationResponseT> => {
  const entries = (await listCaseload(ctx.ops)).filter((e) => source === 'all' || e.source === source);
  const stamp = `${entries.length}:${entries.reduce((a, e) => (e.updatedAt > a ? e.updatedAt : a), '')}`;
  const exposures = entries.map((e) => ({ personId: e.personId, indexDate: e.addedAt.slice(0, 10) }));
  return cached(ctx, 'caseload/evaluation', { source, stamp }, () => evaluateIntervention(ctx, exposures, source, 'openphm-caseload-evaluation', CASELOAD_WORDS));
};
