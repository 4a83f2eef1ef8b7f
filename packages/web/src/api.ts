/** Calls to the OpenPHM API. Types come from the API contract's zod schemas (type-only import: nothing is bundled). */
import type {
  AuditChainResponseT,
  AuditResponseT,
  FeatureCollection,
  Geography,
  IndicatorCatalogue,
  IndicatorResultsResponse,
  Me,
  DashboardResponseT,
  DashboardIndicator as DashboardIndicatorT,
  SegmentsResponseT,
  RiskResponseT,
  CohortsResponseT,
  CohortCountResponseT,
  SavedCohortResponseT,
  WorklistResponseT,
  PersonSummaryT,
  PopulationSummaryT,
  StrategiesResponseT,
  ScorecardResponseT,
  ActionsResponseT,
  RisksResponseT,
  HistoryResponseT,
  BoardReportResponseT,
  MeasureEditResponseT,
  MeasureLinksResponseT,
  StrategyVersionsResponseT,
  DirectoryResponseT,
  ReferralsResponseT,
  ReachResponseT,
  EvaluationResponseT,
  CarePlanT,
  CaseloadResponseT,
  CaseloadEntryT,
  LoginResult,
  SignInMethods,
  TotpEnrolment,
  AccountT,
  AccountsResponseT,
  RoleRequestT,
  LockoutT,
  RecordResponseT,
  TimelineResponseT,
  AdvanceCarePlanResponseT,
  AlertT,
  AlertsResponseT,
} from '@openphm/api-contract';
import type { z } from 'zod';
import type { NewStrategyRequest, StrategyChange, StrategyChangeRequest } from '@openphm/core';
import type { MeasureEdit as CoreMeasureEdit } from '@openphm/core';
import type { ActionInput as CoreActionInput } from '@openphm/core';
import type { RiskInput as CoreRiskInput } from '@openphm/core';
import type { Ons4 as CoreOns4 } from '@openphm/core';
import type { CarePlanContent } from '@openphm/core';
import type { AdvanceCarePlanContent } from '@openphm/core';
export type { StrategyChange };
type IndicatorResultsResponseT = z.infer<typeof IndicatorResultsResponse>;

export type { AuditResponseT, FeatureCollection, Geography, IndicatorCatalogue, Me, PersonSummaryT, PopulationSummaryT };

export type IndicatorResultsT = IndicatorResultsResponseT;

// ---- issue 5: dashboard, segments, risk, cohorts, worklists (types from the server's schemas)
export type DashboardResponse = DashboardResponseT;
export type DashboardIndicator = DashboardIndicatorT;
export type PeriodT = DashboardIndicatorT['latest']['period'];
export type Comparison = DashboardIndicatorT['comparison'];
export type TrendPoint = DashboardIndicatorT['trend'][number];
export type SegmentsResponse = SegmentsResponseT;
export type RiskResponse = RiskResponseT;
export type CohortsResponse = CohortsResponseT;
export type CohortCountResponse = CohortCountResponseT;
export type CohortCountRowT = CohortCountResponseT['breakdowns'][number]['rows'][number];
export type WorklistResponse = WorklistResponseT;
export type WorklistPerson = WorklistResponseT['people'][number];

/** A feature rule (packages/core/src/phm/segments.ts); the server validates it. */
export type FeatureRule =
  | { readonly kind: 'compare'; readonly feature: string; readonly op: '>=' | '>' | '<=' | '<' | '='; readonly value: number }
  | { readonly kind: 'flag'; readonly feature: string }
  | { readonly kind: 'all'; readonly of: readonly FeatureRule[] }
  | { readonly kind: 'any'; readonly of: readonly FeatureRule[] }
  | { readonly kind: 'not'; readonly rule: FeatureRule }
  | { readonly kind: 'always' }
  | { readonly kind: 'diagnosed'; readonly condition: string; readonly withinDays: number }
  | { readonly kind: 'events'; readonly event: string; readonly atLeast: number; readonly withinDays: number };
/** A cohort saved in the app, with every version (POST /api/cohorts/saved; docs/cohorts.md "Saved cohorts"). */
export type SavedCohort = SavedCohortResponseT;
export type CohortSharing = SavedCohortResponseT['sharing'];
/** What saving a cohort sends: its name, description and the builder's definition. */
export interface SaveCohortInput {
  readonly title: string;
  readonly description: string;
  readonly definition: CohortDefinition;
}
/** A cohort definition (packages/core/src/phm/cohorts.ts). */
export interface CohortDefinition {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly description: string;
  readonly referenceDate?: string;
  readonly rule: FeatureRule;
  readonly area?: { readonly place?: string; readonly neighbourhoodId?: string };
  readonly imdQuintiles?: readonly number[];
  readonly segment?: { readonly segmentation: string; readonly segments: readonly string[] };
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly kind: string,
  ) {
    super(message);
  }
}

