/** A neighbourhood team's tasks (routes/tasks.ts). */
import { z } from 'zod';
import { TASK_DUE_FILTERS, TASK_SOURCE_IDS, TASK_STATUSES, notAFigure } from '@openphm/core';

export const TaskParams = z.object({ taskId: z.coerce.number().int().min(1) });

export const TeamMemberOut = z.object({ id: z.number().int(), displayName: z.string() });

export const TaskOut = notAFigure(
  z.object({
    id: z.number().int(),
    personId: z.string(),
    neighbourhoodId: z.string(),
    title: z.string(),
    detail: z.string(),
    assigneeId: z.number().int().nullable(),
    assigneeName: z.string().nullable().describe('the assignee’s display name; null when unassigned (the team’s)'),
    due: z.string().nullable(),
    dueState: z.enum(['overdue', 'due-today', 'due-this-week', 'later', 'no-date', 'closed']),
    status: z.enum(TASK_STATUSES),
    statusLabel: z.string(),
    nextStatuses: z.array(z.enum(TASK_STATUSES)),
    source: z.enum(TASK_SOURCE_IDS),
    sourceLabel: z.string(),
    sourceRef: z.string().nullable(),
    link: z.string().describe('where the task came from, in the web app (a hash link)'),
    createdBy: z.string(),
    createdAt: z.string(),
    version: z.number().int(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  }),
  'a person-level task for the care team (audited), never published',
);

const STATUS_FILTER = z.enum([...TASK_STATUSES, 'all']).default('open').describe('open (default), done, cancelled or all');
const DUE_FILTER = z.enum(TASK_DUE_FILTERS).optional().describe('open tasks overdue, due by today, or due within the week');

export const TasksQuery = z.object({
  assignee: z.enum(['me', 'anyone', 'unassigned']).default('me').describe("me (default): the signed-in user's tasks; anyone: the whole team's; unassigned: the team's nobody has taken"),
  status: STATUS_FILTER,
  due: DUE_FILTER,
  neighbourhood: z.string().max(64).optional().describe("the team's neighbourhood (a team always sees its own)"),
});

export const PersonTasksQuery = z.object({ status: STATUS_FILTER, due: DUE_FILTER });

export const TasksResponse = notAFigure(
  z.object({
    today: z.string(),
    team: z.array(TeamMemberOut).describe('who tasks can be assigned to'),
    statuses: z.array(z.object({ id: z.string(), label: z.string() })),
    sources: z.array(z.object({ id: z.string(), label: z.string() })),
    tasks: z.array(TaskOut),
  }),
  'person-level tasks for the care team (audited), never published',
);

export const TeamResponse = notAFigure(z.object({ neighbourhood: z.string(), members: z.array(TeamMemberOut) }), 'the accounts of a care team');

export type TaskT = z.infer<typeof TaskOut>;
export type TasksResponseT = z.infer<typeof TasksResponse>;
export type TeamResponseT = z.infer<typeof TeamResponse>;
