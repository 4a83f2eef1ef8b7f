/** Reports from the audit log (administrators): a subject access report for one person, and the hash chain check. */
import { AuditChainResponse, SubjectAccessParams, SubjectAccessQuery, SubjectAccessResponse } from '@openphm/api-contract';
import { sendCsv } from '../csv.js';
import { auditChain, subjectAccess, subjectAccessCsv } from '../data/audit.js';
import { route, routes } from '../routing.js';

export const auditRoutes = routes('admin', (ctx) => [
  route(
    'GET /api/audit/people/:personId',
    {
      summary: "Who accessed this person's record, when and with what outcome (a subject access request; admin only); CSV",
      params: SubjectAccessParams,
      querystring: SubjectAccessQuery,
      ok: SubjectAccessResponse,
      errors: [400, 401, 403],
    },
    async (request, reply) => {
      const report = await subjectAccess(ctx, request.params.personId);
      if (request.query.format === 'csv') return sendCsv(reply, `access-to-person-${request.params.personId}.csv`, subjectAccessCsv(report));
      return report;
    },
  ),
  route(
    'GET /api/audit/chain',
    { summary: "Checks the audit log's hash chain: whether any row was changed, removed or slipped in (admin only)", ok: AuditChainResponse, errors: [400, 401, 403] },
    async () => auditChain(ctx),
  ),
]);
