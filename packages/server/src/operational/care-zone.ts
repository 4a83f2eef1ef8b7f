/**
 * The care zone's records in the operational store (migration 8): which directory services a care
 * professional works for, and break-glass grants, append-only (a grant is never changed or
 * removed: it expires). Person-level: callers check who may see which and audit every access.
 */
import { REFERRAL_STATUSES, breakGlassExpiry, expectOneOf, type ReferralStatus } from '@openphm/core';
import type { OperationalDb, Queryable } from './db.js';
import { ISO_TIME, atomically } from './versioned.js';

/** The directory services a user works for (ids, sorted). */
export const userServices = async (db: Queryable, userId: number): Promise<string[]> =>
  (await db.query<{ service_id: string }>('SELECT service_id FROM user_service WHERE user_id = $1 ORDER BY service_id', [userId])).map((r) => r.service_id);

/** Sets the directory services a user works for (replacing the list). */
export const setUserServices = (db: OperationalDb | Queryable, userId: number, serviceIds: readonly string[], by: string): Promise<string[]> =>
  atomically(db, async (tx) => {
    await tx.query('DELETE FROM user_service WHERE user_id = $1', [userId]);
    for (const id of [...new Set(serviceIds)].sort()) await tx.query('INSERT INTO user_service (user_id, service_id, added_by) VALUES ($1, $2, $3)', [userId, id, by]);
    return userServices(tx, userId);
  });

export interface BreakGlassGrant {
  readonly id: number;
  readonly userId: number;
  readonly userEmail: string;
  readonly neighbourhoodId: string | null;
  readonly personId: string;
  readonly reason: string;
  readonly grantedAt: string;
  readonly expiresAt: string;
}

const GRANT_COLUMNS = `id, user_id, user_email, neighbourhood_id, person_id::text AS person_id, reason, ${ISO_TIME('granted_at')} AS granted_at, ${ISO_TIME('expires_at')} AS expires_at`;

const grantOf = (r: Record<string, unknown>): BreakGlassGrant => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  userEmail: String(r.user_email),
  neighbourhoodId: r.neighbourhood_id === null ? null : String(r.neighbourhood_id),
  personId: String(r.person_id),
  reason: String(r.reason),
  grantedAt: String(r.granted_at),
  expiresAt: String(r.expires_at),
});

/** Records a break-glass grant made now (ISO timestamp), lasting core's BREAK_GLASS_HOURS. */
export const grantBreakGlass = async (
  db: Queryable,
  grant: { readonly userId: number; readonly userEmail: string; readonly neighbourhoodId: string | null; readonly personId: string; readonly reason: string; readonly now: string },
): Promise<BreakGlassGrant> => {
  const [row] = await db.query<Record<string, unknown>>(
    `INSERT INTO break_glass (user_id, user_email, neighbourhood_id, person_id, reason, granted_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${GRANT_COLUMNS}`,
    [grant.userId, grant.userEmail, grant.neighbourhoodId, grant.personId, grant.reason, grant.now, breakGlassExpiry(grant.now)],
  );
  return grantOf(row!);
};

/** A user's grants for a person that have not expired by `now` (ISO timestamp). */
export const liveBreakGlass = async (db: Queryable, userId: number, personId: string, now: string): Promise<BreakGlassGrant[]> =>
  (
    await db.query<Record<string, unknown>>(`SELECT ${GRANT_COLUMNS} FROM break_glass WHERE user_id = $1 AND person_id = $2 AND expires_at > $3 ORDER BY id`, [
      userId,
      personId,
      now,
    ])
  ).map(grantOf);

/** Grants made from `since` (ISO timestamp; default all), newest first, at most `limit`: the admins' alerts. */
export const listBreakGlass = async (db: Queryable, options: { readonly since?: string; readonly limit?: number } = {}): Promise<BreakGlassGrant[]> =>
  (
    await db.query<Record<string, unknown>>(`SELECT ${GRANT_COLUMNS} FROM break_glass WHERE ($1::timestamptz IS NULL OR granted_at >= $1::timestamptz) ORDER BY granted_at DESC, id DESC LIMIT $2`, [
      options.since ?? null,
      options.limit ?? 200,
    ])
  ).map(grantOf);

/** The operational store's facts of the care relationship rule for a professional and a person, in one query. */
export interface CareZoneFacts {
  readonly caseload: readonly { readonly neighbourhoodId: string; readonly status: 'active' | 'discharged' }[];
  readonly referrals: readonly { readonly serviceId: string; readonly serviceName: string; readonly status: ReferralStatus }[];
  readonly serviceIds: readonly string[];
  readonly breakGlass: readonly { readonly grantedAt: string; readonly expiresAt: string }[];
}

