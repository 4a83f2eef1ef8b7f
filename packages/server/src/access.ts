/**
 * Who may call what: one table, checked in one hook for every /api route. A route missing from the
 * table cannot be registered (the server refuses to start), so nothing is reachable by accident.
 * 401 when a signed-in role is needed and there is no session; 403 when the role is not allowed.
 * Every refusal, and every attempt on a person-level route, is written to the audit log.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FHIR_OUT_SYSTEMS, FieldValidationError, InternalError, UserError, httpStatusFor, parseToken, referenceId, type CareAccess, type CareRelationship } from '@openphm/core';
import type { OperationalDb } from './operational/db.js';
import { writeAudit, type AuditEntry, type AuditOutcome } from './operational/audit.js';
import { RepeatedFailures } from './operational/audit-repeats.js';
import { SessionCache } from './operational/sessions.js';
import { ACCOUNT_ROLES, DELIVERY_READERS, EVERYONE, PERSON_LEVEL_ROLES } from '@openphm/core';
import type { Role, SessionUser } from './roles.js';
import { createRateLimiter, type RateLimiter, type RateLimitName } from './limits.js';

/** What is audited for a route: its action name, and whether every attempt is recorded or only what was granted. */
export interface AuditRule {
  readonly action: string;
  /** 'every': every attempt, granted, refused, invalid, not found or stale (person-level routes); 'granted': what was done (changes). */
  readonly attempts: 'every' | 'granted';
}
const every = (action: string): AuditRule => ({ action, attempts: 'every' });
const granted = (action: string): AuditRule => ({ action, attempts: 'granted' });

/**
 * Whose records a route acts on, for the roles bound to a neighbourhood: checked before the handler
 * runs (after the request is validated), refusals audited.
 * - resident: the person (`:personId`, or `personId` in the body) lives in the team's neighbourhood;
 * - referral / caseload-entry / task / meeting: the record (`:referralId`, `:entryId`, `:taskId`, `:meetingId`) is in the team's neighbourhood;
 * - neighbourhood: the neighbourhood asked for (`neighbourhood` in the query or body), when given, is the team's own;
 * - care-relationship: the professional has a legitimate relationship with the person (`:personId`, or
 *   `personId` in the body): core's care/relationship.ts rule (registered with a practice of their
 *   neighbourhood, on its caseload, referred to a service they work for, or a live break-glass grant);
 *   refused with core's NO_CARE_RELATIONSHIP otherwise. The relationships are kept on the request
 *   (request.scope.relationships) and named in its audit record;
 * - service-referral: the referral (`:referralId`) is to a service the professional works for (their
 *   team's referrals when they work for none): a service's inbox.
 * - fhir-subject (FHIR out's searches, docs/fhir-api.md): the care relationship with the person of the
 *   `patient` search parameter (Patient/<id>), kept as request.scope.personId; without one, a Task
 *   search's `owner` must be the professional's own team.
 */
export type Scope = 'resident' | 'referral' | 'caseload-entry' | 'task' | 'meeting' | 'neighbourhood' | 'care-relationship' | 'service-referral' | 'fhir-subject';

export interface RouteRule {
  readonly roles: readonly Role[];
  readonly audit?: AuditRule;
  readonly scope?: Scope;
  /** A per-user limit (limits.ts): a signed-in user's token bucket, shared by the routes naming it; beyond it 429 with Retry-After, audited. */
  readonly limit?: RateLimitName;
}

