/**
 * Who is in a neighbourhood team, and who works for a service, from the accounts in the operational
 * store: whom tasks can be assigned to, who is told of what.
 */
import type { Queryable } from './db.js';

/**
 * Who works for the service a referral goes to (told when it arrives): the active accounts bound to
 * the service; when nobody is, the active members of the referral's neighbourhood team who work for
 * no service (their team's inbox is the referrals made in their neighbourhood).
 */
export const serviceMembers = async (db: Queryable, serviceId: string, neighbourhoodId: string): Promise<number[]> => {
  const bound = await db.query<{ id: number }>(
    `SELECT u.id FROM app_user u JOIN user_service s ON s.user_id = u.id WHERE s.service_id = $1 AND u.role = 'neighbourhood' AND NOT u.disabled ORDER BY u.id`,
    [serviceId],
  );
  if (bound.length > 0) return bound.map((r) => Number(r.id));
  return (
    await db.query<{ id: number }>(
      `SELECT id FROM app_user u WHERE role = 'neighbourhood' AND neighbourhood_id = $1 AND NOT disabled AND NOT EXISTS (SELECT 1 FROM user_service s WHERE s.user_id = u.id) ORDER BY id`,
      [neighbourhoodId],
    )
  ).map((r) => Number(r.id));
};

/** The account of the person who made a referral (referred_by is their email), if it still exists. */
export const userIdByEmail = async (db: Queryable, email: string): Promise<number | null> => {
  const [row] = await db.query<{ id: number }>('SELECT id FROM app_user WHERE email = $1', [email]);
  return row === undefined ? null : Number(row.id);
};

/** The active members of a neighbourhood team (who tasks can be assigned to, and key workers with accounts). */
export const teamMembers = async (db: Queryable, neighbourhoodId: string): Promise<{ id: number; displayName: string; email: string }[]> =>
  (await db.query<{ id: number; display_name: string; email: string }>(`SELECT id, display_name, email FROM app_user WHERE role = 'neighbourhood' AND neighbourhood_id = $1 AND NOT disabled ORDER BY display_name, id`, [neighbourhoodId])).map(
    (r) => ({ id: Number(r.id), displayName: r.display_name, email: r.email }),
  );
