/**
 * Care gaps: reviews, vaccinations and screening a person is due, from rules over their record.
 * Each rule says who it is for (age, sex, long-term conditions, unpaid carers), which SNOMED CT
 * codes record it being done, and how often (every N months, or once in each flu season). The
 * evaluator is pure: facts about one person (age, sex, registers, the latest date of each code) and
 * today's date in; each rule that applies out, with when it was last done and whether it is due.
 * Exclusions a practice records (a hysterectomy for cervical screening, a declined or
 * contraindicated vaccination, "exception reporting") are not modelled: the list is a prompt to
 * check, not a verdict. Sources per rule; docs/care-teams.md lists them.
 */
import type { SnomedCode } from '../codes/codes.js';
import type { ConditionKey } from '../codelists/conditions.js';
import { dayFromIso, isoFromDay } from '../time/days.js';

/** Who a rule is for: every condition given must hold (an age range, a sex, any of some registers, being a carer). */
export interface CareGapEligibility {
  readonly minAge?: number;
  readonly maxAge?: number;
  readonly sex?: 'F' | 'M';
  /** On the register of any of these conditions. */
  readonly anyOf?: readonly ConditionKey[];
  /** Recorded as an unpaid carer. */
  readonly carer?: true;
}

export type CareGapInterval =
  | { readonly kind: 'months'; readonly months: number }
  /** Once in each season, which runs from the 1st of startMonth to the end of endMonth (wrapping the year). */
  | { readonly kind: 'season'; readonly startMonth: number; readonly endMonth: number };

export interface CareGapRule {
  readonly id: string;
  /** What is due, as a reader says it ("Annual diabetes review"). */
  readonly label: string;
  readonly kind: 'review' | 'vaccination' | 'screening';
  /** The rule applies when any of these holds. */
  readonly eligible: readonly CareGapEligibility[];
  /** Codes that record it being done (the latest counts). */
  readonly codes: readonly SnomedCode[];
  readonly interval: CareGapInterval;
  /** Where the rule comes from. */
  readonly source: string;
}

const sct = (...codes: string[]) => codes as SnomedCode[];

/** Flu vaccination's clinical risk groups among the registers OpenPHM holds (Green Book chapter 19). */
export const FLU_RISK_CONDITIONS: readonly ConditionKey[] = ['diabetes', 'asthma', 'copd', 'chd', 'heart_failure', 'atrial_fibrillation', 'stroke', 'ckd', 'learning_disability', 'dementia', 'smi'];

