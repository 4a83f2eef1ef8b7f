/**
 * The API's request and response schemas (zod): the one description of every boundary, used for
 * validation, the OpenAPI document and, as types only, by the web app. Depends on zod and the role
 * list alone.
 */
import { z } from 'zod';
import { figureSchema, notAFigure, requiredFigureSchema } from '@openphm/core';
import { ACCOUNT_ROLES, ROLES } from './roles.js';

/**
 * Every number in a response is either a published figure (`figureSchema`: made by core's
 * publication module, type-branded, marked x-openphm-figure) or declared not to be one, with why
 * (`notAFigure`: an id, a version, a policy parameter, a person-level field for the care team, an
 * operational record). publication.test.ts walks every route's responses and fails on any other number.
 */
const Figure = figureSchema;
/** A count: a whole number, not a figure (ids, versions, positions, operational records). */
const Int = (why: string) => notAFigure(z.number().int(), why);

export const RoleSchema = z.enum(ROLES);
export const AccountRoleSchema = z.enum(ACCOUNT_ROLES);

export const ErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      kind: z.string().describe('usage, invalid-input, not-found, conflict, forbidden, unauthenticated, not-implemented or internal'),
      fields: z.array(z.object({ field: z.string(), message: z.string() })).optional().describe('For validation errors: the fields at fault'),
    }),
  })
  .describe('Every error has this shape');

export const FormatQuery = z.enum(['json', 'csv']).default('json').describe('csv returns the table as text/csv');

export const DisclosureSchema = z
  .object({
    rule: z.string().describe('How the figures were protected, in words'),
    suppressedCells: Int('how many cells this response withholds'),
    method: z.enum(['cell-key-perturbation', 'rounding-and-suppression', 'none']),
    minimumCount: Int('policy: counts below this are withheld'),
    suppressZero: z.boolean(),
    rounding: Int('policy: published counts are multiples of this (1: not rounded)'),
    maxPerturbation: Int('policy: the largest noise cell-key perturbation adds to a count'),
    valuesFrom: z.literal('published-counts').describe('Values, rates and intervals are computed from the published counts'),
  })
  .describe('Disclosure control applied to the figures of this response (docs/disclosure-control.md)');

/** A published count: null when withheld. */
const PublishedCount = Figure('A published count (perturbed by its cell key); null = withheld (small number)');

// ---- auth
export const UserSchema = z.object({
  id: Int('account id'),
  email: z.string(),
  displayName: z.string(),
  role: AccountRoleSchema,
  neighbourhoodId: z.string().nullable(),
});
export const LoginBody = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(1024),
});
export const MeResponse = z.object({ user: UserSchema.nullable(), role: RoleSchema });

// ---- geography
export const AttributionSchema = z.object({ attribution: z.string(), licence: z.string() });
const ReferencePopulation = () => notAFigure(z.number().int(), 'published ONS mid-2015 population (IoD 2019 denominators), reference data');
export const GeographyResponse = z.object({
  ics: z.object({ name: z.string(), population: ReferencePopulation() }),
  places: z.array(z.object({ id: z.string(), name: z.string(), population: ReferencePopulation() })),
  localAuthorities: z.array(z.object({ code: z.string(), name: z.string(), place: z.string() })),
  neighbourhoods: z.array(
    z.object({ id: z.string(), name: z.string(), place: z.string(), pcnCode: z.string(), population: ReferencePopulation(), lsoaCount: Int('LSOAs in the neighbourhood (geography)') }),
  ),
  lsoaCount: Int('LSOAs in the partnership (geography)'),
  populationNote: z.string(),
  metadata: AttributionSchema,
});
const Ring = z.array(z.tuple([z.number(), z.number()]));
export const FeatureCollectionSchema = notAFigure(
  z.object({
    type: z.literal('FeatureCollection'),
    metadata: AttributionSchema.extend({ source: z.string(), precision: z.string(), features: z.number().int() }),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        properties: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
        geometry: z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring)) }),
      }),
    ),
  }),
  'boundaries (coordinates) and reference geography (ONS populations, IMD ranks and deciles)',
);

// ---- population
export const AREA_PATTERN = /^(ics|place:[a-z0-9-]{1,64}|neighbourhood:[A-Za-z0-9_-]{1,64}|lsoa:E01\d{6})$/;
export const AreaParam = z
  .string()
  .regex(AREA_PATTERN, "area must be 'ics', 'place:<id>', 'neighbourhood:<id>' or 'lsoa:<code>'")
  .default('ics')
  .describe("ics | place:<id> | neighbourhood:<id> | lsoa:<LSOA 2011 code>");
