/** What is new for the signed-in member of a care team: their own notifications only. */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';
import { MarkReadBody, MarkReadResponse, NotificationsQuery, NotificationsResponse } from '@openphm/api-contract';
import { audited } from '../access.js';
import { markNotificationsRead, notificationsFor, unreadFor } from '../data/notifications.js';
import { route, routes } from '../routing.js';

const UnreadResponse = notAFigure(z.object({ unread: z.number().int() }), "how many of one user's own notifications are unread");

export const notificationRoutes = routes('care', (ctx) => [
  route(
    'GET /api/care/notifications',
    { summary: 'My notifications, newest first (tasks assigned to me, referrals to my service and their decisions, notes on people I am key worker for, reviews due). Audited.', querystring: NotificationsQuery, ok: NotificationsResponse, errors: [400, 401, 403] },
    async (request) => audited(request, await notificationsFor(ctx, request.auth.user!, request.query)),
  ),
  route('GET /api/care/notifications/count', { summary: 'How many of my notifications are unread (for the navigation; no person-level rows)', ok: UnreadResponse, errors: [401, 403] }, async (request) =>
    unreadFor(ctx, request.auth.user!),
  ),
  route(
    'POST /api/care/notifications/read',
    { summary: 'Mark my notifications read: the ones named, or all', body: MarkReadBody, ok: MarkReadResponse, errors: [400, 401, 403] },
    async (request) => audited(request, await markNotificationsRead(ctx, request.auth.user!, request.body)),
  ),
]);
