/** Reports from the audit log (administrators): a subject access report for one person, and the hash chain check. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditChainResponse, ErrorSchema, SubjectAccessParams, SubjectAccessQuery, SubjectAccessResponse } from '@openphm/api-contract';
import type { ServerContext } from '../context.js';
import { sendCsv, toCsv } from '../csv.js';
import { auditChain, subjectAccess } from '../data/audit.js';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema } as const;
const COLUMNS = ['id', 'at', 'userId', 'userEmail', 'role', 'action', 'resource', 'outcome', 'status', 'ip', 'detail'] as const;

export const auditRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/audit/people/:personId',
      {
        schema: {
          tags: ['admin'],
          summary: "Who accessed this person's record, when and with what outcome (a subject access request; admin only); CSV",
          params: SubjectAccessParams,
          querystring: SubjectAccessQuery,
          response: { 200: SubjectAccessResponse, ...ERRORS },
        },
      },
      async (request, reply) => {
        const report = await subjectAccess(ctx, request.params.personId);
        if (request.query.format === 'csv') return sendCsv(reply, `access-to-person-${request.params.personId}.csv`, toCsv(COLUMNS, report.rows.map((r) => COLUMNS.map((c) => r[c] ?? null))));
        return report;
      },
    );

    app.get(
      '/api/audit/chain',
      { schema: { tags: ['admin'], summary: "Checks the audit log's hash chain: whether any row was changed, removed or slipped in (admin only)", response: { 200: AuditChainResponse, ...ERRORS } } },
      async () => auditChain(ctx),
    );
  };