export const PopulationTable = z.enum(['pyramid', 'imd-decile', 'breakdown']);
export const PopulationQuery = z.object({
  area: AreaParam,
  format: FormatQuery,
  table: PopulationTable.default('pyramid').describe('which table to return when format=csv'),
});
export const AreaSchema = z.object({
  type: z.enum(['ics', 'place', 'neighbourhood', 'lsoa']),
  id: z.string(),
  name: z.string(),
  place: z.string().nullable(),
  population2015: notAFigure(z.number().int(), 'published ONS figure (reference data)').describe('Mid-2015 resident population (IoD 2019 denominators; published ONS figures)'),
  imdDecile: notAFigure(z.number().int().nullable(), 'IMD 2019 (reference data)').describe('For an LSOA: its IMD 2019 decile'),
  imdRank: notAFigure(z.number().int().nullable(), 'IMD 2019 (reference data)'),
});
export const PopulationSummary = z.object({
  area: AreaSchema,
  referenceDate: z.string().describe('People alive and resident on this day (the last day of the data window)'),
  total: PublishedCount,
  pyramid: z.array(z.object({ ageBand: z.string(), female: PublishedCount, male: PublishedCount })),
  byImdDecile: z.array(z.object({ imdDecile: Int('a decile (1-10), not a figure'), count: PublishedCount })),
  breakdown: z.object({
    by: z.enum(['place', 'neighbourhood', 'lsoa', 'none']),
    rows: z.array(z.object({ id: z.string(), name: z.string(), count: PublishedCount })),
  }),
  disclosure: DisclosureSchema,
});

// ---- people
export const PersonParams = z.object({
  personId: z.string().regex(/^\d{1,18}$/, 'personId must be a whole number (the pseudonymous person id)'),
});
export const PersonSummary = notAFigure(z.object({
  personId: z.string(),
  referenceDate: z.string(),
  demographics: z.object({
    sex: z.string(),
    age: z.number().int().describe('Age in whole years on the reference date (or at death)'),
    ageBand: z.string(),
    ethnicGroup: z.string(),
    isCarer: z.boolean(),
    died: z.string().nullable().describe('Month of death (YYYY-MM), null when alive'),
  }),
  residence: z.object({
    lsoaCode: z.string(),
    neighbourhoodId: z.string().nullable(),
    place: z.string().nullable(),
    imdDecile: z.number().int().nullable(),
  }),
  practiceCode: z.string(),
  conditions: z.array(z.object({ key: z.string(), label: z.string(), since: z.string().describe('Year first recorded') })),
  activityLast12Months: z.array(z.object({ kind: z.string(), count: z.number().int() })),
  recentActivity: z.array(z.object({ date: z.string(), kind: z.string(), detail: z.string() })),
  socialPrescribing: z
    .array(z.object({ id: z.number().int(), serviceName: z.string(), reasonLabel: z.string(), status: z.string(), statusLabel: z.string(), referredAt: z.string(), referredBy: z.string() }))
    .describe("The person's social prescribing referrals, newest first (from the operational store: one view of the person)"),
  caseload: z.object({ entryId: z.number().int(), keyWorker: z.string(), nextReview: z.string(), source: z.string() }).nullable().describe('The active episode on the neighbourhood caseload, if any'),
  carePlan: z.object({ status: z.string(), reviewDate: z.string(), consentToShare: z.boolean(), updatedAt: z.string() }).nullable().describe('Whether there is a care and support plan (its content: GET /api/people/:personId/care-plan)'),
}), 'a person-level record for their care team (audited), never published');

// ---- audit and users (admin)
export const AuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  action: z.string().max(100).optional(),
  outcome: z.enum(['granted', 'denied', 'unauthenticated', 'not-found', 'failed']).optional(),
  user: z.string().max(254).optional().describe('user email'),
  format: FormatQuery,
});
export const AuditRecordSchema = notAFigure(z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  userEmail: z.string().nullable(),
  role: RoleSchema,
  action: z.string(),
  resource: z.string().nullable(),
  outcome: z.string(),
  status: z.number().int(),
  ip: z.string().nullable(),
  detail: z.string().nullable(),
}), 'the audit log (administrators only)');
export const AuditResponse = z.object({ total: Int('audit rows matching'), rows: z.array(AuditRecordSchema) });
export const NewUserBody = z
  .object({
    email: z.string().trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+$/, 'an email address'),
    displayName: z.string().trim().min(1).max(200),
    password: z.string().min(10).max(1024),
    role: AccountRoleSchema,
    neighbourhoodId: z.string().min(1).max(64).optional(),
  })
  .refine((u) => (u.role === 'neighbourhood') === (u.neighbourhoodId !== undefined), {
    message: 'neighbourhoodId is required for, and only for, the neighbourhood role',
    path: ['neighbourhoodId'],
  });
export const UsersResponse = z.object({ users: z.array(UserSchema.extend({ disabled: z.boolean() })) });