/** Every /api route: who may call it, what is audited and whose records it acts on. */
export const ROUTES = {
  'GET /api/health': { roles: EVERYONE },
  'GET /api/openapi.json': { roles: EVERYONE },
  'POST /api/auth/login': { roles: EVERYONE },
  'POST /api/auth/logout': { roles: EVERYONE, audit: granted('auth.logout') },
  'GET /api/auth/me': { roles: EVERYONE },
  // Signing in (log-ins and single sign-on are audited by their handlers: they are not signed in yet).
  'GET /api/auth/methods': { roles: EVERYONE },
  'GET /api/auth/oidc/login': { roles: EVERYONE },
  'GET /api/auth/oidc/callback': { roles: EVERYONE },
  'POST /api/auth/totp': { roles: ACCOUNT_ROLES, audit: granted('auth.totp-start') },
  'POST /api/auth/totp/confirm': { roles: ACCOUNT_ROLES, audit: every('auth.totp-enrol') },
  // Published aggregates (disclosure-controlled) and reference geography.
  'GET /api/geography': { roles: EVERYONE },
  'GET /api/geography/lsoa.geojson': { roles: EVERYONE },
  'GET /api/geography/neighbourhoods.geojson': { roles: EVERYONE },
  'GET /api/geography/places.geojson': { roles: EVERYONE },
  'GET /api/geography/postcode': { roles: EVERYONE },
  'GET /api/population/summary': { roles: EVERYONE },
  'GET /api/indicators': { roles: EVERYONE },
  'GET /api/indicators/:id/results': { roles: EVERYONE },
  'GET /api/indicators/:id/trend': { roles: EVERYONE },
  'GET /api/dashboard': { roles: EVERYONE },
  'GET /api/segments': { roles: EVERYONE },
  'GET /api/risk': { roles: EVERYONE },
  // The cohort builder: disclosure-controlled counts, for signed-in analysts and neighbourhood teams.
  'GET /api/cohorts': { roles: PERSON_LEVEL_ROLES },
  'POST /api/cohorts/count': { roles: PERSON_LEVEL_ROLES, limit: 'cohort-count' },
  // Saved cohorts (docs/cohorts.md "Saved cohorts"): saved, versioned, shared and archived by their owner; every change audited.
  'POST /api/cohorts/saved': { roles: PERSON_LEVEL_ROLES, audit: granted('cohort.save') },
  'GET /api/cohorts/saved/:cohortId': { roles: PERSON_LEVEL_ROLES },
  'POST /api/cohorts/saved/:cohortId/versions': { roles: PERSON_LEVEL_ROLES, audit: granted('cohort.version') },
  'PUT /api/cohorts/saved/:cohortId/sharing': { roles: PERSON_LEVEL_ROLES, audit: granted('cohort.share') },
  'DELETE /api/cohorts/saved/:cohortId': { roles: PERSON_LEVEL_ROLES, audit: granted('cohort.archive') },
  // Pseudonymous person-level rows: the neighbourhood role only for its own residents / neighbourhood (the route's scope);
  // every person-level route shares each user's 'person-level' limit (limits.ts).
  'GET /api/people/:personId': { roles: PERSON_LEVEL_ROLES, audit: every('person.view'), scope: 'resident', limit: 'person-level' },
  'GET /api/worklist': { roles: PERSON_LEVEL_ROLES, audit: every('worklist.view'), scope: 'neighbourhood', limit: 'person-level' },
  'POST /api/worklist': { roles: PERSON_LEVEL_ROLES, audit: every('worklist.view'), scope: 'neighbourhood', limit: 'person-level' },
  // Delivery assurance: published scorecards for everyone; registers and board reports for signed-in
  // staff and board members; changes by programme leads only (docs/delivery.md).
  'GET /api/strategies': { roles: EVERYONE },
  'POST /api/strategies': { roles: ['programme'], audit: granted('strategy.create') },
  'GET /api/strategies/:strategyId/scorecard': { roles: EVERYONE },
  'GET /api/strategies/:strategyId/actions': { roles: DELIVERY_READERS },
  'POST /api/strategies/:strategyId/actions': { roles: ['programme'], audit: granted('action.create') },
  'PATCH /api/actions/:actionId': { roles: ['programme'], audit: granted('action.update') },
  'GET /api/actions/:actionId/history': { roles: DELIVERY_READERS },
  'GET /api/strategies/:strategyId/risks': { roles: DELIVERY_READERS },
  'POST /api/strategies/:strategyId/risks': { roles: ['programme'], audit: granted('risk.create') },
  'PATCH /api/risks/:riskId': { roles: ['programme'], audit: granted('risk.update') },
  'GET /api/risks/:riskId/history': { roles: DELIVERY_READERS },
  'POST /api/strategies/:strategyId/measures/:measureId/values': { roles: ['programme'], audit: granted('measure.value') },
  'POST /api/strategies/:strategyId/measures/:measureId/commentary': { roles: ['programme'], audit: granted('measure.commentary') },
  'GET /api/strategies/:strategyId/measure-links': { roles: DELIVERY_READERS },
  'PUT /api/strategies/:strategyId/measures/:measureId': { roles: ['programme'], audit: granted('strategy.edit') },
  'POST /api/strategies/:strategyId/changes': { roles: ['programme'], audit: granted('strategy.change') },
  'GET /api/strategies/:strategyId/versions': { roles: EVERYONE },
  'GET /api/strategies/:strategyId/versions/:version': { roles: EVERYONE },
  'GET /api/strategies/:strategyId/report': { roles: DELIVERY_READERS },
  // Joining up care: the directory and its Open Referral UK feed are public; directory entries are
  // changed by programme leads; referrals are person-level (neighbourhood teams for their own
  // residents, analysts read; every attempt audited); their reach is published aggregates.
  'GET /api/directory/services': { roles: EVERYONE },
  'GET /api/directory/services/:serviceId': { roles: EVERYONE },
  'POST /api/directory/services': { roles: ['programme'], audit: granted('directory.create') },
  'PUT /api/directory/services/:serviceId': { roles: ['programme'], audit: granted('directory.update') },
  'GET /api/oruk': { roles: EVERYONE },
  'GET /api/oruk/services': { roles: EVERYONE },
  'GET /api/oruk/services/:id': { roles: EVERYONE },
  'GET /api/oruk/taxonomies': { roles: EVERYONE },
  'GET /api/oruk/taxonomy_terms': { roles: EVERYONE },
  'GET /api/referrals': { roles: PERSON_LEVEL_ROLES, audit: every('referral.list'), scope: 'neighbourhood', limit: 'person-level' },
  // Making a referral needs a care relationship (registered with a practice of the team's neighbourhood, on its caseload, referred to a
  // service one works for, or break-glass), as taking someone on does: a referral gives whoever works for the service a relationship with
  // the person, so living in the neighbourhood is not enough. The referral is the team's.
  'POST /api/referrals': { roles: ['neighbourhood'], audit: every('referral.create'), scope: 'care-relationship', limit: 'person-level' },
  'PATCH /api/referrals/:referralId': { roles: ['neighbourhood'], audit: every('referral.update'), scope: 'referral', limit: 'person-level' },
  'GET /api/referrals/:referralId/history': { roles: PERSON_LEVEL_ROLES, audit: every('referral.history'), scope: 'referral', limit: 'person-level' },
  'GET /api/referrals/reach': { roles: DELIVERY_READERS },
  'GET /api/referrals/evaluation': { roles: DELIVERY_READERS },
  // Care and support plans: the neighbourhood team only (own residents); the caseload: the team, and analysts read.
  'GET /api/people/:personId/care-plan': { roles: ['neighbourhood'], audit: every('careplan.view'), scope: 'resident', limit: 'person-level' },
  'POST /api/people/:personId/care-plan': { roles: ['neighbourhood'], audit: every('careplan.create'), scope: 'resident', limit: 'person-level' },
  'PUT /api/people/:personId/care-plan': { roles: ['neighbourhood'], audit: every('careplan.update'), scope: 'resident', limit: 'person-level' },
  'GET /api/caseload': { roles: PERSON_LEVEL_ROLES, audit: every('caseload.list'), scope: 'neighbourhood', limit: 'person-level' },
  'GET /api/caseload/evaluation': { roles: DELIVERY_READERS },
  // Taking someone on needs a care relationship (registered with a practice of the team's neighbourhood, referred to a service one works
  // for, or break-glass): living there is not enough, as the person's own practice's team cares for them. The episode is the team's.
  'POST /api/caseload': { roles: ['neighbourhood'], audit: every('caseload.add'), scope: 'care-relationship', limit: 'person-level' },
  'PATCH /api/caseload/:entryId': { roles: ['neighbourhood'], audit: every('caseload.update'), scope: 'caseload-entry', limit: 'person-level' },
  'GET /api/caseload/:entryId/history': { roles: PERSON_LEVEL_ROLES, audit: every('caseload.history'), scope: 'caseload-entry', limit: 'person-level' },
  // Who people are (the identifiable zone, docs/security.md "Identity model"): care professionals only, within a legitimate
  // relationship or after breaking glass (a stated reason, 4 hours, an admin's alert); every attempt audited.
  'GET /api/care/search': { roles: ['neighbourhood'], audit: every('care.search'), limit: 'person-level' },
  'GET /api/care/people/:personId': { roles: ['neighbourhood'], audit: every('care.identity.view'), scope: 'care-relationship', limit: 'person-level' },
  'POST /api/care/people/:personId/break-glass': { roles: ['neighbourhood'], audit: every('care.break-glass'), limit: 'person-level' },
  'GET /api/admin/break-glass': { roles: ['admin'], audit: granted('break-glass.alerts') },
  // A person's record in plain terms for their care team (the care zone, within a care relationship): the whole record, its timeline, the advance care plan (EPaCCS) and alerts.
  'GET /api/care/people/:personId/record': { roles: ['neighbourhood'], audit: every('care.record.view'), scope: 'care-relationship', limit: 'person-level' },
  'GET /api/care/people/:personId/timeline': { roles: ['neighbourhood'], audit: every('care.timeline.view'), scope: 'care-relationship', limit: 'person-level' },
  'GET /api/care/people/:personId/advance-care-plan': { roles: ['neighbourhood'], audit: every('care.acp.view'), scope: 'care-relationship', limit: 'person-level' },
  'PUT /api/care/people/:personId/advance-care-plan': { roles: ['neighbourhood'], audit: every('care.acp.update'), scope: 'care-relationship', limit: 'person-level' },
  'GET /api/care/people/:personId/alerts': { roles: ['neighbourhood'], audit: every('care.alert.list'), scope: 'care-relationship', limit: 'person-level' },
  'POST /api/care/people/:personId/alerts': { roles: ['neighbourhood'], audit: every('care.alert.create'), scope: 'care-relationship', limit: 'person-level' },
  'PATCH /api/care/people/:personId/alerts/:alertId': { roles: ['neighbourhood'], audit: every('care.alert.update'), scope: 'care-relationship', limit: 'person-level' },
  'GET /api/caseload/:entryId/reviews': { roles: ['neighbourhood'], audit: every('caseload.reviews'), scope: 'caseload-entry', limit: 'person-level' },
  'POST /api/caseload/:entryId/reviews': { roles: ['neighbourhood'], audit: every('caseload.review'), scope: 'caseload-entry', limit: 'person-level' },
  'PATCH /api/caseload/:entryId/key-worker': { roles: ['neighbourhood'], audit: every('caseload.key-worker'), scope: 'caseload-entry', limit: 'person-level' },
  // A team that works together (docs/care-teams.md): tasks, notes on a person, MDT meetings, notifications and a
  // service's inbox of referrals, for care professionals only; every person-level read and change audited.
  'GET /api/care/team': { roles: ['neighbourhood'] },
  'GET /api/care/tasks': { roles: ['neighbourhood'], audit: every('task.list'), scope: 'neighbourhood', limit: 'person-level' },
  'POST /api/care/tasks': { roles: ['neighbourhood'], audit: every('task.create'), scope: 'care-relationship', limit: 'person-level' },
  'PATCH /api/care/tasks/:taskId': { roles: ['neighbourhood'], audit: every('task.update'), scope: 'task', limit: 'person-level' },
  'GET /api/care/people/:personId/tasks': { roles: ['neighbourhood'], audit: every('task.person'), scope: 'care-relationship', limit: 'person-level' },
  'GET /api/care/people/:personId/notes': { roles: ['neighbourhood'], audit: every('note.list'), scope: 'care-relationship', limit: 'person-level' },
  'POST /api/care/people/:personId/notes': { roles: ['neighbourhood'], audit: every('note.create'), scope: 'care-relationship', limit: 'person-level' },
  'GET /api/care/meetings': { roles: ['neighbourhood'] },
  'POST /api/care/meetings': { roles: ['neighbourhood'], audit: granted('meeting.create') },
  'GET /api/care/meetings/:meetingId': { roles: ['neighbourhood'], audit: every('meeting.view'), scope: 'meeting', limit: 'person-level' },
  'POST /api/care/meetings/:meetingId/items': { roles: ['neighbourhood'], audit: every('meeting.agenda'), scope: 'care-relationship', limit: 'person-level' },
  'POST /api/care/meetings/:meetingId/items/:itemId/outcome': { roles: ['neighbourhood'], audit: every('meeting.outcome'), scope: 'meeting', limit: 'person-level' },
  'GET /api/care/notifications': { roles: ['neighbourhood'], audit: every('notification.list'), limit: 'person-level' },
  'GET /api/care/notifications/count': { roles: ['neighbourhood'] },
  'POST /api/care/notifications/read': { roles: ['neighbourhood'], audit: granted('notification.read') },
  'GET /api/care/inbox': { roles: ['neighbourhood'], audit: every('inbox.view'), scope: 'neighbourhood', limit: 'person-level' },
  'POST /api/care/inbox/:referralId/decision': { roles: ['neighbourhood'], audit: every('referral.decide'), scope: 'service-referral', limit: 'person-level' },
  // Administration.
  'GET /api/audit': { roles: ['admin'], audit: granted('audit.view') },
  'GET /api/audit/people/:personId': { roles: ['admin'], audit: granted('audit.subject-access') },
  'GET /api/audit/chain': { roles: ['admin'], audit: granted('audit.chain') },
  // Accounts: grants of person-level or admin roles are requests a second admin approves (every attempt to decide one audited).
  'GET /api/admin/neighbourhoods': { roles: ['admin'] },
  'PUT /api/admin/neighbourhoods/:neighbourhoodId/name': { roles: ['admin'], audit: granted('neighbourhood.rename') },
  'GET /api/admin/users': { roles: ['admin'] },
  'POST /api/admin/users': { roles: ['admin'], audit: granted('user.create') },
  'PATCH /api/admin/users/:userId': { roles: ['admin'], audit: granted('user.update') },
  'PUT /api/admin/users/:userId/role': { roles: ['admin'], audit: granted('user.role') },
  'POST /api/admin/users/:userId/totp-reset': { roles: ['admin'], audit: granted('user.totp-reset') },
  // Which directory services a care professional works for: their service inbox, and a care relationship with the people referred to them.
  'PUT /api/admin/users/:userId/services': { roles: ['admin'], audit: granted('user.services') },
  'POST /api/admin/requests/:requestId/approve': { roles: ['admin'], audit: every('user.approve') },
  'POST /api/admin/requests/:requestId/reject': { roles: ['admin'], audit: every('user.reject') },
  'POST /api/admin/lockouts/:lockoutId/lift': { roles: ['admin'], audit: granted('auth.unlock') },
  // FHIR out (docs/fhir-api.md): read-only FHIR R4 for care teams' systems. Person-level resources as in the care zone: care
  // professionals only, within a care relationship with the person (or break-glass), every attempt audited; the directory public.
  'GET /fhir/metadata': { roles: EVERYONE },
  'GET /fhir/Patient': { roles: ['neighbourhood'], audit: every('fhir.patient.search'), limit: 'person-level' },
  'GET /fhir/Patient/:personId': { roles: ['neighbourhood'], audit: every('fhir.patient.read'), scope: 'care-relationship', limit: 'person-level' },
  'GET /fhir/Condition': { roles: ['neighbourhood'], audit: every('fhir.condition.search'), scope: 'fhir-subject', limit: 'person-level' },
  'GET /fhir/CarePlan': { roles: ['neighbourhood'], audit: every('fhir.careplan.search'), scope: 'fhir-subject', limit: 'person-level' },
  'GET /fhir/ServiceRequest': { roles: ['neighbourhood'], audit: every('fhir.servicerequest.search'), scope: 'fhir-subject', limit: 'person-level' },
  'GET /fhir/Task': { roles: ['neighbourhood'], audit: every('fhir.task.search'), scope: 'fhir-subject', limit: 'person-level' },
  'GET /fhir/EpisodeOfCare': { roles: ['neighbourhood'], audit: every('fhir.episodeofcare.search'), scope: 'fhir-subject', limit: 'person-level' },
  'GET /fhir/HealthcareService': { roles: EVERYONE },
  'GET /fhir/HealthcareService/:id': { roles: EVERYONE },
  'GET /fhir/Location': { roles: EVERYONE },
  'GET /fhir/Location/:id': { roles: EVERYONE },
  'GET /fhir/Organization': { roles: EVERYONE },
  'GET /fhir/Organization/:id': { roles: EVERYONE },
} as const satisfies Record<string, RouteRule>;

