/**
 * The pseudonymous summary of one person: demographics (age, not date of birth), residence by
 * LSOA, long-term conditions (year first recorded) and recent activity across care settings.
 */
import { CONDITIONS, ESP2013, ETHNIC_CATEGORIES, REFERRAL_REASONS, REFERRAL_STATUS_LABEL, UserError, type EthnicCategory, type Purpose } from '@openphm/core';
import type { ServerContext } from '../context.js';
import { listReferrals, listServices } from '../operational/care.js';
import { currentCarePlan, listCaseload } from '../operational/care-plans.js';
import { hasRecord, operationalPeopleOf } from './operational-people.js';
import { personReads, type PersonReads } from '@openphm/store-duckdb';
import type { PersonSummaryT } from '@openphm/api-contract';
import type { PhmData } from './phm-data.js';
import { referenceDate, servedReferenceDate } from './population.js';
import { lookupsOf, personReadsOf } from './person-docs.js';

export interface PersonResidence {
  readonly neighbourhoodId: string | null;
}

/** Where the person lives (for the neighbourhood role's check), or null when there is no such person. */
export const personResidence = async (ctx: Pick<ServerContext, 'data' | 'personDocs'>, personId: string): Promise<PersonResidence | null> => (await personReadsOf(ctx)).personNeighbourhood(personId);


/**
 * The summary from the person-level data (the route adds the operational records), or null when
 * there is no such person or an opt-out of theirs applies to the purpose. The purpose is the
 * caller's: core's personLevelPurposeOf(role) (a neighbourhood team: direct care; an analyst:
 * planning). Until every caller passes it, it is direct care, as before opt-outs were held.
 */
export const personSummary = async (
  data: PhmData,
  personId: string,
  purpose: Purpose = 'direct-care',
  day?: string,
  reads: PersonReads = personReads(lookupsOf(data)),
): Promise<Omit<PersonSummaryT, 'socialPrescribing' | 'caseload' | 'carePlan'> | null> => {
  const ref = day ?? (await referenceDate(data));
  const p = await reads.personRecord(personId, ref, purpose);
  if (p === null) return null;
  const category = ETHNIC_CATEGORIES[p.ethnicCategory as EthnicCategory];
  return {
    personId,
    referenceDate: ref,
    demographics: {
      sex: p.sex,
      age: p.age,
      ageBand: ESP2013.bands[Math.min(ESP2013.bands.length - 1, Math.floor(p.age / 5))]!.label,
      ethnicGroup: category?.group ?? 'Unknown',
      isCarer: p.isCarer,
      died: p.died,
    },
    residence: { lsoaCode: p.lsoaCode, neighbourhoodId: p.neighbourhoodId, place: p.place, imdDecile: p.imdDecile },
    practiceCode: p.practiceCode,
    conditions: p.conditions.map((c) => ({ key: c.key, label: CONDITIONS[c.key].label, since: c.since })),
    activityLast12Months: p.lastYear.map((r) => ({ ...r })),
    recentActivity: p.recent.map((r) => ({ ...r })),
  };
};

/**
 * The person's summary with their operational records (referrals, caseload episode, care plan), or
 * not-found (also for planning when the person has opted out: they are not in the data for it, and
 * the answer does not say they opted out).
 */
export const personView = async (ctx: ServerContext, personId: string, purpose: Purpose = 'direct-care'): Promise<PersonSummaryT> => {
  // The operational records are read while DuckDB reads the person's (on its own threads): only those the
  // person has (operationalPeopleOf: most people have none).
  const records = operationalPeopleOf(ctx).then((has) =>
    Promise.all([
      hasRecord(has.referrals, personId) ? listReferrals(ctx.ops, { personId }) : [],
      hasRecord(has.activeEpisode, personId) ? listCaseload(ctx.ops, { personId, status: 'active' }) : [],
      hasRecord(has.carePlan, personId) ? currentCarePlan(ctx.ops, personId) : null,
    ]),
  );
  records.catch(() => undefined);
  const [day, reads] = await Promise.all([servedReferenceDate(ctx), personReadsOf(ctx)]);
  const summary = await personSummary(ctx.data, personId, purpose, day, reads);
  if (summary === null) throw new UserError(`no person with id ${personId}`, 'not-found');
  const [referrals, episodes, plan] = await records;
  // The directory's names only for someone referred (most people have no referral).
  const services = referrals.length > 0 ? await listServices(ctx.ops) : [];
  const episode = episodes[0];
  const names = new Map(services.map((s) => [s.id, s.entry.name]));
  return {
    ...summary,
    socialPrescribing: referrals.map((r) => ({
      id: r.id,
      serviceName: names.get(r.serviceId) ?? r.serviceId,
      reasonLabel: REFERRAL_REASONS.find((x) => x.id === r.reason)?.label ?? r.reason,
      status: r.status,
      statusLabel: REFERRAL_STATUS_LABEL[r.status],
      referredAt: r.referredAt,
      referredBy: r.referredBy,
    })),
    caseload: episode ? { entryId: episode.id, keyWorker: episode.keyWorker, nextReview: episode.nextReview, source: episode.source } : null,
    carePlan: plan ? { status: plan.status, reviewDate: plan.reviewDate, consentToShare: plan.consentToShare, updatedAt: plan.updatedAt } : null,
  };
};
