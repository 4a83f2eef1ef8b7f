/**
 * Who may call what: one table, checked in one hook for every /api route. A route missing from the
 * table cannot be registered (the server refuses to start), so nothing is reachable by accident.
 * 401 when a signed-in role is needed and there is no session; 403 when the role is not allowed.
 * Every refusal, and every attempt on a person-level route, is written to the audit log.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InternalError, UserError } from '@openphm/core';
import type { OperationalDb } from './operational/db.js';
import { writeAudit, type AuditOutcome } from './operational/audit.js';
import { sessionUser } from './operational/sessions.js';
import type { Role, SessionUser } from './roles.js';

const EVERYONE = ['public', 'analyst', 'neighbourhood', 'admin', 'programme', 'board'] as const satisfies readonly Role[];
/** Who reads the action plans, risk registers and board reports: staff and board members (not admins, whose role is accounts). */
const DELIVERY_READERS = ['analyst', 'neighbourhood', 'programme', 'board'] as const satisfies readonly Role[];

export const ROUTE_ACCESS = {
  'GET /api/health': EVERYONE,
  'GET /api/openapi.json': EVERYONE,
  'POST /api/auth/login': EVERYONE,
  'POST /api/auth/logout': EVERYONE,
  'GET /api/auth/me': EVERYONE,
  // Published aggregates (disclosure-controlled) and reference geography.
  'GET /api/geography': EVERYONE,
  'GET /api/geography/lsoa.geojson': EVERYONE,
  'GET /api/geography/neighbourhoods.geojson': EVERYONE,
  'GET /api/population/summary': EVERYONE,
  'GET /api/indicators': EVERYONE,
  'GET /api/indicators/:id/results': EVERYONE,
  'GET /api/indicators/:id/trend': EVERYONE,
  'GET /api/dashboard': EVERYONE,
  'GET /api/segments': EVERYONE,
  'GET /api/risk': EVERYONE,
  // The cohort builder: disclosure-controlled counts, for signed-in analysts and neighbourhood teams.
  'GET /api/cohorts': ['analyst', 'neighbourhood'],
  'POST /api/cohorts/count': ['analyst', 'neighbourhood'],
  // Pseudonymous person-level rows: the neighbourhood role only for its own residents / neighbourhood (checked in the handler).
  'GET /api/people/:personId': ['analyst', 'neighbourhood'],
  'GET /api/worklist': ['analyst', 'neighbourhood'],
  'POST /api/worklist': ['analyst', 'neighbourhood'],
  // Delivery assurance: published scorecards for everyone; registers and board reports for signed-in
  // staff and board members; changes by programme leads only (docs/delivery.md).
  'GET /api/strategies': EVERYONE,
  'GET /api/strategies/:strategyId/scorecard': EVERYONE,
  'GET /api/strategies/:strategyId/actions': DELIVERY_READERS,
  'POST /api/strategies/:strategyId/actions': ['programme'],
  'PATCH /api/actions/:actionId': ['programme'],
  'GET /api/actions/:actionId/history': DELIVERY_READERS,
  'GET /api/strategies/:strategyId/risks': DELIVERY_READERS,
  'POST /api/strategies/:strategyId/risks': ['programme'],
  'PATCH /api/risks/:riskId': ['programme'],
  'GET /api/risks/:riskId/history': DELIVERY_READERS,
  'POST /api/strategies/:strategyId/measures/:measureId/values': ['programme'],
  'PUT /api/strategies/:strategyId/measures/:measureId': ['programme'],
  'POST /api/strategies/:strategyId/changes': ['programme'],
  'GET /api/strategies/:strategyId/versions': EVERYONE,
  'GET /api/strategies/:strategyId/versions/:version': EVERYONE,
  'GET /api/strategies/:strategyId/report': DELIVERY_READERS,
  // Joining up care: the directory and its Open Referral UK feed are public; directory entries are
  // changed by programme leads; referrals are person-level (neighbourhood teams for their own
  // residents, analysts read; every attempt audited); their reach is published aggregates.
  'GET /api/directory/services': EVERYONE,
  'GET /api/directory/services/:serviceId': EVERYONE,
  'POST /api/directory/services': ['programme'],
  'PUT /api/directory/services/:serviceId': ['programme'],
  'GET /api/oruk': EVERYONE,
  'GET /api/oruk/services': EVERYONE,
  'GET /api/oruk/services/:id': EVERYONE,
  'GET /api/oruk/taxonomies': EVERYONE,
  'GET /api/oruk/taxonomy_terms': EVERYONE,
  'GET /api/referrals': ['analyst', 'neighbourhood'],
  'POST /api/referrals': ['neighbourhood'],
  'PATCH /api/referrals/:referralId': ['neighbourhood'],
  'GET /api/referrals/:referralId/history': ['analyst', 'neighbourhood'],
  'GET /api/referrals/reach': DELIVERY_READERS,
  'GET /api/referrals/evaluation': DELIVERY_READERS,
  // Care and support plans: the neighbourhood team only (own residents); the caseload: the team, and analysts read.
  'GET /api/people/:personId/care-plan': ['neighbourhood'],
  'POST /api/people/:personId/care-plan': ['neighbourhood'],
  'PUT /api/people/:personId/care-plan': ['neighbourhood'],
  'GET /api/caseload': ['analyst', 'neighbourhood'],
  'GET /api/caseload/evaluation': DELIVERY_READERS,
  'POST /api/caseload': ['neighbourhood'],
  'PATCH /api/caseload/:entryId': ['neighbourhood'],
  'GET /api/caseload/:entryId/history': ['analyst', 'neighbourhood'],
  // Administration.
  'GET /api/audit': ['admin'],
  'GET /api/admin/users': ['admin'],
  'POST /api/admin/users': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type RouteKey = keyof typeof ROUTE_ACCESS;

/** Routes whose every access, granted or refused, is audited (with the action name used in the log). */
export const PERSON_LEVEL: Partial<Record<RouteKey, string>> = {
  'GET /api/people/:personId': 'person.view',
  'GET /api/worklist': 'worklist.view',
  'POST /api/worklist': 'worklist.view',
  'GET /api/referrals': 'referral.list',
  'POST /api/referrals': 'referral.create',
  'PATCH /api/referrals/:referralId': 'referral.update',
  'GET /api/referrals/:referralId/history': 'referral.history',
  'GET /api/people/:personId/care-plan': 'careplan.view',
  'POST /api/people/:personId/care-plan': 'careplan.create',
  'PUT /api/people/:personId/care-plan': 'careplan.update',
  'GET /api/caseload': 'caseload.list',
  'POST /api/caseload': 'caseload.add',
  'PATCH /api/caseload/:entryId': 'caseload.update',
  'GET /api/caseload/:entryId/history': 'caseload.history',
};

export const SESSION_COOKIE = 'phm_session';

export interface RequestAuth {
  readonly user: SessionUser | null;
  readonly role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth;
  }
}