export type RouteKey = keyof typeof ROUTES;

export const SESSION_COOKIE = 'phm_session';

export interface RequestAuth {
  readonly user: SessionUser | null;
  readonly role: Role;
}

/** What the scope check found: the neighbourhood of the person or record the request is about. */
export interface RequestScope {
  readonly neighbourhoodId: string | null;
  /** For the care-relationship scope: what allows the professional to see the person. */
  readonly relationships?: readonly CareRelationship[];
  /** For the fhir-subject scope: the person of the `patient` search parameter (none: a search by owner). */
  readonly personId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth;
    /** Set by the scope check for routes with a scope. */
    scope: RequestScope | null;
    /** What a handler adds to the audit record of a granted request (never person data). */
    auditDetail: string | null;
    /** Whether this request's audit record is written (so it is written once). */
    audited: boolean;
  }
}

const PUBLIC: RequestAuth = { user: null, role: 'public' };

export const routeKeyOf = (method: string, url: string | undefined): string | undefined =>
  url === undefined ? undefined : `${method === 'HEAD' ? 'GET' : method} ${url}`;

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const safeId = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' && SAFE_ID.test(v) ? v : '(invalid)');

/** Routes whose person is in the request body (`personId`): their audit records name the person. */
const BODY_PERSON_ROUTES = new Set(['/api/referrals', '/api/caseload', '/api/care/tasks', '/api/care/meetings/:meetingId/items']);

