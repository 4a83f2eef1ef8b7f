/** Cohort definitions, counts and worklists (routes/cohorts.ts). */
import { z } from 'zod';
import { CARE_RELATIONSHIP_KINDS, FRAILTY_CATEGORIES, notAFigure } from '@openphm/core';
import { DisclosureSchema, FormatQuery, Int, PublishedCount } from './common.js';
import { CountRowBase, SummaryBreakdownSchema } from './summaries.js';

export const StoredCohortSchema = z.object({
  id: z.string(),
  version: Int('definition version'),
  title: z.string(),
  description: z.string(),
  referenceDate: z.string().optional(),
  rule: z.any().describe('A feature rule: { kind: compare | flag | all | any | not | always | diagnosed | events, ... } (docs/cohorts.md)'),
  area: z.object({ place: z.string().optional(), neighbourhoodId: z.string().optional() }).optional(),
  imdQuintiles: z.array(Int('an IMD quintile (1-5)')).optional(),
  segment: z.object({ segmentation: z.string(), segments: z.array(z.string()) }).optional(),
});

/** Who a saved cohort is shared with: its owner only, the owner's team (their neighbourhood team; analysts), or everyone who may use cohorts. */
export const CohortSharingSchema = z.enum(['private', 'team', 'everyone']);

/** A cohort slug: lower-case words joined by hyphens. */
export const CohortIdSchema = z.string().max(64).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens, e.g. frail-65-emergency-admission');

/** A cohort in the list: a file (cohorts/*.json) or saved in the app (its latest version, with who owns it and who it is shared with). */
export const ListedCohortSchema = StoredCohortSchema.extend({
  source: z.enum(['file', 'saved']).describe('file: cohorts/*.json on the server; saved: saved in the app (POST /api/cohorts/saved)'),
  saved: z
    .object({ owner: z.string(), sharing: CohortSharingSchema, mine: z.boolean().describe('you own it: you may save versions, share and archive it'), updatedAt: z.string() })
    .optional()
    .describe('For a saved cohort: version is its latest'),
});

export const CohortsResponse = z.object({
  cohorts: z.array(ListedCohortSchema).describe('The cohort files and the saved cohorts you may see, each marked with its source'),
  features: z.object({
    numeric: z.array(z.string()),
    flags: z.array(z.string()),
    conditions: z.array(z.string()).describe('Condition keys a `diagnosed` rule can name'),
    events: z.array(z.string()).describe('Event kinds an `events` rule can count'),
    eventLookbackDays: Int('a limit of the rule language').describe('The longest `withinDays` of an `events` rule'),
  }),
  segmentations: z.array(z.object({ id: z.string(), title: z.string(), segments: z.array(z.string()) })),
  places: z.array(z.object({ id: z.string(), name: z.string() })),
  neighbourhoods: z.array(z.object({ id: z.string(), name: z.string(), place: z.string() })),
  breakdowns: z.array(z.string()).describe('The values of `by` your role may use in POST /api/cohorts/count'),
  countsIn: z.object({ neighbourhoodId: z.string().nullable() }).nullable().describe('A neighbourhood team counts in its own neighbourhood only'),
  limits: notAFigure(
    z.object({
      maxClauses: z.number().int(),
      maxDepth: z.number().int(),
      ageStep: z.number(),
      bmiStep: z.number(),
      windows: z.array(z.number().int()),
      minimumCohort: z.number().int(),
      minimumGroup: z.number().int(),
      minimumCount: z.number().int(),
      queriesPerDay: z.number().int(),
      differencingStrikes: z.number().int(),
      pauseMinutes: z.number().int(),
    }),
    'the rules of the cohort builder (docs/disclosure-control.md)',
  ),
});

export const CohortBreakdownSchema = SummaryBreakdownSchema;

export const CohortDefinitionInput = z
  .record(z.string(), z.unknown())
  .describe('A cohort definition (docs/cohorts.md): rule, and optionally area, imdQuintiles, segment; id, version, title and description default for ad-hoc use');

/** A file or saved cohort by id, at its latest version or the one named. */
export const CohortReference = z.object({ id: CohortIdSchema, version: z.number().int().min(1).optional().describe('default: the latest') });

export const CohortCountBody = z.object({
  definition: CohortDefinitionInput.optional().describe('The definition to count (or name a stored or saved cohort in `cohort`)'),
  cohort: CohortReference.optional().describe('A cohort file or a saved cohort you may see, instead of `definition`'),
  by: z
    .array(CohortBreakdownSchema)
    .max(6)
    .optional()
    .describe("Breakdowns (default: analysts place, IMD quintile, age band; neighbourhood teams IMD quintile, age band, sex); GET /api/cohorts lists your role's"),
});

export const CohortCountResponse = z.object({
  cohort: z.object({ id: z.string(), version: Int('definition version'), title: z.string() }),
  total: z.object({ people: PublishedCount, suppressed: z.boolean(), note: z.string().describe('Why the total is withheld (empty when published)') }),
  breakdowns: z.array(z.object({ by: z.string(), rows: z.array(z.object(CountRowBase)) })),
  date: z.string(),
  disclosure: DisclosureSchema,
});

export const NeighbourhoodIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a neighbourhood id such as leeds-01');

