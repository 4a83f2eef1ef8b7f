/**
 * MDT meetings of a neighbourhood team: the meetings, one meeting with its agenda and who is due for
 * discussion (core's peopleDueForDiscussion: caseload reviews that have come, then people newly at
 * high risk from the high-risk worklist), people put on the agenda, and outcomes recorded with
 * their actions raised as tasks (in one transaction; assignees told).
 */
import { DISCUSSION_REASONS, UserError, peopleDueForDiscussion, type AgendaItemInput, type MeetingInput, type OutcomeInput, type SessionUser } from '@openphm/core';
import type { AgendaItemT, MeetingResponseT, MeetingT, MeetingsResponseT } from '@openphm/api-contract';
import type { Audited, ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { listCaseload } from '../operational/care-plans.js';
import { addAgendaItem, agendaOf, createMeeting, getMeeting, listMeetings, recordAgendaOutcome } from '../operational/meetings.js';
import { createTask, listTasks } from '../operational/tasks.js';
import { atomically } from '../operational/versioned.js';
import { storedCohort } from './cohorts.js';
import { assigneeProblem, taskOut, teamNames, tellAssignee } from './tasks.js';
import { worklistIn } from './worklist.js';

/** The worklist people newly at high risk come from, and how many of its top people are considered. */
export const HIGH_RISK_COHORT = 'frail-65-emergency-admission';
const HIGH_RISK_TOP = 20;
const MAX_CANDIDATES = 15;

/** A neighbourhood's meetings, the latest first (GET /api/care/meetings). */
export const meetingsOf = async (ctx: ServerContext, neighbourhoodId: string): Promise<MeetingsResponseT> => ({ neighbourhood: neighbourhoodId, meetings: await listMeetings(ctx.ops, neighbourhoodId) });

/** Arranges a meeting of the team of `neighbourhoodId` (POST /api/care/meetings). */
export const arrangeMeeting = async (ctx: ServerContext, input: MeetingInput, neighbourhoodId: string, by: string): Promise<MeetingT> => createMeeting(ctx.ops, { neighbourhoodId, date: input.date, title: input.title }, by);

/**
 * The top of the high-risk worklist in a neighbourhood (person ids), for direct care, that the
 * professional may put on the agenda (a care relationship: a resident registered with another
 * neighbourhood's practice is left out); none when the cohort is not stored.
 */
const highRiskPeople = async (ctx: ServerContext, neighbourhoodId: string, viewer: SessionUser): Promise<string[]> => {
  const definition = storedCohort(ctx, HIGH_RISK_COHORT);
  if (definition === undefined) return [];
  const { people } = (await worklistIn(ctx, definition, neighbourhoodId, HIGH_RISK_TOP, 'direct-care', viewer)).body;
  return people.filter((p) => (p.state?.careRelationships ?? []).length > 0).map((p) => p.personId);
};

/** A meeting with its agenda (each item with the tasks raised from it) and who is due for discussion (GET /api/care/meetings/:meetingId). */
export const meetingView = async (ctx: ServerContext, meetingId: number, viewer: SessionUser): Promise<Audited<MeetingResponseT>> => {
  const meeting = await getMeeting(ctx.ops, meetingId);
  const today = ctx.today();
  const [agenda, { members, names }, caseload, raised] = await Promise.all([
    agendaOf(ctx.ops, meetingId),
    teamNames(ctx, meeting.neighbourhoodId),
    listCaseload(ctx.ops, { neighbourhoodId: meeting.neighbourhoodId, status: 'active' }),
    listTasks(ctx.ops, { neighbourhoodId: meeting.neighbourhoodId }),
  ]);
  const fromMeeting = raised.filter((t) => t.source === 'mdt' && t.sourceRef === String(meetingId));
  const due = peopleDueForDiscussion({ caseload, highRisk: await highRiskPeople(ctx, meeting.neighbourhoodId, viewer), onAgenda: agenda.map((i) => i.personId), today, limit: MAX_CANDIDATES });
  const value: MeetingResponseT = {
    meeting,
    agenda: agenda.map((i): AgendaItemT => ({ ...i, tasks: fromMeeting.filter((t) => t.personId === i.personId).map((t) => taskOut(t, names, today)) })),
    dueForDiscussion: due.map((c) => ({ ...c, reasons: c.reasons.map((id) => ({ id, label: DISCUSSION_REASONS.find((r) => r.id === id)!.label })) })),
    highRiskCohort: HIGH_RISK_COHORT,
    team: members,
    today,
  };
  return { value, audit: `meeting ${meetingId}: ${agenda.length} on the agenda, ${due.length} due for discussion` };
};

/** Puts a resident of `neighbourhoodId` (the scope checked) on the agenda of one of that team's meetings. */
export const putOnAgenda = async (ctx: ServerContext, meetingId: number, input: AgendaItemInput, neighbourhoodId: string, by: string): Promise<Audited<AgendaItemT>> => {
  const meeting = await getMeeting(ctx.ops, meetingId);
  if (meeting.neighbourhoodId !== neighbourhoodId) throw new UserError(`meeting ${meetingId} is the ${meeting.neighbourhoodId} team's: the person lives in ${neighbourhoodId}`, 'forbidden');
  const item = await addAgendaItem(ctx.ops, meetingId, input, by);
  return { value: { ...item, tasks: [] }, audit: `meeting ${meetingId} item ${item.id}` };
};

/** Records what the team decided about a person on the agenda, and raises its actions as tasks on them (one transaction). */
export const recordOutcome = async (ctx: ServerContext, meetingId: number, itemId: number, input: OutcomeInput, user: SessionUser): Promise<Audited<AgendaItemT>> => {
  const meeting = await getMeeting(ctx.ops, meetingId);
  const { names } = await teamNames(ctx, meeting.neighbourhoodId);
  const problems = input.tasks.flatMap((t, i) => assigneeProblem(t.assigneeId, names, meeting.neighbourhoodId, `tasks.${i}.assigneeId`) ?? []);
  if (problems.length > 0) throw invalidRequest('body', problems);
  const { item, tasks } = await atomically(ctx.ops, async (tx) => {
    const decided = await recordAgendaOutcome(tx, meetingId, itemId, input.outcome, user.email);
    const made = [];
    for (const t of input.tasks) {
      const task = await createTask(tx, { ...t, personId: decided.personId, neighbourhoodId: meeting.neighbourhoodId, source: 'mdt', sourceRef: String(meetingId), createdBy: user.email }, user.email);
      await tellAssignee(tx, task, user.id);
      made.push(task);
    }
    return { item: decided, tasks: made };
  });
  const today = ctx.today();
  return { value: { ...item, tasks: tasks.map((t) => taskOut(t, names, today)) }, audit: `meeting ${meetingId} item ${itemId}: outcome, ${tasks.length} tasks` };
};