/**
 * The resource an audited request is about (only pattern-checked text is echoed): `person:123`, or
 * for worklists `worklist:<cohort id | ad-hoc>@<neighbourhood id>` (never person data).
 */
export const resourceOf = (request: FastifyRequest): string | null => {
  if (request.routeOptions?.url === '/api/worklist') {
    const q = (request.query ?? {}) as Record<string, unknown>;
    const b = (request.body ?? {}) as Record<string, unknown>;
    const cohort = q.cohort !== undefined ? safeId(q.cohort) : request.method === 'POST' ? 'ad-hoc' : '(none)';
    return `worklist:${cohort}@${safeId(q.neighbourhood ?? b.neighbourhood)}`;
  }
  const params = request.params as Record<string, unknown> | undefined;
  const id = params?.personId;
  if (typeof id === 'string') return /^\d{1,18}$/.test(id) ? `person:${id}` : 'person:(invalid id)';
  // FHIR out's searches name their person in the `patient` parameter (Patient/<id>).
  const patient = (request.query as Record<string, unknown> | undefined)?.patient;
  if (request.routeOptions?.url?.startsWith('/fhir/') && typeof patient === 'string') {
    const m = /^(?:Patient\/)?(\d{1,18})$/.exec(patient);
    return m ? `person:${m[1]}` : 'person:(invalid id)';
  }
  if (params?.referralId !== undefined) return `referral:${safeId(String(params.referralId))}`;
  if (params?.entryId !== undefined) return `caseload:${safeId(String(params.entryId))}`;
  if (params?.taskId !== undefined) return `task:${safeId(String(params.taskId))}`;
  if (params?.meetingId !== undefined && params.itemId !== undefined) return `meeting:${safeId(String(params.meetingId))}/item:${safeId(String(params.itemId))}`;
  if (request.method === 'POST' && BODY_PERSON_ROUTES.has(request.routeOptions?.url ?? '')) {
    // Refusals by role are decided before the body is read: the person is then unknown.
    if (request.body === undefined || request.body === null) return 'person:(unknown)';
    const b = request.body as Record<string, unknown>;
    return typeof b.personId === 'string' && /^\d{1,18}$/.test(b.personId) ? `person:${b.personId}` : 'person:(invalid id)';
  }
  if (params?.userId !== undefined) return `user:${safeId(String(params.userId))}`;
  if (params?.requestId !== undefined) return `request:${safeId(String(params.requestId))}`;
  if (params?.lockoutId !== undefined) return `lockout:${safeId(String(params.lockoutId))}`;
  if (params?.actionId !== undefined) return `action:${safeId(String(params.actionId))}`;
  if (params?.riskId !== undefined) return `risk:${safeId(String(params.riskId))}`;
  if (params?.meetingId !== undefined) return `meeting:${safeId(String(params.meetingId))}`;
  if (params?.neighbourhoodId !== undefined) return `neighbourhood:${safeId(String(params.neighbourhoodId))}`;
  if (params?.cohortId !== undefined) return `cohort:${safeId(params.cohortId)}`;
  if (params?.strategyId !== undefined) return `strategy:${safeId(params.strategyId)}${params.measureId !== undefined ? `/${safeId(params.measureId)}` : ''}`;
  return null;
};

