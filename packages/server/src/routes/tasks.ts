/**
 * A neighbourhood team's tasks (care professionals only): the signed-in user's, the team's, one
 * person's; raised, reassigned, done. Person-level: the route table's scope and audit.
 */
import { TaskInputSchema, TaskUpdateSchema } from '@openphm/core';
import { PersonParamsOnly, PersonTasksQuery, TaskOut, TaskParams, TasksQuery, TasksResponse, TeamResponse } from '@openphm/api-contract';
import { audited, scopedNeighbourhood } from '../access.js';
import { changeTask, personTasks, raiseTask, teamOf, teamTasks } from '../data/tasks.js';
import { route, routes } from '../routing.js';

export const taskRoutes = routes('care', (ctx) => [
  route('GET /api/care/team', { summary: "The members of the signed-in user's team (who tasks can be assigned to)", ok: TeamResponse, errors: [401, 403] }, async (request) =>
    teamOf(ctx, request.auth.user!.neighbourhoodId!),
  ),
  route(
    'GET /api/care/tasks',
    {
      summary: "Tasks: the signed-in user's (assignee=me), the team's (anyone) or the team's unassigned ones; open by default, filtered by status and due date. Person-level: audited.",
      querystring: TasksQuery,
      ok: TasksResponse,
      errors: [400, 401, 403],
    },
    async (request) => audited(request, await teamTasks(ctx, request.auth.user!, scopedNeighbourhood(request), request.query)),
  ),
  route(
    'POST /api/care/tasks',
    { summary: 'Raise a task on a resident for the team or one member (from a worklist, a plan review, an MDT or by hand); the assignee is told. Audited.', body: TaskInputSchema, created: TaskOut, errors: [400, 401, 403, 404] },
    async (request) => audited(request, await raiseTask(ctx, request.body, scopedNeighbourhood(request), request.auth.user!)),
  ),
  route(
    'PATCH /api/care/tasks/:taskId',
    { summary: 'Change a task (done, cancelled, reopened, reassigned, re-dated) with the version edited; a new assignee is told. Audited.', params: TaskParams, body: TaskUpdateSchema, ok: TaskOut, errors: [400, 401, 403, 404, 409] },
    async (request) => audited(request, await changeTask(ctx, request.params.taskId, request.body, request.auth.user!)),
  ),
  route(
    'GET /api/care/people/:personId/tasks',
    { summary: "A person's tasks, open by default. Person-level: audited.", params: PersonParamsOnly, querystring: PersonTasksQuery, ok: TasksResponse, errors: [400, 401, 403, 404] },
    async (request) => audited(request, await personTasks(ctx, request.params.personId, scopedNeighbourhood(request), request.query)),
  ),
]);
