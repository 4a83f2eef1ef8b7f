/** A service's inbox of referrals (care professionals only): referrals to decide, and the decisions. Person-level: the route table's scope and audit. */
import { ReferralDecisionSchema } from '@openphm/core';
import { InboxQuery, InboxReferralOut, InboxResponse, ReferralParams } from '@openphm/api-contract';
import { audited, scopedNeighbourhood } from '../access.js';
import { decide, inboxOf } from '../data/inbox.js';
import { route, routes } from '../routing.js';

export const inboxRoutes = routes('care', (ctx) => [
  route(
    'GET /api/care/inbox',
    { summary: "The referrals to the services I work for (my team's, when I work for none): those waiting for a decision (default), decided, or all. Person-level: audited.", querystring: InboxQuery, ok: InboxResponse, errors: [400, 401, 403] },
    async (request) => audited(request, await inboxOf(ctx, request.auth.user!, scopedNeighbourhood(request), request.query.show)),
  ),
  route(
    'POST /api/care/inbox/:referralId/decision',
    {
      summary: 'Accept a referral, or decline it with a reason (once, with the version read); the referrer is told. Audited.',
      params: ReferralParams,
      body: ReferralDecisionSchema,
      ok: InboxReferralOut,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await decide(ctx, request.params.referralId, request.body, request.auth.user!)),
  ),
]);