/** The audit record of a request (only pattern-checked text from it). */
export const auditEntryOf = (request: FastifyRequest, action: string, outcome: AuditOutcome, status: number, detail?: string): AuditEntry => ({
  userId: request.auth.user?.id ?? null,
  userEmail: request.auth.user?.email ?? null,
  role: request.auth.role,
  action,
  resource: resourceOf(request),
  outcome,
  status,
  ip: request.ip ?? null,
  detail: detail ?? null,
});

export const auditRequest = (db: OperationalDb, request: FastifyRequest, action: string, outcome: AuditOutcome, status: number, detail?: string) =>
  writeAudit(db, auditEntryOf(request, action, outcome, status, detail));

/** Who made a change, for registers' history: the account's email. */
export const actorOf = (request: { auth: { user: { email: string } | null } }): string => request.auth.user?.email ?? 'unknown';

/**
 * Where a scoped route's person or record lives, for the scope check: the person's neighbourhood
 * (null when not resident in one), or undefined when there is no such person. Records that do not
 * exist throw not-found.
 */
export interface ScopeLookups {
  readonly residence: (personId: string) => Promise<string | null | undefined>;
  readonly referral: (referralId: number) => Promise<string>;
  readonly caseloadEntry: (entryId: number) => Promise<string>;
  readonly task: (taskId: number) => Promise<string>;
  readonly meeting: (meetingId: number) => Promise<string>;
  /** Whether the professional may see the person (core's relationship rule); throws not-found when there is no such person. */
  readonly careRelationship: (user: SessionUser, personId: string) => Promise<CareAccess>;
  /** Why the professional may not decide a referral (it is to a service they do not work for), or null; throws not-found when there is no such referral. */
  readonly serviceReferral: (user: SessionUser, referralId: number) => Promise<string | null>;
}