// ---- indicators
export const IndicatorSummarySchema = z.object({
  id: z.string(),
  version: Int('definition version'),
  title: z.string(),
  definition: z.string(),
  unit: z.string(),
  polarity: z.string(),
  themes: z.array(z.string()),
  periodYears: Int('years pooled per period'),
  breakdowns: z.array(z.string()),
  reference: z.string().nullable(),
  dataSource: z.string(),
});
export const IndicatorCatalogueResponse = z.object({
  indicators: z.array(IndicatorSummarySchema),
  resultsAvailable: z.boolean().describe('false until an indicator engine is wired into the server'),
});
export const IndicatorResultsQuery = z.object({
  by: z
    .enum(['ics', 'place', 'local-authority', 'neighbourhood', 'lsoa', 'imd-decile', 'imd-quintile', 'age-band', 'sex', 'ethnic-group'])
    .default('ics'),
  format: FormatQuery,
});
export const PublishedRowSchema = z.object({
  indicator_id: z.string(),
  indicator_version: Int('definition version'),
  title: z.string(),
  period: z.string(),
  breakdown: z.string(),
  group: z.string().describe('Breakdown value, or an inequality summary (gap, relative gap, SII, RII)'),
  numerator: Figure('Perturbed by its cell key; null = withheld'),
  denominator: Figure('A count denominator is perturbed; a population (person-years) is as counted'),
  value: Figure('Computed from the published counts (standardised rates and life expectancy: from perturbed counts per age band)'),
  lower_95: Figure(),
  upper_95: Figure(),
  lower_99_8: Figure(),
  upper_99_8: Figure(),
  unit: z.string(),
  suppressed: z.boolean(),
  note: z.string().describe('Why a figure is withheld'),
});
export const IndicatorResultsResponse = z.object({
  indicator: IndicatorSummarySchema,
  period: z.object({ start: z.string(), end: z.string(), label: z.string() }),
  breakdown: z.string(),
  rows: z.array(PublishedRowSchema).describe("Core's publishIndicator: every count perturbed or withheld, values from the published counts"),
  disclosure: DisclosureSchema,
});

// ---- dashboard and trends
const NullableNumber = Figure;
export const PeriodSchema = z.object({ start: z.string(), end: z.string().describe('exclusive'), label: z.string() });
export const DASHBOARD_AREA_PATTERN = /^(ics|place:[a-z0-9-]{1,64})$/;
export const DashboardQuery = z.object({
  area: z.string().regex(DASHBOARD_AREA_PATTERN, "area must be 'ics' or 'place:<id>'").default('ics').describe('ics | place:<id>'),
  format: FormatQuery,
});
export const ComparisonSchema = z
  .enum(['better', 'similar', 'worse', 'higher', 'lower', 'not-compared'])
  .describe("The area's 95% confidence interval against the benchmark value: better/worse by the indicator's polarity, higher/lower when it has none");
export const PublishedPointSchema = z.object({
  period: PeriodSchema,
  value: NullableNumber(),
  lower95: NullableNumber(),
  upper95: NullableNumber(),
  numerator: NullableNumber('Perturbed; null = withheld'),
  denominator: NullableNumber(),
  suppressed: z.boolean(),
  note: z.string().describe('Why a figure is withheld'),
});
export const InequalitySchema = z.object({
  gap: NullableNumber(),
  gapLabel: z.string(),
  sii: NullableNumber('Slope index of inequality across IMD deciles within the area'),
  siiLower95: NullableNumber(),
  siiUpper95: NullableNumber(),
  suppressed: z.boolean().describe('Withheld because a decile is suppressed'),
  note: z.string(),
});
export const DashboardIndicatorSchema = z.object({
  id: z.string(),
  title: z.string(),
  definition: z.string(),
  unit: z.string(),
  polarity: z.string(),
  themes: z.array(z.string()),
  periodYears: Int('years pooled per period'),
  latest: PublishedPointSchema,
  trend: z.array(PublishedPointSchema).describe('Every period in the data window, oldest first'),
  benchmark: z.object({ areaId: z.literal('ics'), name: z.string(), value: NullableNumber() }).nullable().describe('null when the area is the ICS'),
  comparison: ComparisonSchema,
  inequality: InequalitySchema.nullable().describe('null when not computable'),
});
export const DashboardResponse = z.object({
  area: z.object({ id: z.string(), name: z.string(), level: z.enum(['ics', 'place']) }),
  indicators: z.array(DashboardIndicatorSchema),
  disclosure: DisclosureSchema,
});
export const IndicatorBreakdownSchema = z.enum(['ics', 'place', 'local-authority', 'neighbourhood', 'lsoa', 'imd-decile', 'imd-quintile', 'age-band', 'sex', 'ethnic-group']);
export const IndicatorTrendQuery = z.object({
  by: IndicatorBreakdownSchema.default('ics'),
  group: z.string().min(1).max(64).regex(/^[A-Za-z0-9 _+.-]+$/, 'a group of the breakdown, e.g. leeds or 1').optional().describe('required unless by=ics'),
  format: FormatQuery,
});
export const IndicatorTrendResponse = z.object({
  indicator: IndicatorSummarySchema,
  breakdown: z.string(),
  group: z.string(),
  groupLabel: z.string(),
  trend: z.array(PublishedPointSchema).describe('Every period in the data window, oldest first'),
  disclosure: DisclosureSchema,
});

// ---- segments and risk
export const SummaryBreakdownSchema = z.enum(['ics', 'place', 'local-authority', 'neighbourhood', 'imd-decile', 'imd-quintile', 'age-band', 'sex', 'ethnic-group']);
export const SUMMARY_AREA_PATTERN = /^(ics|place:[a-z0-9-]{1,64}|neighbourhood:[A-Za-z0-9_-]{1,64})$/;
const SummaryArea = z
  .string()
  .regex(SUMMARY_AREA_PATTERN, "area must be 'ics', 'place:<id>' or 'neighbourhood:<id>'")
  .optional()
  .describe('restrict to an area (default: the whole ICS)');
