/**
 * What is new for the signed-in member of a care team. Reviews that have come are told when the
 * user next looks (once per review date); the rest are written when they happen (tasks, notes,
 * referrals).
 */
import { NOTIFICATION_KINDS, recipientsOf, type Notification, type Referral, type SessionUser } from '@openphm/core';
import type { MarkReadResponseT, NotificationT, NotificationsResponseT } from '@openphm/api-contract';
import type { Audited, ServerContext } from '../context.js';
import type { Queryable } from '../operational/db.js';
import { dueReviewsOf, listNotifications, markRead, notify, unreadCount } from '../operational/notifications.js';
import { serviceMembers, userIdByEmail } from '../operational/team.js';

const notificationOut = (n: Notification): NotificationT => ({
  id: n.id,
  kind: n.kind,
  kindLabel: NOTIFICATION_KINDS.find((k) => k.id === n.kind)?.label ?? n.kind,
  summary: n.summary,
  link: n.link,
  personId: n.personId,
  createdAt: n.createdAt,
  readAt: n.readAt,
});

/** Writes a notification for each review the user leads that has come and that they were not told of yet. */
const tellDueReviews = async (ctx: ServerContext, user: SessionUser): Promise<void> => {
  const due = await dueReviewsOf(ctx.ops, user.id, ctx.today());
  await notify(
    ctx.ops,
    due.flatMap((r) =>
      recipientsOf({ kind: 'review-due', keyWorkerId: user.id }).map((userId) => ({
        userId,
        kind: 'review-due' as const,
        summary: `Caseload review of person ${r.personId} due ${r.nextReview}`,
        link: '#/caseload',
        personId: r.personId,
        onceKey: `review-due:${r.entryId}:${r.nextReview}`,
      })),
    ),
  );
};

/** The user's notifications, newest first (GET /api/care/notifications). */
export const notificationsFor = async (ctx: ServerContext, user: SessionUser, q: { readonly unread: 'true' | 'false'; readonly limit: number }): Promise<Audited<NotificationsResponseT>> => {
  await tellDueReviews(ctx, user);
  const notifications = await listNotifications(ctx.ops, user.id, { unreadOnly: q.unread === 'true', limit: q.limit });
  const unread = await unreadCount(ctx.ops, user.id);
  return { value: { unread, notifications: notifications.map(notificationOut) }, audit: `${notifications.length} notifications, ${unread} unread` };
};

/** How many of the user's notifications are unread (no person-level rows: the navigation's count). */
export const unreadFor = async (ctx: ServerContext, user: SessionUser): Promise<{ unread: number }> => {
  await tellDueReviews(ctx, user);
  return { unread: await unreadCount(ctx.ops, user.id) };
};

/** Marks the user's own notifications read (some or all). */
export const markNotificationsRead = async (ctx: ServerContext, user: SessionUser, body: { readonly ids?: readonly number[] | undefined; readonly all?: true | undefined }): Promise<Audited<MarkReadResponseT>> => {
  const marked = await markRead(ctx.ops, user.id, body.all ? 'all' : (body.ids ?? []));
  return { value: { marked, unread: await unreadCount(ctx.ops, user.id) }, audit: `${marked} marked read` };
};

/** Tells the members of the service a new referral goes to (in the caller's transaction, or on its own); not the one who made it. */
export const tellServiceOfReferral = async (db: Queryable, referral: Referral, serviceName: string, actorEmail: string): Promise<void> => {
  const actorId = await userIdByEmail(db, actorEmail);
  const to = recipientsOf({ kind: 'referral-received', actorId: actorId ?? 0, serviceMemberIds: await serviceMembers(db, referral.serviceId, referral.neighbourhoodId) });
  await notify(
    db,
    to.map((userId) => ({ userId, kind: 'referral-received' as const, summary: `New referral to ${serviceName} for person ${referral.personId}`, link: '#/inbox', personId: referral.personId })),
  );
};
