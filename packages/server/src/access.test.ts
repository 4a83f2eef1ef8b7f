/**
 * The route table (ROUTES) checked for its shape, rule by rule: a route that acts on whose records
 * (a scope) audits every attempt and is open only to the roles that see person-level rows; every
 * change (POST, PUT, PATCH, DELETE) is audited but for a short list of named exceptions; and every
 * entry is a route the server registers (the server already refuses a route with no entry). Each
 * rule is a function of a table, shown to fail on a table that breaks it.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { PERSON_LEVEL_ROLES } from '@openphm/core';
import { ROUTES, type RouteRule } from './access.js';
import { listAudit } from './operational/audit.js';
import type { Role } from './roles.js';
import { useServer, useSignedInServer } from './test-support.js';

type Table = Readonly<Record<string, RouteRule>>;

const TABLE: Table = ROUTES;

/** Roles that may see person-level rows (the neighbourhood role among them, for its own residents). */
const SCOPED_ROLES: readonly Role[] = [...PERSON_LEVEL_ROLES, 'neighbourhood'];

/** Scoped routes that do not audit every attempt, or that another role may call. */
const scopeProblems = (table: Table): string[] =>
  Object.entries(table)
    .filter(([, rule]) => rule.scope !== undefined)
    .flatMap(([key, rule]) => [
      ...(rule.audit?.attempts === 'every' ? [] : [`${key}: scoped (${rule.scope}) but does not audit every attempt`]),
      ...rule.roles.filter((role) => !SCOPED_ROLES.includes(role)).map((role) => `${key}: scoped (${rule.scope}) but open to ${role}`),
    ]);

/** Scoped routes (person-level rows) that do not name the per-user person-level limit. */
const unlimitedScoped = (table: Table): string[] =>
  Object.entries(table)
    .filter(([, rule]) => rule.scope !== undefined && rule.limit !== 'person-level')
    .map(([key]) => `${key}: scoped (${rule(table, key).scope}) but not under the person-level limit`);
const rule = (table: Table, key: string): RouteRule => table[key]!;

const CHANGES = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Changes that declare no audit action, each for a reason: signing in (a session, not a change to
 * records) and counting a cohort (a query by POST; what the builder's rules catch, differencing and
 * pauses, is audited by data/cohort-counts.ts, not every count).
 */
const UNAUDITED_CHANGES = ['POST /api/auth/login', 'POST /api/cohorts/count'];

/** Changes with no audit action, but for the named exceptions. */
const unauditedChanges = (table: Table, exceptions: readonly string[]): string[] =>
  Object.entries(table)
    .filter(([key, rule]) => CHANGES.includes(key.split(' ')[0]!) && rule.audit === undefined && !exceptions.includes(key))
    .map(([key]) => key);

/** Exceptions that are no longer in the table, or that declare an audit action after all (so the list cannot go stale). */
const staleExceptions = (table: Table, exceptions: readonly string[]): string[] => exceptions.filter((key) => table[key] === undefined || table[key]!.audit !== undefined);

/** Entries of the table that the server has no route for. */
const unregistered = (app: FastifyInstance, table: Table): string[] =>
  Object.keys(table).filter((key) => {
    const [method, url] = key.split(' ') as [string, string];
    return !app.hasRoute({ method: method as 'GET', url });
  });

