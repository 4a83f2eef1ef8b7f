/**
 * HTTP hygiene (issue 13, item 7): person-level responses never cached, state-changing requests from
 * other sites refused, unknown body fields and impossible dates refused with the field named,
 * control characters escaped in messages, HSTS behind TLS. Each row is a request and what must hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeControl } from './errors.js';
import { buildFixtureDatabase, startSignedInServer, type SignedInServer } from './test-support.js';

describe('HTTP hygiene', () => {
  let fixture: Awaited<ReturnType<typeof buildFixtureDatabase>>;
  let server: SignedInServer;
  let tls: SignedInServer;
  beforeAll(async () => {
    fixture = await buildFixtureDatabase();
    server = await startSignedInServer(fixture.file);
    tls = await startSignedInServer(fixture.file, { secureCookies: true, operational: {} });
  });
  afterAll(async () => {
    await server?.app.close();
    await tls?.app.close();
    fixture?.remove();
  });

  it.each([
    ['the person summary', '/api/people/1', 'no-store'],
    ['a worklist as CSV', '/api/worklist?cohort=no-such-cohort&neighbourhood=leeds-1', 'no-store'],
    ['the referrals list', '/api/referrals', 'no-store'],
  ])('%s is never cached', async (_, url, expected) => {
    const response = await server.as('analyst', 'GET', url);
    expect(response.headers['cache-control']).toBe(expected);
  });

  it('lets published figures be cached as before', async () => {
    const response = await server.as('analyst', 'GET', '/api/geography');
    expect(response.headers['cache-control']).not.toBe('no-store');
  });

  it.each([
    ['another origin', { origin: 'https://evil.example' }, 403],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, 403],
    ['a malformed origin', { origin: 'not a url' }, 403],
    ['this site', { origin: 'http://localhost:80' }, 401],
    ['no browser headers (a script)', {}, 401],
  ])('a login from %s: %d', async (_, headers, status) => {
    const response = await server.app.inject({ method: 'POST', url: '/api/auth/login', headers: { host: 'localhost:80', ...headers }, payload: { email: 'nobody@test', password: 'wrong password here' } });
    expect(response.statusCode).toBe(status);
  });

  it('refuses an unknown body field and names it', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'analyst@test', password: 'x', admin: true } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields).toEqual([{ field: 'admin', message: 'unknown field' }]);
  });

  it('refuses an impossible date and names the field', async () => {
    const response = await server.as('analyst', 'POST', '/api/cohorts/count', { definition: { referenceDate: '2099-13-45', rule: { kind: 'always' } }, by: [] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields).toContainEqual({ field: 'definition.referenceDate', message: 'not a calendar date' });
  });

  it('escapes control characters echoed in a message', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/directory/services?neighbourhood=%1b%5b31mred%0aforged' });
    expect(response.statusCode).toBe(404);
    const message: string = response.json().error.message;
    expect(message).not.toMatch(/[\u0000-\u001f]/);
    expect(message).toContain('\\x1b[31mred\\x0aforged');
  });

  it.each([
    ['plain text', 'plain text'],
    ['tab\there', 'tab\\x09here'],
    ['bell\u0007 and C1 \u0085', 'bell\\x07 and C1 \\x85'],
  ])('escapeControl(%j) = %j', (text, expected) => expect(escapeControl(text)).toBe(expected));

  it('sends HSTS only behind TLS (secure cookies)', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/api/health' })).headers['strict-transport-security']).toBeUndefined();
    expect((await tls.app.inject({ method: 'GET', url: '/api/health' })).headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});
