/**
 * Notes on a person over HTTP on the population fixture (people 100-159 in leeds-1; person 2 in
 * calderdale-1): the team reads and adds them, never changes them; a correction is a new note; the
 * person's key worker is told; every attempt audited; note text never logged.
 */
import { describe, expect, it } from 'vitest';
import { NoteOut, NotesResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { addToCaseload } from '../operational/care-plans.js';
import { setKeyWorkerUser } from '../operational/caseload-reviews.js';
import { listNotifications } from '../operational/notifications.js';
import { useCareTeamServer } from '../test-support.js';

describe('notes on a person', () => {
  const { server, as, idOf } = useCareTeamServer(async (s) => {
    // Person 100 is on the caseload; the colleague is their key worker.
    const entry = await addToCaseload(s.app.openphm.ops, { personId: '100', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Colleague', nextReview: '2027-01-10' }, 'leeds@test');
    const [colleague] = await s.app.openphm.ops.query<{ id: number }>(`SELECT id FROM app_user WHERE email = 'colleague@test'`);
    await setKeyWorkerUser(s.app.openphm.ops, entry.id, colleague!.id);
  });
  const audit = async (action: string) =>
    (await listAudit(server.app.openphm.ops, { limit: 100, offset: 0, action })).rows.reverse().map((r) => [r.userEmail ?? r.role, r.outcome, r.status, r.resource]);

  it('is for the care team only', async () => {
    expect((await as('public', 'GET', '/api/care/people/100/notes')).statusCode).toBe(401);
    expect((await as('public', 'POST', '/api/care/people/100/notes', { text: 'x' })).statusCode).toBe(401);
    for (const role of ['analyst', 'admin', 'programme', 'board'] as const) {
      expect((await as(role, 'GET', '/api/care/people/100/notes')).statusCode).toBe(403);
      expect((await as(role, 'POST', '/api/care/people/100/notes', { text: 'x' })).statusCode).toBe(403);
    }
    expect((await as('other', 'GET', '/api/care/people/100/notes')).statusCode).toBe(403);
    expect((await as('neighbourhood', 'GET', '/api/care/people/2/notes')).statusCode).toBe(403);
    expect((await as('neighbourhood', 'GET', '/api/care/people/abc/notes')).statusCode).toBe(400);
    expect((await audit('note.list')).map((a) => a[1])).toEqual(['unauthenticated', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'failed']);
  });

  it('adds notes the team reads, tells the key worker, and corrects by a new note', async () => {
    const added = await as('neighbourhood', 'POST', '/api/care/people/100/notes', { text: 'Lives alone; daughter visits on Sundays.' });
    expect(added.statusCode, added.body).toBe(201);
    const first = NoteOut.parse(added.json());
    expect(first).toMatchObject({ personId: '100', author: 'Leeds team (leeds@test)', corrects: null, correctedBy: null });
    expect((await listNotifications(server.app.openphm.ops, idOf('colleague'))).map((n) => [n.kind, n.summary, n.link])).toEqual([['note-added', 'A note on person 100 by Leeds team', '#/person?id=100']]);
    // The key worker's own note: nobody told.
    const fix = NoteOut.parse((await as('colleague', 'POST', '/api/care/people/100/notes', { text: 'Correction: daughter visits on Saturdays.', corrects: first.id })).json());
    expect(fix.corrects).toBe(first.id);
    expect((await listNotifications(server.app.openphm.ops, idOf('colleague'))).length).toBe(1);
    const read = NotesResponse.parse((await as('colleague', 'GET', '/api/care/people/100/notes')).json());
    expect(read.notes.map((n) => [n.id, n.corrects, n.correctedBy])).toEqual([
      [fix.id, first.id, null],
      [first.id, null, fix.id],
    ]);
    for (const [body, field] of [
      [{ text: '   ' }, 'text'],
      [{ text: 'x'.repeat(4001) }, 'text'],
      [{ text: 'Fix', corrects: 9999 }, 'corrects'],
      [{ text: 'x', author: 'someone else' }, 'author'],
    ] as const) {
      const bad = await as('neighbourhood', 'POST', '/api/care/people/100/notes', body);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0].field).toContain(field);
    }
    // A note on person 101 cannot be corrected from person 100's record.
    const other = NoteOut.parse((await as('neighbourhood', 'POST', '/api/care/people/101/notes', { text: 'Other person' })).json());
    expect((await as('neighbourhood', 'POST', '/api/care/people/100/notes', { text: 'Fix', corrects: other.id })).json().error.fields[0]).toEqual({ field: 'corrects', message: `no note ${other.id} on this person to correct` });
    expect((await as('other', 'POST', '/api/care/people/100/notes', { text: 'Not my team' })).statusCode).toBe(403);
    expect((await audit('note.create')).filter((a) => a[0] !== 'public' && !['analyst@test', 'admin@test', 'programme@test', 'board@test'].includes(String(a[0])))).toEqual([
      ['leeds@test', 'granted', 201, 'person:100'],
      ['colleague@test', 'granted', 201, 'person:100'],
      ['leeds@test', 'failed', 400, 'person:100'],
      ['leeds@test', 'failed', 400, 'person:100'],
      ['leeds@test', 'failed', 400, 'person:100'],
      ['leeds@test', 'failed', 400, 'person:100'],
      ['leeds@test', 'granted', 201, 'person:101'],
      ['leeds@test', 'failed', 400, 'person:100'],
      ['other@test', 'denied', 403, 'person:100'],
    ]);
    expect(server.logLines.join('\n')).not.toContain('daughter');
  });
});
