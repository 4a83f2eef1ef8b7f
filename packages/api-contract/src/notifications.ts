/** What is new for a member of a care team (routes/notifications.ts). */
import { z } from 'zod';
import { NOTIFICATION_KIND_IDS, notAFigure } from '@openphm/core';

export const NotificationOut = notAFigure(
  z.object({
    id: z.number().int(),
    kind: z.enum(NOTIFICATION_KIND_IDS),
    kindLabel: z.string(),
    summary: z.string(),
    link: z.string(),
    personId: z.string().nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  }),
  "a notification for one user (their own only)",
);

export const NotificationsQuery = z.object({
  unread: z.enum(['true', 'false']).default('false').describe('true: unread ones only'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const NotificationsResponse = notAFigure(z.object({ unread: z.number().int().describe('how many are unread'), notifications: z.array(NotificationOut) }), "one user's notifications");

export const MarkReadBody = z
  .object({
    ids: z.array(z.number().int().min(1)).min(1).max(500).optional().describe('the notifications to mark read'),
    all: z.literal(true).optional().describe('mark every notification read'),
  })
  .strict()
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), { message: 'give the ids to mark read, or all: true (one of the two)', path: ['ids'] });

export const MarkReadResponse = notAFigure(z.object({ marked: z.number().int(), unread: z.number().int() }), "counts of one user's own notifications");

export type NotificationT = z.infer<typeof NotificationOut>;
export type NotificationsResponseT = z.infer<typeof NotificationsResponse>;
export type MarkReadResponseT = z.infer<typeof MarkReadResponse>;
