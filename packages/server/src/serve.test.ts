/** `phm serve` end to end over HTTP: on PGlite next to the database, and on the real PostgreSQL server. */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveCommand, type ServeIo } from './serve.js';
import { buildFixtureDatabase } from './test-support.js';

const PG_URL = process.env.PHM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const capture = (env: Record<string, string | undefined>, cwd: string) => {
  const out: string[] = [];
  const io: ServeIo = { stdout: { write: (t) => void out.push(t) }, stderr: { write: (t) => void out.push(t) }, env, cwd };
  return { io, text: () => out.join('') };
};

/** A raw GET that returns the undecoded body, to see what goes over the wire. */
const rawGet = (url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> =>
  new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });

describe('phm serve', () => {
  let fixture: Awaited<ReturnType<typeof buildFixtureDatabase>>;
  beforeAll(async () => {
    fixture = await buildFixtureDatabase();
  });
  afterAll(() => fixture?.remove());

  it('with PGlite next to the database and the demo accounts: prints the URL, serves the app and compressed boundaries', async () => {
    const { io, text } = capture({}, fixture.dir);
    const { app, url } = await serveCommand({ db: 'fixture.duckdb', port: 0, host: '127.0.0.1', demo: true, handleSignals: false }, io);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(text()).toContain(`OpenPHM is running at ${url}`);
      expect(text()).toContain("demo accounts (password 'openphm-demo'): analyst@demo, neighbourhood@demo, linkworker@demo, admin@demo, programme@demo, board@demo");
      expect(existsSync(`${fixture.dir}/fixture.operational`)).toBe(true);
      const health = await (await fetch(`${url}api/health`)).json();
      expect(health).toMatchObject({ status: 'ok', operationalStore: 'pglite' });
      // PHM_PRECOMPUTE unset: the background precomputation is on.
      expect(health.precompute.status).not.toBe('off');
      const page = await fetch(url);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      const geo = await rawGet(`${url}api/geography/lsoa.geojson`, { 'accept-encoding': 'gzip' });
      expect(geo.headers['content-encoding']).toBe('gzip');
      const fc = JSON.parse(gunzipSync(geo.body).toString('utf8'));
      expect(fc.type).toBe('FeatureCollection');
      const login = await fetch(`${url}api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'neighbourhood@demo', password: 'openphm-demo' }) });
      expect((await login.json()).user.neighbourhoodId).toBe('leeds-1');
    } finally {
      await app.close();
    }
  });

  it('with PHM_DATABASE_URL: users and audit in PostgreSQL; the first admin is created and shown once', async () => {
    const schema = `phm_serve_${process.pid}_${randomBytes(3).toString('hex')}`;
    // PHM_PRECOMPUTE=0 (tests and operations): no background precomputation, as the health report says.
    const { io, text } = capture({ PHM_DATABASE_URL: PG_URL, PHM_DATABASE_SCHEMA: schema, PHM_PRECOMPUTE: '0' }, fixture.dir);
    const { app, url } = await serveCommand({ db: fixture.file, port: 0, host: '127.0.0.1', handleSignals: false }, io);
    try {
      expect(text()).toMatch(/users and audit: PostgreSQL postgres:\/\//);
      const password = /created the first account: admin@local \(admin\) with password (\S+)/.exec(text())?.[1];
      expect(password).toBeDefined();
      const health = await (await fetch(`${url}api/health`)).json();
      expect(health.operationalStore).toBe('postgres');
      expect(health.precompute.status).toBe('off');
      const login = await fetch(`${url}api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@local', password }) });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const people = await fetch(`${url}api/people/1`, { headers: { cookie } });
      expect(people.status).toBe(403);
      const audit = await (await fetch(`${url}api/audit`, { headers: { cookie } })).json();
      expect(audit.rows.slice(0, 2).map((r: { action: string; outcome: string }) => [r.action, r.outcome])).toEqual([
        ['person.view', 'denied'],
        ['auth.login', 'granted'],
      ]);
      // The rows really are in the PostgreSQL server, in the run's own schema.
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT count(*)::integer AS n FROM ${schema}.audit_event WHERE resource = 'person:1'`);
        expect(rows[0].n).toBe(1);
      } finally {
        await client.end();
      }
    } finally {
      await app.close();
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
    }
  });

  it('refuses a PHM_PRECOMPUTE other than 0 or 1 before taking the lock', async () => {
    const { io } = capture({ PHM_PRECOMPUTE: 'no' }, fixture.dir);
    await expect(serveCommand({ db: 'fixture.duckdb', port: 0, host: '127.0.0.1', handleSignals: false }, io)).rejects.toThrow("PHM_PRECOMPUTE must be 0 (no background precomputation) or 1, got 'no'");
    expect(existsSync(`${fixture.dir}/fixture.duckdb.lock`)).toBe(false);
  });
});
