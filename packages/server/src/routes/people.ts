/**
 * Pseudonymous person-level rows. Analysts may see anyone; the neighbourhood role only residents of
 * its own neighbourhood. Every attempt is audited before the response is sent (granted, refused,
 * not found or invalid); the id is never written to the server log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { REFERRAL_REASONS, REFERRAL_STATUS_LABEL, UserError } from '@openphm/core';
import { auditRequest } from '../access.js';
import type { ServerContext } from '../context.js';
import { personResidence, personSummary } from '../data/person.js';
import { listReferrals, listServices } from '../operational/care.js';
import { currentCarePlan, listCaseload } from '../operational/plans.js';
import { ErrorSchema, PersonParams, PersonSummary } from '@openphm/api-contract';

const ACTION = 'person.view';

export const peopleRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/people/:personId',
      {
        schema: {
          tags: ['people'],
          summary: 'Pseudonymous summary of one person (analyst: anyone; neighbourhood: own residents only). Every access is audited.',
          params: PersonParams,
          response: { 200: PersonSummary, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
        },
        onError: async (request, _reply, error) => {
          if ('validation' in error && error.validation) await auditRequest(ctx.ops, request, ACTION, 'failed', 400, 'invalid request');
        },
      },
      async (request) => {
        const { personId } = request.params;
        const user = request.auth.user;
        if (user === null) throw new UserError('log in to use this', 'unauthenticated');
        if (user.role === 'neighbourhood') {
          const residence = await personResidence(ctx.data, personId);
          // Whether or not the person exists, someone outside the neighbourhood is simply not visible.
          if (residence === null || residence.neighbourhoodId !== user.neighbourhoodId) {
            await auditRequest(ctx.ops, request, ACTION, 'denied', 403, `not resident in neighbourhood ${user.neighbourhoodId}`);
            throw new UserError('this person is not resident in your neighbourhood', 'forbidden');
          }
        }
        const summary = await personSummary(ctx.data, personId);
        if (summary === null) {
          await auditRequest(ctx.ops, request, ACTION, 'not-found', 404);
          throw new UserError(`no person with id ${personId}`, 'not-found');
        }
        const [referrals, services, episodes, plan] = await Promise.all([listReferrals(ctx.ops, { personId }), listServices(ctx.ops), listCaseload(ctx.ops, { personId, status: 'active' }), currentCarePlan(ctx.ops, personId)]);
        const episode = episodes[0];
        const names = new Map(services.map((s) => [s.id, s.entry.name]));
        await auditRequest(ctx.ops, request, ACTION, 'granted', 200);
        return {
          ...summary,
          socialPrescribing: referrals.map((r) => ({
            id: r.id,
            serviceName: names.get(r.serviceId) ?? r.serviceId,
            reasonLabel: REFERRAL_REASONS.find((x) => x.id === r.reason)?.label ?? r.reason,
            status: r.status,
            statusLabel: REFERRAL_STATUS_LABEL[r.status],
            referredAt: r.referredAt,
            referredBy: r.referredBy,
          })),
          caseload: episode ? { entryId: episode.id, keyWorker: episode.keyWorker, nextReview: episode.nextReview, source: episode.source } : null,
          carePlan: plan ? { status: plan.status, reviewDate: plan.reviewDate, consentToShare: plan.consentToShare, updatedAt: plan.updatedAt } : null,
        };
      },
    );
  };
