/**
 * Did an intervention change outcomes? The people who received it (social prescribing referrals,
 * a place on a neighbourhood team's caseload) against matched comparators who never did:
 * store-duckdb's matchedOutcomes finds the people and counts, core's matchedDifferenceInDifferences
 * estimates (docs/social-prescribing.md, docs/care-plans.md). Counts are published through
 * disclosure control; estimates need 10 or more matched cases, overall and in each group when the
 * effects are broken down (by place, IMD quintile, sex, age band or ethnic group). An evaluation is
 * planning (core's PERSON_LEVEL_USES): people with an opt-out are neither cases nor comparators, and
 * the method text says how many of the people who received the intervention were left out.
 */
import { AGE_BREAKDOWN_BANDS, ETHNIC_GROUPS, disclosureStatement, leftOutStatement, matchedDifferenceInDifferences, publishCount, publishMean } from '@openphm/core';
import { EVALUATION_OUTCOMES, dataWindow, evaluableIndexDates, matchedOutcomes, type CaseGroups, type Exposure } from '@openphm/store-duckdb';
import { cached, type ServerContext } from '../context.js';
import { listReferrals } from '../operational/care.js';
import { listCaseload } from '../operational/care-plans.js';
import { geoNames } from './features.js';
import type { EvaluationResponseT } from '@openphm/api-contract';

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

/** Effects by group of the people evaluated (their group at the index date). */
export const EVALUATION_BY = ['place', 'imd-quintile', 'sex', 'age-band', 'ethnic-group'] as const;
export type EvaluationBy = (typeof EVALUATION_BY)[number];

const QUINTILE_LABEL = ['', '1 (most deprived)', '2', '3', '4', '5 (least deprived)'];
const groupOf: Record<EvaluationBy, (g: CaseGroups) => string> = {
  place: (g) => g.place,
  'imd-quintile': (g) => String(g.imdQuintile),
  sex: (g) => g.sex,
  'age-band': (g) => g.ageBand,
  'ethnic-group': (g) => g.ethnicGroup,
};

const outcomeOut = (outcome: (typeof EVALUATION_OUTCOMES)[number], units: Parameters<typeof matchedDifferenceInDifferences>[0]) => {
  const r = matchedDifferenceInDifferences(units);
  const matched = publishCount({ n: r.matched, key: r.matchedKey });
  return {
    outcome,
    label: LABEL[outcome],
    matched,
    comparators: publishCount({ n: r.comparators, key: r.comparatorsKey }),
    // Means per matched person, to a step coarse enough that they cannot be solved for the number matched.
    caseBefore: publishMean(r.caseBefore, matched),
    caseAfter: publishMean(r.caseAfter, matched),
    comparatorBefore: publishMean(r.comparatorBefore, matched),
    comparatorAfter: publishMean(r.comparatorAfter, matched),
    naiveChange: publishMean(r.naiveChange, matched),
    effect: publishMean(r.effect, matched),
    lower95: publishMean(r.lower95, matched),
    upper95: publishMean(r.upper95, matched),
    withheld: r.withheld,
  };
};

/** The groups in a fixed order with their labels: places by name, quintiles 1-5, sexes, age bands youngest first. */
const groupsIn = (by: EvaluationBy, present: ReadonlySet<string>, placeName: (id: string) => string): { id: string; label: string }[] => {
  if (by === 'place') return [...present].map((id) => ({ id, label: placeName(id) })).sort((a, b) => a.label.localeCompare(b.label));
  if (by === 'imd-quintile') return ['1', '2', '3', '4', '5'].filter((q) => present.has(q)).map((q) => ({ id: q, label: QUINTILE_LABEL[Number(q)]! }));
  if (by === 'sex') return [['F', 'Female'], ['M', 'Male']].filter(([id]) => present.has(id!)).map(([id, label]) => ({ id: id!, label: label! }));
  if (by === 'ethnic-group') return ETHNIC_GROUPS.filter((g) => present.has(g)).map((g) => ({ id: g, label: g }));
  return AGE_BREAKDOWN_BANDS.filter((b) => b.min >= 18 || b.max >= 18).map((b) => b.label).filter((l) => present.has(l)).map((l) => ({ id: l, label: l }));
};

/**
 * The evaluation of an intervention received by `exposures` (one per person: the first counts);
 * `seed` fixes the comparators drawn; `cacheKey` keeps the matched people until the exposures
 * change, so effects by group reuse them.
 */
