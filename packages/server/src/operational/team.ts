/**
 * Who is in a neighbourhood team, and who works for a service, from the accounts in the operational
 * store: whom tasks can be assigned to, who is told of what.
 */
import type { Queryable } from './db.js';

/** Who works for the service a referral goes to (told when it arrives): for now the active accounts of the referral's neighbourhood team. */
export const serviceMembers = async (db: Queryable, _serviceId: string, neighbourhoodId: string): Promise<number[]> =>
  (await db.query<{ id: number }>(`SELECT id FROM app_user WHERE role = 'neighbourhood' AND neighbourhood_id = $1 AND NOT disabled ORDER BY id`, [neighbourhoodId])).map((r) => Number(r.id));

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