describe('the route table (ROUTES)', () => {
  it('has entries of the form "METHOD /api/…" (and FHIR out\'s "GET /fhir/…", read-only)', () => {
    const keys = Object.keys(TABLE);
    expect(keys.length).toBeGreaterThan(50);
    expect(keys.filter((k) => !/^(GET|POST|PUT|PATCH|DELETE) \/api\/\S+$/.test(k) && !/^GET \/fhir\/\S+$/.test(k))).toEqual([]);
  });

  describe('scoped routes audit every attempt and are for roles that see person-level rows', () => {
    it.each(Object.entries(TABLE).filter(([, rule]) => rule.scope !== undefined))('%s', (key, rule) => {
      expect(scopeProblems({ [key]: rule })).toEqual([]);
    });

    it('there are scoped routes to check', () => {
      expect(Object.values(TABLE).filter((rule) => rule.scope !== undefined).length).toBeGreaterThan(5);
    });

    it('the check fails on a scoped route audited only when granted, or open to another role', () => {
      expect(scopeProblems({ 'GET /api/x/:personId': { roles: ['analyst'], audit: { action: 'x.view', attempts: 'granted' }, scope: 'resident' } })).toEqual([
        'GET /api/x/:personId: scoped (resident) but does not audit every attempt',
      ]);
      expect(scopeProblems({ 'GET /api/x/:personId': { roles: ['analyst', 'board'], scope: 'resident' } })).toEqual([
        'GET /api/x/:personId: scoped (resident) but does not audit every attempt',
        'GET /api/x/:personId: scoped (resident) but open to board',
      ]);
      expect(scopeProblems({ 'GET /api/x/:personId': { roles: ['neighbourhood'], audit: { action: 'x.view', attempts: 'every' }, scope: 'resident' } })).toEqual([]);
    });
  });

  describe('routes with person-level rows share the per-user person-level limit', () => {
    it('every scoped route names it', () => {
      expect(unlimitedScoped(TABLE)).toEqual([]);
    });

    it('the check fails on a scoped route with no limit, or another', () => {
      const every = { action: 'x.view', attempts: 'every' } as const;
      expect(
        unlimitedScoped({
          'GET /api/x/:personId': { roles: ['analyst'], audit: every, scope: 'resident' },
          'GET /api/y/:personId': { roles: ['analyst'], audit: every, scope: 'resident', limit: 'cohort-count' },
          'GET /api/z/:personId': { roles: ['analyst'], audit: every, scope: 'resident', limit: 'person-level' },
        }),
      ).toEqual(['GET /api/x/:personId: scoped (resident) but not under the person-level limit', 'GET /api/y/:personId: scoped (resident) but not under the person-level limit']);
    });
  });

  describe('every change declares an audit action, but for named exceptions', () => {
    it('no unaudited change outside the exceptions', () => {
      expect(unauditedChanges(TABLE, UNAUDITED_CHANGES)).toEqual([]);
    });

    it('every exception is in the table and still unaudited', () => {
      expect(staleExceptions(TABLE, UNAUDITED_CHANGES)).toEqual([]);
    });

    it('the checks fail on an unaudited change, and on a stale exception', () => {
      const table: Table = { 'PATCH /api/x/:id': { roles: ['programme'] }, 'POST /api/y': { roles: ['programme'], audit: { action: 'y.create', attempts: 'granted' } }, 'GET /api/z': { roles: ['programme'] } };
      expect(unauditedChanges(table, [])).toEqual(['PATCH /api/x/:id']);
      expect(unauditedChanges(table, ['PATCH /api/x/:id'])).toEqual([]);
      expect(staleExceptions(table, ['PATCH /api/x/:id', 'POST /api/y', 'POST /api/gone'])).toEqual(['POST /api/y', 'POST /api/gone']);
    });
  });

  describe('every entry is a route the server registers', () => {
    const server = useServer();

    it('registers every entry', () => {
      expect(unregistered(server.app, TABLE)).toEqual([]);
    });

    it('documents 429 on every route with a per-user limit (routing.ts adds it)', async () => {
      const doc = (await server.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
      const limited = Object.entries(TABLE).filter(([, r]) => r.limit !== undefined).map(([key]) => key);
      expect(limited.length).toBeGreaterThan(5);
      const undocumented = limited.filter((key) => {
        const [method, url] = key.split(' ') as [string, string];
        return doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]?.responses['429'] === undefined;
      });
      expect(undocumented).toEqual([]);
      expect(doc.paths['/api/dashboard']!.get!.responses['429']).toBeUndefined();
    });

    it('the check fails on an entry with no route', () => {
      expect(unregistered(server.app, { 'GET /api/no-such-route': { roles: ['analyst'] }, 'DELETE /api/strategies': { roles: ['programme'] }, 'GET /api/strategies': { roles: ['analyst'] } })).toEqual([
        'GET /api/no-such-route',
        'DELETE /api/strategies',
      ]);
    });
  });
});

