/** Tasks on both back ends: versions and history, stale edits refused, filters, and what the schema itself refuses. */
import { describe, expect, it } from 'vitest';
import { TaskInputSchema } from '@openphm/core';
import { createTask, getTask, listTasks, openTaskCounts, taskHistory, updateTask } from './tasks.js';
import { createUserWithHash } from './users.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

const task = (over: object) => ({ ...TaskInputSchema.parse({ personId: '100', title: 'Phone about the falls clinic', ...over }), neighbourhoodId: 'leeds-1', createdBy: 'sam@test' });

describe.each(TEST_BACKENDS)('tasks on $name', (backend) => {
  const db = useTestDb(backend, 'phm_tasks');

  it('raises, changes and closes tasks, keeping every version', async () => {
    const alex = await createUserWithHash(db, { email: 'alex@test', displayName: 'Alex', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    const t = await createTask(db, task({ assigneeId: alex.id, due: '2026-12-01', source: 'worklist', sourceRef: 'frail-65-emergency-admission' }), 'sam@test');
    expect(t).toMatchObject({ personId: '100', status: 'open', assigneeId: alex.id, due: '2026-12-01', source: 'worklist', sourceRef: 'frail-65-emergency-admission', version: 1, createdBy: 'sam@test' });
    const done = await updateTask(db, t.id, { status: 'done', version: 1 }, 'alex@test');
    expect(done).toMatchObject({ status: 'done', version: 2, updatedBy: 'alex@test', createdBy: 'sam@test' });
    await expect(updateTask(db, t.id, { status: 'open', version: 1 }, 'sam@test')).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('was changed by alex@test') });
    await expect(updateTask(db, 999, { status: 'open', version: 1 }, 'sam@test')).rejects.toMatchObject({ kind: 'not-found' });
    expect((await taskHistory(db, t.id)).map((h) => [h.version, h.snapshot.status])).toEqual([
      [2, 'done'],
      [1, 'open'],
    ]);
    expect(await getTask(db, t.id)).toEqual(done);
    await expect(db.query('UPDATE care_task_history SET changed_by = $1', ['x'])).rejects.toThrow(/append-only/);
  });

  it('lists tasks by assignee, person, neighbourhood and status: open first, soonest due first', async () => {
    const [alex] = await db.query<{ id: number }>(`SELECT id FROM app_user WHERE email = 'alex@test'`);
    const a = await createTask(db, task({ personId: '101', due: '2026-12-10' }), 'sam@test');
    const b = await createTask(db, task({ personId: '101', due: '2026-11-30', assigneeId: alex!.id }), 'sam@test');
    const c = await createTask(db, task({ personId: '102' }), 'sam@test');
    await createTask(db, { ...task({ personId: '500' }), neighbourhoodId: 'calderdale-1' }, 'kim@test');
    expect((await listTasks(db, { neighbourhoodId: 'leeds-1', statuses: ['open'] })).map((t) => t.id)).toEqual([b.id, a.id, c.id]);
    expect((await listTasks(db, { assigneeId: alex!.id })).map((t) => [t.id === b.id, t.status])).toEqual([
      [true, 'open'],
      [false, 'done'],
    ]);
    expect((await listTasks(db, { personId: '101' })).length).toBe(2);
    expect((await listTasks(db, { neighbourhoodId: 'leeds-1', statuses: ['done', 'cancelled'] })).map((t) => t.status)).toEqual(['done']);
    expect(Object.fromEntries(await openTaskCounts(db, 'leeds-1'))).toEqual({ '101': 2, '102': 1 });
  });

  it('refuses in the schema what the rules refuse: unknown statuses and sources, a reference on a task raised by hand', async () => {
    const insert = (status: string, source: string, ref: string | null) =>
      db.query(`INSERT INTO care_task (person_id, neighbourhood_id, title, status, source, source_ref, created_by, updated_by) VALUES (1, 'leeds-1', 'x', $1, $2, $3, 'a', 'a')`, [status, source, ref]);
    await expect(insert('pending', 'manual', null)).rejects.toThrow();
    await expect(insert('open', 'email', null)).rejects.toThrow();
    await expect(insert('open', 'manual', '12')).rejects.toThrow();
    await expect(insert('open', 'mdt', null)).rejects.toThrow();
  });
});
