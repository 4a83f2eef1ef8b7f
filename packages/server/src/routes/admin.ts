import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { neighbourhoodExists } from '@openphm/store-duckdb';
import { UserError } from '@openphm/core';
import type { ServerContext } from '../context.js';
import { sendCsv, toCsv } from '../csv.js';
import { listAudit } from '../operational/audit.js';
import { createUser, listUsers } from '../operational/users.js';
import { AuditQuerySchema, AuditResponse, ErrorSchema, NewUserBody, UserSchema, UsersResponse } from '@openphm/api-contract';

export const adminRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/audit',
      {
        schema: {
          tags: ['admin'],
          summary: 'The audit log, newest first (admin only)',
          querystring: AuditQuerySchema,
          response: { 200: AuditResponse, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const result = await listAudit(ctx.ops, {
          limit: q.limit,
          offset: q.offset,
          ...(q.action ? { action: q.action } : {}),
          ...(q.outcome ? { outcome: q.outcome } : {}),
          ...(q.user ? { userEmail: q.user } : {}),
          ...(q.person ? { personId: q.person } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
        });
        if (q.format === 'csv') {
          const columns = ['id', 'at', 'userId', 'userEmail', 'role', 'action', 'resource', 'outcome', 'status', 'ip', 'detail'] as const;
          return sendCsv(reply, 'audit.csv', toCsv(columns, result.rows.map((r) => columns.map((c) => r[c] ?? null))));
        }
        return result;
      },
    );

    app.get(
      '/api/admin/users',
      { schema: { tags: ['admin'], summary: 'Local accounts (admin only)', response: { 200: UsersResponse, 401: ErrorSchema, 403: ErrorSchema } } },
      async () => ({ users: await listUsers(ctx.ops) }),
    );

    app.post(
      '/api/admin/users',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create a local account (admin only); the password is stored as an argon2id hash',
          body: NewUserBody,
          response: { 201: UserSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        if (b.role === 'neighbourhood') {
          if (!(await neighbourhoodExists(ctx.data, b.neighbourhoodId ?? ''))) throw new UserError(`no neighbourhood '${b.neighbourhoodId}' in this database`, 'not-found');
        }
        const user = await createUser(ctx.ops, { email: b.email, displayName: b.displayName, password: b.password, role: b.role, neighbourhoodId: b.neighbourhoodId ?? null });
        request.auditDetail = `created ${user.email} (${user.role})`;
        return reply.code(201).send(user);
      },
    );
  };
