/**
 * The care record's document from its parts, without I/O: what the person documents (or DuckDB) hold
 * about the person, what the operational store holds (already in their answer shape) and the emergency
 * admission score. care-record.ts gathers the parts and calls it on the server's thread; the record
 * renderer's worker (record-renderer.ts) calls the same function on its own thread, validates and
 * serialises the answer there. Ages, medicines, frailty, risk and care gaps are as of the record's
 * date (`ref`); alerts, plans and reviews as of `today`.
 */
import {
  CARE_GAP_CODES,
  CONDITIONS,
  CONDITION_KEYS,
  CURRENT_MEDICINE_DAYS,
  ETHNIC_CATEGORIES,
  OBSERVATION_CODES,
  TIMELINE_KINDS,
  TIMELINE_PAGE_SIZE,
  careGaps,
  codeTerm,
  dayFromIso,
  efiEvidenceText,
  efiOf,
  isoFromDay,
  practiceLabel,
  odsName,
  type ConditionKey,
  type EthnicCategory,
  type TimelineKind,
} from '@openphm/core';
import type { RecordResponseT, TimelineT } from '@openphm/api-contract';
import type { AdmissionScore, CarerLink, IssuedMedicine, PersonDoc, RecordedCode, TimelinePage } from '@openphm/store-duckdb';
import { describeEvent, kindLabel } from './record-words.js';

const CONDITION_OF_CODE = new Map<string, ConditionKey>(CONDITION_KEYS.flatMap((k) => CONDITIONS[k].codes.map((c) => [c.code as string, k] as const)));
const SMOKING_CODES = new Set<string>([OBSERVATION_CODES.currentSmoker.code, OBSERVATION_CODES.exSmoker.code, OBSERVATION_CODES.neverSmoked.code]);
const CARER_CODE = OBSERVATION_CODES.carer.code as string;
const HAS_CAREGIVER_CODE = '184156005';
/** Codes shown elsewhere than "other problems": registers, observations, care-gap evidence, opt-outs. */
const NOT_PROBLEMS = new Set<string>([...CONDITION_OF_CODE.keys(), ...SMOKING_CODES, OBSERVATION_CODES.bmi.code, CARER_CODE, ...CARE_GAP_CODES, '827241000000103', '827261000000102']);

const DRIVERS_SHOWN = 6;
const MIN_EFFECT = 0.05;

/** What the record says about the emergency admission model of this data version: why there is none, or when and on how many people it was fitted. */
export type ScorerInfo = { readonly unavailable: string } | { readonly fittedAt: string; readonly people: number };

export const admissionOut = (scorer: ScorerInfo, score: AdmissionScore | null, ref: string): RecordResponseT['risk']['admission'] => {
  if ('unavailable' in scorer) return { available: false, reason: `No emergency admission score: ${scorer.unavailable}.` };
  if (score === null) return { available: false, reason: `No emergency admission score: the person was not resident on ${ref}.` };
  return {
    available: true,
    probability: score.probability,
    band: score.band,
    averageProbability: score.averageProbability,
    drivers: score.drivers
      .filter((d) => Math.abs(d.effect) >= MIN_EFFECT)
      .slice(0, DRIVERS_SHOWN)
      .map((d) => ({ label: d.label, value: d.value, effect: d.effect, direction: d.effect > 0 ? ('raises' as const) : ('lowers' as const) })),
    fittedAt: scorer.fittedAt,
    note:
      `The chance of an emergency admission in the 12 months after ${ref}, from the record on that day, by OpenPHM's emergency admission model ` +
      `(fitted on ${scorer.people.toLocaleString('en-GB')} people with their records of ${scorer.fittedAt} and admissions in the year after; docs/models/emergency-admission.md). ` +
      'Each driver raises or lowers it against the average person of that sample. It ranks who to review; it is not a diagnosis, and the data are synthetic.',
  };
};

