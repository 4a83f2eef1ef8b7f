/**
 * A neighbourhood team's tasks as the API shows them: whose they are, when due, where they came
 * from. Who may act on which is the route table's scope; the task rules are core's (tasks.ts). The
 * assignee is told (a notification) in the same transaction as the change.
 */
import {
  TASK_SOURCES,
  TASK_STATUSES,
  TASK_STATUS_LABEL,
  TASK_TRANSITIONS,
  taskDueState,
  taskMatchesDue,
  taskUpdateProblem,
  recipientsOf,
  type SessionUser,
  type Task,
  type TaskDueFilter,
  type TaskInput,
  type TaskStatus,
  type TaskUpdate,
} from '@openphm/core';
import type { TaskT, TasksResponseT, TeamResponseT } from '@openphm/api-contract';
import type { Audited, ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import type { Queryable } from '../operational/db.js';
import { getCarePlan } from '../operational/care-plans.js';
import { getMeeting } from '../operational/meetings.js';
import { notify } from '../operational/notifications.js';
import { createTask, getTask, listTasks, updateTask, type NewTask } from '../operational/tasks.js';
import { teamMembers } from '../operational/team.js';
import { atomically } from '../operational/versioned.js';

/** Where a task came from, in the web app. */
export const taskLink = (t: Pick<Task, 'source' | 'sourceRef' | 'personId'>): string =>
  t.source === 'worklist' && t.sourceRef !== null ? `#/worklist?cohort=${encodeURIComponent(t.sourceRef)}` : t.source === 'mdt' && t.sourceRef !== null ? `#/meetings?id=${t.sourceRef}` : `#/person?id=${t.personId}`;

export const taskOut = (t: Task, names: ReadonlyMap<number, string>, today: string): TaskT => ({
  ...t,
  assigneeName: t.assigneeId === null ? null : (names.get(t.assigneeId) ?? `user ${t.assigneeId}`),
  dueState: taskDueState(t, today),
  statusLabel: TASK_STATUS_LABEL[t.status],
  nextStatuses: [...TASK_TRANSITIONS[t.status]],
  sourceLabel: TASK_SOURCES.find((s) => s.id === t.source)?.label ?? t.source,
  link: taskLink(t),
});

/** The team's members by id (display names), for assignees. */
export const teamNames = async (ctx: ServerContext, neighbourhoodId: string): Promise<{ members: { id: number; displayName: string }[]; names: Map<number, string> }> => {
  const members = (await teamMembers(ctx.ops, neighbourhoodId)).map(({ id, displayName }) => ({ id, displayName }));
  return { members, names: new Map(members.map((m) => [m.id, m.displayName])) };
};

/** The problem with an assignee (field `field`): they are an active member of the team that holds the task. */
export const assigneeProblem = (assigneeId: number | null | undefined, names: ReadonlyMap<number, string>, neighbourhoodId: string, field = 'assigneeId') =>
  assigneeId == null || names.has(assigneeId) ? null : { field, message: `user ${assigneeId} is not an active member of the ${neighbourhoodId} team` };

const statusesOf = (status: TaskStatus | 'all'): readonly TaskStatus[] => (status === 'all' ? TASK_STATUSES : [status]);

const listOut = (tasks: readonly Task[], names: ReadonlyMap<number, string>, members: TasksResponseT['team'], today: string, due: TaskDueFilter | undefined): TasksResponseT => ({
  today,
  team: members,
  statuses: TASK_STATUSES.map((id) => ({ id, label: TASK_STATUS_LABEL[id] })),
  sources: TASK_SOURCES.map(({ id, label }) => ({ id, label })),
  tasks: tasks.filter((t) => due === undefined || taskMatchesDue(t, due, today)).map((t) => taskOut(t, names, today)),
});

/** The signed-in user's tasks, the team's, or the team's unassigned ones (GET /api/care/tasks). */
export const teamTasks = async (
  ctx: ServerContext,
  user: SessionUser,
  neighbourhoodId: string,
  q: { readonly assignee: 'me' | 'anyone' | 'unassigned'; readonly status: TaskStatus | 'all'; readonly due?: TaskDueFilter | undefined },
): Promise<Audited<TasksResponseT>> => {
  const today = ctx.today();
  const { members, names } = await teamNames(ctx, neighbourhoodId);
  const statuses = statusesOf(q.status);
  const found = q.assignee === 'me' ? await listTasks(ctx.ops, { assigneeId: user.id, statuses }) : await listTasks(ctx.ops, { neighbourhoodId, statuses });
  const tasks = q.assignee === 'unassigned' ? found.filter((t) => t.assigneeId === null) : found;
  const value = listOut(tasks, names, members, today, q.due);
  return { value, audit: `${value.tasks.length} tasks (${q.assignee}, ${q.status}${q.due ? `, ${q.due}` : ''})` };
};

/** One person's tasks (GET /api/care/people/:personId/tasks). */
export const personTasks = async (ctx: ServerContext, personId: string, neighbourhoodId: string, q: { readonly status: TaskStatus | 'all'; readonly due?: TaskDueFilter | undefined }): Promise<Audited<TasksResponseT>> => {
  const today = ctx.today();
  const { members, names } = await teamNames(ctx, neighbourhoodId);
  const value = listOut(await listTasks(ctx.ops, { personId, statuses: statusesOf(q.status) }), names, members, today, q.due);
  return { value, audit: `${value.tasks.length} tasks` };
};

/** Tells the new assignee of a task (not when they did it themselves, nor when it stays with them). */
export const tellAssignee = async (tx: Queryable, task: Task, actorId: number, previousAssigneeId?: number | null): Promise<void> => {
  const to = recipientsOf({ kind: 'task-assigned', actorId, assigneeId: task.assigneeId, ...(previousAssigneeId !== undefined ? { previousAssigneeId } : {}) });
  await notify(
    tx,
    to.map((userId) => ({ userId, kind: 'task-assigned' as const, summary: `Task for person ${task.personId}: ${task.title}${task.due ? ` (due ${task.due})` : ''}`, link: '#/my-work', personId: task.personId })),
  );
};

/** The problem with a task's source reference beyond its form: the care plan is the person's, the meeting the team's. */
const sourceRefProblem = async (ctx: ServerContext, input: TaskInput, neighbourhoodId: string) => {
  const wrong = { field: 'sourceRef', message: '' };
  if (input.source === 'plan-review') {
    const plan = await getCarePlan(ctx.ops, Number(input.sourceRef)).catch(() => undefined);
    return plan?.personId === input.personId ? null : { ...wrong, message: `no care plan ${input.sourceRef} for this person` };
  }
  if (input.source === 'mdt') {
    const meeting = await getMeeting(ctx.ops, Number(input.sourceRef)).catch(() => undefined);
    return meeting?.neighbourhoodId === neighbourhoodId ? null : { ...wrong, message: `no meeting ${input.sourceRef} of the ${neighbourhoodId} team` };
  }
  return null;
};

/** Raises a task on a resident of `neighbourhoodId` (the scope checked it is the team's own), for the team or one member. */
export const raiseTask = async (ctx: ServerContext, input: TaskInput, neighbourhoodId: string, user: SessionUser): Promise<Audited<TaskT>> => {
  const { names } = await teamNames(ctx, neighbourhoodId);
  const problem = assigneeProblem(input.assigneeId, names, neighbourhoodId) ?? (await sourceRefProblem(ctx, input, neighbourhoodId));
  if (problem) throw invalidRequest('body', [problem]);
  const task = await atomically(ctx.ops, async (tx) => {
    const made = await createTask(tx, { ...input, neighbourhoodId, createdBy: user.email } satisfies NewTask, user.email);
    await tellAssignee(tx, made, user.id);
    return made;
  });
  return { value: taskOut(task, names, ctx.today()), audit: `task ${task.id} (${task.source})` };
};

/** Changes a task (status, assignee, due date, wording) with the version edited; a new assignee is told. */
export const changeTask = async (ctx: ServerContext, id: number, update: TaskUpdate, user: SessionUser): Promise<Audited<TaskT>> => {
  const current = await getTask(ctx.ops, id);
  const { names } = await teamNames(ctx, current.neighbourhoodId);
  // An edit of an older version is a conflict (updateTask says who changed it), whatever it asks.
  const problem = current.version !== update.version ? null : (taskUpdateProblem(current, update) ?? assigneeProblem(update.assigneeId, names, current.neighbourhoodId));
  if (problem) throw invalidRequest('body', [problem]);
  const task = await atomically(ctx.ops, async (tx) => {
    const changed = await updateTask(tx, id, update, user.email);
    if (update.assigneeId !== undefined) await tellAssignee(tx, changed, user.id, current.assigneeId);
    return changed;
  });
  return { value: taskOut(task, names, ctx.today()), audit: `task ${task.id} version ${task.version}: ${task.status}` };
};

/** The members of the team (who tasks can be assigned to; key workers with accounts). */
export const teamOf = async (ctx: ServerContext, neighbourhoodId: string): Promise<TeamResponseT> => ({ neighbourhood: neighbourhoodId, members: (await teamNames(ctx, neighbourhoodId)).members });
