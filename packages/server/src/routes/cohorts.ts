/**
 * Cohorts: the stored definitions (cohorts/*.json) and what the builder needs (GET /api/cohorts),
 * disclosure-controlled counts of a definition by breakdowns (POST /api/cohorts/count), and
 * pseudonymous worklists of a cohort's members in one neighbourhood (GET and POST /api/worklist).
 * Everything runs over the person features of the current data version (computed once).
 *
 * Worklists are person-level: analysts may list any neighbourhood, the neighbourhood role only its
 * own; every attempt (granted, refused, not found, invalid) is written to the audit log as
 * 'worklist.view' before the response is sent, and worklists are never cached or logged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  AD_HOC_LIMITS,
  AD_HOC_POLICY,
  CONDITION_KEYS,
  CohortDefinitionSchema,
  EVENT_KINDS,
  EVENT_LOOKBACK_DAYS,
  FLAG_FEATURES,
  NUMERIC_FEATURES,
  SEGMENTATIONS,
  FieldValidationError,
  UserError,
  parseCohortDefinition,
  type CohortDefinition,
} from '@openphm/core';
import { auditRequest } from '../access.js';
import type { ServerContext } from '../context.js';
import { COHORT_BREAKDOWNS, countCohort, isCountingRole, type CohortAudit } from '../data/cohort-counts.js';
import { sendCsv, toCsv } from '../csv.js';
import { geoNames } from '../data/features.js';
import { worklistIn } from '../data/worklist.js';
import { invalidRequest } from '../errors.js';
import {
  CohortCountBody,
  CohortCountResponse,
  CohortsResponse,
  StoredCohortSchema,
  ErrorSchema,
  WorklistBody,
  WorklistQuery,
  WorklistResponse,
} from '@openphm/api-contract';


export interface StoredCohorts {
  readonly cohorts: CohortDefinition[];
  /** Files that failed validation (file name and message), skipped. */
  readonly invalid: { readonly file: string; readonly message: string }[];
}

/** The stored definitions: every cohorts/*.json, validated with core's parseCohortDefinition. */
export const loadStoredCohorts = (dir: string): StoredCohorts => {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return { cohorts: [], invalid: [] };
  }
  const cohorts: CohortDefinition[] = [];
  const invalid: { file: string; message: string }[] = [];
  for (const file of files) {
    try {
      cohorts.push(parseCohortDefinition(JSON.parse(readFileSync(join(dir, file), 'utf8')), file));
    } catch (error) {
      invalid.push({ file, message: (error as Error).message });
    }
  }
  return { cohorts, invalid };
};

export const AD_HOC_DEFAULTS = { id: 'ad-hoc', version: 1, title: 'Ad-hoc cohort', description: 'Built in the cohort builder' } as const;

/**
 * A definition from a request body: core's schema, with id, version, title and description
 * defaulted for the builder. Errors are 400s naming each field (`definition.rule.of.0.feature`).
 */
export const parseDefinitionInput = (input: Readonly<Record<string, unknown>>, field = 'definition'): CohortDefinition => {
  const parsed = CohortDefinitionSchema.safeParse({ ...AD_HOC_DEFAULTS, ...input });
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ field: [field, ...i.path.map(String)].join('.'), message: i.message }));
    throw invalidRequest('body', fields);
  }
  try {
    return parseCohortDefinition(parsed.data, field);
  } catch (error) {
    if (error instanceof FieldValidationError) throw error.within(field, 'invalid body', 'usage');
    throw error;
  }
};

