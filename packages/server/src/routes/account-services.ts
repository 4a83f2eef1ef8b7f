/**
 * Which directory services a care professional works for (admins): their service inbox, who is told
 * of a referral, and a care relationship with the people referred to those services
 * (docs/security.md, "Legitimate relationship and break-glass"). Audited by the route table.
 */
import { AccountSchema, AccountServicesBody, UserIdParams } from '@openphm/api-contract';
import { actorOf, audited } from '../access.js';
import { setAccountServices } from '../data/accounts.js';
import { route, routes } from '../routing.js';

export const accountServiceRoutes = routes('admin', (ctx) => [
  route(
    'PUT /api/admin/users/:userId/services',
    {
      summary:
        "Set the directory services a care professional works for, replacing the list (admin only): their service inbox and who is told of a referral; a care relationship with the people referred to those services. Only for the neighbourhood role (409); an id not in the directory is refused naming serviceIds (400). Audited as user.services.",
      params: UserIdParams,
      body: AccountServicesBody,
      ok: AccountSchema,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await setAccountServices(ctx, request.params.userId, request.body.serviceIds, actorOf(request))),
  ),
]);
