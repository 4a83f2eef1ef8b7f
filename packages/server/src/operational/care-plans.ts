/**
 * Care and support plans and the neighbourhood team's caseload in the operational store: versioned
 * records with append-only history (versioned.ts). At most one active plan and one active caseload
 * episode per person (partial unique indexes). Person-level: callers check who may see which and
 * audit every access.
 */
import { REMOVED_FROM_DATA, type CarePlan, type CarePlanContent, type CarePlanUpdate, type CaseloadEntry, type CaseloadInput, type CaseloadUpdate } from '@openphm/core';
import type { OperationalDb, Queryable } from './db.js';
import { ISO_DAY, ISO_TIME, atomically, changeAllIn, createIn, getIn, historyIn, updateIn, type Register } from './versioned.js';

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** A plan as stored, with who wrote it first (who may read it when the person has not agreed to share it). */
export type StoredCarePlan = CarePlan & { readonly createdBy: string };

type NewPlan = CarePlanContent & { readonly personId: string; readonly neighbourhoodId: string; readonly createdBy: string };

const PLANS: Register<StoredCarePlan, NewPlan, CarePlanUpdate> = {
  table: 'care_plan',
  historyTable: 'care_plan_history',
  historyKey: 'care_plan_id',
  noun: 'care plan',
  columns: { personId: 'person_id', neighbourhoodId: 'neighbourhood_id', content: 'content', status: 'status', reviewDate: 'review_date', consentToShare: 'consent_to_share', createdBy: 'created_by' },
  select: `id, person_id::text AS person_id, neighbourhood_id, content, created_by, version, ${ISO_TIME('updated_at')} AS updated_at, updated_by`,
  toRow: (r) => ({
    ...(json(r.content) as CarePlanContent),
    id: Number(r.id),
    personId: String(r.person_id),
    neighbourhoodId: String(r.neighbourhood_id),
    createdBy: String(r.created_by),
    version: Number(r.version),
    updatedAt: String(r.updated_at),
    updatedBy: String(r.updated_by),
  }),
  inputValues: ({ personId, neighbourhoodId, createdBy, ...content }) => ({
    personId,
    neighbourhoodId,
    createdBy,
    content: JSON.stringify(content),
    status: content.status,
    reviewDate: content.reviewDate,
    consentToShare: content.consentToShare,
  }),
  updateValues: ({ version: _version, ...content }) => ({ content: JSON.stringify(content), status: content.status, reviewDate: content.reviewDate, consentToShare: content.consentToShare }),
};

export const createCarePlan = (db: OperationalDb | Queryable, plan: NewPlan, by: string): Promise<StoredCarePlan> => atomically(db, (tx) => createIn(PLANS, tx, plan, by));
export const updateCarePlan = (db: OperationalDb | Queryable, id: number, update: CarePlanUpdate, by: string): Promise<StoredCarePlan> => atomically(db, (tx) => updateIn(PLANS, tx, id, update, by));
export const carePlanHistory = (db: Queryable, id: number) => historyIn(PLANS as Register<StoredCarePlan, unknown, never>, db, id);
export const getCarePlan = (db: Queryable, id: number): Promise<StoredCarePlan> => getIn(PLANS as Register<StoredCarePlan, unknown, never>, db, id);

/** The people who have each kind of operational record (ids as text). */
export interface OperationalPeople {
  readonly referrals: ReadonlySet<string>;
  readonly activeEpisode: ReadonlySet<string>;
  readonly caseload: ReadonlySet<string>;
  readonly carePlan: ReadonlySet<string>;
  readonly alerts: ReadonlySet<string>;
  readonly advanceCarePlan: ReadonlySet<string>;
  /** Everyone with a break-glass grant, live or not (the grant's own query checks who and until when). */
  readonly breakGlass: ReadonlySet<string>;
}

/**
 * Everyone with an operational record of each kind, in one query: the server keeps it while it has
 * written nothing (context.ts freshValue), so that a person's summary or record does not ask the
 * operational store whether this one person has any (most have none).
 */
export const operationalPeople = async (db: Queryable): Promise<OperationalPeople> => {
  const rows = await db.query<{ k: keyof OperationalPeople; id: string }>(
    `SELECT DISTINCT 'referrals' AS k, person_id::text AS id FROM referral
     UNION ALL SELECT DISTINCT 'activeEpisode', person_id::text FROM caseload_entry WHERE status = 'active'
     UNION ALL SELECT DISTINCT 'caseload', person_id::text FROM caseload_entry
     UNION ALL SELECT DISTINCT 'carePlan', person_id::text FROM care_plan
     UNION ALL SELECT DISTINCT 'alerts', person_id::text FROM person_alert
     UNION ALL SELECT DISTINCT 'advanceCarePlan', person_id::text FROM advance_care_plan
     UNION ALL SELECT DISTINCT 'breakGlass', person_id::text FROM break_glass`,
  );
  const out = { referrals: new Set<string>(), activeEpisode: new Set<string>(), caseload: new Set<string>(), carePlan: new Set<string>(), alerts: new Set<string>(), advanceCarePlan: new Set<string>(), breakGlass: new Set<string>() };
  for (const r of rows) out[r.k].add(r.id);
  return out;
};

