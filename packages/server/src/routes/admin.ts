import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerContext } from '../context.js';
import { sendCsv, toCsv } from '../csv.js';
import { listAudit } from '../operational/audit.js';
import { AuditQuerySchema, AuditResponse, ErrorSchema } from '@openphm/api-contract';

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
  };
