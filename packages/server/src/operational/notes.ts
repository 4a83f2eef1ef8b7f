/**
 * Notes on a person in the operational store: append-only (a trigger refuses changes and
 * deletions; a correction is a new note naming the one it corrects). Person-level: callers check
 * who may see which and audit every access.
 */
import type { CareNote } from '@openphm/core';
import type { Queryable } from './db.js';
import { ISO_TIME } from './versioned.js';

const SELECT = `id, person_id::text AS person_id, neighbourhood_id, author_id, author, body, corrects_id, ${ISO_TIME('created_at')} AS created_at`;

const toNote = (r: Record<string, unknown>): CareNote => ({
  id: Number(r.id),
  personId: String(r.person_id),
  neighbourhoodId: String(r.neighbourhood_id),
  authorId: r.author_id === null ? null : Number(r.author_id),
  author: String(r.author),
  text: String(r.body),
  corrects: r.corrects_id === null ? null : Number(r.corrects_id),
  createdAt: String(r.created_at),
});

export interface NewNote {
  readonly personId: string;
  readonly neighbourhoodId: string;
  readonly authorId: number | null;
  readonly author: string;
  readonly text: string;
  readonly corrects: number | null;
  /** Back-dates a note recorded elsewhere first (the demo); the API never takes it. */
  readonly createdAt?: string;
}

export const addNote = async (db: Queryable, n: NewNote): Promise<CareNote> => {
  const [row] = await db.query<Record<string, unknown>>(
    `INSERT INTO care_note (person_id, neighbourhood_id, author_id, author, body, corrects_id, created_at) VALUES ($1::bigint, $2, $3, $4, $5, $6, COALESCE($7::timestamptz, clock_timestamp())) RETURNING ${SELECT}`,
    [n.personId, n.neighbourhoodId, n.authorId, n.author, n.text, n.corrects, n.createdAt ?? null],
  );
  return toNote(row!);
};

/** A note by id, or undefined. */
export const findNote = async (db: Queryable, id: number): Promise<CareNote | undefined> => {
  const [row] = await db.query<Record<string, unknown>>(`SELECT ${SELECT} FROM care_note WHERE id = $1`, [id]);
  return row === undefined ? undefined : toNote(row);
};

/** A person's notes, newest first. */
export const listNotes = async (db: Queryable, personId: string): Promise<CareNote[]> =>
  (await db.query<Record<string, unknown>>(`SELECT ${SELECT} FROM care_note WHERE person_id = $1::bigint ORDER BY id DESC`, [personId])).map(toNote);