/** A page of the timeline in words, with the filters it answers. */
export const timelineView = (found: TimelinePage, kinds: readonly TimelineKind[], from: string | undefined, to: string | undefined, page: number): TimelineT => ({
  total: found.total,
  page,
  pageSize: TIMELINE_PAGE_SIZE,
  pages: Math.max(1, Math.ceil(found.total / TIMELINE_PAGE_SIZE)),
  filters: { kinds: [...kinds], from: from ?? null, to: to ?? null },
  counts: found.counts.map((c) => ({ kind: c.kind, label: kindLabel(c.kind), count: c.count })),
  kinds: TIMELINE_KINDS.map((k) => ({ id: k.id, label: k.label })),
  events: found.events.map((e) => ({ date: e.date, kind: e.kind, kindLabel: kindLabel(e.kind), ...describeEvent(e) })),
});

/** The problems of the GP record: registers with onset, other coded problems, latest smoking status and BMI. */
const problemsOf = (codes: readonly RecordedCode[]) => {
  const onset = new Map<ConditionKey, RecordedCode>();
  for (const c of codes) {
    const key = CONDITION_OF_CODE.get(c.code);
    if (key !== undefined && (!onset.has(key) || c.first < onset.get(key)!.first)) onset.set(key, c);
  }
  const smoking = codes.filter((c) => SMOKING_CODES.has(c.code)).sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : 0))[0];
  const bmi = codes.find((c) => c.code === OBSERVATION_CODES.bmi.code && c.latestValue !== null);
  return {
    onset,
    conditions: CONDITION_KEYS.filter((k) => onset.has(k)).map((k) => ({ key: k, label: CONDITIONS[k].label, onset: onset.get(k)!.first, code: codeTerm('snomed', onset.get(k)!.code) })),
    otherProblems: codes.filter((c) => !NOT_PROBLEMS.has(c.code)).map((c) => ({ code: codeTerm('snomed', c.code), first: c.first, last: c.last })),
    observations: {
      smoking: smoking ? { date: smoking.last, status: codeTerm('snomed', smoking.code).text } : null,
      bmi: bmi ? { date: bmi.last, value: bmi.latestValue! } : null,
    },
  };
};

/**
 * What the analytical data hold about the person at the record's date: the parts of their document the record shows, whether
 * read from the document or answered by DuckDB (the timeline's first page, unfiltered).
 */
export type RecordPersonParts = Pick<PersonDoc, 'subject' | 'codes' | 'medicines' | 'family' | 'carerLinks' | 'timeline'>;

/** The operational store's parts, already as the record shows them (as the reader may see them). */
export interface RecordOperationalParts {
  readonly alerts: RecordResponseT['alerts'];
  readonly advanceCarePlan: RecordResponseT['advanceCarePlan'];
  readonly carePlan: RecordResponseT['carePlan'];
  readonly referrals: RecordResponseT['referrals'];
  readonly caseload: RecordResponseT['caseload'];
}

export interface RecordViewInput {
  readonly personId: string;
  /** The record's date (the data's last day). */
  readonly ref: string;
  readonly today: string;
  readonly person: RecordPersonParts;
  readonly operational: RecordOperationalParts;
  readonly scorer: ScorerInfo;
  /** The person's score (null: none, e.g. not resident on the record's date, or dead). */
  readonly score: AdmissionScore | null;
  /** Neighbourhoods an admin has renamed: id → the name to show instead of the PCN's. */
  readonly renamed: ReadonlyMap<string, { readonly name: string }>;
}

