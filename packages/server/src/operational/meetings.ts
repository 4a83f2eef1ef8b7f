/**
 * MDT meetings in the operational store: a meeting of a neighbourhood team, its agenda (one item a
 * person, with why) and each item's outcome, recorded once (a trigger keeps an item as it was
 * otherwise). Person-level: callers check who may see which and audit every access.
 */
import { UserError, type AgendaItem, type MdtMeeting } from '@openphm/core';
import type { Queryable } from './db.js';
import { ISO_DAY, ISO_TIME } from './versioned.js';

const MEETING_OF = (t: string) => `${t}.id, ${t}.neighbourhood_id, ${ISO_DAY(`${t}.meeting_date`)} AS meeting_date, ${t}.title, ${t}.created_by, ${ISO_TIME(`${t}.created_at`)} AS created_at`;
const MEETING = MEETING_OF('mdt_meeting');
const ITEM = `id, meeting_id, person_id::text AS person_id, reason, added_by, ${ISO_TIME('added_at')} AS added_at, outcome, outcome_by, ${ISO_TIME('outcome_at')} AS outcome_at`;

const toMeeting = (r: Record<string, unknown>): MdtMeeting => ({
  id: Number(r.id),
  neighbourhoodId: String(r.neighbourhood_id),
  date: String(r.meeting_date),
  title: String(r.title),
  createdBy: String(r.created_by),
  createdAt: String(r.created_at),
});

const toItem = (r: Record<string, unknown>): AgendaItem => ({
  id: Number(r.id),
  meetingId: Number(r.meeting_id),
  personId: String(r.person_id),
  reason: String(r.reason),
  addedBy: String(r.added_by),
  addedAt: String(r.added_at),
  outcome: r.outcome === null ? null : String(r.outcome),
  outcomeBy: r.outcome_by === null ? null : String(r.outcome_by),
  outcomeAt: r.outcome_at === null ? null : String(r.outcome_at),
});

export const createMeeting = async (db: Queryable, m: { readonly neighbourhoodId: string; readonly date: string; readonly title: string }, by: string): Promise<MdtMeeting> => {
  const [row] = await db.query<Record<string, unknown>>(`INSERT INTO mdt_meeting (neighbourhood_id, meeting_date, title, created_by) VALUES ($1, $2, $3, $4) RETURNING ${MEETING}`, [m.neighbourhoodId, m.date, m.title, by]);
  return toMeeting(row!);
};

export const getMeeting = async (db: Queryable, id: number): Promise<MdtMeeting> => {
  const [row] = await db.query<Record<string, unknown>>(`SELECT ${MEETING} FROM mdt_meeting WHERE id = $1`, [id]);
  if (row === undefined) throw new UserError(`no meeting ${id}`, 'not-found');
  return toMeeting(row);
};

/** A neighbourhood's meetings, the latest first, with how many people are on each agenda and how many were discussed. */
export const listMeetings = async (db: Queryable, neighbourhoodId: string): Promise<(MdtMeeting & { readonly items: number; readonly discussed: number })[]> => {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${MEETING_OF('m')},
       (SELECT count(*)::integer FROM mdt_agenda_item i WHERE i.meeting_id = m.id) AS items,
       (SELECT count(*)::integer FROM mdt_agenda_item i WHERE i.meeting_id = m.id AND i.outcome IS NOT NULL) AS discussed
     FROM mdt_meeting m WHERE m.neighbourhood_id = $1 ORDER BY m.meeting_date DESC, m.id DESC`,
    [neighbourhoodId],
  );
  return rows.map((r) => ({ ...toMeeting(r), items: Number(r.items), discussed: Number(r.discussed) }));
};

export const agendaOf = async (db: Queryable, meetingId: number): Promise<AgendaItem[]> =>
  (await db.query<Record<string, unknown>>(`SELECT ${ITEM} FROM mdt_agenda_item WHERE meeting_id = $1 ORDER BY id`, [meetingId])).map(toItem);

export const getAgendaItem = async (db: Queryable, meetingId: number, itemId: number): Promise<AgendaItem> => {
  const [row] = await db.query<Record<string, unknown>>(`SELECT ${ITEM} FROM mdt_agenda_item WHERE id = $1 AND meeting_id = $2`, [itemId, meetingId]);
  if (row === undefined) throw new UserError(`no agenda item ${itemId} in meeting ${meetingId}`, 'not-found');
  return toItem(row);
};

/** Puts a person on a meeting's agenda (once a meeting: a second time is a conflict). */
export const addAgendaItem = async (db: Queryable, meetingId: number, item: { readonly personId: string; readonly reason: string }, by: string): Promise<AgendaItem> => {
  const [row] = await db.query<Record<string, unknown>>(
    `INSERT INTO mdt_agenda_item (meeting_id, person_id, reason, added_by) VALUES ($1, $2::bigint, $3, $4) ON CONFLICT (meeting_id, person_id) DO NOTHING RETURNING ${ITEM}`,
    [meetingId, item.personId, item.reason, by],
  );
  if (row === undefined) throw new UserError(`person ${item.personId} is already on this meeting's agenda`, 'conflict');
  return toItem(row);
};

/** Records what the team decided about an item, once (a second time is a conflict naming who recorded it). */
export const recordAgendaOutcome = async (db: Queryable, meetingId: number, itemId: number, outcome: string, by: string): Promise<AgendaItem> => {
  const current = await getAgendaItem(db, meetingId, itemId);
  if (current.outcome !== null) throw new UserError(`the outcome for this person was recorded by ${current.outcomeBy} at ${current.outcomeAt}`, 'conflict');
  const [row] = await db.query<Record<string, unknown>>(
    `UPDATE mdt_agenda_item SET outcome = $3, outcome_by = $4, outcome_at = clock_timestamp() WHERE id = $1 AND meeting_id = $2 AND outcome IS NULL RETURNING ${ITEM}`,
    [itemId, meetingId, outcome, by],
  );
  if (row === undefined) throw new UserError('the outcome for this person was recorded by someone else just now: reload the meeting', 'conflict');
  return toItem(row);
};
