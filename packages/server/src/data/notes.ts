/**
 * Notes on a person for their care team: read and added by the team (the route table's scope),
 * never changed (a correction is a new note). The person's key worker is told of a note a colleague
 * adds, in the same transaction.
 */
import { correctionsOf, noteCorrectionProblem, recipientsOf, type CareNote, type NoteInput, type SessionUser } from '@openphm/core';
import type { NoteT, NotesResponseT } from '@openphm/api-contract';
import type { Audited, ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { activeKeyWorkerOfPerson } from '../operational/caseload-reviews.js';
import { addNote, findNote, listNotes } from '../operational/notes.js';
import { notify } from '../operational/notifications.js';
import { atomically } from '../operational/versioned.js';

const noteOut = (n: CareNote, correctedBy: ReadonlyMap<number, number>): NoteT => ({
  id: n.id,
  personId: n.personId,
  author: n.author,
  text: n.text,
  corrects: n.corrects,
  correctedBy: correctedBy.get(n.id) ?? null,
  createdAt: n.createdAt,
});

/** A person's notes, newest first, each saying which later note corrects it. */
export const notesOf = async (ctx: ServerContext, personId: string): Promise<Audited<NotesResponseT>> => {
  const notes = await listNotes(ctx.ops, personId);
  const corrected = correctionsOf(notes);
  return { value: { personId, notes: notes.map((n) => noteOut(n, corrected)) }, audit: `${notes.length} notes` };
};

/** Adds a note on a resident of `neighbourhoodId` (the scope checked it is the team's own); the key worker is told. */
export const addNoteOn = async (ctx: ServerContext, personId: string, neighbourhoodId: string, input: NoteInput, user: SessionUser): Promise<Audited<NoteT>> => {
  const problem = noteCorrectionProblem(personId, input.corrects === null ? undefined : await findNote(ctx.ops, input.corrects), input.corrects);
  if (problem) throw invalidRequest('body', [problem]);
  const note = await atomically(ctx.ops, async (tx) => {
    const added = await addNote(tx, { personId, neighbourhoodId, authorId: user.id, author: `${user.displayName} (${user.email})`, text: input.text, corrects: input.corrects });
    const to = recipientsOf({ kind: 'note-added', actorId: user.id, keyWorkerId: await activeKeyWorkerOfPerson(tx, personId) });
    await notify(
      tx,
      to.map((userId) => ({ userId, kind: 'note-added' as const, summary: `${input.corrects === null ? 'A note' : 'A correction'} on person ${personId} by ${user.displayName}`, link: `#/person?id=${personId}`, personId })),
    );
    return added;
  });
  return { value: noteOut(note, new Map()), audit: `note ${note.id}${note.corrects === null ? '' : ` correcting ${note.corrects}`}` };
};
