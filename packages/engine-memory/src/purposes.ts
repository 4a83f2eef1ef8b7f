/**
 * Purposes in plain code, the reference for the store's SQL (store-duckdb phm/purposes.ts): who may
 * be used for a purpose (core's includedFor over the opt_out rows), a cohort's members for a purpose
 * and how many it leaves out, with their cell key.
 */
import {
  OPT_OUT_KINDS,
  cellKeyOf,
  inCohort,
  includedFor,
  linkIncludedFor,
  type CohortDefinition,
  type IndicatorData,
  type KeyedCount,
  type OptOutKind,
  type Purpose,
} from '@openphm/core';
import { computeFeaturesInMemory } from './features.js';
import { recordKeyOf } from './record-key.js';

const isKind = (value: unknown): value is OptOutKind => typeof value === 'string' && (OPT_OUT_KINDS as readonly string[]).includes(value);

/** Each person's opt-outs (person_id as text → kinds). */
export const optOutsByPerson = (data: IndicatorData): Map<string, OptOutKind[]> => {
  const out = new Map<string, OptOutKind[]>();
  for (const row of data.tables.opt_out ?? []) {
    if (!isKind(row.kind)) continue;
    const id = String(row.person_id);
    (out.get(id) ?? out.set(id, []).get(id)!).push(row.kind);
  }
  return out;
};

/** Whether each person may be used for the purpose. */
export const includedInMemory = (data: IndicatorData, purpose: Purpose): ((personId: string | number) => boolean) => {
  const optOuts = optOutsByPerson(data);
  return (personId) => includedFor(purpose, optOuts.get(String(personId)) ?? []);
};

/** A carer link a purpose may use (carer_relationship; ids as text, dates as YYYY-MM-DD, end null when open). */
export interface CarerLinkRow {
  readonly carerPersonId: string;
  readonly caredForPersonId: string;
  readonly startDate: string;
  readonly endDate: string | null;
}

const isoDay = (value: unknown): string | null => (value === null || value === undefined ? null : String(value).slice(0, 10));

/** The carer links a purpose may use: those where neither person holds an opt-out that applies (core's linkIncludedFor), in row order. */
export const carerLinksForInMemory = (data: IndicatorData, purpose: Purpose): CarerLinkRow[] => {
  const optOuts = optOutsByPerson(data);
  const links = (data.tables.carer_relationship ?? [])
    .map((r) => ({ carerPersonId: String(r.carer_person_id), caredForPersonId: String(r.cared_for_person_id), startDate: isoDay(r.start_date) ?? '', endDate: isoDay(r.end_date) }))
    .filter((l) => linkIncludedFor(purpose, optOuts.get(l.carerPersonId) ?? [], optOuts.get(l.caredForPersonId) ?? []));
  return links.sort((a, b) => byId(a.carerPersonId, b.carerPersonId) || byId(a.caredForPersonId, b.caredForPersonId) || (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0));
};

const byId = (a: string, b: string): number => (/^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0);

/** Everyone in the person table who may be used for the purpose, by person_id (ascending). */
export const personIdsForInMemory = (data: IndicatorData, purpose: Purpose): string[] => {
  const included = includedInMemory(data, purpose);
  return (data.tables.person ?? []).map((r) => String(r.person_id)).filter((id) => included(id)).sort(byId);
};

/**
 * A cohort's members resident at a date that a purpose may use (ascending), and the members it
 * leaves out for opt-outs, counted with the cell key of their records.
 */
export const cohortForPurposeInMemory = (data: IndicatorData, referenceDate: string, cohort: CohortDefinition, purpose: Purpose): { members: string[]; leftOut: KeyedCount } => {
  const included = includedInMemory(data, purpose);
  const keyOf = new Map((data.tables.person ?? []).map((r) => [String(r.person_id), typeof r.record_key === 'number' ? r.record_key : recordKeyOf(data.recordKeySalt ?? '', String(r.person_id))]));
  const members: string[] = [];
  const leftOut: number[] = [];
  for (const f of computeFeaturesInMemory(data, referenceDate)) {
    if (!inCohort(cohort, f)) continue;
    if (included(f.personId)) members.push(String(f.personId));
    else leftOut.push(keyOf.get(String(f.personId)) ?? 0);
  }
  return { members: members.sort(byId), leftOut: { n: leftOut.length, key: cellKeyOf(leftOut) } };
};
