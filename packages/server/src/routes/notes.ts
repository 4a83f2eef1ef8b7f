/** Notes on a person for their care team (care professionals only): read and added, never changed. Person-level: the route table's scope and audit. */
import { NoteInputSchema } from '@openphm/core';
import { NoteOut, NotesResponse, PersonParamsOnly } from '@openphm/api-contract';
import { audited, scopedNeighbourhood } from '../access.js';
import { addNoteOn, notesOf } from '../data/notes.js';
import { route, routes } from '../routing.js';

export const noteRoutes = routes('care', (ctx) => [
  route(
    'GET /api/care/people/:personId/notes',
    { summary: "A person's notes, newest first, each saying which later note corrects it. Person-level: audited.", params: PersonParamsOnly, ok: NotesResponse, errors: [400, 401, 403, 404] },
    async (request) => audited(request, await notesOf(ctx, request.params.personId)),
  ),
  route(
    'POST /api/care/people/:personId/notes',
    {
      summary: "Add a note on a person (a correction names the note it corrects: notes are never changed); the person's key worker is told. Audited.",
      params: PersonParamsOnly,
      body: NoteInputSchema,
      created: NoteOut,
      errors: [400, 401, 403, 404],
    },
    async (request) => audited(request, await addNoteOn(ctx, request.params.personId, scopedNeighbourhood(request), request.body, request.auth.user!)),
  ),
]);
