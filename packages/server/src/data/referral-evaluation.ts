/**
 * Did social prescribing change outcomes? The referred people (all referrals, or those who took
 * part) against matched comparators who were never referred: store-duckdb's matchedOutcomes finds
 * the people and counts, core's matchedDifferenceInDifferences estimates (docs/social-prescribing.md).
 * Counts are published through disclosure control; estimates need 10 or more matched cases.
 */
import { matchedDifferenceInDifferences, type Referral } from '@openphm/core';
import { EVALUATION_OUTCOMES, evaluableIndexDates, matchedOutcomes } from '@openphm/store-duckdb';
import type { ServerContext } from '../context.js';
import { DISCLOSURE_RULE, publishCount } from '../disclosure.js';
import type { EvaluationResponseT } from '../schemas.js';

export const EVALUATION_WINDOW_DAYS = 365;

const LABEL: Record<(typeof EVALUATION_OUTCOMES)[number], string> = {
  aeAttendances: 'A&E attendances',
  emergencyAdmissions: 'Emergency admissions',
  gpAppointments: 'GP appointments',
};

export const METHOD =
  'Each referred adult is compared with up to 3 adults never referred, matched exactly on sex, age band, IMD quintile, place and emergency activity (A&E attendances and emergency admissions) in the year before, and evaluated from the start of the quarter of their referral. The effect is the change in the referred person (year after minus year before) minus the average change in their comparators, averaged over everyone matched, with a 95% confidence interval. Matching on prior activity takes out regression to the mean; it cannot take out differences the data does not show (why someone was referred). People who died or moved into the data during the two years are left out of both groups. Three outcomes are tested, so a 95% interval that excludes zero for one of them can happen by chance about one time in seven when nothing changed: look for the same result over time and across places before acting on it.';

export const referralEvaluation = async (ctx: ServerContext, referrals: readonly Referral[], population: 'all' | 'took-part'): Promise<EvaluationResponseT> => {
  const meta = Object.fromEntries((await ctx.data.query<{ key: string; value: string }>(`SELECT key, value FROM meta WHERE key IN ('window_start', 'window_end')`)).map((r) => [r.key, r.value]));
  const start = meta.window_start ?? '';
  const end = meta.window_end ?? '';
  const matched = await matchedOutcomes(
    ctx.data,
    referrals.map((r) => ({ personId: r.personId, indexDate: r.referredAt.slice(0, 10) })),
    { windowDays: EVALUATION_WINDOW_DAYS, controlsPerCase: 3, seed: 'openphm-referral-evaluation' },
  );
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
    method: METHOD,
    disclosure: { rule: DISCLOSURE_RULE },
  };
};
