/**
 * A person's whole record for their care team, in plain terms (the care zone; direct care, so
 * opt-outs do not apply): registration and residence with ODS names, alerts, the advance care plan,
 * conditions with onset, other problems, observations, current and past medicines, frailty (eFI)
 * and emergency admission risk with what drives them, care gaps from core's rules, carers (whom
 * they care for, who cares for them) and family, the first page of the timeline, the care and support plan, referrals and caseload
 * episodes. Ages, medicines, frailty, risk and care gaps are as of the data's last day (the record's
 * date; with a daily extract, yesterday). Person-level: the route table checks the care
 * relationship and audits every read; nothing is logged, and nothing is kept across requests but the person documents store's last few documents read (below the access check and the audit; store-duckdb person-docs.ts). The document itself is assembled by record-view.ts, here or in the record renderer's worker (record-renderer.ts).
 */
import { CASELOAD_SOURCES, DISCHARGE_OUTCOMES, REFERRAL_REASONS, REFERRAL_STATUS_LABEL, TIMELINE_PAGE_SIZE, UserError, type TimelineKind } from '@openphm/core';
import type { RecordResponseT, TimelineResponseT, TimelineT } from '@openphm/api-contract';
import { explainAdmissionScore, fitAdmissionScorer, readMeta, scorePerson, type AdmissionScore, type AdmissionScorer, type PersonReads } from '@openphm/store-duckdb';
import { memoised, type Audited, type ServerContext } from '../context.js';
import type { RenderedJson } from '../rendered-json.js';
import { listReferrals, listServices } from '../operational/care.js';
import { currentCarePlan, listCaseload } from '../operational/care-plans.js';
import { hasRecord, operationalPeopleOf } from './operational-people.js';
import { advanceCarePlanOf, listAlerts } from '../operational/advance-care.js';
import { advanceCarePlanOut, alertOut } from './advance-care.js';
import { planOut } from './care-plans.js';
import { personFeatures } from './features.js';
import { referenceDate, servedReferenceDate } from './population.js';
import { neighbourhoodNames } from './neighbourhood-names.js';
import { personReadsAndRenderer, personReadsOf } from './person-docs.js';
import { recordView, timelineView, type RecordOperationalParts, type ScorerInfo } from './record-view.js';

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

const timelineOut = async (reads: PersonReads, personId: string, kinds: readonly TimelineKind[], from: string | undefined, to: string | undefined, page: number): Promise<TimelineT> =>
  timelineView(await reads.recordTimeline(personId, { kinds, ...(from ? { from } : {}), ...(to ? { to } : {}), page, pageSize: TIMELINE_PAGE_SIZE }), kinds, from, to, page);

/** One page of the person's timeline with filters (GET /api/care/people/:personId/timeline). */
export const careTimeline = async (ctx: ServerContext, personId: string, q: { kinds: readonly TimelineKind[]; from?: string | undefined; to?: string | undefined; page: number }): Promise<Audited<TimelineResponseT>> => {
  const [reads, ref] = await Promise.all([personReadsOf(ctx), servedReferenceDate(ctx)]);
  if ((await reads.recordSubject(personId, ref)) === null) throw new UserError(`no person with id ${personId}`, 'not-found');
  const timeline = await timelineOut(reads, personId, q.kinds, q.from, q.to, q.page);
  return { value: { personId, ...timeline }, audit: `timeline page ${timeline.page} of ${timeline.pages}` };
};

/** The operational store's parts of the record, as `reader` may see them (only those the person has: operationalPeopleOf). */
const operationalParts = async (ctx: ServerContext, personId: string, reader: string, today: string): Promise<RecordOperationalParts> => {
  const has = await operationalPeopleOf(ctx);
  const [alerts, acp, plan, referrals, episodes] = await Promise.all([
    hasRecord(has.alerts, personId) ? listAlerts(ctx.ops, personId) : [],
    hasRecord(has.advanceCarePlan, personId) ? advanceCarePlanOf(ctx.ops, personId) : null,
    hasRecord(has.carePlan, personId) ? currentCarePlan(ctx.ops, personId) : null,
    hasRecord(has.referrals, personId) ? listReferrals(ctx.ops, { personId }) : [],
    hasRecord(has.caseload, personId) ? listCaseload(ctx.ops, { personId }) : [],
  ]);
  // The directory's names only for someone referred.
  const services = referrals.length === 0 ? [] : await listServices(ctx.ops);
  const names = new Map(services.map((s) => [s.id, s.entry.name]));
  const carePlanReadable = plan === null || plan.consentToShare || plan.createdBy === reader;
  const alertsOut = alerts.map((a) => alertOut(a, today));
  alertsOut.sort((a, b) => Number(b.inForce || b.reviewDue) - Number(a.inForce || a.reviewDue));
  return {
    alerts: alertsOut,
    advanceCarePlan: acp === null ? null : advanceCarePlanOut(acp),
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
};

const scorerInfo = (scorer: AdmissionScorer | { readonly unavailable: string }): ScorerInfo =>
  'unavailable' in scorer ? { unavailable: scorer.unavailable } : { fittedAt: scorer.fittedAt, people: scorer.people };

/**
 * The whole readable record (GET /api/care/people/:personId/record), as `reader` may see it: rendered, validated and
 * serialised by the record renderer's worker when the person documents of the version being served are open there (the
 * answer's JSON text), else assembled here from the same parts (the route's serialiser validates it).
 */
export const careRecord = async (ctx: ServerContext, personId: string, reader: string): Promise<Audited<RecordResponseT | RenderedJson>> => {
  const [{ reads, renderer }, ref] = await Promise.all([personReadsAndRenderer(ctx), servedReferenceDate(ctx)]);
  const today = ctx.today();
  // Read once, whoever assembles the record.
  let operationalRead: Promise<RecordOperationalParts> | undefined;
  const operationalOnce = () => (operationalRead ??= operationalParts(ctx, personId, reader, today));
  if (renderer) {
    const [operational, scorer, names] = await Promise.all([operationalOnce(), admissionScorer(ctx), neighbourhoodNames(ctx)]);
    const rendered = await renderer.record({ personId, ref, today, operational, scorer, renamed: names.renamed });
    if (rendered === 'not-found') throw new UserError(`no person with id ${personId}`, 'not-found');
    if (rendered !== 'elsewhere') return rendered;
  }
  // The person-level parts side by side (one document, or the lookup connections), the operational records and the score meanwhile.
  const [subject, codes, medicines, family, carerLinks, timeline] = await Promise.all([
    reads.recordSubject(personId, ref),
    reads.recordCodes(personId, ref),
    reads.recordMedicines(personId, ref),
    reads.recordFamily(personId),
    reads.recordCarerLinks(personId, ref),
    reads.recordTimeline(personId, { kinds: [], page: 1, pageSize: TIMELINE_PAGE_SIZE }),
  ]);
  if (subject === null) throw new UserError(`no person with id ${personId}`, 'not-found');
  const [operational, score, scorer, names] = await Promise.all([
    operationalOnce(),
    scoreOf(ctx, reads, personId, ref, subject.death !== null),
    admissionScorer(ctx),
    neighbourhoodNames(ctx),
  ]);
  return recordView({ personId, ref, today, person: { subject, codes, medicines, family, carerLinks, timeline }, operational, scorer: scorerInfo(scorer), score, renamed: names.renamed });
};
