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
  UserError,
  frailtyCategory,
  parseCohortDefinition,
  type CohortDefinition,
} from '@openphm/core';
import { cohortSql } from '@openphm/store-duckdb';
import { auditRequest } from '../access.js';
import type { ServerContext } from '../context.js';
import { COHORT_BREAKDOWNS, countCohort, isCountingRole, type CohortAudit } from '../data/cohort-counts.js';
import { sendCsv, toCsv } from '../csv.js';
import { geoNames, personFeatures } from '../data/features.js';
import { FieldValidationError } from '../errors.js';
import {
  CohortCountBody,
  CohortCountResponse,
  CohortsResponse,
  StoredCohortSchema,
  ErrorSchema,
  WorklistBody,
  WorklistQuery,
  WorklistResponse,
  type WorklistResponseT,
} from '@openphm/api-contract';

export const WORKLIST_ACTION = 'worklist.view';

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
    throw new FieldValidationError(`invalid body: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
  }
  try {
    return parseCohortDefinition(parsed.data, field);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // parseCohortDefinition's further checks say '<source>: <path>: <message>'.
    const m = new RegExp(`^${field}: ([\\w.]+): ([\\s\\S]*)$`).exec(error.message);
    const f = { field: m ? `${field}.${m[1]}` : field, message: m ? m[2]! : error.message };
    throw new FieldValidationError(`invalid body: ${f.field}: ${f.message}`, [f]);
  }
};

type WorklistRow = {
  person_id: number | bigint | string;
  age: number;
  sex: string;
  efi: number;
  condition_count: number;
  emergency_admissions_12m: number;
  ae_attendances_12m: number;
  gp_appointments_12m: number;
  total: number | bigint;
};

/** The cohort's members resident in a neighbourhood, highest priority first (emergency admissions, eFI, conditions). */
export const worklist = async (ctx: ServerContext, definition: CohortDefinition, neighbourhood: { id: string; name: string }, limit: number): Promise<WorklistResponseT> => {
  const { date, table } = await personFeatures(ctx);
  const rows = await ctx.data.query<WorklistRow>(
    `SELECT person_id, age, sex, efi, condition_count, emergency_admissions_12m, ae_attendances_12m, gp_appointments_12m, count(*) OVER () AS total
     FROM ${table} WHERE ${cohortSql(definition)} AND neighbourhood_id = $1
     ORDER BY emergency_admissions_12m DESC, efi DESC, condition_count DESC, person_id LIMIT $2`,
    [neighbourhood.id, limit],
  );
  const total = Number(rows[0]?.total ?? 0);
  return {
    cohort: { id: definition.id, title: definition.title },
    neighbourhood,
    date,
    total,
    truncated: total > rows.length,
    people: rows.map((r) => ({
      personId: String(r.person_id),
      age: Number(r.age),
      sex: r.sex,
      efi: Math.round(Number(r.efi) * 1000) / 1000,
      frailty: frailtyCategory(Number(r.efi)),
      conditionCount: Number(r.condition_count),
      emergencyAdmissions12m: Number(r.emergency_admissions_12m),
      aeAttendances12m: Number(r.ae_attendances_12m),
      gpAppointments12m: Number(r.gp_appointments_12m),
    })),
    note:
      `Pseudonymous: person ids only (no names, NHS numbers, dates of birth or addresses). Features on ${date}. ` +
      'Ordered by emergency admissions, eFI and long-term conditions (highest first). This access is recorded in the audit log; do not share outside the care team.',
  };
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

    /** Shared by GET and POST: neighbourhood check, existence, audit, rows. */
    const serveWorklist = async (request: FastifyRequest, definitionOf: () => CohortDefinition | undefined, neighbourhoodId: string, limit: number) => {
      const user = request.auth.user;
      if (user === null) throw new UserError('log in to use this', 'unauthenticated');
      if (user.role === 'neighbourhood' && neighbourhoodId !== user.neighbourhoodId) {
        await auditRequest(ctx.ops, request, WORKLIST_ACTION, 'denied', 403, `neighbourhood role bound to ${user.neighbourhoodId}`);
        throw new UserError('you may only see worklists for your own neighbourhood', 'forbidden');
      }
      const geo = await geoNames(ctx);
      const neighbourhood = geo.neighbourhoods.get(neighbourhoodId);
      if (neighbourhood === undefined) {
        await auditRequest(ctx.ops, request, WORKLIST_ACTION, 'not-found', 404, 'no such neighbourhood');
        throw new UserError(`no neighbourhood '${neighbourhoodId}' in this database`, 'not-found');
      }
      const definition = definitionOf();
      if (definition === undefined) {
        await auditRequest(ctx.ops, request, WORKLIST_ACTION, 'not-found', 404, 'no such stored cohort');
        throw new UserError('no stored cohort with that id (GET /api/cohorts lists them)', 'not-found');
      }
      const body = await worklist(ctx, definition, { id: neighbourhoodId, name: neighbourhood.name }, limit);
      await auditRequest(ctx.ops, request, WORKLIST_ACTION, 'granted', 200, `${body.people.length} of ${body.total} rows`);
      return body;
    };

    const auditInvalid = async (request: FastifyRequest, _reply: unknown, error: Error) => {
      if (('validation' in error && error.validation) || error instanceof FieldValidationError) {
        await auditRequest(ctx.ops, request, WORKLIST_ACTION, 'failed', 400, 'invalid request');
      }
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
        onError: auditInvalid,
      },
      async (request, reply) => {
        const { cohort, neighbourhood, limit, format } = request.query;
        const body = await serveWorklist(request, () => loadStoredCohorts(ctx.cohortsDir).cohorts.find((c) => c.id === cohort), neighbourhood, limit);
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
        onError: auditInvalid,
      },
      async (request) => {
        const { definition, neighbourhood, limit } = request.body;
        const parsed = parseDefinitionInput(definition);
        return serveWorklist(request, () => parsed, neighbourhood, limit);
      },
    );
  };