export const cohortRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/cohorts',
      {
        schema: {
          tags: ['cohorts'],
          summary: 'Stored cohort definitions and what the cohort builder needs: features, segmentations, places, neighbourhoods',
          response: { 200: CohortsResponse, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => {
        const stored = loadStoredCohorts(ctx.cohortsDir);
        for (const bad of stored.invalid) request.log.warn({ file: bad.file }, 'invalid stored cohort definition skipped');
        const geo = await geoNames(ctx);
        return {
          cohorts: stored.cohorts.map((c) => JSON.parse(JSON.stringify(c)) as z.infer<typeof StoredCohortSchema>),
          features: { numeric: [...NUMERIC_FEATURES], flags: [...FLAG_FEATURES], conditions: [...CONDITION_KEYS], events: [...EVENT_KINDS], eventLookbackDays: EVENT_LOOKBACK_DAYS },
          segmentations: SEGMENTATIONS.map((s) => ({ id: s.id, title: s.title, segments: s.segments.map((x) => x.id) })),
          places: [...geo.places].map(([id, name]) => ({ id, name })),
          neighbourhoods: [...geo.neighbourhoods].map(([id, n]) => ({ id, name: n.name, place: n.place })),
          breakdowns: isCountingRole(request.auth.role) ? [...COHORT_BREAKDOWNS[request.auth.role]] : [],
          countsIn: request.auth.role === 'neighbourhood' ? { neighbourhoodId: request.auth.user?.neighbourhoodId ?? null } : null,
          limits: { ...AD_HOC_LIMITS, windows: [...AD_HOC_LIMITS.windows], minimumCount: AD_HOC_POLICY.minimumCount },
        };
      },
    );

    app.post(
      '/api/cohorts/count',
      {
        schema: {
          tags: ['cohorts'],
          summary: 'Count a cohort definition (total and breakdowns), disclosure-controlled: for the cohort builder',
          body: CohortCountBody,
          response: { 200: CohortCountResponse, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => {
        const user = request.auth.user;
        if (user === null || !isCountingRole(user.role)) throw new UserError('log in as an analyst or a neighbourhood team to count cohorts', 'forbidden');
        const definition = parseDefinitionInput(request.body.definition);
        const audit: CohortAudit = (action, outcome, status, detail) => auditRequest(ctx.ops, request, action, outcome, status, detail);
        return countCohort(ctx, user, user.role, definition, request.body.by, audit);
      },
    );

    /** Shared by GET and POST: the neighbourhood (the route table's scope checked it is the team's own), the rows. */
    const serveWorklist = async (request: FastifyRequest, definition: CohortDefinition | undefined, neighbourhoodId: string, limit: number) => {
      const { body, audit } = await worklistIn(ctx, definition, neighbourhoodId, limit);
      request.auditDetail = audit;
      return body;
    };

    app.get(
      '/api/worklist',
      {
        schema: {
          tags: ['cohorts'],
          summary: "Pseudonymous members of a stored cohort in one neighbourhood (analyst: any; neighbourhood: its own). Every access is audited.",
          querystring: WorklistQuery,
          response: { 200: WorklistResponse, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request, reply) => {
        const { cohort, neighbourhood, limit, format } = request.query;
        const body = await serveWorklist(request, loadStoredCohorts(ctx.cohortsDir).cohorts.find((c) => c.id === cohort), neighbourhood, limit);
        if (format === 'csv') {
          const columns = ['personId', 'age', 'sex', 'efi', 'frailty', 'conditionCount', 'emergencyAdmissions12m', 'aeAttendances12m', 'gpAppointments12m'] as const;
          return sendCsv(reply, `worklist-${cohort}-${neighbourhood}.csv`, toCsv(columns, body.people.map((p) => columns.map((c) => p[c]))));
        }
        return body;
      },
    );

    app.post(
      '/api/worklist',
      {
        schema: {
          tags: ['cohorts'],
          summary: 'Pseudonymous members of an ad-hoc cohort definition in one neighbourhood (same rules and audit as GET)',
          body: WorklistBody,
          response: { 200: WorklistResponse, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request) => {
        const { definition, neighbourhood, limit } = request.body;
        const parsed = parseDefinitionInput(definition);
        return serveWorklist(request, parsed, neighbourhood, limit);
      },
    );
  };