/** The record and what its read's audit row says about it (counts only: nothing person-level). */
export const recordView = (input: RecordViewInput): { readonly value: RecordResponseT; readonly audit: string } => {
  const { personId, ref, today, operational } = input;
  const { subject, codes, medicines, family, carerLinks } = input.person;
  const timeline = timelineView(input.person.timeline, [], undefined, undefined, 1);
  const problems = problemsOf(codes);
  const currentFrom = isoFromDay(dayFromIso(ref) - CURRENT_MEDICINE_DAYS + 1);
  const medicineOut = (m: IssuedMedicine) => ({ code: codeTerm('bnf', m.code), firstIssued: m.firstIssued, lastIssued: m.lastIssued, issues12m: m.issues12m });
  const sections12m = new Set(medicines.filter((m) => m.issues12m > 0).map((m) => m.code.slice(0, 4))).size;
  const efi = efiOf({ codes: new Set(codes.map((c) => c.code)), conditions: new Set(problems.onset.keys()), medicineSections12m: sections12m });
  const carerCode = codes.find((c) => c.code === CARER_CODE);
  const caresFor = carerLinks.filter((l) => l.relation === 'cares-for');
  const linkOut = (l: CarerLink) => ({ personId: l.personId, since: l.since, until: l.until });
  const isCarer = subject.isCarer || carerCode !== undefined;
  const gaps = careGaps({ age: subject.age, sex: subject.sex, conditions: new Set(problems.onset.keys()), isCarer, lastRecorded: new Map(codes.map((c) => [c.code, c.last])), died: subject.death !== null }, ref);
  const neighbourhood =
    subject.neighbourhoodId === null || subject.neighbourhoodName === null ? subject.neighbourhoodName : (input.renamed.get(subject.neighbourhoodId)?.name ?? subject.neighbourhoodName);

  const value: RecordResponseT = {
    personId,
    referenceDate: ref,
    today,
    person: {
      sex: subject.sex === 'F' ? 'Female' : subject.sex === 'M' ? 'Male' : subject.sex,
      age: subject.age,
      ethnicity: ETHNIC_CATEGORIES[subject.ethnicCategory as EthnicCategory]?.label ?? subject.ethnicCategory,
      isCarer,
      died: subject.death === null ? null : { date: subject.death.date, cause: codeTerm('icd10', subject.death.cause), place: subject.death.place.replace('_', ' ') },
      registeredWith: { practiceCode: subject.practiceCode, practice: practiceLabel(subject.practiceCode, subject.practiceName), pcnCode: subject.pcnCode, pcn: odsName(subject.pcnName), since: subject.registrationDate },
      residence: { lsoaCode: subject.lsoaCode, lsoaName: subject.lsoaName, neighbourhoodId: subject.neighbourhoodId, neighbourhood, place: subject.place, imdDecile: subject.imdDecile },
    },
    alerts: operational.alerts,
    advanceCarePlan: operational.advanceCarePlan,
    conditions: problems.conditions,
    otherProblems: problems.otherProblems,
    observations: problems.observations,
    medicines: {
      currentDays: CURRENT_MEDICINE_DAYS,
      current: medicines.filter((m) => m.lastIssued >= currentFrom).map(medicineOut),
      past: medicines.filter((m) => m.lastIssued < currentFrom).map(medicineOut),
    },
    risk: {
      frailty: { efi: Math.round(efi.efi * 1000) / 1000, category: efi.category, of: efi.of, deficits: efi.deficits.map((d) => ({ key: d.key, label: d.label, evidence: d.evidence.kind === 'code' ? `${codeTerm('snomed', d.evidence.code).text} recorded` : efiEvidenceText(d.evidence) })) },
      admission: admissionOut(input.scorer, input.score, ref),
    },
    careGaps: gaps.map((g) => ({ ...g })),
    carers: {
      isCarer,
      carerRecorded: carerCode?.first ?? null,
      hasCaregiverRecorded: codes.find((c) => c.code === HAS_CAREGIVER_CODE)?.first ?? null,
      // The other person by pseudonymous id only: who they are is shown only on their own record, to a reader with a care relationship with them.
      caresFor: caresFor.map(linkOut),
      caredForBy: carerLinks.filter((l) => l.relation === 'cared-for-by').map(linkOut),
      note: !isCarer || caresFor.length > 0 ? null : 'Whom they care for is not recorded here (they may care for someone outside the data). Ask, and note it in the care and support plan.',
      family: family.map((f) => ({ ...f })),
    },
    timeline,
    carePlan: operational.carePlan,
    referrals: operational.referrals,
    caseload: operational.caseload,
  };
  return { value, audit: `record: ${operational.alerts.length} alerts, ${gaps.filter((g) => g.status === 'due').length} care gaps due, timeline of ${timeline.total} events` };
};
