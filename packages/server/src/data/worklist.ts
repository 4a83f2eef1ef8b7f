/**
 * Pseudonymous worklists: a cohort's members resident in one neighbourhood, highest priority first,
 * from the person features of the current data version. Person-level: never cached or logged. Each
 * is made for a purpose: a neighbourhood team's own worklist is direct care (everyone); an analyst's
 * is planning (people with an opt-out left out, and the note says how many).
 */
import { UserError, cohortUsesEvents, frailtyCategory, leftOutStatement, publishCount, type CohortDefinition, type Purpose, type SessionUser } from '@openphm/core';
import type { WorklistResponseT, WorklistStateT } from '@openphm/api-contract';
import { cohortWorklist } from '@openphm/store-duckdb';
import type { ServerContext } from '../context.js';
import { toCsv } from '../csv.js';
import { findCohort, parseDefinitionInput } from './cohorts.js';
import { geoNames, personFeaturesRelation } from './features.js';
import { worklistStates } from './worklist-state.js';

/**
 * The cohort's members resident in a neighbourhood, highest priority first (emergency admissions,
 * eFI, conditions), for the purpose: core's personLevelPurposeOf(role). Until every caller passes
 * it, it is direct care, as before opt-outs were held. For a care professional (`viewer`), each
 * row says their care relationship with the person (null for other viewers).
 */
export const worklist = async (
  ctx: ServerContext,
  definition: CohortDefinition,
  neighbourhood: { id: string; name: string },
  limit: number,
  purpose: Purpose = 'direct-care',
  viewer: SessionUser | null = null,
): Promise<WorklistResponseT> => {
  const { date, table, relation } = await personFeaturesRelation(ctx, cohortUsesEvents(definition));
  const { total, people, leftOut } = await cohortWorklist(ctx.data, { table: relation, definition, neighbourhoodId: neighbourhood.id, limit, purpose });
  // What the team has in hand, the risk and the care gaps: for a team's own list (direct care).
  const states = purpose === 'direct-care' ? await worklistStates(ctx, people.map((p) => p.personId), neighbourhood.id, table, date, viewer) : new Map<string, WorklistStateT>();
  return {
    cohort: { id: definition.id, title: definition.title },
    neighbourhood,
    date,
    total,
    truncated: total > people.length,
    people: people.map((p) => ({
      personId: p.personId,
      age: p.age,
      sex: p.sex,
      efi: Math.round(p.efi * 1000) / 1000,
      frailty: frailtyCategory(p.efi),
      conditionCount: p.conditionCount,
      emergencyAdmissions12m: p.emergencyAdmissions12m,
      aeAttendances12m: p.aeAttendances12m,
      gpAppointments12m: p.gpAppointments12m,
      state: states.get(p.personId) ?? null,
    })),
    note:
      `Pseudonymous: person ids only (no names, NHS numbers, dates of birth or addresses). Features on ${date}. ` +
      'Ordered by emergency admissions, eFI and long-term conditions (highest first). This access is recorded in the audit log; do not share outside the care team. ' +
      // How many were left out is an aggregate: published through disclosure control.
      leftOutStatement(purpose, publishCount(leftOut)),
  };
};

/** A cohort's worklist in a neighbourhood for a purpose (not-found for an unknown neighbourhood or stored cohort), with its audit detail. */
export const worklistIn = async (
  ctx: ServerContext,
  definition: CohortDefinition | undefined,
  neighbourhoodId: string,
  limit: number,
  purpose: Purpose = 'direct-care',
  viewer: SessionUser | null = null,
): Promise<{ body: WorklistResponseT; audit: string }> => {
  const neighbourhood = (await geoNames(ctx)).neighbourhoods.get(neighbourhoodId);
  if (neighbourhood === undefined) throw new UserError(`no neighbourhood '${neighbourhoodId}' in this database`, 'not-found');
  if (definition === undefined) throw new UserError('no stored cohort with that id (GET /api/cohorts lists them)', 'not-found');
  const body = await worklist(ctx, definition, { id: neighbourhoodId, name: neighbourhood.name }, limit, purpose, viewer);
  return { body, audit: `${body.people.length} of ${body.total} rows for ${purpose}` };
};

/**
 * A stored or saved cohort's worklist in a neighbourhood for whoever asks (GET /api/worklist; a saved
 * cohort at its latest version or `version`), with its audit detail (which version of a saved cohort).
 */
export const storedCohortWorklist = async (
  ctx: ServerContext,
  cohortId: string,
  neighbourhoodId: string,
  limit: number,
  viewer: SessionUser | null,
  purpose: Purpose = 'direct-care',
  version?: number,
): Promise<{ value: WorklistResponseT; audit: string }> => {
  const definition = await findCohort(ctx, viewer, cohortId, version);
  const { body, audit } = await worklistIn(ctx, definition, neighbourhoodId, limit, purpose, viewer);
  return { value: body, audit: `${audit}; cohort version ${definition.version}` };
};

/** An ad-hoc definition's worklist in a neighbourhood for whoever asks (POST /api/worklist; the definition from the request body), with its audit detail. */
export const adHocWorklist = async (
  ctx: ServerContext,
  definition: Readonly<Record<string, unknown>>,
  neighbourhoodId: string,
  limit: number,
  viewer: SessionUser | null,
  purpose: Purpose = 'direct-care',
): Promise<{ value: WorklistResponseT; audit: string }> => {
  const { body, audit } = await worklistIn(ctx, parseDefinitionInput(definition), neighbourhoodId, limit, purpose, viewer);
  return { value: body, audit };
};

const CSV_COLUMNS = ['personId', 'age', 'sex', 'efi', 'frailty', 'conditionCount', 'emergencyAdmissions12m', 'aeAttendances12m', 'gpAppointments12m'] as const;

/** A worklist as CSV: one row a person. */
export const worklistCsv = (body: WorklistResponseT): string => toCsv(CSV_COLUMNS, body.people.map((p) => CSV_COLUMNS.map((c) => p[c])));
