import { describe, expect, it } from 'vitest';
import { TaskInputSchema, TaskUpdateSchema, taskDueState, taskMatchesDue, taskSourceProblem, taskTransitionProblem, taskUpdateProblem, type TaskStatus } from './tasks.js';

describe('task status transitions', () => {
  it.each<[TaskStatus, TaskStatus, string | null]>([
    ['open', 'open', null],
    ['open', 'done', null],
    ['open', 'cancelled', null],
    ['done', 'open', null],
    ['done', 'cancelled', 'a task that is done cannot become cancelled (next: open)'],
    ['cancelled', 'open', 'a task that is cancelled cannot become open (it is closed)'],
    ['cancelled', 'done', 'a task that is cancelled cannot become done (it is closed)'],
  ])('%s → %s', (from, to, problem) => {
    expect(taskTransitionProblem(from, to)).toBe(problem);
  });
});

describe('changing a task', () => {
  it.each<[string, TaskStatus, object, string | null]>([
    ['completes an open task', 'open', { status: 'done' }, null],
    ['reassigns an open task', 'open', { assigneeId: 7 }, null],
    ['reopens and re-dates a done task at once', 'done', { status: 'open', due: '2027-01-01' }, null],
    ['refuses to re-date a done task without reopening it', 'done', { due: '2027-01-01' }, 'a done task is reopened before it is changed'],
    ['refuses to cancel and retitle at once', 'open', { status: 'cancelled', title: 'x' }, 'a cancelled task is reopened before it is changed'],
    ['refuses to reopen a cancelled task', 'cancelled', { status: 'open' }, 'a task that is cancelled cannot become open (it is closed)'],
  ])('%s', (_, status, change, problem) => {
    const update = TaskUpdateSchema.parse({ ...change, version: 1 });
    const found = taskUpdateProblem({ status }, update);
    expect(found === null ? null : found.message).toBe(problem);
    if (found) expect(found.field).toBe('status');
  });
});

describe('where a task came from', () => {
  it.each([
    ['manual', null, null],
    ['manual', 'x', 'a task raised by hand has no source reference'],
    ['worklist', 'frail-65-emergency-admission', null],
    ['worklist', null, 'name the cohort the task came from'],
    ['worklist', 'Not A Cohort', 'a cohort id (lower-case words joined by hyphens)'],
    ['mdt', '12', null],
    ['mdt', 'x12', 'the meeting id (digits)'],
    ['plan-review', '3', null],
    ['plan-review', null, 'name the care plan the task came from'],
  ] as const)('%s with %s', (source, ref, problem) => {
    expect(taskSourceProblem(source, ref)?.message ?? null).toBe(problem);
  });

  it('checks the source in the input schema, naming the field', () => {
    const bad = TaskInputSchema.safeParse({ personId: '100', title: 'Call', source: 'worklist' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['sourceRef', 'name the cohort the task came from']]);
    expect(TaskInputSchema.parse({ personId: '100', title: ' Call ' })).toEqual({ personId: '100', title: 'Call', detail: '', assigneeId: null, due: null, source: 'manual', sourceRef: null });
    expect(TaskInputSchema.safeParse({ personId: '100', title: 'Call', due: '2026-02-30' }).error?.issues[0]?.path).toEqual(['due']);
  });
});

describe('due dates', () => {
  const today = '2026-11-26';
  it.each<[TaskStatus, string | null, string, boolean, boolean, boolean]>([
    // status, due, state, overdue filter, today filter, week filter
    ['open', '2026-11-25', 'overdue', true, true, true],
    ['open', '2026-11-26', 'due-today', false, true, true],
    ['open', '2026-12-03', 'due-this-week', false, false, true],
    ['open', '2026-12-04', 'later', false, false, false],
    ['open', null, 'no-date', false, false, false],
    ['done', '2026-11-01', 'closed', false, false, false],
  ])('%s due %s', (status, due, state, overdue, byToday, week) => {
    expect(taskDueState({ status, due }, today)).toBe(state);
    expect([taskMatchesDue({ status, due }, 'overdue', today), taskMatchesDue({ status, due }, 'today', today), taskMatchesDue({ status, due }, 'week', today)]).toEqual([overdue, byToday, week]);
  });
});