type NeighbourhoodScope = Exclude<Scope, 'care-relationship' | 'service-referral' | 'fhir-subject'>;

const REFUSAL: Record<NeighbourhoodScope, string> = {
  resident: 'this person is not resident in your neighbourhood',
  referral: 'this referral is not in your neighbourhood',
  'caseload-entry': 'this episode is not in your neighbourhood',
  task: "this task is another neighbourhood team's",
  meeting: "this meeting is another neighbourhood team's",
  neighbourhood: 'you can see your own neighbourhood only',
};

const field = (source: unknown, name: string): unknown => (source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[name] : undefined);

/** The neighbourhood the request's person or record is in (null: none; undefined: no such person), by the route's scope. */
const SCOPE_CHECKS: Record<NeighbourhoodScope, (request: FastifyRequest, lookups: ScopeLookups) => Promise<string | null | undefined>> = {
  resident: async (request, lookups) => {
    const id = field(request.params, 'personId') ?? field(request.body, 'personId');
    return typeof id === 'string' ? lookups.residence(id) : undefined;
  },
  referral: async (request, lookups) => lookups.referral(Number(field(request.params, 'referralId'))),
  'caseload-entry': async (request, lookups) => lookups.caseloadEntry(Number(field(request.params, 'entryId'))),
  task: async (request, lookups) => lookups.task(Number(field(request.params, 'taskId'))),
  meeting: async (request, lookups) => lookups.meeting(Number(field(request.params, 'meetingId'))),
  neighbourhood: async (request) => {
    const asked = field(request.query, 'neighbourhood') ?? field(request.body, 'neighbourhood');
    return typeof asked === 'string' ? asked : (request.auth.user?.neighbourhoodId ?? null);
  },
};

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a state-changing request comes from another site (a forged request from a page the user
 * has open): its Origin is not this host, or the browser says it is cross-site. Requests without
 * either header (the CLI, scripts) are not browsers' and pass.
 */
export const isCrossSite = (request: Pick<FastifyRequest, 'method' | 'headers'>): boolean => {
  if (!CHANGES.has(request.method)) return false;
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    const from = new URL(origin);
    // The Host header as the browser's origin would write it (a default port dropped).
    return from.host !== new URL(`${from.protocol}//${request.headers.host ?? ''}`).host;
  } catch {
    return true;
  }
};

/** The team's own neighbourhood when the role is bound to one (the neighbourhood role), else null. */
export const ownNeighbourhood = (user: SessionUser | null): string | null => (user?.role === 'neighbourhood' ? user.neighbourhoodId : null);

const ruleOf = (request: FastifyRequest): { key: RouteKey; rule: RouteRule } | undefined => {
  const key = routeKeyOf(request.method, request.routeOptions?.url);
  return key !== undefined && key in ROUTES ? { key: key as RouteKey, rule: ROUTES[key as RouteKey] } : undefined;
};

