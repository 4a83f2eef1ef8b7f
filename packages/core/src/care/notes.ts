/**
 * Notes on a person, for their care team: what happened, what was agreed, what to know before the
 * next contact. Notes are never changed or deleted (append-only, like a clinical record): a mistake
 * is corrected by a new note that names the one it corrects. Pure: definitions and checks.
 */
import { z } from 'zod';

export interface CareNote {
  readonly id: number;
  readonly personId: string;
  readonly neighbourhoodId: string;
  /** The author's user id and name when they wrote it. */
  readonly authorId: number | null;
  readonly author: string;
  readonly text: string;
  /** The note this one corrects, if any. */
  readonly corrects: number | null;
  readonly createdAt: string;
}

export const NOTE_MAX_LENGTH = 4000;

/** What a user sends to add a note. */
export const NoteInputSchema = z
  .object({
    text: z.string().trim().min(1, 'write the note').max(NOTE_MAX_LENGTH, `at most ${NOTE_MAX_LENGTH} characters`),
    corrects: z.number().int().min(1).nullable().default(null),
  })
  .strict();
export type NoteInput = z.output<typeof NoteInputSchema>;

/** The problem with a correction (`corrects` field), or null: it corrects a note on the same person. */
export const noteCorrectionProblem = (personId: string, corrected: Pick<CareNote, 'personId'> | undefined, id: number | null): { field: string; message: string } | null => {
  if (id === null) return null;
  if (corrected === undefined || corrected.personId !== personId) return { field: 'corrects', message: `no note ${id} on this person to correct` };
  return null;
};

/** Which notes have been corrected, by a later note's id: shown struck through with a pointer to the correction. */
export const correctionsOf = (notes: readonly Pick<CareNote, 'id' | 'corrects'>[]): ReadonlyMap<number, number> => {
  const out = new Map<number, number>();
  for (const n of [...notes].sort((a, b) => a.id - b.id)) if (n.corrects !== null) out.set(n.corrects, n.id);
  return out;
};
