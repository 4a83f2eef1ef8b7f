/**
 * A person's whole record for their care team, in plain terms (the care zone; direct care, so
 * opt-outs do not apply): registration and residence with ODS names, alerts, the advance care plan,
 * conditions with onset, other problems, observations, current and past medicines, frailty (eFI)
 * and emergency admission risk with what drives them, care gaps from core's rules, carers (whom
 * they care for, who cares for them) and family, the first page of the timeline, the care and support plan, referrals and caseload
 * episodes. Ages, medicines, frailty, risk and care gaps are as of the data's last day (the record's
 * date; with a daily extract, yesterday). Person-level: the route table checks the care
 * relationship and audits every read; nothing is logged, and nothing is kept across requests but the person documents store's last few documents read (below the access check and the audit; store-duckdb person-docs.ts).
 */
import {
  CARE_GAP_CODES,
  CASELOAD_SOURCES,
  CONDITIONS,
  CONDITION_KEYS,
  CURRENT_MEDICINE_DAYS,
  DISCHARGE_OUTCOMES,
  ETHNIC_CATEGORIES,
  OBSERVATION_CODES,
  REFERRAL_REASONS,
  REFERRAL_STATUS_LABEL,
  TIMELINE_KINDS,
  TIMELINE_PAGE_SIZE,
  UserError,
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
import type { RecordResponseT, TimelineResponseT, TimelineT } from '@openphm/api-contract';
import {
  explainAdmissionScore,
  fitAdmissionScorer,
  readMeta,
  scorePerson,
  type AdmissionScore,
  type AdmissionScorer,
  type PersonReads,
  type RecordedCode,
} from '@openphm/store-duckdb';
import { memoised, type Audited, type ServerContext } from '../context.js';
import { listReferrals, listServices } from '../operational/care.js';
import { currentCarePlan, listCaseload } from '../operational/care-plans.js';
import { hasRecord, operationalPeopleOf } from './operational-people.js';
import { advanceCarePlanOf, listAlerts } from '../operational/advance-care.js';
import { advanceCarePlanOut, alertOut } from './advance-care.js';
import { planOut } from './care-plans.js';
import { personFeatures } from './features.js';
import { referenceDate, servedReferenceDate } from './population.js';
import { describeEvent, kindLabel } from './record-words.js';
import { neighbourhoodNames, shownName } from './neighbourhood-names.js';
import { personReadsOf } from './person-docs.js';

/**
 * The emergency admission score of this data version: fitted once in the background of the first
 * request that needs it (then shared), or why it cannot be.
 */
export const admissionScorer = (ctx: ServerContext): Promise<AdmissionScorer | { readonly unavailable: string }> =>
  memoised(ctx, 'admission-scorer', async () => {
    const date = await referenceDate(ctx.data);
    const meta = await readMeta(ctx.data);
    return fitAdmissionScorer(ctx.data, { date, ...(meta.window_start ? { windowStart: meta.window_start } : {}) });
  });

const CONDITION_OF_CODE = new Map<string, ConditionKey>(CONDITION_KEYS.flatMap((k) => CONDITIONS[k].codes.map((c) => [c.code as string, k] as const)));
const SMOKING_CODES = new Set<string>([OBSERVATION_CODES.currentSmoker.code, OBSERVATION_CODES.exSmoker.code, OBSERVATION_CODES.neverSmoked.code]);
const CARER_CODE = OBSERVATION_CODES.carer.code as string;
const HAS_CAREGIVER_CODE = '184156005';
/** Codes shown elsewhere than "other problems": registers, observations, care-gap evidence, opt-outs. */
const NOT_PROBLEMS = new Set<string>([...CONDITION_OF_CODE.keys(), ...SMOKING_CODES, OBSERVATION_CODES.bmi.code, CARER_CODE, ...CARE_GAP_CODES, '827241000000103', '827261000000102']);

const DRIVERS_SHOWN = 6;
const MIN_EFFECT = 0.05;

const admissionOut = (scorer: AdmissionScorer | { readonly unavailable: string }, score: AdmissionScore | null, ref: string): RecordResponseT['risk']['admission'] => {
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

/**
 * The person's admission score from the features of this data version (null for the dead, and when there is no model): from
 * the term values in their person document when the reads have them (no query), else from the features table (a query on the
 * main connection, behind any long one).
 */
const scoreOf = async (ctx: ServerContext, reads: PersonReads, personId: string, ref: string, died: boolean): Promise<AdmissionScore | null> => {
  if (died) return null;
  const scorer = await admissionScorer(ctx);
  if ('unavailable' in scorer) return null;
  const terms = await reads.admissionTerms(personId, ref);
  if (terms === null) return null;
  if (terms !== undefined && terms.length === scorer.fitted.terms.length) return explainAdmissionScore(scorer.fitted, terms);
  const features = await personFeatures(ctx);
  return scorePerson(ctx.data, scorer, features.table, personId);
};

const timelineOut = async (reads: PersonReads, personId: string, kinds: readonly TimelineKind[], from: string | undefined, to: string | undefined, page: number): Promise<TimelineT> => {
  const found = await reads.recordTimeline(personId, { kinds, ...(from ? { from } : {}), ...(to ? { to } : {}), page, pageSize: TIMELINE_PAGE_SIZE });
  return {
    total: found.total,
    page,
    pageSize: TIMELINE_PAGE_SIZE,
    pages: Math.max(1, Math.ceil(found.total / TIMELINE_PAGE_SIZE)),
    filters: { kinds: [...kinds], from: from ?? null, to: to ?? null },
    counts: found.counts.map((c) => ({ kind: c.kind, label: kindLabel(c.kind), count: c.count })),
    kinds: TIMELINE_KINDS.map((k) => ({ id: k.id, label: k.label })),
    events: found.events.map((e) => ({ date: e.date, kind: e.kind, kindLabel: kindLabel(e.kind), ...describeEvent(e) })),
  };
};

/** One page of the person's timeline with filters (GET /api/care/people/:personId/timeline). */
export const careTimeline = async (ctx: ServerContext, personId: string, q: { kinds: readonly TimelineKind[]; from?: string | undefined; to?: string | undefined; page: number }): Promise<Audited<TimelineResponseT>> => {
  const [reads, ref] = await Promise.all([personReadsOf(ctx), servedReferenceDate(ctx)]);
  if ((await reads.recordSubject(personId, ref)) === null) throw new UserError(`no person with id ${personId}`, 'not-found');
  const timeline = await timelineOut(reads, personId, q.kinds, q.from, q.to, q.page);
  return { value: { personId, ...timeline }, audit: `timeline page ${timeline.page} of ${timeline.pages}` };
};

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

/** The whole readable record (GET /api/care/people/:personId/record), as `reader` may see it. */
export const careRecord = async (ctx: ServerContext, personId: string, reader: string): Promise<Audited<RecordResponseT>> => {
  const [reads, ref] = await Promise.all([personReadsOf(ctx), servedReferenceDate(ctx)]);
  const today = ctx.today();
  // The person-level parts side by side (one document, or the lookup connections), the operational records and the score meanwhile.
  const [subject, codes, medicines, family, carerLinks, timeline] = await Promise.all([
    reads.recordSubject(personId, ref),
    reads.recordCodes(personId, ref),
    reads.recordMedicines(personId, ref),
    reads.recordFamily(personId),
    reads.recordCarerLinks(personId, ref),
    timelineOut(reads, personId, [], undefined, undefined, 1),
  ]);
  if (subject === null) throw new UserError(`no person with id ${personId}`, 'not-found');
  // Only the operational parts the person has (operationalPeopleOf: most people have none).
  const has = await operationalPeopleOf(ctx);
  const [alerts, acp, plan, referrals, episodes, score] = await Promise.all([
    hasRecord(has.alerts, personId) ? listAlerts(ctx.ops, personId) : [],
    hasRecord(has.advanceCarePlan, personId) ? advanceCarePlanOf(ctx.ops, personId) : null,
    hasRecord(has.carePlan, personId) ? currentCarePlan(ctx.ops, personId) : null,
    hasRecord(has.referrals, personId) ? listReferrals(ctx.ops, { personId }) : [],
    hasRecord(has.caseload, personId) ? listCaseload(ctx.ops, { personId }) : [],
    scoreOf(ctx, reads, personId, ref, subject.death !== null),
  ]);
  // The directory's names only for someone referred.
  const services = referrals.length === 0 ? [] : await listServices(ctx.ops);
  const neighbourhoodNamed = await neighbourhoodNames(ctx);
  const scorer = await admissionScorer(ctx);

  const problems = problemsOf(codes);
  const currentFrom = isoFromDay(dayFromIso(ref) - CURRENT_MEDICINE_DAYS + 1);
  const medicineOut = (m: (typeof medicines)[number]) => ({ code: codeTerm('bnf', m.code), firstIssued: m.firstIssued, lastIssued: m.lastIssued, issues12m: m.issues12m });
  const sections12m = new Set(medicines.filter((m) => m.issues12m > 0).map((m) => m.code.slice(0, 4))).size;
  const efi = efiOf({ codes: new Set(codes.map((c) => c.code)), conditions: new Set(problems.onset.keys()), medicineSections12m: sections12m });
  const carerCode = codes.find((c) => c.code === CARER_CODE);
  const caresFor = carerLinks.filter((l) => l.relation === 'cares-for');
  const linkOut = (l: (typeof carerLinks)[number]) => ({ personId: l.personId, since: l.since, until: l.until });
  const isCarer = subject.isCarer || carerCode !== undefined;
  const gaps = careGaps({ age: subject.age, sex: subject.sex, conditions: new Set(problems.onset.keys()), isCarer, lastRecorded: new Map(codes.map((c) => [c.code, c.last])), died: subject.death !== null }, ref);
  const names = new Map(services.map((s) => [s.id, s.entry.name]));
  const carePlanReadable = plan === null || plan.consentToShare || plan.createdBy === reader;
  const alertsOut = alerts.map((a) => alertOut(a, today));
  alertsOut.sort((a, b) => Number(b.inForce || b.reviewDue) - Number(a.inForce || a.reviewDue));

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
      residence: { lsoaCode: subject.lsoaCode, lsoaName: subject.lsoaName, neighbourhoodId: subject.neighbourhoodId, neighbourhood: subject.neighbourhoodId === null || subject.neighbourhoodName === null ? subject.neighbourhoodName : shownName(neighbourhoodNamed, subject.neighbourhoodId, subject.neighbourhoodName), place: subject.place, imdDecile: subject.imdDecile },
    },
    alerts: alertsOut,
    advanceCarePlan: acp === null ? null : advanceCarePlanOut(acp),
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
      admission: admissionOut(scorer, score, ref),
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
    carePlan: carePlanReadable ? { plan: plan === null ? null : planOut(plan, today), unavailable: null } : { plan: null, unavailable: `The person has not agreed to share their care and support plan beyond ${plan!.createdBy}, who wrote it.` },
    referrals: referrals.map((r) => ({
      id: r.id,
      serviceName: names.get(r.serviceId) ?? r.serviceId,
      reasonLabel: REFERRAL_REASONS.find((x) => x.id === r.reason)?.label ?? r.reason,
      status: r.status,
      statusLabel: REFERRAL_STATUS_LABEL[r.status],
      referredAt: r.referredAt,
      referredBy: r.referredBy,
      updatedAt: r.updatedAt,
    })),
    caseload: episodes.map((e) => ({
      entryId: e.id,
      status: e.status,
      sourceLabel: CASELOAD_SOURCES.find((s) => s.id === e.source)?.label ?? e.source,
      keyWorker: e.keyWorker,
      nextReview: e.nextReview,
      reviewDue: e.status === 'active' && e.nextReview <= today,
      outcomeLabel: e.outcome === null ? null : (DISCHARGE_OUTCOMES.find((o) => o.id === e.outcome)?.label ?? e.outcome),
      addedAt: e.addedAt,
      updatedAt: e.updatedAt,
    })),
  };
  return { value, audit: `record: ${alerts.length} alerts, ${gaps.filter((g) => g.status === 'due').length} care gaps due, timeline of ${timeline.total} events` };
};