const PUBLIC: RequestAuth = { user: null, role: 'public' };

export const routeKeyOf = (method: string, url: string | undefined): string | undefined =>
  url === undefined ? undefined : `${method === 'HEAD' ? 'GET' : method} ${url}`;

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const safeId = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' && SAFE_ID.test(v) ? v : '(invalid)');

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
  if (params?.referralId !== undefined) return `referral:${safeId(String(params.referralId))}`;
  if (params?.entryId !== undefined) return `caseload:${safeId(String(params.entryId))}`;
  if ((request.routeOptions?.url === '/api/referrals' || request.routeOptions?.url === '/api/caseload') && request.method === 'POST') {
    // Refusals by role are decided before the body is read: the person is then unknown.
    if (request.body === undefined || request.body === null) return 'person:(unknown)';
    const b = request.body as Record<string, unknown>;
    return typeof b.personId === 'string' && /^\d{1,18}$/.test(b.personId) ? `person:${b.personId}` : 'person:(invalid id)';
  }
  if (params?.actionId !== undefined) return `action:${safeId(String(params.actionId))}`;
  if (params?.riskId !== undefined) return `risk:${safeId(String(params.riskId))}`;
  if (params?.strategyId !== undefined) return `strategy:${safeId(params.strategyId)}${params.measureId !== undefined ? `/${safeId(params.measureId)}` : ''}`;
  return null;
};

export const auditRequest = (db: OperationalDb, request: FastifyRequest, action: string, outcome: AuditOutcome, status: number, detail?: string) =>
  writeAudit(db, {
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

/** Who made a change, for registers' history: the account's email. */
export const actorOf = (request: { auth: { user: { email: string } | null } }): string => request.auth.user?.email ?? 'unknown';

/**
 * An onError hook for person-level routes, which audit every attempt: refusals by role or
 * neighbourhood are audited where they are decided; this adds invalid requests (400, 'failed'),
 * unknown records (404, 'not-found') and stale edits (409, 'failed').
 */
export const auditFailures =
  (db: OperationalDb, action: string) =>
  async (request: FastifyRequest, _reply: unknown, error: Error & { validation?: unknown; statusCode?: number }): Promise<void> => {
    const invalid = Boolean(error.validation) || (error.statusCode === 400 && !(error instanceof UserError));
    if (invalid) await auditRequest(db, request, action, 'failed', 400, 'invalid request');
    else if (error instanceof UserError && error.kind === 'not-found') await auditRequest(db, request, action, 'not-found', 404);
    else if (error instanceof UserError && error.kind === 'conflict') await auditRequest(db, request, action, 'failed', 409, 'changed since it was read');
  };

/** Installs authentication (session cookie → user) and the access table on every /api route. */
export const installAccessControl = (app: FastifyInstance, db: OperationalDb): void => {
  app.decorateRequest('auth', null as unknown as RequestAuth);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') && route.url !== '/api') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      const key = routeKeyOf(method, route.url)!;
      if (!(key in ROUTE_ACCESS)) throw new InternalError(`route ${key} has no entry in ROUTE_ACCESS (packages/server/src/access.ts)`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const key = routeKeyOf(request.method, request.routeOptions.url);
    request.auth = PUBLIC;
    if (key === undefined || !(key in ROUTE_ACCESS)) return;
    let auth = PUBLIC;
    const raw = request.cookies[SESSION_COOKIE];
    if (raw) {
      const unsigned = request.unsignCookie(raw);
      if (unsigned.valid && unsigned.value) {
        const user = await sessionUser(db, unsigned.value);
        if (user) auth = { user, role: user.role };
      }
    }
    request.auth = auth;
    const allowed = ROUTE_ACCESS[key as RouteKey] as readonly Role[];
    if (allowed.includes(auth.role)) return;
    const action = PERSON_LEVEL[key as RouteKey] ?? key;
    if (auth.role === 'public') {
      await auditRequest(db, request, action, 'unauthenticated', 401);
      throw new UserError('log in to use this', 'unauthenticated');
    }
    await auditRequest(db, request, action, 'denied', 403, `role ${auth.role} may not use ${key}`);
    throw new UserError(`the ${auth.role} role may not use this`, 'forbidden');
  });
};
