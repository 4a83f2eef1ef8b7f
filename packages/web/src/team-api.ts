/**
 * Calls for a team that works together (docs/care-teams.md): tasks, notes, MDT meetings,
 * notifications, a service's inbox, caseload reviews and key workers. Types from the API contract
 * (type-only: nothing is bundled).
 */
import type {
  AgendaItemT,
  InboxReferralT,
  InboxResponseT,
  KeyWorkerResponseT,
  MarkReadResponseT,
  MeetingResponseT,
  MeetingT,
  MeetingsResponseT,
  NoteT,
  NotesResponseT,
  NotificationsResponseT,
  ReviewResponseT,
  ReviewsResponseT,
  TaskT,
  TasksResponseT,
  TeamResponseT,
} from '@openphm/api-contract';
import { json, request } from './api.js';

export type { AgendaItemT, InboxReferralT, InboxResponseT, MeetingResponseT, MeetingT, MeetingsResponseT, NoteT, NotesResponseT, NotificationsResponseT, ReviewsResponseT, TaskT, TasksResponseT, TeamResponseT };
export type NotificationT = NotificationsResponseT['notifications'][number];
export type TeamMember = TeamResponseT['members'][number];

/** What raising a task sends (core's TaskInput). */
export interface NewTask {
  readonly personId: string;
  readonly title: string;
  readonly detail?: string;
  readonly assigneeId: number | null;
  readonly due: string | null;
  readonly source: 'worklist' | 'plan-review' | 'mdt' | 'manual';
  readonly sourceRef: string | null;
}

export interface TaskChange {
  readonly title?: string;
  readonly detail?: string;
  readonly assigneeId?: number | null;
  readonly due?: string | null;
  readonly status?: 'open' | 'done' | 'cancelled';
  readonly version: number;
}

/** An action agreed at an MDT, raised as a task. */
export interface OutcomeTask {
  readonly title: string;
  readonly assigneeId: number | null;
  readonly due: string | null;
}

const query = (params: Record<string, string | undefined>): string => {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  return q.toString() ? `?${q}` : '';
};
const person = (id: string) => `/api/care/people/${encodeURIComponent(id)}`;

export const teamApi = {
  team: () => request<TeamResponseT>('/api/care/team'),
  tasks: (params: { assignee?: 'me' | 'anyone' | 'unassigned'; status?: string; due?: string }) => request<TasksResponseT>(`/api/care/tasks${query(params)}`),
  personTasks: (personId: string, status = 'open') => request<TasksResponseT>(`${person(personId)}/tasks${query({ status })}`),
  raiseTask: (task: NewTask) => request<TaskT>('/api/care/tasks', json(task)),
  changeTask: (id: number, change: TaskChange) => request<TaskT>(`/api/care/tasks/${id}`, json(change, 'PATCH')),
  notes: (personId: string) => request<NotesResponseT>(`${person(personId)}/notes`),
  addNote: (personId: string, text: string, corrects: number | null = null) => request<NoteT>(`${person(personId)}/notes`, json({ text, corrects })),
  meetings: () => request<MeetingsResponseT>('/api/care/meetings'),
  arrangeMeeting: (date: string, title: string) => request<MeetingT>('/api/care/meetings', json({ date, title })),
  meeting: (id: number) => request<MeetingResponseT>(`/api/care/meetings/${id}`),
  addToAgenda: (meetingId: number, personId: string, reason: string) => request<AgendaItemT>(`/api/care/meetings/${meetingId}/items`, json({ personId, reason })),
  recordOutcome: (meetingId: number, itemId: number, outcome: string, tasks: readonly OutcomeTask[]) =>
    request<AgendaItemT>(`/api/care/meetings/${meetingId}/items/${itemId}/outcome`, json({ outcome, tasks })),
  notifications: (unread = false) => request<NotificationsResponseT>(`/api/care/notifications${unread ? '?unread=true' : ''}`),
  unreadCount: () => request<{ unread: number }>('/api/care/notifications/count'),
  markRead: (ids: readonly number[] | 'all') => request<MarkReadResponseT>('/api/care/notifications/read', json(ids === 'all' ? { all: true } : { ids })),
  inbox: (show: 'waiting' | 'decided' | 'all' = 'waiting') => request<InboxResponseT>(`/api/care/inbox?show=${show}`),
  decide: (referralId: number, body: { decision: 'accept' | 'decline'; reason: string | null; note: string; version: number }) => request<InboxReferralT>(`/api/care/inbox/${referralId}/decision`, json(body)),
  reviews: (entryId: number) => request<ReviewsResponseT>(`/api/caseload/${entryId}/reviews`),
  recordReview: (entryId: number, body: { reviewedOn: string; outcome: string; note: string; nextReview: string; version: number }) => request<ReviewResponseT>(`/api/caseload/${entryId}/reviews`, json(body)),
  changeKeyWorker: (entryId: number, body: { keyWorker: string; keyWorkerUserId: number | null; reason: string; version: number }) =>
    request<KeyWorkerResponseT>(`/api/caseload/${entryId}/key-worker`, json(body, 'PATCH')),
};