/** The audit record of a failed request: what went wrong, by the error's kind. */
const failureOf = (error: Error & { validation?: unknown; statusCode?: number }): { outcome: AuditOutcome; status: number; detail?: string } => {
  if (error instanceof UserError) {
    if (error.kind === 'not-found') return { outcome: 'not-found', status: 404 };
    if (error.kind === 'conflict') return { outcome: 'failed', status: 409, detail: 'changed since it was read' };
    if (error.kind === 'forbidden') return { outcome: 'denied', status: 403, detail: error.message.slice(0, 200) };
    if (error.kind === 'unauthenticated') return { outcome: 'unauthenticated', status: 401 };
    return { outcome: 'failed', status: httpStatusFor(error), detail: 'invalid request' };
  }
  if (error.validation || error.statusCode === 400) return { outcome: 'failed', status: 400, detail: 'invalid request' };
  return { outcome: 'failed', status: error.statusCode ?? 500 };
};

/**
 * Installs the route table on every /api route, as one mechanism: authentication (session cookie →
 * user); the roles (401 / 403, refusals audited); the route's per-user limit (429 with Retry-After,
 * refusals audited: limits.ts); the scope (after validation, before the handler:
 * the neighbourhood role acts only within its own neighbourhood, refusals audited); and the audit
 * record, written before the response is sent: every attempt for 'every' routes, what was granted
 * (to a signed-in user) for 'granted' ones. A route missing from the table cannot be registered.
 */