const jsonOf = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** The person's caseload episodes and referrals (with their services' names), the professional's services and live grants (ISO `now`). */
export const careZoneFacts = async (db: Queryable, userId: number, personId: string, now: string): Promise<CareZoneFacts> => {
  const [row] = await db.query<Record<string, unknown>>(
    `SELECT
       (SELECT coalesce(json_agg(json_build_object('neighbourhoodId', neighbourhood_id, 'status', status) ORDER BY id), '[]'::json)
          FROM caseload_entry WHERE person_id = $2::bigint) AS caseload,
       (SELECT coalesce(json_agg(json_build_object('serviceId', r.service_id, 'serviceName', coalesce(s.entry->>'name', r.service_id), 'status', r.status) ORDER BY r.id), '[]'::json)
          FROM referral r LEFT JOIN directory_service s ON s.id = r.service_id WHERE r.person_id = $2::bigint) AS referrals,
       (SELECT coalesce(json_agg(service_id ORDER BY service_id), '[]'::json) FROM user_service WHERE user_id = $1) AS services,
       (SELECT coalesce(json_agg(json_build_object('grantedAt', ${ISO_TIME('granted_at')}, 'expiresAt', ${ISO_TIME('expires_at')}) ORDER BY id), '[]'::json)
          FROM break_glass WHERE user_id = $1 AND person_id = $2::bigint AND expires_at > $3::timestamptz) AS grants`,
    [userId, personId, now],
  );
  const caseload = jsonOf(row!.caseload) as { neighbourhoodId: string; status: string }[];
  const referrals = jsonOf(row!.referrals) as { serviceId: string; serviceName: string; status: string }[];
  return {
    caseload: caseload.map((e) => ({ neighbourhoodId: e.neighbourhoodId, status: expectOneOf(['active', 'discharged'] as const, e.status, 'caseload status') })),
    referrals: referrals.map((r) => ({ serviceId: r.serviceId, serviceName: r.serviceName, status: expectOneOf(REFERRAL_STATUSES, r.status, 'referral status') })),
    serviceIds: jsonOf(row!.services) as string[],
    breakGlass: jsonOf(row!.grants) as { grantedAt: string; expiresAt: string }[],
  };
};

/** The person-level part of CareZoneFacts, for each of many people. */
export type PersonCareZoneFacts = Omit<CareZoneFacts, 'serviceIds'>;

const NO_FACTS: PersonCareZoneFacts = { caseload: [], referrals: [], breakGlass: [] };

/**
 * careZoneFacts for many people at once (a worklist's care relationships): the professional's
 * services, and each person's caseload episodes, referrals and the professional's live grants
 * (ISO `now`). One query each for the whole list; a person with none has empty lists.
 */
export const careZoneFactsOfMany = async (
  db: Queryable,
  userId: number,
  personIds: readonly string[],
  now: string,
): Promise<{ readonly serviceIds: readonly string[]; readonly people: ReadonlyMap<string, PersonCareZoneFacts> }> => {
  const ids = [...new Set(personIds.filter((id) => /^\d{1,18}$/.test(id)))];
  const serviceIds = await userServices(db, userId);
  if (ids.length === 0) return { serviceIds, people: new Map() };
  const list = ids.join(',');
  const [episodes, referrals, grants] = await Promise.all([
    db.query<{ person_id: string; neighbourhood_id: string; status: string }>(
      `SELECT person_id::text AS person_id, neighbourhood_id, status FROM caseload_entry WHERE person_id = ANY(string_to_array($1, ',')::bigint[]) ORDER BY id`,
      [list],
    ),
    db.query<{ person_id: string; service_id: string; service_name: string; status: string }>(
      `SELECT r.person_id::text AS person_id, r.service_id, coalesce(s.entry->>'name', r.service_id) AS service_name, r.status
       FROM referral r LEFT JOIN directory_service s ON s.id = r.service_id WHERE r.person_id = ANY(string_to_array($1, ',')::bigint[]) ORDER BY r.id`,
      [list],
    ),
    db.query<{ person_id: string; granted_at: string; expires_at: string }>(
      `SELECT person_id::text AS person_id, ${ISO_TIME('granted_at')} AS granted_at, ${ISO_TIME('expires_at')} AS expires_at FROM break_glass
       WHERE user_id = $1 AND person_id = ANY(string_to_array($2, ',')::bigint[]) AND expires_at > $3::timestamptz ORDER BY id`,
      [userId, list, now],
    ),
  ]);
  const people = new Map<string, { caseload: CareZoneFacts['caseload'][number][]; referrals: CareZoneFacts['referrals'][number][]; breakGlass: CareZoneFacts['breakGlass'][number][] }>();
  const of = (id: string) => people.get(id) ?? people.set(id, { caseload: [], referrals: [], breakGlass: [] }).get(id)!;
  for (const e of episodes) of(e.person_id).caseload.push({ neighbourhoodId: e.neighbourhood_id, status: expectOneOf(['active', 'discharged'] as const, e.status, 'caseload status') });
  for (const r of referrals) of(r.person_id).referrals.push({ serviceId: r.service_id, serviceName: r.service_name, status: expectOneOf(REFERRAL_STATUSES, r.status, 'referral status') });
  for (const g of grants) of(g.person_id).breakGlass.push({ grantedAt: g.granted_at, expiresAt: g.expires_at });
  return { serviceIds, people: new Map(ids.map((id) => [id, people.get(id) ?? NO_FACTS])) };
};