export const CARE_GAP_RULES: readonly CareGapRule[] = [
  {
    id: 'diabetes-review',
    label: 'Annual diabetes review',
    kind: 'review',
    eligible: [{ anyOf: ['diabetes'] }],
    codes: sct('170777000'),
    interval: { kind: 'months', months: 12 },
    source: 'NICE NG28 and NG17 (annual review of diabetes care); QOF diabetes indicators',
  },
  {
    id: 'asthma-review',
    label: 'Annual asthma review',
    kind: 'review',
    eligible: [{ anyOf: ['asthma'] }],
    codes: sct('394700004', '270442000'),
    interval: { kind: 'months', months: 12 },
    source: 'BTS/NICE/SIGN asthma guideline NG245 (review at least annually); QOF AST007',
  },
  {
    id: 'copd-review',
    label: 'Annual COPD review',
    kind: 'review',
    eligible: [{ anyOf: ['copd'] }],
    codes: sct('394703002'),
    interval: { kind: 'months', months: 12 },
    source: 'NICE NG115 (review at least once a year); QOF COPD010',
  },
  {
    id: 'flu-vaccination',
    label: 'Flu vaccination this season',
    kind: 'vaccination',
    eligible: [{ minAge: 65 }, { minAge: 18, anyOf: FLU_RISK_CONDITIONS }, { minAge: 18, carer: true }],
    codes: sct('822851000000102'),
    interval: { kind: 'season', startMonth: 9, endMonth: 3 },
    source: 'UKHSA Green Book chapter 19 and the annual flu letter: 65 and over, clinical risk groups, unpaid carers (campaign from 1 September to 31 March)',
  },
  {
    id: 'cervical-screening-25-49',
    label: 'Cervical screening',
    kind: 'screening',
    eligible: [{ sex: 'F', minAge: 25, maxAge: 49 }],
    codes: sct('171149006'),
    interval: { kind: 'months', months: 36 },
    source: 'NHS Cervical Screening Programme: every 3 years from 25 to 49 (5 years after an HPV-negative result from July 2025, which the record does not show)',
  },
  {
    id: 'cervical-screening-50-64',
    label: 'Cervical screening',
    kind: 'screening',
    eligible: [{ sex: 'F', minAge: 50, maxAge: 64 }],
    codes: sct('171149006'),
    interval: { kind: 'months', months: 60 },
    source: 'NHS Cervical Screening Programme: every 5 years from 50 to 64',
  },
  {
    id: 'bowel-screening',
    label: 'Bowel cancer screening',
    kind: 'screening',
    eligible: [{ minAge: 50, maxAge: 74 }],
    codes: sct('275978004'),
    interval: { kind: 'months', months: 24 },
    source: 'NHS Bowel Cancer Screening Programme: a home test kit every 2 years from 50 to 74',
  },
  {
    id: 'breast-screening',
    label: 'Breast screening',
    kind: 'screening',
    eligible: [{ sex: 'F', minAge: 50, maxAge: 70 }],
    codes: sct('268547008'),
    interval: { kind: 'months', months: 36 },
    source: 'NHS Breast Screening Programme: every 3 years from 50 up to the 71st birthday',
  },
];

/** Every code the rules look for (the record query fetches the latest date of each). */
export const CARE_GAP_CODES: readonly SnomedCode[] = [...new Set(CARE_GAP_RULES.flatMap((r) => r.codes))];

/** What the evaluator needs to know about one person. */
export interface CareGapFacts {
  readonly age: number;
  readonly sex: string;
  readonly conditions: ReadonlySet<ConditionKey>;
  readonly isCarer: boolean;
  /** The latest date (ISO) each code was recorded on or before today; codes never recorded are absent. */
  readonly lastRecorded: ReadonlyMap<string, string>;
  /** Dead people have no care gaps. */
  readonly died?: boolean;
}

export type CareGapStatus = 'due' | 'up-to-date' | 'out-of-season';

export interface CareGap {
  readonly ruleId: string;
  readonly label: string;
  readonly kind: CareGapRule['kind'];
  readonly status: CareGapStatus;
  /** When it was last recorded as done, or null. */
  readonly lastDone: string | null;
  /** When it is or was next due: null when due now with no record (or out of season with none). */
  readonly dueDate: string | null;
  /** One sentence for a reader. */
  readonly summary: string;
  readonly source: string;
}

/** Whether one eligibility holds for the facts. */
const holds = (e: CareGapEligibility, f: CareGapFacts): boolean =>
  (e.minAge === undefined || f.age >= e.minAge) &&
  (e.maxAge === undefined || f.age <= e.maxAge) &&
  (e.sex === undefined || f.sex === e.sex) &&
  (e.anyOf === undefined || e.anyOf.some((c) => f.conditions.has(c))) &&
  (e.carer === undefined || f.isCarer);

/** Whether a rule applies to the person. */
export const careGapRuleApplies = (rule: CareGapRule, facts: CareGapFacts): boolean => facts.died !== true && rule.eligible.some((e) => holds(e, facts));

/** The same day `months` later (the last day of the month when it has fewer days: 31 Jan + 1 month = 28/29 Feb). */
export const addMonths = (iso: string, months: number): string => {
  dayFromIso(iso);
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return isoFromDay(Math.round(Date.UTC(year, month, Math.min(d, last)) / 86_400_000));
};