const SummaryAreaOut = z.object({ id: z.string(), name: z.string(), level: z.enum(['ics', 'place', 'neighbourhood']) });
export const SegmentsQuery = z.object({
  segmentation: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a segmentation id such as kirklees-four-groups').default('kirklees-four-groups'),
  by: SummaryBreakdownSchema.default('ics'),
  area: SummaryArea,
  format: FormatQuery,
});
const CountRowBase = {
  group: z.string(),
  groupLabel: z.string(),
  people: PublishedCount,
  groupPeople: Figure('People in the group (perturbed); null when withheld'),
  share: NullableNumber('people / groupPeople, from the published counts; null when withheld'),
  suppressed: z.boolean(),
  note: z.string(),
};
export const SegmentsResponse = z.object({
  segmentation: z.object({
    id: z.string(),
    version: Int('definition version'),
    title: z.string(),
    source: z.string(),
    segments: z.array(z.object({ id: z.string(), label: z.string(), description: z.string() })),
  }),
  date: z.string().describe('Reference date: people resident on this day'),
  by: z.string(),
  area: SummaryAreaOut,
  rows: z.array(z.object({ ...CountRowBase, segment: z.string() })),
  disclosure: DisclosureSchema,
});
export const RiskQuery = z.object({ by: SummaryBreakdownSchema.default('ics'), area: SummaryArea, format: FormatQuery });
export const RiskResponse = z.object({
  date: z.string(),
  by: z.string(),
  area: SummaryAreaOut,
  measures: z.array(z.object({ id: z.string(), label: z.string(), partition: z.boolean().describe('false when categories overlap'), categories: z.array(z.string()) })),
  rows: z.array(z.object({ ...CountRowBase, measure: z.string(), category: z.string() })),
  disclosure: DisclosureSchema,
});

