/** Notes on a person for their care team (routes/notes.ts). */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';

export const NoteOut = notAFigure(
  z.object({
    id: z.number().int(),
    personId: z.string(),
    author: z.string(),
    text: z.string(),
    corrects: z.number().int().nullable().describe('the note this one corrects'),
    correctedBy: z.number().int().nullable().describe('the later note that corrects this one'),
    createdAt: z.string(),
  }),
  'a person-level note for the care team (audited), never published',
);

export const NotesResponse = notAFigure(z.object({ personId: z.string(), notes: z.array(NoteOut) }), 'person-level notes for the care team (audited), never published');

export type NoteT = z.infer<typeof NoteOut>;
export type NotesResponseT = z.infer<typeof NotesResponse>;
