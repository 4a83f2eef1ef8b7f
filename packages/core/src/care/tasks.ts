/**
 * Tasks of a neighbourhood team: something to do for one person (phone them, visit, review their
 * medicines), with whom it is assigned to, when it is due and where it came from (a worklist, a care
 * plan review, an MDT meeting, or raised by hand). A task is open until it is done or cancelled; a
 * done task can be reopened, a cancelled one stays closed. Pure: definitions and checks.
 */
import { z } from 'zod';
import { IsoDaySchema } from '../time/iso-day.js';
import type { FieldProblem } from '../errors/errors.js';

export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_STATUS_LABEL: Readonly<Record<TaskStatus, string>> = { open: 'Open', done: 'Done', cancelled: 'Cancelled' };

/** Where a task may go next: done can be reopened (it was not done after all); cancelled is final. */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  open: ['done', 'cancelled'],
  done: ['open'],
  cancelled: [],
};

/** Why a status change is not allowed, or null (staying put is allowed). */
export const taskTransitionProblem = (from: TaskStatus, to: TaskStatus): string | null =>
  from === to || TASK_TRANSITIONS[from].includes(to)
    ? null
    : `a task that is ${TASK_STATUS_LABEL[from].toLowerCase()} cannot become ${TASK_STATUS_LABEL[to].toLowerCase()}${TASK_TRANSITIONS[from].length === 0 ? ' (it is closed)' : ` (next: ${TASK_TRANSITIONS[from].join(', ')})`}`;

/**
 * Where a task came from, and what its reference names: the cohort of a worklist, the care plan
 * reviewed, the MDT meeting; a task raised by hand has none.
 */
export const TASK_SOURCES = [
  { id: 'worklist', label: 'From a worklist', ref: 'cohort' },
  { id: 'plan-review', label: 'From a care plan review', ref: 'care plan' },
  { id: 'mdt', label: 'From an MDT meeting', ref: 'meeting' },
  { id: 'manual', label: 'Raised by hand', ref: null },
] as const;
export type TaskSource = (typeof TASK_SOURCES)[number]['id'];
export const TASK_SOURCE_IDS = TASK_SOURCES.map((s) => s.id) as [TaskSource, ...TaskSource[]];

const COHORT_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const RECORD_ID = /^[1-9]\d{0,9}$/;

/** The problem with a task's source and reference (`sourceRef` field), or null. */
export const taskSourceProblem = (source: TaskSource, ref: string | null): FieldProblem | null => {
  if (source === 'manual') return ref === null ? null : { field: 'sourceRef', message: 'a task raised by hand has no source reference' };
  if (ref === null) return { field: 'sourceRef', message: `name the ${TASK_SOURCES.find((s) => s.id === source)!.ref} the task came from` };
  if (source === 'worklist' && !COHORT_ID.test(ref)) return { field: 'sourceRef', message: 'a cohort id (lower-case words joined by hyphens)' };
  if (source !== 'worklist' && !RECORD_ID.test(ref)) return { field: 'sourceRef', message: `the ${source === 'mdt' ? 'meeting' : 'care plan'} id (digits)` };
  return null;
};

/** A task as stored. */
export interface Task {
  readonly id: number;
  readonly personId: string;
  readonly neighbourhoodId: string;
  readonly title: string;
  readonly detail: string;
  /** The team member (user id) it is assigned to; null: the team's, unassigned. */
  readonly assigneeId: number | null;
  readonly due: string | null;
  readonly status: TaskStatus;
  readonly source: TaskSource;
  readonly sourceRef: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

const TITLE = z.string().trim().min(1, 'say what is to be done').max(200);
const DETAIL = z.string().trim().max(2000);

/** What a user sends to raise a task. */
export const TaskInputSchema = z
  .object({
    personId: z.string().regex(/^\d{1,18}$/, 'a pseudonymous person id (digits)'),
    title: TITLE,
    detail: DETAIL.default(''),
    assigneeId: z.number().int().min(1).nullable().default(null),
    due: IsoDaySchema.nullable().default(null),
    source: z.enum(TASK_SOURCE_IDS).default('manual'),
    sourceRef: z.string().max(80).nullable().default(null),
  })
  .strict()
  .superRefine((t, ctx) => {
    const problem = taskSourceProblem(t.source, t.sourceRef);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });
export type TaskInput = z.output<typeof TaskInputSchema>;

/** What a user sends to change a task: any of its fields and the version edited. */
export const TaskUpdateSchema = z
  .object({
    title: TITLE.optional(),
    detail: DETAIL.optional(),
    assigneeId: z.number().int().min(1).nullable().optional(),
    due: IsoDaySchema.nullable().optional(),
    status: z.enum(TASK_STATUSES).optional(),
    version: z.number().int().min(1),
  })
  .strict();
export type TaskUpdate = z.output<typeof TaskUpdateSchema>;

/** The problem with changing a task as stored, or null: the status path, and a closed task is reopened before anything else changes. */
export const taskUpdateProblem = (current: Pick<Task, 'status'>, update: TaskUpdate): FieldProblem | null => {
  const to = update.status ?? current.status;
  const moved = taskTransitionProblem(current.status, to);
  if (moved) return { field: 'status', message: moved };
  const changesMore = update.title !== undefined || update.detail !== undefined || update.assigneeId !== undefined || update.due !== undefined;
  if (to !== 'open' && changesMore) return { field: 'status', message: `a ${TASK_STATUS_LABEL[to].toLowerCase()} task is reopened before it is changed` };
  return null;
};

/** Where an open task stands against its due date. */
export type TaskDueState = 'overdue' | 'due-today' | 'due-this-week' | 'later' | 'no-date' | 'closed';

const addDays = (iso: string, days: number): string => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export const taskDueState = (task: Pick<Task, 'status' | 'due'>, today: string): TaskDueState => {
  if (task.status !== 'open') return 'closed';
  if (task.due === null) return 'no-date';
  if (task.due < today) return 'overdue';
  if (task.due === today) return 'due-today';
  return task.due <= addDays(today, 7) ? 'due-this-week' : 'later';
};

/** The due filters a task list takes: open tasks overdue, due by today, or due within the week. */
export const TASK_DUE_FILTERS = ['overdue', 'today', 'week'] as const;
export type TaskDueFilter = (typeof TASK_DUE_FILTERS)[number];

/** Whether a task passes a due filter (closed tasks never do). */
export const taskMatchesDue = (task: Pick<Task, 'status' | 'due'>, filter: TaskDueFilter, today: string): boolean => {
  const state = taskDueState(task, today);
  if (filter === 'overdue') return state === 'overdue';
  if (filter === 'today') return state === 'overdue' || state === 'due-today';
  return state === 'overdue' || state === 'due-today' || state === 'due-this-week';
};

/** A day `days` after an ISO day (UTC calendar arithmetic). */
export const isoDayPlus = addDays;