// ---- cohorts and worklists
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
export const CohortsResponse = z.object({
  cohorts: z.array(StoredCohortSchema),
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
export const CohortCountBody = z.object({
  definition: CohortDefinitionInput,
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
const NeighbourhoodIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a neighbourhood id such as leeds-01');
const WorklistLimit = z.coerce.number().int().min(1).max(5000).default(500).describe('at most this many people, highest priority first');
export const WorklistQuery = z.object({
  cohort: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a stored cohort id (GET /api/cohorts)'),
  neighbourhood: NeighbourhoodIdParam,
  limit: WorklistLimit,
  format: FormatQuery,
});
export const WorklistBody = z.object({ definition: CohortDefinitionInput, neighbourhood: NeighbourhoodIdParam, limit: WorklistLimit });
export const WorklistPersonSchema = notAFigure(z.object({
  personId: z.string().describe('Pseudonymous person id (GET /api/people/:personId)'),
  age: z.number().int(),
  sex: z.string(),
  efi: z.number().describe('Electronic Frailty Index, 0-1'),
  frailty: z.enum(['fit', 'mild', 'moderate', 'severe']),
  conditionCount: z.number().int(),
  emergencyAdmissions12m: z.number().int(),
  aeAttendances12m: z.number().int(),
  gpAppointments12m: z.number().int(),
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

export type Me = z.infer<typeof MeResponse>;
export type User = z.infer<typeof UserSchema>;
export type Geography = z.infer<typeof GeographyResponse>;
export type FeatureCollection = z.infer<typeof FeatureCollectionSchema>;
export type PopulationSummaryT = z.infer<typeof PopulationSummary>;
export type PersonSummaryT = z.infer<typeof PersonSummary>;
export type AuditResponseT = z.infer<typeof AuditResponse>;
export type IndicatorCatalogue = z.infer<typeof IndicatorCatalogueResponse>;
export type ApiError = z.infer<typeof ErrorSchema>;
export type DashboardResponseT = z.infer<typeof DashboardResponse>;
export type DashboardIndicator = z.infer<typeof DashboardIndicatorSchema>;
export type IndicatorTrend = z.infer<typeof IndicatorTrendResponse>;
export type SegmentsResponseT = z.infer<typeof SegmentsResponse>;
export type RiskResponseT = z.infer<typeof RiskResponse>;
export type CohortsResponseT = z.infer<typeof CohortsResponse>;
export type CohortCountResponseT = z.infer<typeof CohortCountResponse>;
export type WorklistResponseT = z.infer<typeof WorklistResponse>;

// ---- delivery assurance: strategies, scorecards, actions, risks, board reports (docs/delivery.md)

const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const StrategyIdParam = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a strategy id').max(64);
export const StrategyParams = z.object({ strategyId: StrategyIdParam });
export const MeasureParams = z.object({ strategyId: StrategyIdParam, measureId: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a measure id').max(64) });
export const ActionParams = z.object({ actionId: z.coerce.number().int().min(1) });
export const RiskParams = z.object({ riskId: z.coerce.number().int().min(1) });

export const StrategySchema = z.object({
  id: z.string(),
  version: Int('strategy version'),
  title: z.string(),
  board: z.string(),
  area: z.string(),
  areaName: z.string(),
  period: z.object({ start: IsoDay, end: IsoDay }),
  description: z.string(),
  priorities: z.array(z.object({ id: z.string(), title: z.string(), ambitions: z.array(z.object({ id: z.string(), title: z.string(), description: z.string().nullable() })) })),
  source: z.string(),
  loadedAt: z.string(),
});
export const StrategiesResponse = z.object({
  strategies: z.array(StrategySchema),
  problems: z.array(z.object({ source: z.string(), message: z.string() })).describe('Plan files that could not be loaded (the stored version, if any, is still served)'),
});

const MeasureStatusSchema = z.enum(['met', 'on-track', 'off-track', 'worsening', 'incomplete']);
const MeasurePointSchema = z.object({
  date: IsoDay,
  label: z.string(),
  value: Figure('The published value for the period (indicators, inequality, referral rates), or the value its owner reported'),
  lower95: Figure(),
  upper95: Figure(),
  suppressed: z.boolean(),
});
/** A number the strategy states (a baseline or target agreed by the board), not computed from person-level data. */
const Stated = () => notAFigure(z.number(), 'stated in the strategy (agreed by the board), not computed from person-level data');
export const ScorecardMeasureSchema = z.object({
  id: z.string(),
  title: z.string(),
  priorityId: z.string(),
  ambitionId: z.string(),
  area: z.string(),
  areaName: z.string(),
  source: z.object({ kind: z.enum(['indicator', 'inequality', 'social-prescribing', 'manual']), indicatorId: z.string().optional(), statistic: z.enum(['gap', 'sii']).optional(), unit: z.string().optional() }),
  sourceLabel: z.string().describe('Where the values come from, in words'),
  unit: z.string(),
  polarity: z.enum(['higher-is-better', 'lower-is-better']),
  owner: z.string().nullable(),
  note: z.string().nullable(),
  agreed: z
    .object({
      baseline: z
        .discriminatedUnion('kind', [z.object({ kind: z.literal('stated'), value: Stated(), date: IsoDay, label: z.string() }), z.object({ kind: z.literal('data'), periodLabel: z.string() })])
        .nullable(),
      target: z
        .discriminatedUnion('kind', [z.object({ kind: z.literal('absolute'), value: Stated(), date: IsoDay }), z.object({ kind: z.literal('relative'), change: Stated(), date: IsoDay })])
        .nullable(),
      polarity: z.enum(['higher-is-better', 'lower-is-better']).nullable(),
    })
    .describe('The baseline, target and polarity as the strategy states them (polarity null: the indicator’s own)'),
  points: z.array(MeasurePointSchema),
  trajectory: z.array(z.object({ date: IsoDay, value: requiredFigureSchema('From the published (or stated) baseline to the target') })),
  status: MeasureStatusSchema,
  statusLabel: z.string(),
  rag: z.enum(['green', 'amber', 'red', 'grey']),
  baseline: z.object({ value: requiredFigureSchema('Stated, or the published value of the baseline period'), date: IsoDay, label: z.string() }).nullable(),
  target: z.object({ value: requiredFigureSchema('Stated, or computed from the published baseline'), date: IsoDay }).nullable(),
  latest: MeasurePointSchema.nullable(),
  expected: Figure('Where the trajectory says the measure should be at the latest value'),
  changeSinceBaseline: Figure('From published values'),
  significantChange: z.boolean().nullable().describe("Whether the latest value's 95% confidence interval excludes the baseline"),
  reasons: z.array(z.string()).describe('What an incomplete measure lacks'),
});
export const ScorecardResponse = z.object({
  strategy: StrategySchema,
  summary: z.record(MeasureStatusSchema, Int('measures with this status')),
  measures: z.array(ScorecardMeasureSchema),
  disclosure: DisclosureSchema,
});

const RagSchema = z.enum(['green', 'amber', 'red']);
export const ActionSchema = notAFigure(z.object({
  id: z.number().int(),
  strategyId: z.string(),
  priorityId: z.string(),
  ambitionId: z.string().nullable(),
  title: z.string(),
  ownerGroup: z.string(),
  lead: z.string(),
  dueDate: IsoDay,
  rag: RagSchema,
  status: z.enum(['open', 'complete', 'cancelled']),
  progressNote: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  overdue: z.boolean(),
}), 'an action plan record (operational)');
export const ActionsResponse = z.object({ today: IsoDay, ragMeaning: z.record(RagSchema, z.string()), actions: z.array(ActionSchema) });

export const RiskSchema = notAFigure(z.object({
  id: z.number().int(),
  strategyId: z.string(),
  title: z.string(),
  description: z.string(),
  owner: z.string(),
  likelihood: z.number().int(),
  impact: z.number().int(),
  targetLikelihood: z.number().int().nullable(),
  targetImpact: z.number().int().nullable(),
  controls: z.string(),
  mitigations: z.string(),
  reviewDate: IsoDay,
  status: z.enum(['open', 'closed']),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  score: z.number().int(),
  band: z.enum(['critical', 'serious', 'high', 'moderate', 'low']),
  targetScore: z.number().int().nullable(),
  reviewOverdue: z.boolean(),
}), 'a risk register record (operational)');
export const RisksResponse = notAFigure(z.object({
  today: IsoDay,
  bands: z.array(z.object({ id: z.string(), label: z.string(), min: z.number(), max: z.number() })),
  likelihoodLabels: z.array(z.string()),
  impactLabels: z.array(z.string()),
  heatmap: z.array(z.array(z.number().int())).describe('Open risks by likelihood (rows 1-5) and impact (columns 1-5)'),
  risks: z.array(RiskSchema),
}), 'the risk register (operational): scores, bands and counts of risks');
export const HistoryResponse = notAFigure(z.object({
  history: z.array(z.object({ version: z.number().int(), changedAt: z.string(), changedBy: z.string(), snapshot: z.record(z.string(), z.unknown()) })),
}), 'the history of an operational record');

export const MeasureValueBody = z
  .object({
    periodLabel: z.string().trim().min(1).max(40),
    periodEnd: IsoDay.describe('The last day of the period the value is for'),
    value: z.number().finite(),
    note: z.string().max(2000).default(''),
  })
  .strict();
export const MeasureValueResponse = notAFigure(z.object({ measureId: z.string(), periodLabel: z.string(), periodEnd: IsoDay, value: z.number(), note: z.string(), recordedBy: z.string(), recordedAt: z.string() }), 'a value its owner reported, echoed to them (operational)');

export const MeasureEditResponse = z.object({
  strategyId: z.string(),
  version: Int('strategy version').describe('The new version of the strategy'),
  changes: z.array(z.string()).describe('What changed, in words'),
});
export const StrategyVersionParams = z.object({ strategyId: StrategyIdParam, version: z.coerce.number().int().min(1).max(1_000_000) });
export const StrategyVersionsResponse = z.object({
  strategyId: z.string(),
  versions: z.array(
    z.object({
      version: Int('strategy version'),
      source: z.string().describe('The plan file it was loaded from, or OpenPHM for a version made in the app'),
      loadedAt: z.string(),
      editedBy: z.string().nullable().describe('Who made it in the app (shown to signed-in staff and board members only)'),
      reason: z.string().nullable().describe('Why it was made in the app'),
      changes: z.array(z.string()).describe('What differs from the version before, in words'),
    }),
  ),
});

export const ReportQuery = z.object({
  quarter: z.string().optional().describe('Financial quarter, e.g. 2026-27-q3 (default: the quarter containing today)'),
  format: z.enum(['json', 'markdown']).default('json').describe('markdown returns the board paper as text/markdown'),
});
const IssueSchema = z.object({ kind: z.enum(['measure', 'action', 'risk']), severity: z.enum(['red', 'amber']), title: z.string(), detail: z.string(), owner: z.string() });
export const BoardReportResponse = z.object({
  title: z.string(),
  board: z.string(),
  quarter: z.object({ id: z.string(), label: z.string(), start: IsoDay, end: IsoDay }),
  preparedOn: IsoDay,
  dataNote: z.string(),
  summary: notAFigure(
    z.object({
      measures: z.record(MeasureStatusSchema, z.number().int()),
      actions: z.object({ green: z.number(), amber: z.number(), red: z.number(), open: z.number(), overdue: z.number(), complete: z.number(), updatedInQuarter: z.number() }),
      risks: z.object({ critical: z.number(), serious: z.number(), high: z.number(), moderate: z.number(), low: z.number(), open: z.number(), reviewOverdue: z.number() }),
    }),
    'counts of measures, actions and risks (operational records), not of people',
  ),
  purpose: z.string(),
  background: z.string(),
  mainIssues: z.array(IssueSchema),
  incompleteMeasures: z.array(z.object({ title: z.string(), reasons: z.array(z.string()) })),
  governance: z.string(),
  planChanges: z
    .array(z.object({ version: Int('strategy version'), date: IsoDay, reason: z.string().nullable(), changes: z.array(z.string()) }))
    .describe('Versions of the strategy made in the quarter, with what changed'),
  conclusions: z.array(z.string()),
  recommendations: z.array(z.string()),
});

export type StrategiesResponseT = z.infer<typeof StrategiesResponse>;
export type ScorecardResponseT = z.infer<typeof ScorecardResponse>;
export type ActionsResponseT = z.infer<typeof ActionsResponse>;
export type RisksResponseT = z.infer<typeof RisksResponse>;
export type HistoryResponseT = z.infer<typeof HistoryResponse>;
export type BoardReportResponseT = z.infer<typeof BoardReportResponse>;
export type MeasureEditResponseT = z.infer<typeof MeasureEditResponse>;
export type StrategyVersionsResponseT = z.infer<typeof StrategyVersionsResponse>;

// ---- joining up care: directory of community services, social prescribing referrals (docs/social-prescribing.md)

const SlugParam = (what: string) => z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, what).max(80);
export const ServiceParams = z.object({ serviceId: SlugParam('a service id') });
export const ReferralParams = z.object({ referralId: z.coerce.number().int().min(1) });

export const DirectoryServiceOut = notAFigure(z.object({
  id: z.string(),
  organisation: z.object({ id: z.string(), name: z.string(), url: z.string().optional(), email: z.string().optional() }),
  name: z.string(),
  description: z.string(),
  status: z.enum(['active', 'inactive']),
  categories: z.array(z.string()),
  areas: z.array(z.string()),
  areaNames: z.array(z.string()),
  neighbourhoods: z.array(z.string()).optional(),
  location: z.object({ name: z.string(), address: z.string(), postcode: z.string().optional() }).optional(),
  schedule: z.string(),
  cost: z.string(),
  eligibility: z.object({ minAge: z.number().optional(), maxAge: z.number().optional(), description: z.string().optional() }),
  accessibility: z.string().optional(),
  contact: z.object({ email: z.string().optional(), phone: z.string().optional(), url: z.string().optional() }),
  referral: z.object({ self: z.boolean(), linkWorker: z.boolean() }),
  lastReviewed: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
}), 'a directory entry (eligible ages, version): public service information');
export const DirectoryQuery = z.object({
  q: z.string().max(200).optional().describe('words that must all appear (name, description, organisation, category)'),
  category: z.string().max(40).optional(),
  place: z.string().max(64).optional(),
  neighbourhood: z.string().max(64).optional(),
  age: z.coerce.number().int().min(0).max(120).optional(),
  linkWorker: z.enum(['true', 'false']).optional().describe('only services a link worker may (true) or may not (false) refer to'),
  inactive: z.enum(['true', 'false']).optional().describe('include inactive services'),
});
export const DirectoryResponse = z.object({
  categories: z.array(z.object({ id: z.string(), label: z.string() })),
  places: z.array(z.object({ id: z.string(), name: z.string() })),
  referralReasons: z.array(z.object({ id: z.string(), label: z.string() })).describe('The reasons a referral records (codes, never free text)'),
  total: Int('services matching the search'),
  services: z.array(DirectoryServiceOut),
});
export const ServiceBody = z.object({ entry: z.record(z.string(), z.unknown()), version: z.number().int().min(1) }).strict();

const Ons4Out = z.object({ lifeSatisfaction: z.number(), worthwhile: z.number(), happiness: z.number(), anxiety: z.number() });
export const ReferralOut = notAFigure(z.object({
  id: z.number().int(),
  personId: z.string(),
  neighbourhoodId: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  reason: z.string(),
  reasonLabel: z.string(),
  status: z.enum(['referred', 'accepted', 'attending', 'completed', 'declined', 'did-not-attend', 'withdrawn']),
  statusLabel: z.string(),
  nextStatuses: z.array(z.string()),
  wellbeingBefore: Ons4Out.nullable(),
  wellbeingAfter: Ons4Out.nullable(),
  referredBy: z.string(),
  referredAt: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}), 'a person-level referral for the care team (audited), never published');
export const ReferralsQuery = z.object({
  neighbourhood: z.string().max(64).optional().describe('analysts: one neighbourhood (neighbourhood teams always see their own)'),
  person: z.string().regex(/^\d{1,18}$/).optional(),
  status: z.enum(['referred', 'accepted', 'attending', 'completed', 'declined', 'did-not-attend', 'withdrawn']).optional(),
});
export const ReferralsResponse = z.object({
  neighbourhood: z.string().nullable(),
  reasons: z.array(z.object({ id: z.string(), label: z.string() })),
  statuses: z.array(z.object({ id: z.string(), label: z.string() })),
  wellbeingItems: z.array(z.object({ id: z.string(), label: z.string(), higherIsBetter: z.boolean() })),
  referrals: z.array(ReferralOut),
});
export const ReachQuery = z.object({
  by: z.enum(['place', 'neighbourhood', 'imd-quintile', 'imd-decile', 'age-band', 'sex', 'ethnic-group']).default('imd-quintile'),
  place: z.string().max(64).optional(),
});
export const ReachResponse = z.object({
  by: z.string(),
  area: z.object({ place: z.string().nullable() }),
  date: z.string(),
  overall: z.object({ referred: Figure(), adults: Figure(), rate: Figure('Per 1,000 adults, from the published counts'), lower95: Figure(), upper95: Figure() }),
  rows: z.array(
    z.object({
      group: z.string(),
      groupLabel: z.string(),
      referred: Figure(),
      adults: Figure(),
      rate: Figure('Per 1,000 adults, from the published counts'),
      lower95: Figure(),
      upper95: Figure(),
      comparison: z.enum(['higher', 'similar', 'lower', 'not-compared']),
      suppressed: z.boolean(),
      note: z.string(),
    }),
  ),
  statuses: z.array(z.object({ status: z.string(), label: z.string(), referrals: Figure() })),
  wellbeing: z.array(z.object({ item: z.string(), label: z.string(), higherIsBetter: z.boolean(), people: Figure(), meanChange: Figure('Mean change in the score, rounded to a step that cannot be solved for how many were scored'), lower95: Figure(), upper95: Figure() })),
  disclosure: DisclosureSchema,
});

export type DirectoryResponseT = z.infer<typeof DirectoryResponse>;
export type DirectoryServiceT = z.infer<typeof DirectoryServiceOut>;
export type ReferralsResponseT = z.infer<typeof ReferralsResponse>;
export type ReferralT = z.infer<typeof ReferralOut>;
export type ReachResponseT = z.infer<typeof ReachResponse>;

// ---- care and support plans, caseload (docs/care-plans.md)

export const PersonParamsOnly = z.object({ personId: z.string().regex(/^\d{1,18}$/, 'a pseudonymous person id (digits)') });
export const CaseloadParams = z.object({ entryId: z.coerce.number().int().min(1) });
const GoalOut = z.object({ goal: z.string(), status: z.enum(['working-on', 'achieved', 'changed']) });
export const CarePlanOut = notAFigure(z.object({
  id: z.number().int(),
  personId: z.string(),
  neighbourhoodId: z.string(),
  whatMatters: z.string(),
  goals: z.array(GoalOut),
  support: z.array(z.object({ who: z.string(), what: z.string() })),
  contingency: z.string(),
  consentToShare: z.boolean(),
  reviewDate: z.string(),
  reviewDue: z.boolean(),
  status: z.enum(['active', 'closed']),
  createdBy: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}), 'a person-level care and support plan for the care team (audited), never published');
export const CarePlanResponse = z.object({ plan: CarePlanOut.nullable() });
export const CaseloadEntryOut = notAFigure(z.object({
  id: z.number().int(),
  personId: z.string(),
  neighbourhoodId: z.string(),
  source: z.string(),
  sourceLabel: z.string(),
  cohortId: z.string().nullable(),
  keyWorker: z.string(),
  nextReview: z.string(),
  reviewDue: z.boolean(),
  status: z.enum(['active', 'discharged']),
  outcome: z.string().nullable(),
  outcomeLabel: z.string().nullable(),
  addedAt: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}), 'a person-level caseload episode for the care team (audited), never published');
export const CaseloadQuery = z.object({
  neighbourhood: z.string().max(64).optional().describe('analysts: one neighbourhood (neighbourhood teams always see their own)'),
  status: z.enum(['active', 'discharged']).optional(),
});
export const CaseloadResponse = z.object({
  neighbourhood: z.string().nullable(),
  today: z.string(),
  sources: z.array(z.object({ id: z.string(), label: z.string() })),
  outcomes: z.array(z.object({ id: z.string(), label: z.string() })),
  entries: z.array(CaseloadEntryOut),
});

export type CarePlanT = z.infer<typeof CarePlanOut>;
export type CaseloadResponseT = z.infer<typeof CaseloadResponse>;
export type CaseloadEntryT = z.infer<typeof CaseloadEntryOut>;

export const EvaluationByParam = z
  .enum(['place', 'imd-quintile', 'sex', 'age-band', 'ethnic-group'])
  .optional()
  .describe('Effects also by place, IMD quintile, sex, age band or ethnic group (each group withheld below 10 matched people)');
export const EvaluationQuery = z.object({
  population: z.enum(['all', 'took-part']).default('all').describe('all referrals (intention to treat), or only people who attended or completed'),
  by: EvaluationByParam,
});
const EvaluationOutcomeSchema = z.object({
  outcome: z.string(),
  label: z.string(),
  matched: Figure('People matched (perturbed)'),
  comparators: Figure('Comparators drawn (perturbed)'),
  caseBefore: Figure('Mean per matched person, rounded to a step (0.01-0.2) that cannot be solved for how many were matched'),
  caseAfter: Figure('Mean per matched person, rounded to a step (0.01-0.2) that cannot be solved for how many were matched'),
  comparatorBefore: Figure('Mean per matched person, rounded to a step (0.01-0.2) that cannot be solved for how many were matched'),
  comparatorAfter: Figure('Mean per matched person, rounded to a step (0.01-0.2) that cannot be solved for how many were matched'),
  naiveChange: Figure('Rounded as the means'),
  effect: Figure('Change in cases minus change in their matched comparators, per person over the window after (rounded as the means)'),
  lower95: Figure(),
  upper95: Figure(),
  withheld: z.boolean(),
});
export const EvaluationResponse = z.object({
  population: z.string().describe('Who was evaluated, as asked (e.g. all, took-part, or a caseload source)'),
  by: z.enum(['place', 'imd-quintile', 'sex', 'age-band', 'ethnic-group']).nullable().describe('The breakdown of `groups`, if asked for'),
  windowDays: Int('days before and after the index date'),
  dataWindow: z.object({ start: z.string(), end: z.string() }),
  evaluableIndexDates: z.object({ first: z.string(), last: z.string() }),
  exposed: Figure(),
  cases: Figure(),
  excluded: z.object({ outsideData: Figure(), notEligible: Figure() }),
  outcomes: z.array(EvaluationOutcomeSchema),
  groups: z
    .array(z.object({ group: z.string(), label: z.string(), outcomes: z.array(EvaluationOutcomeSchema) }))
    .describe('Effects in each group of the people evaluated (their group at the index date); each estimate needs 10 matched people'),
  method: z.string(),
  disclosure: DisclosureSchema,
});
export type EvaluationResponseT = z.infer<typeof EvaluationResponse>;