export const request = async <T>(url: string, init?: RequestInit): Promise<T> => {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', ...init, headers: { accept: 'application/json', ...(init?.headers ?? {}) } });
  } catch {
    throw new ApiError('the server could not be reached', 0, 'network');
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { message?: string; kind?: string } } | undefined)?.error;
    throw new ApiError(error?.message ?? `request failed (${response.status})`, response.status, error?.kind ?? 'internal');
  }
  return body as T;
};

export const json = (body: unknown, method: 'POST' | 'PATCH' | 'PUT' = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The audit log's filters (admins): each given one narrows the rows. */
export interface AuditFilter {
  readonly outcome?: string;
  readonly user?: string;
  readonly person?: string;
  readonly action?: string;
  readonly from?: string;
  readonly to?: string;
}

/** The filters as query parameters (empty ones left out). */
export const auditQuery = (filter: AuditFilter): string =>
  Object.entries(filter)
    .filter(([, v]) => typeof v === 'string' && v.trim() !== '')
    .map(([k, v]) => `&${k}=${encodeURIComponent((v as string).trim())}`)
    .join('');

export const api = {
  me: () => request<Me>('/api/auth/me'),
  login: (email: string, password: string, totp?: string) => request<LoginResult>('/api/auth/login', json({ email, password, ...(totp ? { totp } : {}) })),
  signInMethods: () => request<SignInMethods>('/api/auth/methods'),
  /** Single sign-on starts with a page load (a redirect to the identity provider), not a fetch. */
  singleSignOnUrl: '/api/auth/oidc/login',
  startTotp: () => request<TotpEnrolment>('/api/auth/totp', { method: 'POST' }),
  confirmTotp: (code: string) => request<{ totp: true }>('/api/auth/totp/confirm', json({ code })),
  accounts: () => request<AccountsResponseT>('/api/admin/users'),
  createAccount: (body: NewAccount) => request<{ status: 'created'; account: AccountT } | { status: 'pending'; request: RoleRequestT }>('/api/admin/users', json(body)),
  setAccountDisabled: (id: number, disabled: boolean) => request<AccountT>(`/api/admin/users/${id}`, json({ disabled }, 'PATCH')),
  changeRole: (id: number, role: string, neighbourhoodId?: string) =>
    request<{ status: 'changed'; account: AccountT } | { status: 'pending'; request: RoleRequestT }>(`/api/admin/users/${id}/role`, json({ role, ...(neighbourhoodId ? { neighbourhoodId } : {}) }, 'PUT')),
  setAccountServices: (id: number, serviceIds: readonly string[]) => request<AccountT>(`/api/admin/users/${id}/services`, json({ serviceIds }, 'PUT')),
  resetTotp: (id: number) => request<AccountT>(`/api/admin/users/${id}/totp-reset`, { method: 'POST' }),
  approveRequest: (id: number) => request<RoleRequestT>(`/api/admin/requests/${id}/approve`, { method: 'POST' }),
  rejectRequest: (id: number, reason?: string) => request<RoleRequestT>(`/api/admin/requests/${id}/reject`, json(reason ? { reason } : {})),
  liftLockout: (id: number) => request<{ kind: string; key: string }>(`/api/admin/lockouts/${id}/lift`, { method: 'POST' }),
  logout: () => request<Me>('/api/auth/logout', { method: 'POST' }),
  geography: () => request<Geography>('/api/geography'),
  lsoaBoundaries: () => request<FeatureCollection>('/api/geography/lsoa.geojson'),
  neighbourhoodBoundaries: () => request<FeatureCollection>('/api/geography/neighbourhoods.geojson'),
  population: (area: string) => request<PopulationSummaryT>(`/api/population/summary?area=${encodeURIComponent(area)}`),
  populationCsvUrl: (area: string, table: 'pyramid' | 'imd-decile' | 'breakdown') =>
    `/api/population/summary?area=${encodeURIComponent(area)}&format=csv&table=${table}`,
  indicators: () => request<IndicatorCatalogue>('/api/indicators'),
  person: (id: string) => request<PersonSummaryT>(`/api/people/${encodeURIComponent(id)}`),
  dashboard: (area: string) => request<DashboardResponse>(`/api/dashboard?area=${encodeURIComponent(area)}`),
  indicatorResults: (id: string, by: string) => request<IndicatorResultsT>(`/api/indicators/${encodeURIComponent(id)}/results?by=${encodeURIComponent(by)}`),
  indicatorResultsCsvUrl: (id: string, by: string) => `/api/indicators/${encodeURIComponent(id)}/results?by=${encodeURIComponent(by)}&format=csv`,
  segments: (segmentation: string, by: string, area: string) =>
    request<SegmentsResponse>(`/api/segments?segmentation=${encodeURIComponent(segmentation)}&by=${encodeURIComponent(by)}&area=${encodeURIComponent(area)}`),
  risk: (by: string, area: string) => request<RiskResponse>(`/api/risk?by=${encodeURIComponent(by)}&area=${encodeURIComponent(area)}`),
  cohorts: () => request<CohortsResponse>('/api/cohorts'),
  cohortCount: (definition: CohortDefinition, by: readonly string[], signal?: AbortSignal) =>
    request<CohortCountResponse>('/api/cohorts/count', { ...json({ definition, by }), signal }),
  worklist: (cohort: string, neighbourhood: string, version?: number) =>
    request<WorklistResponse>(`/api/worklist?cohort=${encodeURIComponent(cohort)}&neighbourhood=${encodeURIComponent(neighbourhood)}${version !== undefined ? `&version=${version}` : ''}`),
  worklistFor: (definition: CohortDefinition, neighbourhood: string) => request<WorklistResponse>('/api/worklist', json({ definition, neighbourhood })),
  saveCohort: (body: SaveCohortInput & { readonly sharing: CohortSharing }) => request<SavedCohort>('/api/cohorts/saved', json(body)),
  saveCohortVersion: (id: string, body: SaveCohortInput & { readonly basedOn?: number }) => request<SavedCohort>(`/api/cohorts/saved/${encodeURIComponent(id)}/versions`, json(body)),
  savedCohort: (id: string) => request<SavedCohort>(`/api/cohorts/saved/${encodeURIComponent(id)}`),
  shareCohort: (id: string, sharing: CohortSharing) => request<SavedCohort>(`/api/cohorts/saved/${encodeURIComponent(id)}/sharing`, json({ sharing }, 'PUT')),
  archiveCohort: (id: string) => request<{ id: string; versions: number }>(`/api/cohorts/saved/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  strategies: () => request<StrategiesResponse>('/api/strategies'),
  scorecard: (strategy: string) => request<ScorecardResponse>(`/api/strategies/${encodeURIComponent(strategy)}/scorecard`),
  actions: (strategy: string) => request<ActionsResponse>(`/api/strategies/${encodeURIComponent(strategy)}/actions`),
  createAction: (strategy: string, action: ActionInput) => request<PlanAction>(`/api/strategies/${encodeURIComponent(strategy)}/actions`, json(action)),
  updateAction: (id: number, change: Partial<ActionInput> & { version: number }) => request<PlanAction>(`/api/actions/${id}`, json(change, 'PATCH')),
  actionHistory: (id: number) => request<HistoryResponse>(`/api/actions/${id}/history`),
  risks: (strategy: string) => request<RisksResponse>(`/api/strategies/${encodeURIComponent(strategy)}/risks`),
  createRisk: (strategy: string, risk: RiskInput) => request<PlanRisk>(`/api/strategies/${encodeURIComponent(strategy)}/risks`, json(risk)),
  updateRisk: (id: number, change: Partial<RiskInput> & { version: number }) => request<PlanRisk>(`/api/risks/${id}`, json(change, 'PATCH')),
  riskHistory: (id: number) => request<HistoryResponse>(`/api/risks/${id}/history`),
  measureLinks: (strategy: string) => request<MeasureLinksResponseT>(`/api/strategies/${encodeURIComponent(strategy)}/measure-links`),
  writeCommentary: (strategy: string, measure: string, commentary: string) =>
    request<unknown>(`/api/strategies/${encodeURIComponent(strategy)}/measures/${encodeURIComponent(measure)}/commentary`, json({ commentary })),
  recordMeasureValue: (strategy: string, measure: string, value: { periodLabel: string; periodEnd: string; value: number; note: string }) =>
    request<unknown>(`/api/strategies/${encodeURIComponent(strategy)}/measures/${encodeURIComponent(measure)}/values`, json(value)),
  editMeasure: (strategy: string, measure: string, edit: MeasureEdit) =>
    request<MeasureEditResponseT>(`/api/strategies/${encodeURIComponent(strategy)}/measures/${encodeURIComponent(measure)}`, json(edit, 'PUT')),
  createStrategy: (body: NewStrategyRequest) => request<MeasureEditResponseT>('/api/strategies', json(body)),
  changeStrategy: (strategy: string, body: StrategyChangeRequest) => request<MeasureEditResponseT>(`/api/strategies/${encodeURIComponent(strategy)}/changes`, json(body)),
  strategyVersions: (strategy: string) => request<StrategyVersionsResponseT>(`/api/strategies/${encodeURIComponent(strategy)}/versions`),
  strategyFileUrl: (strategy: string, version: number) => `/api/strategies/${encodeURIComponent(strategy)}/versions/${version}`,
  report: (strategy: string, quarter: string) => request<BoardReport>(`/api/strategies/${encodeURIComponent(strategy)}/report?quarter=${encodeURIComponent(quarter)}`),
  reportMarkdownUrl: (strategy: string, quarter: string) => `/api/strategies/${encodeURIComponent(strategy)}/report?quarter=${encodeURIComponent(quarter)}&format=markdown`,
  directory: (params: Record<string, string | undefined>) => {
    const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
    return request<DirectoryResponse>(`/api/directory/services${q.toString() ? `?${q}` : ''}`);
  },
  referrals: (params: Record<string, string | undefined>) => {
    const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
    return request<ReferralsResponse>(`/api/referrals${q.toString() ? `?${q}` : ''}`);
  },
  createReferral: (body: { personId: string; serviceId: string; reason: string; wellbeingBefore: Ons4 | null }) => request<ReferralT>('/api/referrals', json(body)),
  updateReferral: (id: number, body: { status?: string; wellbeingAfter?: Ons4 | null; version: number }) => request<ReferralT>(`/api/referrals/${id}`, json(body, 'PATCH')),
  referralHistory: (id: number) => request<HistoryResponse>(`/api/referrals/${id}/history`),
  carePlan: (personId: string) => request<{ plan: CarePlanT | null }>(`/api/people/${encodeURIComponent(personId)}/care-plan`),
  createCarePlan: (personId: string, plan: CarePlanInput) => request<CarePlanT>(`/api/people/${encodeURIComponent(personId)}/care-plan`, json(plan)),
  updateCarePlan: (personId: string, plan: CarePlanInput & { version: number }) => request<CarePlanT>(`/api/people/${encodeURIComponent(personId)}/care-plan`, json(plan, 'PUT')),
  caseload: (params: Record<string, string | undefined>) => {
    const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
    return request<CaseloadResponse>(`/api/caseload${q.toString() ? `?${q}` : ''}`);
  },
  addToCaseload: (body: { personId: string; source: string; cohortId: string | null; keyWorker: string; nextReview: string }) => request<CaseloadEntry>('/api/caseload', json(body)),
  updateCaseload: (id: number, body: { keyWorker?: string; nextReview?: string; status?: 'active' | 'discharged'; outcome?: string | null; version: number }) => request<CaseloadEntry>(`/api/caseload/${id}`, json(body, 'PATCH')),
  caseloadHistory: (id: number) => request<HistoryResponse>(`/api/caseload/${id}/history`),
  // A person's record for their care team (docs/care-teams.md, "Reading a person's record").
  careRecord: (personId: string) => request<RecordResponseT>(`/api/care/people/${encodeURIComponent(personId)}/record`),
  careTimeline: (personId: string, q: { kind?: string; from?: string; to?: string; page?: number }) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
    return request<TimelineResponseT>(`/api/care/people/${encodeURIComponent(personId)}/timeline${params.toString() ? `?${params}` : ''}`);
  },
  advanceCarePlan: (personId: string) => request<AdvanceCarePlanResponseT>(`/api/care/people/${encodeURIComponent(personId)}/advance-care-plan`),
  saveAdvanceCarePlan: (personId: string, plan: AdvanceCarePlanInput, version: number) =>
    request<AdvanceCarePlanResponseT>(`/api/care/people/${encodeURIComponent(personId)}/advance-care-plan`, json({ plan, version }, 'PUT')),
  alerts: (personId: string) => request<AlertsResponseT>(`/api/care/people/${encodeURIComponent(personId)}/alerts`),
  raiseAlert: (personId: string, alert: { kind: string; text: string; startsOn: string; reviewOn: string | null }) => request<AlertT>(`/api/care/people/${encodeURIComponent(personId)}/alerts`, json(alert)),
  changeAlert: (personId: string, id: number, change: { status?: 'active' | 'ended'; reviewOn?: string | null; version: number }) =>
    request<AlertT>(`/api/care/people/${encodeURIComponent(personId)}/alerts/${id}`, json(change, 'PATCH')),
  evaluation: (population: 'all' | 'took-part', by = '') => request<EvaluationResponse>(`/api/referrals/evaluation?population=${population}${by ? `&by=${encodeURIComponent(by)}` : ''}`),
  caseloadEvaluation: (source: string, by = '') => request<EvaluationResponse>(`/api/caseload/evaluation?source=${encodeURIComponent(source)}${by ? `&by=${encodeURIComponent(by)}` : ''}`),
  reach: (by: string, place?: string) => request<ReachResponse>(`/api/referrals/reach?by=${encodeURIComponent(by)}${place ? `&place=${encodeURIComponent(place)}` : ''}`),
  audit: (filter: AuditFilter = {}) => request<AuditResponseT>(`/api/audit?limit=200${auditQuery(filter)}`),
  auditChain: () => request<AuditChainResponseT>('/api/audit/chain'),
  auditCsvUrl: (filter: AuditFilter = {}) => `/api/audit?limit=1000&format=csv${auditQuery(filter)}`,
};

// ---- accounts and sign-in (docs/security.md)
export type { AccountT, AccountsResponseT, LockoutT, LoginResult, RoleRequestT, SignInMethods, TotpEnrolment };
export interface NewAccount {
  readonly email: string;
  readonly displayName: string;
  readonly password: string;
  readonly role: string;
  readonly neighbourhoodId?: string;
}

// ---- delivery assurance (docs/delivery.md)
export type StrategiesResponse = StrategiesResponseT;
export type StrategyT = StrategiesResponseT['strategies'][number];
export type ScorecardResponse = ScorecardResponseT;
export type ScorecardMeasure = ScorecardResponseT['measures'][number];
export type MeasureStatus = ScorecardMeasure['status'];
export type ActionsResponse = ActionsResponseT;
export type PlanAction = ActionsResponseT['actions'][number];
export type RisksResponse = RisksResponseT;
export type PlanRisk = RisksResponseT['risks'][number];
export type HistoryResponse = HistoryResponseT;
export type BoardReport = BoardReportResponseT;
export type Rag = PlanAction['rag'];
/** What the measure editor, action and risk forms send: core's own types (type-only: nothing of core is bundled). */
export type MeasureEdit = CoreMeasureEdit;
export type ActionInput = Omit<CoreActionInput, 'strategyId'>;
export type RiskInput = Omit<CoreRiskInput, 'strategyId'>;
export type MeasureLinks = MeasureLinksResponseT['measures'][number];
export type StrategyVersion = StrategyVersionsResponseT['versions'][number];

// ---- joining up care (docs/social-prescribing.md)
export type DirectoryResponse = DirectoryResponseT;
export type DirectoryService = DirectoryResponseT['services'][number];
export type ReferralsResponse = ReferralsResponseT;
export type ReferralT = ReferralsResponseT['referrals'][number];
export type ReachResponse = ReachResponseT;
export type EvaluationResponse = EvaluationResponseT;
export type Ons4 = CoreOns4;

export type CarePlan = CarePlanT;
export type CaseloadResponse = CaseloadResponseT;
export type CaseloadEntry = CaseloadEntryT;
/** What the care plan form sends (core's type). */
export type CarePlanInput = CarePlanContent;

// ---- a person's record for their care team
export type CareRecord = RecordResponseT;
export type Timeline = TimelineResponseT;
export type TimelineEvent = TimelineResponseT['events'][number];
export type AdvanceCarePlanResponse = AdvanceCarePlanResponseT;
export type PersonAlert = AlertT;
export type AlertsResponse = AlertsResponseT;
/** What the advance care plan form sends (core's type). */
export type AdvanceCarePlanInput = AdvanceCarePlanContent;

/** A label for a period that may come as { label } or as text. */
export const periodLabel = (p: { readonly label: string } | string | null | undefined): string => (p === null || p === undefined ? '' : typeof p === 'string' ? p : p.label);

/** Formats a published count: suppressed counts show as "c" (confidential). */
export const fmtCount = (n: number | null | undefined): string => (n === null || n === undefined ? 'c' : Math.round(n).toLocaleString('en-GB'));
