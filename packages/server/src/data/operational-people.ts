/**
 * Who has operational records of each kind (referrals, caseload episodes, care plans, alerts,
 * advance care plans, break-glass grants), kept between requests under the freshness rule of the operational store
 * (context.ts freshValue: until this server writes to it, or for at most STAMP_MAX_AGE_MS when
 * another process shares a PostgreSQL store), so that a person's summary or record only asks the
 * store for the records a person has (and the care relationship only about someone with a caseload
 * episode, referral or grant): most people have none, and a query costs PGlite about half
 * a millisecond of the server's one JavaScript thread.
 */
import { freshValue, type ServerContext } from '../context.js';
import { operationalPeople, type OperationalPeople } from '../operational/care-plans.js';

export const operationalPeopleOf = (ctx: Pick<ServerContext, 'ops' | 'stamps'>): Promise<OperationalPeople> =>
  freshValue(ctx, 'operational-people', () => operationalPeople(ctx.ops));

/** Whether `personId` (digits, perhaps with leading zeros, as the routes accept it) is in one of OperationalPeople's sets. */
export const hasRecord = (people: ReadonlySet<string>, personId: string): boolean => people.has(/^\d{1,18}$/.test(personId) ? String(BigInt(personId)) : personId);
