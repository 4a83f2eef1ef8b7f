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
import type { Role } from './roles.js';
import { useServer } from './test-support.js';

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
  it('has entries of the form "METHOD /api/…"', () => {
    const keys = Object.keys(TABLE);
    expect(keys.length).toBeGreaterThan(50);
    expect(keys.filter((k) => !/^(GET|POST|PUT|PATCH|DELETE) \/api\/\S+$/.test(k))).toEqual([]);
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

    it('the check fails on an entry with no route', () => {
      expect(unregistered(server.app, { 'GET /api/no-such-route': { roles: ['analyst'] }, 'DELETE /api/strategies': { roles: ['programme'] }, 'GET /api/strategies': { roles: ['analyst'] } })).toEqual([
        'GET /api/no-such-route',
        'DELETE /api/strategies',
      ]);
    });
  });
});