export const WorklistLimit = z.coerce.number().int().min(1).max(5000).default(500).describe('at most this many people, highest priority first');

export const WorklistQuery = z.object({
  cohort: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a stored or saved cohort id (GET /api/cohorts)'),
  neighbourhood: NeighbourhoodIdParam,
  version: z.coerce.number().int().min(1).optional().describe("a saved cohort's version (default: its latest)"),
  limit: WorklistLimit,
  format: FormatQuery,
});

export const WorklistBody = z.object({ definition: CohortDefinitionInput, neighbourhood: NeighbourhoodIdParam, limit: WorklistLimit });

/** What the team already has in hand for a worklist's person, so only actions that will work are offered. */
export const WorklistStateSchema = z.object({
  caseload: z
    .object({ entryId: z.number().int(), ownNeighbourhood: z.boolean(), keyWorker: z.string(), nextReview: z.string(), reviewDue: z.boolean() })
    .nullable()
    .describe("The person's active caseload episode (a person has at most one, in any neighbourhood)"),
  carePlan: z.object({ reviewDate: z.string(), reviewDue: z.boolean() }).nullable().describe('The active care and support plan'),
  openReferrals: z.number().int().describe('Referrals still open (referred, accepted or attending)'),
  openTasks: z.number().int().describe("The team's open tasks for the person"),
  admissionRisk: z.object({ probability: z.number(), band: z.string() }).nullable().describe('Chance of an emergency admission in the next 12 months (null: the model could not be fitted)'),
  careGapsDue: z.array(z.string()).describe('Reviews, vaccinations and screening due (core care-gap rules), by label'),
  careRelationships: z
    .array(z.enum(CARE_RELATIONSHIP_KINDS))
    .nullable()
    .describe(
      "The care professional's care relationships with the person (the legitimate-relationship rule: registered with a practice of their neighbourhood, on its caseload, referred to a service they work for, break glass). Empty: tasks, the caseload, the MDT agenda and the record are refused until they break glass. Null: not worked out (a list for someone other than a care professional)",
    ),
});

export const WorklistPersonSchema = notAFigure(z.object({
  personId: z.string().describe('Pseudonymous person id (GET /api/people/:personId)'),
  age: z.number().int(),
  sex: z.string(),
  efi: z.number().describe('Electronic Frailty Index, 0-1'),
  frailty: z.enum(FRAILTY_CATEGORIES),
  conditionCount: z.number().int(),
  emergencyAdmissions12m: z.number().int(),
  aeAttendances12m: z.number().int(),
  gpAppointments12m: z.number().int(),
  state: WorklistStateSchema.nullable().describe('What the care team already has in hand, the risk and the care gaps (null when not worked out)'),
}), 'a person-level row of a worklist for the care team (audited), never published');

export const WorklistResponse = z.object({
  cohort: z.object({ id: z.string(), title: z.string() }),
  neighbourhood: z.object({ id: z.string(), name: z.string() }),
  date: z.string(),
  total: Int('members of the cohort in the team\u2019s own neighbourhood: the length of the list the team is shown (person-level, audited)').describe('Members of the cohort in the neighbourhood'),
  truncated: z.boolean(),
  people: z.array(WorklistPersonSchema),
  note: z.string(),
});

export const CohortIdParams = z.object({ cohortId: CohortIdSchema });

const SavedText = {
  title: z.string().trim().min(3).max(200).describe('what the cohort is, e.g. "Frail people 65+ with an emergency admission"'),
  description: z.string().trim().min(3).max(2000).describe('what the cohort is for and why, in words'),
};

export const SaveCohortBody = z.object({
  id: CohortIdSchema.optional().describe('default: made from the title; must not be a cohort file\u2019s or another saved cohort\u2019s'),
  ...SavedText,
  definition: CohortDefinitionInput,
  sharing: CohortSharingSchema.default('private'),
});

export const SaveCohortVersionBody = z.object({
  ...SavedText,
  definition: CohortDefinitionInput,
  basedOn: z.number().int().min(1).optional().describe('the version you edited: refused (409) when a later one was saved'),
});

export const CohortSharingBody = z.object({ sharing: CohortSharingSchema });

export const SavedCohortVersionSchema = z.object({
  version: Int('definition version'),
  title: z.string(),
  description: z.string(),
  definition: StoredCohortSchema,
  savedBy: z.string(),
  savedAt: z.string(),
});

export const SavedCohortResponse = z.object({
  id: z.string(),
  owner: z.string(),
  ownerTeam: z.string().describe('analysts, or neighbourhood:<id>'),
  sharing: CohortSharingSchema,
  mine: z.boolean(),
  latestVersion: Int('definition version'),
  createdAt: z.string(),
  updatedAt: z.string(),
  versions: z.array(SavedCohortVersionSchema).describe('Every version, newest first'),
});

export const ArchivedCohortResponse = z.object({ id: z.string(), versions: Int('how many versions the archived cohort keeps') });

export type CohortsResponseT = z.infer<typeof CohortsResponse>;
export type SavedCohortResponseT = z.infer<typeof SavedCohortResponse>;

export type CohortCountResponseT = z.infer<typeof CohortCountResponse>;

export type WorklistResponseT = z.infer<typeof WorklistResponse>;
export type WorklistStateT = z.infer<typeof WorklistStateSchema>;