export const evaluateIntervention = async (
  ctx: ServerContext,
  exposures: readonly Exposure[],
  options: { population: string; seed: string; words: InterventionWords; cacheKey: Readonly<Record<string, unknown>>; by?: EvaluationBy | undefined },
): Promise<EvaluationResponseT> => {
  const window = await dataWindow(ctx.data);
  const start = window.start ?? '';
  const end = window.end ?? '';
  const matched = await cached(ctx, 'evaluation/matched', { ...options.cacheKey, seed: options.seed }, () => matchedOutcomes(ctx.data, exposures, { windowDays: EVALUATION_WINDOW_DAYS, controlsPerCase: 3, seed: options.seed }));
  const by = options.by;
  let groups: EvaluationResponseT['groups'] = [];
  if (by !== undefined) {
    const keys = matched.caseGroups.map(groupOf[by]);
    const geo = await geoNames(ctx);
    groups = groupsIn(by, new Set(keys), (id) => geo.places.get(id as never) ?? id).map(({ id, label }) => ({
      group: id,
      label,
      outcomes: EVALUATION_OUTCOMES.map((outcome) => outcomeOut(outcome, matched.units[outcome].filter((_, i) => keys[i] === id))),
    }));
  }
  const exposed = publishCount(matched.exposed);
  const cases = publishCount(matched.cases);
  const outsideData = publishCount(matched.excluded.outsideData);
  const notEligible = publishCount(matched.excluded.notEligible);
  const optedOut = publishCount(matched.excluded.optedOut);
  return {
    population: options.population,
    by: by ?? null,
    windowDays: EVALUATION_WINDOW_DAYS,
    dataWindow: { start, end },
    evaluableIndexDates: evaluableIndexDates(start, end, EVALUATION_WINDOW_DAYS),
    exposed,
    cases,
    excluded: { outsideData, notEligible },
    outcomes: EVALUATION_OUTCOMES.map((outcome) => outcomeOut(outcome, matched.units[outcome])),
    groups,
    // The response has no field for them (yet): the people left out for opt-outs are in the method's words.
    method: `${methodText(options.words)} ${leftOutStatement(matched.purpose, optedOut)}`,
    disclosure: disclosureStatement([exposed, cases, outsideData, notEligible, optedOut].filter((x) => x === null).length),
  };
};

export const CASELOAD_WORDS: InterventionWords = { case: 'adult taken onto a neighbourhood caseload', comparators: 'adults never on one', index: 'the day they were taken on', why: 'why the team took someone on' };

/** The evaluation of social prescribing (everyone referred, or those who took part), kept until the referrals change. */
export const referralEvaluation = async (ctx: ServerContext, population: 'all' | 'took-part', by?: EvaluationBy): Promise<EvaluationResponseT> => {
  const referrals = (await listReferrals(ctx.ops)).filter((r) => population === 'all' || r.status === 'attending' || r.status === 'completed');
  const stamp = `${referrals.length}:${referrals.reduce((a, r) => (r.updatedAt > a ? r.updatedAt : a), '')}`;
  const exposures = referrals.map((r) => ({ personId: r.personId, indexDate: r.referredAt.slice(0, 10) }));
  return cached(ctx, 'referrals/evaluation', { population, stamp, by }, () =>
    evaluateIntervention(ctx, exposures, { population, seed: 'openphm-referral-evaluation', words: REFERRAL_WORDS, cacheKey: { kind: 'referrals', population, stamp }, by }),
  );
};

/** The evaluation of neighbourhood caseloads (everyone taken on, or those from one source), kept until the caseloads change. */
export const caseloadEvaluation = async (ctx: ServerContext, source: string, by?: EvaluationBy): Promise<EvaluationResponseT> => {
  const entries = (await listCaseload(ctx.ops)).filter((e) => source === 'all' || e.source === source);
  const stamp = `${entries.length}:${entries.reduce((a, e) => (e.updatedAt > a ? e.updatedAt : a), '')}`;
  const exposures = entries.map((e) => ({ personId: e.personId, indexDate: e.addedAt.slice(0, 10) }));
  return cached(ctx, 'caseload/evaluation', { source, stamp, by }, () =>
    evaluateIntervention(ctx, exposures, { population: source, seed: 'openphm-caseload-evaluation', words: CASELOAD_WORDS, cacheKey: { kind: 'caseload', source, stamp }, by }),
  );
};
