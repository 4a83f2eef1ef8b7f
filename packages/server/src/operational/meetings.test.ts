/** MDT meetings on both back ends: agendas with one item a person, outcomes recorded once. */
import { describe, expect, it } from 'vitest';
import { addAgendaItem, agendaOf, createMeeting, getAgendaItem, getMeeting, listMeetings, recordAgendaOutcome } from './meetings.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

describe.each(TEST_BACKENDS)('MDT meetings on $name', (backend) => {
  const db = useTestDb(backend, 'phm_meetings');

  it('holds meetings, their agendas and outcomes', async () => {
    const m = await createMeeting(db, { neighbourhoodId: 'leeds-1', date: '2026-12-02', title: 'Weekly MDT' }, 'sam@test');
    const earlier = await createMeeting(db, { neighbourhoodId: 'leeds-1', date: '2026-11-25', title: 'Weekly MDT' }, 'sam@test');
    await createMeeting(db, { neighbourhoodId: 'calderdale-1', date: '2026-12-02', title: 'Other' }, 'kim@test');
    expect(await getMeeting(db, m.id)).toMatchObject({ neighbourhoodId: 'leeds-1', date: '2026-12-02', title: 'Weekly MDT', createdBy: 'sam@test' });
    await expect(getMeeting(db, 9999)).rejects.toMatchObject({ kind: 'not-found' });
    const item = await addAgendaItem(db, m.id, { personId: '100', reason: 'Review due; two falls' }, 'sam@test');
    await addAgendaItem(db, m.id, { personId: '101', reason: 'New high risk' }, 'sam@test');
    await expect(addAgendaItem(db, m.id, { personId: '100', reason: 'Again' }, 'sam@test')).rejects.toMatchObject({ kind: 'conflict' });
    expect((await agendaOf(db, m.id)).map((i) => i.personId)).toEqual(['100', '101']);
    const decided = await recordAgendaOutcome(db, m.id, item.id, 'Refer to falls clinic; key worker to visit.', 'alex@test');
    expect(decided).toMatchObject({ outcome: 'Refer to falls clinic; key worker to visit.', outcomeBy: 'alex@test' });
    await expect(recordAgendaOutcome(db, m.id, item.id, 'Something else', 'sam@test')).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('recorded by alex@test') });
    await expect(getAgendaItem(db, earlier.id, item.id)).rejects.toMatchObject({ kind: 'not-found' });
    expect((await listMeetings(db, 'leeds-1')).map((x) => [x.date, x.items, x.discussed])).toEqual([
      ['2026-12-02', 2, 1],
      ['2026-11-25', 0, 0],
    ]);
    // The store keeps an item as it was: only an outcome, once.
    await expect(db.query('UPDATE mdt_agenda_item SET outcome = $1 WHERE id = $2', ['changed', item.id])).rejects.toThrow(/only its outcome is recorded, once/);
    await expect(db.query('DELETE FROM mdt_agenda_item WHERE id = $1', [item.id])).rejects.toThrow(/kept as it was/);
  });
});
