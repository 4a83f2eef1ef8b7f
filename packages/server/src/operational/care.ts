/**
 * Joining up care in the operational store: the directory of community services (each entry a
 * validated Open Referral UK subset, versioned) and social prescribing referrals (versioned, with
 * history). Referrals are person-level: callers check who may see which, and audit every access.
 */
import {
  REFERRAL_REASON_IDS,
  expectOneOf,
  REFERRAL_STATUSES,
  type DirectoryService,
  type Ons4,
  type Referral,
  type ReferralInput,
  type ReferralStatus,
  type ReferralUpdate,
} from '@openphm/core';
import type { OperationalDb, Queryable } from './db.js';
import { ISO_TIME, atomically, changeAllIn, createIn, getIn, historyIn, updateIn, type Register } from './versioned.js';

// ---- directory

export interface StoredService {
  readonly id: string;
  readonly entry: DirectoryService;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

const SERVICES: Register<StoredService, DirectoryService, { entry: DirectoryService; version: number }> = {
  table: 'directory_service',
  historyTable: 'directory_service_history',
  historyKey: 'service_id',
  noun: 'service',
  columns: { id: 'id', entry: 'entry', status: 'status' },
  select: `id, entry, version, ${ISO_TIME('updated_at')} AS updated_at, updated_by`,
  toRow: (r) => ({ id: String(r.id), entry: json(r.entry) as DirectoryService, version: Number(r.version), updatedAt: String(r.updated_at), updatedBy: String(r.updated_by) }),
  inputValues: (e) => ({ id: e.id, entry: JSON.stringify(e), status: e.status }),
  updateValues: ({ entry }) => ({ entry: JSON.stringify(entry), status: entry.status }),
};

export const createService = (db: OperationalDb | Queryable, entry: DirectoryService, by: string): Promise<StoredService> => atomically(db, (tx) => createIn(SERVICES, tx, entry, by));
export const updateService = (db: OperationalDb | Queryable, id: string, entry: DirectoryService, version: number, by: string): Promise<StoredService> =>
  atomically(db, (tx) => updateIn(SERVICES, tx, id, { entry, version }, by));
export const getService = (db: Queryable, id: string): Promise<StoredService> => getIn(SERVICES as Register<StoredService, unknown, never>, db, id);
export const listServices = async (db: Queryable): Promise<StoredService[]> =>
  (await db.query<Record<string, unknown>>(`SELECT ${SERVICES.select} FROM directory_service ORDER BY id`)).map(SERVICES.toRow);
/** Changes whenever a directory entry is added or replaced (keeps the searched list fresh). */
export const servicesStamp = async (db: Queryable): Promise<string> => {
  const [row] = await db.query<{ n: number; v: number | null; at: string | null }>(
    `SELECT count(*)::integer AS n, sum(version)::integer AS v, ${ISO_TIME('max(updated_at)')} AS at FROM directory_service`,
  );
  return `${row?.n ?? 0}:${row?.v ?? 0}@${row?.at ?? ''}`;
};
export const countServices = async (db: Queryable): Promise<number> => Number((await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM directory_service'))[0]?.n ?? 0);

// ---- referrals

/**
 * A new referral as stored: the checked input plus the neighbourhood the person lives in. `referredAt`
 * (ISO timestamp) is for loading past referrals (the demo, migrations from another system); the API
 * never takes it: a referral made through it is dated now.
 */
/** A new referral; status, a follow-up score and the time it was made are given for referrals recorded elsewhere first (imports, the demo). */
export type NewReferral = ReferralInput & { readonly neighbourhoodId: string; readonly status?: ReferralStatus; readonly referredAt?: string; readonly wellbeingAfter?: Ons4 | null; readonly referredBy?: string };

const REFERRALS: Register<Referral, NewReferral & { readonly referredBy: string }, ReferralUpdate> = {
  table: 'referral',
  historyTable: 'referral_history',
  historyKey: 'referral_id',
  noun: 'referral',
  columns: {
    personId: 'person_id',
    neighbourhoodId: 'neighbourhood_id',
    serviceId: 'service_id',
    reason: 'reason',
    status: 'status',
    wellbeingBefore: 'wellbeing_before',
    wellbeingAfter: 'wellbeing_after',
    referredBy: 'referred_by',
    referredAt: 'referred_at',
  },
  select: `id, person_id::text AS person_id, neighbourhood_id, service_id, reason, status, wellbeing_before, wellbeing_after, referred_by, ${ISO_TIME('referred_at')} AS referred_at, version, ${ISO_TIME('updated_at')} AS updated_at, updated_by`,
  toRow: (r) => ({
    id: Number(r.id),
    personId: String(r.person_id),
    neighbourhoodId: String(r.neighbourhood_id),
    serviceId: String(r.service_id),
    reason: expectOneOf(REFERRAL_REASON_IDS, r.reason, 'referral reason'),
    status: expectOneOf(REFERRAL_STATUSES, r.status, 'referral status'),
    wellbeingBefore: r.wellbeing_before == null ? null : (json(r.wellbeing_before) as Ons4),
    wellbeingAfter: r.wellbeing_after == null ? null : (json(r.wellbeing_after) as Ons4),
    referredBy: String(r.referred_by),
    referredAt: String(r.referred_at),
    version: Number(r.version),
    updatedAt: String(r.updated_at),
    updatedBy: String(r.updated_by),
  }),
  inputValues: (r) => ({
    personId: r.personId,
    neighbourhoodId: r.neighbourhoodId,
    serviceId: r.serviceId,
    reason: r.reason,
    status: r.status ?? 'referred',
    wellbeingBefore: r.wellbeingBefore === null ? null : JSON.stringify(r.wellbeingBefore),
    ...(r.wellbeingAfter != null ? { wellbeingAfter: JSON.stringify(r.wellbeingAfter) } : {}),
    referredBy: r.referredBy,
    ...(r.referredAt !== undefined ? { referredAt: r.referredAt } : {}),
  }),
  updateValues: (u) => ({
    status: u.status,
    wellbeingBefore: u.wellbeingBefore === undefined ? undefined : u.wellbeingBefore === null ? null : JSON.stringify(u.wellbeingBefore),
    wellbeingAfter: u.wellbeingAfter === undefined ? undefined : u.wellbeingAfter === null ? null : JSON.stringify(u.wellbeingAfter),
  }),
};

/** Records a referral (version 1, status referred unless given), by `by` (and referred by them unless the input says who). */
export const createReferral = (db: OperationalDb | Queryable, input: NewReferral, by: string): Promise<Referral> =>
  atomically(db, (tx) => createIn(REFERRALS, tx, { ...input, referredBy: input.referredBy ?? by }, by));
export const updateReferral = (db: OperationalDb | Queryable, id: number, update: ReferralUpdate, by: string): Promise<Referral> => atomically(db, (tx) => updateIn(REFERRALS, tx, id, update, by));
export const getReferral = (db: Queryable, id: number): Promise<Referral> => getIn(REFERRALS as Register<Referral, unknown, never>, db, id);
export const referralHistory = (db: Queryable, id: number) => historyIn(REFERRALS as Register<Referral, unknown, never>, db, id);

export interface ReferralFilter {
  readonly neighbourhoodId?: string;
  readonly personId?: string;
  readonly status?: ReferralStatus;
  readonly serviceId?: string;
}

/** Changes whenever a referral is made or updated (keeps computed social prescribing measures fresh). */
export const referralsStamp = async (db: Queryable): Promise<string> => {
  const [row] = await db.query<{ n: number; at: string | null }>(`SELECT count(*)::integer AS n, ${ISO_TIME('max(updated_at)')} AS at FROM referral`);
  return `${row?.n ?? 0}@${row?.at ?? ''}`;
};

/** Referrals matching the filter, newest first. */
export const listReferrals = async (db: Queryable, f: ReferralFilter = {}): Promise<Referral[]> => {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const add = (sql: string, v: string) => (params.push(v), where.push(sql.replace('?', `$${params.length}`)));
  if (f.neighbourhoodId !== undefined) add('neighbourhood_id = ?', f.neighbourhoodId);
  if (f.personId !== undefined) add('person_id = ?::bigint', f.personId);
  if (f.status !== undefined && (REFERRAL_STATUSES as readonly string[]).includes(f.status)) add('status = ?', f.status);
  if (f.serviceId !== undefined) add('service_id = ?', f.serviceId);
  const rows = await db.query<Record<string, unknown>>(`SELECT ${REFERRALS.select} FROM referral${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY referred_at DESC, id DESC`, params);
  return rows.map(REFERRALS.toRow);
};

/** For people a data load deleted (data/person-removals.ts): their open referrals (referred, accepted, attending) withdrawn, each with its history. */
export const withdrawReferralsOfRemovedPeople = (tx: Queryable, personIds: readonly string[], by: string): Promise<Referral[]> =>
  changeAllIn(REFERRALS as Register<Referral, unknown, never>, tx, {
    sets: `status = 'withdrawn'`,
    where: `person_id = ANY(string_to_array($1, ',')::bigint[]) AND status IN ('referred', 'accepted', 'attending')`,
    params: [personIds.join(',')],
  }, by);
