/**
 * How routes are registered (routing.ts): the care routes' answers leave uncompressed (decision 0014), everything else as
 * before (gzip when accepted, above the threshold).
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROUTES, type RouteRule } from './access.js';
import { sentUncompressed } from './routing.js';
import { buildPopulationFixture, useSignedInServer } from './test-support.js';

describe('routes sent uncompressed', () => {
  it('are the care relationship’s routes and FHIR out’s searches by subject, and no other', () => {
    const rules = Object.entries(ROUTES) as [string, RouteRule][];
    const uncompressed = rules.filter(([, r]) => sentUncompressed(r)).map(([k]) => k);
    expect(uncompressed).toContain('GET /api/care/people/:personId/record');
    expect(uncompressed).toContain('GET /fhir/Condition');
    expect(uncompressed.length).toBe(rules.filter(([, r]) => r.scope === 'care-relationship' || r.scope === 'fhir-subject').length);
    for (const key of ['GET /api/dashboard', 'GET /api/people/:personId', 'GET /api/geography/lsoa.geojson'] as const) expect(uncompressed, key).not.toContain(key);
  });

  const server = useSignedInServer({ fixture: buildPopulationFixture, options: { today: () => '2026-11-26' } });

  it('sends the care record uncompressed though gzip is accepted, and a large published answer gzipped', async () => {
    const record = await server.as('neighbourhood', 'GET', '/api/care/people/3/record', undefined, { 'accept-encoding': 'gzip' });
    expect(record.statusCode).toBe(200);
    expect(record.headers['content-encoding']).toBeUndefined();
    expect(record.body.length).toBeGreaterThan(2048);
    expect(record.json().personId).toBe('3');
    const geo = await server.as('analyst', 'GET', '/api/geography/lsoa.geojson', undefined, { 'accept-encoding': 'gzip' });
    expect(geo.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(geo.rawPayload).toString('utf8')).type).toBe('FeatureCollection');
  });
});