/** The person's active plan, else their most recent one, else null. */
export const currentCarePlan = async (db: Queryable, personId: string): Promise<StoredCarePlan | null> => {
  const [row] = await db.query<Record<string, unknown>>(`SELECT ${PLANS.select} FROM care_plan WHERE person_id = $1::bigint ORDER BY (status = 'active') DESC, updated_at DESC, id DESC LIMIT 1`, [personId]);
  return row ? PLANS.toRow(row) : null;
};

/** A new episode; `addedAt` (ISO timestamp) back-dates one recorded elsewhere first (imports, the demo). */
type NewEpisode = CaseloadInput & { readonly neighbourhoodId: string; readonly addedAt?: string };

const CASELOAD: Register<CaseloadEntry, NewEpisode, CaseloadUpdate> = {
  table: 'caseload_entry',
  historyTable: 'caseload_history',
  historyKey: 'caseload_entry_id',
  noun: 'caseload entry',
  columns: { personId: 'person_id', neighbourhoodId: 'neighbourhood_id', source: 'source', cohortId: 'cohort_id', keyWorker: 'key_worker', nextReview: 'next_review', status: 'status', outcome: 'outcome', addedAt: 'added_at' },
  select: `id, person_id::text AS person_id, neighbourhood_id, source, cohort_id, key_worker, ${ISO_DAY('next_review')} AS next_review, status, outcome, ${ISO_TIME('added_at')} AS added_at, version, ${ISO_TIME('updated_at')} AS updated_at, updated_by`,
  toRow: (r) => ({
    id: Number(r.id),
    personId: String(r.person_id),
    neighbourhoodId: String(r.neighbourhood_id),
    source: r.source as CaseloadEntry['source'],
    cohortId: r.cohort_id === null ? null : String(r.cohort_id),
    keyWorker: String(r.key_worker),
    nextReview: String(r.next_review),
    status: r.status as CaseloadEntry['status'],
    outcome: (r.outcome ?? null) as CaseloadEntry['outcome'],
    addedAt: String(r.added_at),
    version: Number(r.version),
    updatedAt: String(r.updated_at),
    updatedBy: String(r.updated_by),
  }),
  inputValues: (e) => ({ personId: e.personId, neighbourhoodId: e.neighbourhoodId, source: e.source, cohortId: e.cohortId, keyWorker: e.keyWorker, nextReview: e.nextReview, status: 'active', ...(e.addedAt !== undefined ? { addedAt: e.addedAt } : {}) }),
  updateValues: ({ version: _version, ...rest }) => rest,
};

export const addToCaseload = (db: OperationalDb | Queryable, entry: NewEpisode, by: string): Promise<CaseloadEntry> => atomically(db, (tx) => createIn(CASELOAD, tx, entry, by));
export const updateCaseloadEntry = (db: OperationalDb | Queryable, id: number, update: CaseloadUpdate, by: string): Promise<CaseloadEntry> => atomically(db, (tx) => updateIn(CASELOAD, tx, id, update, by));
export const getCaseloadEntry = (db: Queryable, id: number): Promise<CaseloadEntry> => getIn(CASELOAD as Register<CaseloadEntry, unknown, never>, db, id);
export const caseloadHistory = (db: Queryable, id: number) => historyIn(CASELOAD as Register<CaseloadEntry, unknown, never>, db, id);

/** Episodes, active first, then by next review. */
export const listCaseload = async (db: Queryable, f: { neighbourhoodId?: string; personId?: string; status?: CaseloadEntry['status'] } = {}): Promise<CaseloadEntry[]> => {
  const where: string[] = [];
  const params: string[] = [];
  if (f.neighbourhoodId !== undefined) (params.push(f.neighbourhoodId), where.push(`neighbourhood_id = $${params.length}`));
  if (f.personId !== undefined) (params.push(f.personId), where.push(`person_id = $${params.length}::bigint`));
  if (f.status !== undefined) (params.push(f.status), where.push(`status = $${params.length}`));
  const rows = await db.query<Record<string, unknown>>(`SELECT ${CASELOAD.select} FROM caseload_entry${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY (status = 'active') DESC, next_review, id`, params);
  return rows.map(CASELOAD.toRow);
};

/** People as `ANY(...)` takes them (one text parameter: ids are digits). */
const PEOPLE_PARAM = "ANY(string_to_array($1, ',')::bigint[])";

/**
 * For people a data load deleted (data/person-removals.ts): their active care plans closed and their
 * active caseload episodes discharged with the outcome 'removed-from-data', each with its history.
 */
export const closeCareOfRemovedPeople = async (tx: Queryable, personIds: readonly string[], by: string): Promise<{ carePlans: StoredCarePlan[]; caseloadEpisodes: CaseloadEntry[] }> => {
  const params = [personIds.join(',')];
  const carePlans = await changeAllIn(PLANS as Register<StoredCarePlan, unknown, never>, tx, {
    sets: `status = 'closed', content = jsonb_set(content, '{status}', '"closed"')`,
    where: `person_id = ${PEOPLE_PARAM} AND status = 'active'`,
    params,
  }, by);
  const caseloadEpisodes = await changeAllIn(CASELOAD as Register<CaseloadEntry, unknown, never>, tx, {
    sets: `status = 'discharged', outcome = '${REMOVED_FROM_DATA.id}'`,
    where: `person_id = ${PEOPLE_PARAM} AND status = 'active'`,
    params,
  }, by);
  return { carePlans, caseloadEpisodes };
};
