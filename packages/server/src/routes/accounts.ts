import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { audited } from '../access.js';
import type { ServerContext } from '../context.js';
import { accountsView, approveRequest, changeRole, createAccount, liftLock, rejectRequest, resetAccountTotp, setAccountDisabled } from '../data/accounts.js';
import {
  AccountCreatedResponse,
  AccountPatchBody,
  AccountSchema,
  AccountsResponse,
  DecisionBody,
  ErrorSchema,
  LockoutIdParams,
  LockoutLiftedResponse,
  NewAccountBody,
  RequestIdParams,
  RequestPendingResponse,
  RoleChangeBody,
  RoleChangedResponse,
  RoleRequestSchema,
  UserIdParams,
} from '@openphm/api-contract';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema } as const;

export const accountRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/admin/users',
      { schema: { tags: ['admin'], summary: 'Accounts, role requests awaiting a second admin, and log-in lock-outs (admin only)', response: { 200: AccountsResponse, 401: ErrorSchema, 403: ErrorSchema } } },
      async () => accountsView(ctx),
    );

    app.post(
      '/api/admin/users',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create a local account (admin only): 201 created, or 202 a request a second admin must approve (analyst, neighbourhood and admin roles)',
          body: NewAccountBody,
          response: { 201: AccountCreatedResponse, 202: RequestPendingResponse, ...ERRORS },
        },
      },
      async (request, reply) => {
        const result = audited(request, await createAccount(ctx, request.auth.user!, request.body));
        return result.status === 'created' ? reply.code(201).send(result) : reply.code(202).send(result);
      },
    );

    app.patch(
      '/api/admin/users/:userId',
      { schema: { tags: ['admin'], summary: 'Disable (its sessions end at once) or enable an account', params: UserIdParams, body: AccountPatchBody, response: { 200: AccountSchema, ...ERRORS } } },
      async (request) => audited(request, await setAccountDisabled(ctx, request.auth.user!, request.params.userId, request.body.disabled)),
    );

    app.put(
      '/api/admin/users/:userId/role',
      {
        schema: {
          tags: ['admin'],
          summary: "Change an account's role: 200 changed, or 202 a request a second admin must approve (to analyst, neighbourhood or admin, or from admin)",
          params: UserIdParams,
          body: RoleChangeBody,
          response: { 200: RoleChangedResponse, 202: RequestPendingResponse, ...ERRORS },
        },
      },
      async (request, reply) => {
        const result = audited(request, await changeRole(ctx, request.auth.user!, request.params.userId, request.body));
        return reply.code(result.status === 'changed' ? 200 : 202).send(result);
      },
    );

    app.post(
      '/api/admin/users/:userId/totp-reset',
      { schema: { tags: ['admin'], summary: "Remove an account's TOTP (a lost device)", params: UserIdParams, response: { 200: AccountSchema, ...ERRORS } } },
      async (request) => audited(request, await resetAccountTotp(ctx, request.params.userId)),
    );

    app.post(
      '/api/admin/requests/:requestId/approve',
      {
        schema: {
          tags: ['admin'],
          summary: 'Approve a role request: not your own, nor one that gives you a role (403); the account is created or its role changed',
          params: RequestIdParams,
          response: { 200: RoleRequestSchema, ...ERRORS },
        },
      },
      async (request) => audited(request, await approveRequest(ctx, request.auth.user!, request.params.requestId)),
    );

    app.post(
      '/api/admin/requests/:requestId/reject',
      { schema: { tags: ['admin'], summary: 'Reject a role request (your own: withdraw it)', params: RequestIdParams, body: DecisionBody, response: { 200: RoleRequestSchema, ...ERRORS } } },
      async (request) => audited(request, await rejectRequest(ctx, request.auth.user!, request.params.requestId, request.body.reason ?? null)),
    );

    app.post(
      '/api/admin/lockouts/:lockoutId/lift',
      { schema: { tags: ['admin'], summary: 'Lift a lock-out after too many failed log-ins (an account or an address)', params: LockoutIdParams, response: { 200: LockoutLiftedResponse, ...ERRORS } } },
      async (request) => audited(request, await liftLock(ctx, request.params.lockoutId)),
    );
  };
