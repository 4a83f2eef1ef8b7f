/** Notes on both back ends: append-only, newest first, corrections as new notes. */
import { describe, expect, it } from 'vitest';
import { addNote, findNote, listNotes } from './notes.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

describe.each(TEST_BACKENDS)('notes on $name', (backend) => {
  const db = useTestDb(backend, 'phm_notes');

  it('keeps notes as written; a correction is a new note', async () => {
    const first = await addNote(db, { personId: '100', neighbourhoodId: 'leeds-1', authorId: null, author: 'Sam (sam@test)', text: 'Lives alone; daughter visits on Sundays.', corrects: null });
    expect(first).toMatchObject({ personId: '100', author: 'Sam (sam@test)', corrects: null, text: 'Lives alone; daughter visits on Sundays.' });
    const fix = await addNote(db, { personId: '100', neighbourhoodId: 'leeds-1', authorId: null, author: 'Sam (sam@test)', text: 'Daughter visits on Saturdays.', corrects: first.id });
    await addNote(db, { personId: '101', neighbourhoodId: 'leeds-1', authorId: null, author: 'Kim', text: 'Other person.', corrects: null });
    expect((await listNotes(db, '100')).map((n) => [n.id, n.corrects])).toEqual([
      [fix.id, first.id],
      [first.id, null],
    ]);
    expect(await findNote(db, first.id)).toEqual(first);
    expect(await findNote(db, 9999)).toBeUndefined();
    await expect(db.query('UPDATE care_note SET body = $1 WHERE id = $2', ['changed', first.id])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM care_note WHERE id = $1', [first.id])).rejects.toThrow(/append-only/);
    await expect(addNote(db, { personId: '100', neighbourhoodId: 'leeds-1', authorId: null, author: 'x', text: '', corrects: null })).rejects.toThrow();
  });
});
