/**
 * Notifications: what is new for a member of a care team. Each kind names who is told; nobody is
 * told of what they did themselves. Pure: who is told of an event, from the facts the store holds.
 */

export const NOTIFICATION_KINDS = [
  { id: 'task-assigned', label: 'A task was assigned to you' },
  { id: 'referral-received', label: 'A referral arrived in your service’s inbox' },
  { id: 'referral-decided', label: 'A referral you made was decided' },
  { id: 'note-added', label: 'A note was added on a person you are key worker for' },
  { id: 'review-due', label: 'A caseload review you lead has come' },
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]['id'];
export const NOTIFICATION_KIND_IDS = NOTIFICATION_KINDS.map((k) => k.id) as [NotificationKind, ...NotificationKind[]];

export interface Notification {
  readonly id: number;
  readonly userId: number;
  readonly kind: NotificationKind;
  /** What happened, in a line (no identity: a pseudonymous person id at most). */
  readonly summary: string;
  /** Where to look, in the web app (a hash link). */
  readonly link: string;
  readonly personId: string | null;
  readonly createdAt: string;
  readonly readAt: string | null;
}

/** Something that happened, with the people it concerns (user ids; null when nobody has an account). */
export type CareEvent =
  | { readonly kind: 'task-assigned'; readonly actorId: number; readonly assigneeId: number | null; readonly previousAssigneeId?: number | null }
  | { readonly kind: 'referral-received'; readonly actorId: number; readonly serviceMemberIds: readonly number[] }
  | { readonly kind: 'referral-decided'; readonly actorId: number; readonly referrerId: number | null }
  | { readonly kind: 'note-added'; readonly actorId: number; readonly keyWorkerId: number | null }
  | { readonly kind: 'review-due'; readonly keyWorkerId: number | null };

const others = (actorId: number | null, ids: readonly (number | null | undefined)[]): number[] => [...new Set(ids.filter((id): id is number => typeof id === 'number' && id !== actorId))].sort((a, b) => a - b);

/**
 * Who is told of an event: the new assignee of a task (not when it stays with them); the members of
 * the service a referral is to; the person who made a referral, when it is decided; the key worker
 * of a person a note is added on; the key worker of a review that has come. Never the one who did it.
 */
export const recipientsOf = (event: CareEvent): number[] => {
  switch (event.kind) {
    case 'task-assigned':
      return event.previousAssigneeId !== undefined && event.previousAssigneeId === event.assigneeId ? [] : others(event.actorId, [event.assigneeId]);
    case 'referral-received':
      return others(event.actorId, event.serviceMemberIds);
    case 'referral-decided':
      return others(event.actorId, [event.referrerId]);
    case 'note-added':
      return others(event.actorId, [event.keyWorkerId]);
    case 'review-due':
      return others(null, [event.keyWorkerId]);
  }
};
