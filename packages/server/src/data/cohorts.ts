/**
 * Cohort definitions for the cohort builder: the stored definitions (cohorts/*.json) and the saved
 * ones (operational/saved-cohorts.ts; findCohort finds either), what the
 * builder needs (features, segmentations, places, neighbourhoods, the role's breakdowns and limits:
 * GET /api/cohorts), definitions from request bodies (validated once, each bad field named), and
 * counting one for a signed-in user (POST /api/cohorts/count; the rules are data/cohort-counts.ts).
 */
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
  type Breakdown,
  type CohortDefinition,
} from '@openphm/core';
import type { CohortCountResponseT, CohortsResponseT } from '@openphm/api-contract';
import type { ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import type { Role, SessionUser } from '../roles.js';
import { COHORT_BREAKDOWNS, countCohort, isCountingRole, type CohortAudit } from './cohort-counts.js';
import { geoNames } from './features.js';
import { readJsonFiles } from './json-files.js';
import { listSavedCohorts, savedCohortIds, savedCohortVersion, viewerOf } from '../operational/saved-cohorts.js';

export interface StoredCohorts {
  readonly cohorts: CohortDefinition[];
  /** Files that failed validation (file name and message), skipped. */
  readonly invalid: { readonly file: string; readonly message: string }[];
}

/** The stored definitions: every cohorts/*.json, validated with core's parseCohortDefinition. */
export const loadStoredCohorts = (dir: string): StoredCohorts => {
  const { parsed, problems } = readJsonFiles(dir, (text, file) => parseCohortDefinition(JSON.parse(text), file));
  return { cohorts: parsed, invalid: problems.map(({ name, message }) => ({ file: name, message })) };
};

/** The stored definition with this id, if there is one. */
export const storedCohort = (ctx: ServerContext, id: string): CohortDefinition | undefined => loadStoredCohorts(ctx.cohortsDir).cohorts.find((c) => c.id === id);

/**
 * A cohort by id for a user, wherever it is kept: a cohort file (its one version), or a saved cohort
 * the user may see (its latest version, or the one named). Not found when neither; a conflict when
 * the id is both a file's and a saved cohort's (saving refuses a file's id, so only a file added
 * later can clash), so nobody counts or lists one thinking it is the other.
 */
export const findCohort = async (ctx: ServerContext, user: SessionUser | null, id: string, version?: number): Promise<CohortDefinition> => {
  const file = storedCohort(ctx, id);
  const saved = (await savedCohortIds(ctx.ops)).has(id);
  if (file !== undefined && saved) throw new UserError(`cohort id '${id}' is both a cohort file and a saved cohort: rename the file (cohorts/*.json) to use either`, 'conflict');
  if (file !== undefined) {
    if (version !== undefined && version !== file.version) throw new UserError(`cohort file '${id}' is version ${file.version}; a file keeps no other version`, 'not-found');
    return file;
  }
  if (!saved || user === null) throw new UserError(`no cohort '${id}' that you can see (GET /api/cohorts lists them)`, 'not-found');
  return (await savedCohortVersion(ctx.ops, id, viewerOf(user), version)).definition;
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

/** Where invalid stored definitions are reported (the request's logger). */
export interface CohortFileLog {
  warn(details: { file: string }, message: string): void;
}

/**
 * The stored definitions and what the cohort builder needs, for a role: the breakdowns it may count
 * by, and for a neighbourhood team the neighbourhood its counts are held to. Invalid stored files
 * are skipped, and reported to `log`.
 */
export const cohortCatalogue = async (ctx: ServerContext, auth: { readonly role: Role; readonly user: SessionUser | null }, log: CohortFileLog): Promise<CohortsResponseT> => {
  const stored = loadStoredCohorts(ctx.cohortsDir);
  for (const bad of stored.invalid) log.warn({ file: bad.file }, 'invalid stored cohort definition skipped');
  const fileIds = new Set(stored.cohorts.map((c) => c.id));
  const saved = auth.user === null ? [] : await listSavedCohorts(ctx.ops, viewerOf(auth.user));
  // A file added with a saved cohort's id: listed as the file only, and the clash reported (findCohort refuses both).
  for (const clash of saved.filter((c) => fileIds.has(c.id))) log.warn({ file: `${clash.id}.json` }, 'cohort file has the id of a saved cohort: the saved cohort is not listed until the file is renamed');
  const geo = await geoNames(ctx);
  return {
    cohorts: [
      ...stored.cohorts.map((c) => ({ ...(JSON.parse(JSON.stringify(c)) as CohortsResponseT['cohorts'][number]), source: 'file' as const })),
      ...saved
        .filter((c) => !fileIds.has(c.id))
        .map((c) => ({
          ...(JSON.parse(JSON.stringify(c.latest.definition)) as CohortsResponseT['cohorts'][number]),
          source: 'saved' as const,
          saved: { owner: c.owner, sharing: c.sharing, mine: c.mine, updatedAt: c.updatedAt },
        })),
    ],
    features: { numeric: [...NUMERIC_FEATURES], flags: [...FLAG_FEATURES], conditions: [...CONDITION_KEYS], events: [...EVENT_KINDS], eventLookbackDays: EVENT_LOOKBACK_DAYS },
    segmentations: SEGMENTATIONS.map((s) => ({ id: s.id, title: s.title, segments: s.segments.map((x) => x.id) })),
    places: [...geo.places].map(([id, name]) => ({ id, name })),
    neighbourhoods: [...geo.neighbourhoods].map(([id, n]) => ({ id, name: n.name, place: n.place })),
    breakdowns: isCountingRole(auth.role) ? [...COHORT_BREAKDOWNS[auth.role]] : [],
    countsIn: auth.role === 'neighbourhood' ? { neighbourhoodId: auth.user?.neighbourhoodId ?? null } : null,
    limits: { ...AD_HOC_LIMITS, windows: [...AD_HOC_LIMITS.windows], minimumCount: AD_HOC_POLICY.minimumCount },
  };
};

/**
 * Counts a definition from a request body for a signed-in user of a counting role (analysts,
 * neighbourhood teams), under the cohort builder's rules; what those rules catch goes to `audit`.
 */
export const countDefinition = async (
  ctx: ServerContext,
  user: SessionUser | null,
  request: {
    readonly definition?: Readonly<Record<string, unknown>> | undefined;
    readonly cohort?: { readonly id: string; readonly version?: number | undefined } | undefined;
    readonly by?: readonly Breakdown[] | undefined;
  },
  audit: CohortAudit,
): Promise<CohortCountResponseT> => {
  if (user === null || !isCountingRole(user.role)) throw new UserError('log in as an analyst or a neighbourhood team to count cohorts', 'forbidden');
  if (request.definition !== undefined && request.cohort !== undefined) throw invalidRequest('body', [{ field: 'cohort', message: 'give a definition or a cohort, not both' }]);
  if (request.definition === undefined && request.cohort === undefined) throw invalidRequest('body', [{ field: 'definition', message: 'Required: a definition, or a cohort by id' }]);
  const definition = request.cohort !== undefined ? await findCohort(ctx, user, request.cohort.id, request.cohort.version) : parseDefinitionInput(request.definition!);
  return countCohort(ctx, user, user.role, definition, request.by, audit);
};
