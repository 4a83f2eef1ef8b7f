/**
 * Advance care plans (EPaCCS content: one a person) and alerts on a person in the operational store:
 * versioned records with append-only history (versioned.ts). Person-level: callers check the care
 * relationship and audit every access; the text never reaches a log.
 */
import type { AdvanceCarePlan, AdvanceCarePlanContent, AlertInput, AlertUpdate, PersonAlert } from '@openphm/core';
import type { OperationalDb, Queryable } from './db.js';
import { ISO_DAY, ISO_TIME, atomically, changeAllIn, createIn, getIn, historyIn, updateIn, type Register } from './versioned.js';

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

type NewPlan = { readonly personId: string; readonly neighbourhoodId: string; readonly plan: AdvanceCarePlanContent };
type PlanChange = { readonly plan: AdvanceCarePlanContent; readonly version: number };

const PLANS: Register<AdvanceCarePlan, NewPlan, PlanChange> = {
  table: 'advance_care_plan',
  historyTable: 'advance_care_plan_history',
  historyKey: 'advance_care_plan_id',
  noun: 'advance care plan',
  columns: { personId: 'person_id', neighbourhoodId: 'neighbourhood_id', content: 'content', cprDecision: 'cpr_decision' },
  select: `id, person_id::text AS person_id, neighbourhood_id, content, version, ${ISO_TIME('updated_at')} AS updated_at, updated_by`,
  toRow: (r) => ({
    ...(json(r.content) as AdvanceCarePlanContent),
    id: Number(r.id),
    personId: String(r.person_id),
    neighbourhoodId: String(r.neighbourhood_id),
    version: Number(r.version),
    updatedAt: String(r.updated_at),
    updatedBy: String(r.updated_by),
  }),
  inputValues: ({ personId, neighbourhoodId, plan }) => ({ personId, neighbourhoodId, content: JSON.stringify(plan), cprDecision: plan.cpr.decision }),
  updateValues: ({ plan }) => ({ content: JSON.stringify(plan), cprDecision: plan.cpr.decision }),
};

/** The person's advance care plan, or null. */
export const advanceCarePlanOf = async (db: Queryable, personId: string): Promise<AdvanceCarePlan | null> => {
  const [row] = await db.query<Record<string, unknown>>(`SELECT ${PLANS.select} FROM advance_care_plan WHERE person_id = $1::bigint`, [personId]);
  return row ? PLANS.toRow(row) : null;
};

/** Records the person's first plan (one a person: a second is refused by the store). */
export const createAdvanceCarePlan = (db: OperationalDb | Queryable, plan: NewPlan, by: string): Promise<AdvanceCarePlan> => atomically(db, (tx) => createIn(PLANS, tx, plan, by));
/** Replaces plan `id` with a new version (409 when `version` is not the current one). */
export const updateAdvanceCarePlan = (db: OperationalDb | Queryable, id: number, change: PlanChange, by: string): Promise<AdvanceCarePlan> => atomically(db, (tx) => updateIn(PLANS, tx, id, change, by));
export const advanceCarePlanHistory = (db: Queryable, id: number) => historyIn(PLANS as Register<AdvanceCarePlan, unknown, never>, db, id);

type NewAlert = AlertInput & { readonly personId: string; readonly neighbourhoodId: string; readonly createdBy: string };

const ALERTS: Register<PersonAlert, NewAlert, AlertUpdate> = {
  table: 'person_alert',
  historyTable: 'person_alert_history',
  historyKey: 'person_alert_id',
  noun: 'alert',
  columns: { personId: 'person_id', neighbourhoodId: 'neighbourhood_id', kind: 'kind', text: 'text', startsOn: 'starts_on', reviewOn: 'review_on', status: 'status', createdBy: 'created_by' },
  select: `id, person_id::text AS person_id, neighbourhood_id, kind, text, ${ISO_DAY('starts_on')} AS starts_on, ${ISO_DAY('review_on')} AS review_on, status, created_by,
    ${ISO_TIME('created_at')} AS created_at, version, ${ISO_TIME('updated_at')} AS updated_at, updated_by`,
  toRow: (r) => ({
    id: Number(r.id),
    personId: String(r.person_id),
    neighbourhoodId: String(r.neighbourhood_id),
    kind: r.kind as PersonAlert['kind'],
    text: String(r.text),
    startsOn: String(r.starts_on),
    reviewOn: r.review_on === null ? null : String(r.review_on),
    status: r.status as PersonAlert['status'],
    createdBy: String(r.created_by),
    createdAt: String(r.created_at),
    version: Number(r.version),
    updatedAt: String(r.updated_at),
    updatedBy: String(r.updated_by),
  }),
  inputValues: (a) => ({ personId: a.personId, neighbourhoodId: a.neighbourhoodId, kind: a.kind, text: a.text, startsOn: a.startsOn, reviewOn: a.reviewOn, status: 'active', createdBy: a.createdBy }),
  updateValues: ({ version: _version, ...rest }) => rest,
};

export const createAlert = (db: OperationalDb | Queryable, alert: NewAlert, by: string): Promise<PersonAlert> => atomically(db, (tx) => createIn(ALERTS, tx, alert, by));
export const updateAlert = (db: OperationalDb | Queryable, id: number, update: AlertUpdate, by: string): Promise<PersonAlert> => atomically(db, (tx) => updateIn(ALERTS, tx, id, update, by));
export const getAlert = (db: Queryable, id: number): Promise<PersonAlert> => getIn(ALERTS as Register<PersonAlert, unknown, never>, db, id);
export const alertHistory = (db: Queryable, id: number) => historyIn(ALERTS as Register<PersonAlert, unknown, never>, db, id);

/** The person's alerts: active first, then newest first. */
export const listAlerts = async (db: Queryable, personId: string): Promise<PersonAlert[]> => {
  const rows = await db.query<Record<string, unknown>>(`SELECT ${ALERTS.select} FROM person_alert WHERE person_id = $1::bigint ORDER BY (status = 'active') DESC, starts_on DESC, id DESC`, [personId]);
  return rows.map(ALERTS.toRow);
};

/** How many alerts in force each of these people has on `today` (people without any left out). */
export const alertCounts = async (db: Queryable, personIds: readonly string[], today: string): Promise<Map<string, number>> => {
  const ids = personIds.filter((id) => /^\d{1,18}$/.test(id));
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ person_id: string; n: number }>(
    `SELECT person_id::text AS person_id, count(*)::int AS n FROM person_alert WHERE person_id = ANY(string_to_array($1, ',')::bigint[]) AND status = 'active' AND starts_on <= $2::date GROUP BY person_id`,
    [ids.join(','), today],
  );
  return new Map(rows.map((r) => [String(r.person_id), Number(r.n)]));
};

/** For people a data load deleted (data/person-removals.ts): their active alerts ended, each with its history. */
export const endAlertsOfRemovedPeople = (tx: Queryable, personIds: readonly string[], by: string): Promise<PersonAlert[]> =>
  changeAllIn(ALERTS as Register<PersonAlert, unknown, never>, tx, { sets: `status = 'ended'`, where: `person_id = ANY(string_to_array($1, ',')::bigint[]) AND status = 'active'`, params: [personIds.join(',')] }, by);