export const installAccessControl = (app: FastifyInstance, db: OperationalDb, lookups: ScopeLookups, limiter: RateLimiter = createRateLimiter()): void => {
  app.decorateRequest('auth', null as unknown as RequestAuth);
  app.decorateRequest('scope', null);
  app.decorateRequest('auditDetail', null);
  app.decorateRequest('audited', false);

  // Sessions' users kept for a few seconds (operational/sessions.ts SessionCache), cleared by every change.
  const sessions = new SessionCache();

  // Anonymous refusals and failures from one address are written once a minute with a count (operational/audit-repeats.ts).
  const repeats = new RepeatedFailures();
  const writeSummaries = async (summaries: readonly AuditEntry[]) => {
    for (const summary of summaries) await writeAudit(db, summary);
  };
  const sweep = setInterval(() => void writeSummaries(repeats.closeBefore(Date.now() - 60_000)).catch(() => undefined), 60_000);
  sweep.unref();
  app.addHook('preClose', async () => {
    clearInterval(sweep);
    await writeSummaries(repeats.closeBefore()).catch(() => undefined);
  });

  const audit = async (request: FastifyRequest, action: string, outcome: AuditOutcome, status: number, detail?: string) => {
    if (request.audited) return;
    request.audited = true;
    const entry = auditEntryOf(request, action, outcome, status, detail);
    // Signed-in users answer for what they do: each of their refusals is a row. Anonymous floods are
    // summed up, and so are a signed-in user's requests beyond their per-user limit (429: nothing was
    // looked at; the first of a kind is written at once, the rest a minute later as one row with the
    // count and the resources), so a flood of them neither buries the log nor holds up everyone
    // else's requests behind its writes.
    if (outcome === 'granted' || (entry.role !== 'public' && status !== 429)) return writeAudit(db, entry);
    const { write, summaries } = repeats.note(entry, Date.now());
    await writeSummaries(summaries);
    if (write) await writeAudit(db, entry);
  };

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') && route.url !== '/api' && !route.url.startsWith('/fhir/')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      const key = routeKeyOf(method, route.url)!;
      if (!(key in ROUTES)) throw new InternalError(`route ${key} has no entry in the route table (ROUTES, packages/server/src/access.ts)`);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    request.auth = PUBLIC;
    request.scope = null;
    request.auditDetail = null;
    request.audited = false;
    const found = ruleOf(request);
    if (found === undefined) return;
    let auth = PUBLIC;
    const raw = request.cookies[SESSION_COOKIE];
    if (raw) {
      const unsigned = request.unsignCookie(raw);
      if (unsigned.valid && unsigned.value) {
        const user = await sessions.user(db, unsigned.value);
        if (user) auth = { user, role: user.role };
      }
    }
    request.auth = auth;
    const { key, rule } = found;
    if (isCrossSite(request)) {
      await audit(request, rule.audit?.attempts === 'every' ? rule.audit.action : key, 'denied', 403, 'cross-site request');
      throw new UserError('a request that changes something must come from this site', 'forbidden');
    }
    const action = rule.audit?.attempts === 'every' ? rule.audit.action : key;
    if ((rule.roles as readonly Role[]).includes(auth.role)) {
      if (rule.limit === undefined || auth.user === null) return;
      const admitted = limiter.take(rule.limit, auth.user.id);
      if (admitted.granted) return;
      const { burst, perSecond } = limiter.limitOf(rule.limit);
      reply.header('retry-after', String(admitted.retryAfterSeconds));
      await audit(request, action, 'denied', 429, `too many requests: over the ${rule.limit} limit (${burst} at once, ${perSecond} a second); retry after ${admitted.retryAfterSeconds} s`);
      // Held before it is sent (limits.ts REFUSAL_HOLD_MS), so that a flood of refusals does not take everyone else's time.
      await limiter.hold(auth.user.id);
      throw new UserError(`too many requests: at most ${burst} at once and ${perSecond} a second on these routes; try again in ${admitted.retryAfterSeconds} s`, 'rate-limited');
    }
    if (auth.role === 'public') {
      await audit(request, action, 'unauthenticated', 401);
      throw new UserError('log in to use this', 'unauthenticated');
    }
    await audit(request, action, 'denied', 403, `role ${auth.role} may not use ${key}`);
    throw new UserError(`the ${auth.role} role may not use this`, 'forbidden');
  });

  app.addHook('preHandler', async (request) => {
    const scope = ruleOf(request)?.rule.scope;
    if (scope === undefined) return;
    if (scope === 'care-relationship') {
      const user = request.auth.user;
      if (user === null || user.role !== 'neighbourhood') throw new UserError('only care professionals see identities', 'forbidden');
      const id = field(request.params, 'personId') ?? field(request.body, 'personId');
      if (typeof id !== 'string') throw new InternalError(`route ${request.routeOptions.url} has no person for its care-relationship scope`);
      const access = await lookups.careRelationship(user, id);
      if (!access.allowed) throw new UserError(access.reason, 'forbidden');
      request.scope = { neighbourhoodId: user.neighbourhoodId, relationships: access.relationships };
      return;
    }
    if (scope === 'fhir-subject') {
      const user = request.auth.user;
      if (user === null || user.role !== 'neighbourhood') throw new UserError('only care professionals see person-level FHIR resources', 'forbidden');
      const patient = field(request.query, 'patient');
      if (typeof patient === 'string') {
        const personId = referenceId('patient', 'Patient', patient);
        const access = await lookups.careRelationship(user, personId);
        if (!access.allowed) throw new UserError(access.reason, 'forbidden');
        request.scope = { neighbourhoodId: user.neighbourhoodId, relationships: access.relationships, personId };
        return;
      }
      const owner = field(request.query, 'owner');
      if (typeof owner !== 'string') throw new FieldValidationError('invalid search', [{ field: 'patient', message: 'search by patient (Patient/<id>), or for tasks by owner (your team)' }], 'usage');
      const team = parseToken(owner);
      if ((team.system !== undefined && team.system !== FHIR_OUT_SYSTEMS.neighbourhoodTeam) || team.value !== user.neighbourhoodId) {
        throw new UserError("you can see your own team's tasks only", 'forbidden');
      }
      request.scope = { neighbourhoodId: user.neighbourhoodId };
      return;
    }
    if (scope === 'service-referral') {
      const user = request.auth.user;
      if (user === null || user.role !== 'neighbourhood') throw new UserError('only care professionals decide referrals', 'forbidden');
      const refused = await lookups.serviceReferral(user, Number(field(request.params, 'referralId')));
      if (refused !== null) throw new UserError(refused, 'forbidden');
      request.scope = { neighbourhoodId: user.neighbourhoodId };
      return;
    }
    const where = await SCOPE_CHECKS[scope](request, lookups);
    const own = ownNeighbourhood(request.auth.user);
    if (own !== null && where !== own) throw new UserError(REFUSAL[scope], 'forbidden');
    request.scope = { neighbourhoodId: where ?? null };
  });

  app.addHook('onError', async (request, _reply, error) => {
    const rule = ruleOf(request)?.rule;
    if (rule?.audit?.attempts !== 'every') return;
    const failure = failureOf(error);
    const own = ownNeighbourhood(request.auth.user);
    const detail = failure.outcome === 'denied' && own !== null ? `neighbourhood ${own}: ${failure.detail ?? ''}` : failure.detail;
    await audit(request, rule.audit.action, failure.outcome, failure.status, detail);
  });

  app.addHook('onSend', async (request, reply) => {
    // A change handled (a log-in or log-out, an account or role changed; single sign-on's return from the
    // provider, a GET, also signs in and ends sessions): the next request reads sessions afresh.
    if (CHANGES.has(request.method) || request.url.startsWith('/api/auth/oidc/')) sessions.clear();
    const rule = ruleOf(request)?.rule;
    // Person-level responses and downloads are never kept by a browser or a proxy.
    if (rule?.audit?.attempts === 'every') reply.header('cache-control', 'no-store');
    if (rule?.audit === undefined || request.audited || reply.statusCode >= 400 || request.auth.user === null) return;
    // What allowed a care professional to see the person, on every granted record (break-glass access stands out).
    const relationships = request.scope?.relationships;
    const basis = relationships === undefined ? undefined : `care relationship: ${relationships.map((r) => r.kind).join('+')}`;
    const own = request.auditDetail ?? undefined;
    const detail = basis === undefined || own?.includes('care relationship:') ? own : own === undefined ? basis : `${own}; ${basis}`;
    await audit(request, rule.audit.action, 'granted', reply.statusCode, detail);
  });
};

/** The value of an audited result, its words kept for the audit record the route table writes. */
export const audited = <T>(request: FastifyRequest, result: { readonly value: T; readonly audit: string }): T => {
  request.auditDetail = result.audit;
  return result.value;
};

/** The neighbourhood the scope check found for a route scoped to a resident (the team's own, for the neighbourhood role). */
export const scopedNeighbourhood = (request: FastifyRequest): string => {
  const id = request.scope?.neighbourhoodId;
  if (id === undefined || id === null) throw new InternalError(`route ${request.routeOptions.url} has no resident scope in the route table`);
  return id;
};