describe('per-user limits (the route table\'s limit, limits.ts)', () => {
  // Three person-level requests at once, then one every 100 s; one cohort count, then one every 100 s.
  const server = useSignedInServer({ options: { rateLimits: { 'person-level': { burst: 3, perSecond: 0.01 }, 'cohort-count': { burst: 1, perSecond: 0.01 } }, rateLimitHoldMs: 200 } });
  const count = { definition: { id: 'limited', version: 1, title: 'Limited', description: 'limited', rule: { kind: 'flag', feature: 'carer' } }, by: ['sex'] };

  it('answers 429 with Retry-After beyond the limit, audits the refusal, and leaves other users alone', async () => {
    const { ops } = server.app.openphm;
    const before = (await listAudit(ops, { limit: 1, offset: 0 })).rows[0]?.id ?? 0;
    // Public requests are refused as before (401), not counted against anyone.
    expect((await server.as('public', 'GET', '/api/people/1')).statusCode).toBe(401);
    for (let i = 0; i < 3; i++) expect((await server.as('analyst', 'GET', '/api/people/1')).statusCode).toBe(200);
    const heldFrom = performance.now();
    const refused = await server.as('analyst', 'GET', '/api/people/1');
    expect(refused.statusCode).toBe(429);
    // Held before it was sent (rateLimitHoldMs), so that a flood of refusals cannot take the server's time.
    expect(performance.now() - heldFrom).toBeGreaterThanOrEqual(190);
    expect(Number(refused.headers['retry-after'])).toBe(100);
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(refused.json().error).toMatchObject({ kind: 'rate-limited', message: expect.stringContaining('too many requests') });
    // The bucket is shared by the person-level routes: the worklist is refused too.
    expect((await server.as('analyst', 'GET', '/api/worklist?cohort=x&neighbourhood=leeds-1')).statusCode).toBe(429);
    // Another user has a bucket of their own.
    expect((await server.as('neighbourhood', 'GET', '/api/people/1')).statusCode).toBe(200);
    const rows = (await listAudit(ops, { limit: 100, offset: 0 })).rows.filter((r) => r.id > before).reverse();
    expect(rows.map((r) => [r.userEmail, r.action, r.resource, r.outcome, r.status])).toEqual([
      [null, 'person.view', 'person:1', 'unauthenticated', 401],
      ['analyst@test', 'person.view', 'person:1', 'granted', 200],
      ['analyst@test', 'person.view', 'person:1', 'granted', 200],
      ['analyst@test', 'person.view', 'person:1', 'granted', 200],
      ['analyst@test', 'person.view', 'person:1', 'denied', 429],
      ['analyst@test', 'worklist.view', 'worklist:x@leeds-1', 'denied', 429],
      ['leeds@test', 'person.view', 'person:1', 'granted', 200],
    ]);
    expect(rows[4]!.detail).toMatch(/person-level limit \(3 at once, 0.01 a second\)/);
    // More refusals of the same kind are counted, not written one by one (a row a minute with the count: audit-repeats.ts).
    for (let i = 0; i < 5; i++) expect((await server.as('analyst', 'GET', `/api/people/${i + 2}`)).statusCode).toBe(429);
    expect((await listAudit(ops, { limit: 100, offset: 0 })).rows.filter((r) => r.id > before)).toHaveLength(7);
  });

  it('cohort counts have a bucket of their own, refusals audited under the route', async () => {
    const { ops } = server.app.openphm;
    expect((await server.as('board', 'POST', '/api/cohorts/count', count)).statusCode).toBe(403);
    expect((await server.as('neighbourhood', 'POST', '/api/cohorts/count', count)).statusCode).not.toBe(429);
    const refused = await server.as('neighbourhood', 'POST', '/api/cohorts/count', count);
    expect(refused.statusCode).toBe(429);
    // 100 s less the time the granted count took (tokens come back at 0.01 a second from it).
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(90);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(100);
    const [last] = (await listAudit(ops, { limit: 1, offset: 0 })).rows;
    expect(last).toMatchObject({ userEmail: 'leeds@test', action: 'POST /api/cohorts/count', outcome: 'denied', status: 429 });
    // Its person-level bucket is untouched (one of three used above).
    expect((await server.as('neighbourhood', 'GET', '/api/people/3')).statusCode).toBe(200);
  });
});
