import { describe, expect, it } from 'vitest';
import { NoteInputSchema, correctionsOf, noteCorrectionProblem } from './notes.js';

describe('notes on a person', () => {
  it.each([
    ['a note', { text: ' Visited; needs a grab rail. ' }, null],
    ['an empty note', { text: '  ' }, 'text'],
    ['a note too long', { text: 'x'.repeat(4001) }, 'text'],
    ['an unknown field', { text: 'x', author: 'me' }, ''],
  ])('%s', (_, input, field) => {
    const r = NoteInputSchema.safeParse(input);
    if (field === null) expect(r.data).toEqual({ text: 'Visited; needs a grab rail.', corrects: null });
    else expect(r.error!.issues[0]!.path.join('.')).toBe(field);
  });

  it.each([
    ['no correction', null, undefined, null],
    ['a note on the same person', 4, { personId: '100' }, null],
    ['a note on someone else', 4, { personId: '101' }, 'no note 4 on this person to correct'],
    ['no such note', 9, undefined, 'no note 9 on this person to correct'],
  ] as const)('corrects %s', (_, id, corrected, problem) => {
    expect(noteCorrectionProblem('100', corrected, id)?.message ?? null).toBe(problem);
  });

  it('finds which notes were corrected, by the latest correction', () => {
    const notes = [
      { id: 1, corrects: null },
      { id: 2, corrects: 1 },
      { id: 3, corrects: null },
      { id: 4, corrects: 1 },
    ];
    expect([...correctionsOf(notes)]).toEqual([[1, 4]]);
    expect(correctionsOf([{ id: 1, corrects: null }]).size).toBe(0);
  });
});