/** The season containing `today` (its first and last day), or the next one when today is outside every season. */
export const seasonOf = (interval: { startMonth: number; endMonth: number }, today: string): { start: string; end: string; current: boolean } => {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const wraps = interval.endMonth < interval.startMonth;
  const pad = (n: number) => String(n).padStart(2, '0');
  /** The last day of endMonth in a year. */
  const lastDay = (year: number) => isoFromDay(Math.round(Date.UTC(year, interval.endMonth, 0) / 86_400_000));
  if (wraps) {
    if (m >= interval.startMonth) return { start: `${y}-${pad(interval.startMonth)}-01`, end: lastDay(y + 1), current: true };
    if (m <= interval.endMonth) return { start: `${y - 1}-${pad(interval.startMonth)}-01`, end: lastDay(y), current: true };
    return { start: `${y}-${pad(interval.startMonth)}-01`, end: lastDay(y + 1), current: false };
  }
  if (m >= interval.startMonth && m <= interval.endMonth) return { start: `${y}-${pad(interval.startMonth)}-01`, end: lastDay(y), current: true };
  const startYear = m > interval.endMonth ? y + 1 : y;
  return { start: `${startYear}-${pad(interval.startMonth)}-01`, end: lastDay(startYear), current: false };
};

const latestOf = (codes: readonly string[], facts: CareGapFacts, today: string): string | null => {
  let latest: string | null = null;
  for (const c of codes) {
    const d = facts.lastRecorded.get(c);
    if (d !== undefined && d <= today && (latest === null || d > latest)) latest = d;
  }
  return latest;
};

/** One rule for one person (who must be eligible: careGapRuleApplies). */
export const evaluateCareGapRule = (rule: CareGapRule, facts: CareGapFacts, today: string): CareGap => {
  const lastDone = latestOf(rule.codes, facts, today);
  const base = { ruleId: rule.id, label: rule.label, kind: rule.kind, lastDone, source: rule.source };
  if (rule.interval.kind === 'months') {
    const dueDate = lastDone === null ? null : addMonths(lastDone, rule.interval.months);
    if (dueDate !== null && dueDate > today) return { ...base, status: 'up-to-date', dueDate, summary: `Last recorded ${lastDone}; next due ${dueDate}.` };
    return { ...base, status: 'due', dueDate, summary: lastDone === null ? 'Due: no record of it.' : `Due since ${dueDate} (last recorded ${lastDone}).` };
  }
  const season = seasonOf(rule.interval, today);
  if (!season.current) return { ...base, status: 'out-of-season', dueDate: season.start, summary: `Next season from ${season.start}${lastDone ? ` (last recorded ${lastDone})` : ''}.` };
  if (lastDone !== null && lastDone >= season.start) return { ...base, status: 'up-to-date', dueDate: null, summary: `Recorded ${lastDone}, this season.` };
  return { ...base, status: 'due', dueDate: season.start, summary: `Due this season (from ${season.start})${lastDone ? `; last recorded ${lastDone}` : '; no record of it'}.` };
};

/** Every rule that applies to the person, evaluated at `today`: due first, then up to date, then out of season; in rule order within each. */
export const careGaps = (facts: CareGapFacts, today: string, rules: readonly CareGapRule[] = CARE_GAP_RULES): CareGap[] => {
  const order: Record<CareGapStatus, number> = { due: 0, 'up-to-date': 1, 'out-of-season': 2 };
  return rules
    .filter((r) => careGapRuleApplies(r, facts))
    .map((r) => evaluateCareGapRule(r, facts, today))
    .map((g, i) => ({ g, i }))
    .sort((a, b) => order[a.g.status] - order[b.g.status] || a.i - b.i)
    .map(({ g }) => g);
};

/** How many of a person's care gaps are due. */
export const careGapsDue = (gaps: readonly CareGap[]): number => gaps.filter((g) => g.status === 'due').length;
