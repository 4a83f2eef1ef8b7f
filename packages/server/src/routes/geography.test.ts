/**
 * Geography over HTTP on the store's fixture (leeds-1 with LSOAs E01011229 and E01011230,
 * calderdale-1 with E01010001): postcode search against the shared ONS lookup (areas only, clear
 * errors), and neighbourhood names that admins change, shown wherever the name is.
 */
import { describe, expect, it } from 'vitest';
import { FeatureCollectionSchema, GeographyResponse, NeighbourhoodNamesResponse, PopulationSummary, PostcodeAreaResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { useSignedInServer } from '../test-support.js';

describe('postcode search', () => {
  const server = useSignedInServer();

  it('finds the LSOA, neighbourhood and place of a postcode however it is typed, with the lookup attribution, and nothing about people', async () => {
    for (const typed of ['HD1 2AS', 'hd12as', ' Hd1  2aS ']) {
      const r = await server.as('public', 'GET', `/api/geography/postcode?postcode=${encodeURIComponent(typed)}`);
      expect(r.statusCode, r.body).toBe(200);
      const body = PostcodeAreaResponse.parse(r.json());
      expect(body).toMatchObject({ postcode: 'HD1 2AS', terminated: false, lsoa: { code: 'E01011229' }, neighbourhood: { id: 'leeds-1', name: 'Leeds One' }, place: { id: 'leeds', name: 'Leeds' } });
      expect(body.metadata.attribution).toMatch(/Royal Mail/);
      expect(Object.keys(r.json()).sort()).toEqual(['lsoa', 'metadata', 'neighbourhood', 'place', 'postcode', 'terminated']);
    }
  });

  it('says clearly when the text is not a postcode (400), is unknown (404) or lies outside the partnership (404)', async () => {
    const bad = await server.as('public', 'GET', '/api/geography/postcode?postcode=Leeds');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/not a UK postcode/);
    const unknown = await server.as('public', 'GET', '/api/geography/postcode?postcode=SW1A%201AA');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toMatch(/SW1A 1AA is not a postcode of West Yorkshire or Harrogate that we know/);
    // In the lookup (Pendle's border), but its LSOA is not one of the fixture partnership's.
    const outside = await server.as('public', 'GET', '/api/geography/postcode?postcode=BB8%206JR');
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.message).toMatch(/BB8 6JR is outside the partnership's area/);
  });
});

describe('neighbourhood names', () => {
  const server = useSignedInServer();
  const audits = async () => (await listAudit(server.app.openphm.ops, { limit: 20, offset: 0, action: 'neighbourhood.rename' })).rows.reverse().map((r) => [r.userEmail, r.outcome, r.detail]);

  it('an admin renames a neighbourhood and the new name is shown in the geography, the boundaries, the population and postcode search; null restores the PCN name', async () => {
    const before = GeographyResponse.parse((await server.as('public', 'GET', '/api/geography')).json());
    expect(before.neighbourhoods.find((n) => n.id === 'leeds-1')).toMatchObject({ name: 'Leeds One', pcnName: 'Leeds One' });
    const renamed = await server.as('admin', 'PUT', '/api/admin/neighbourhoods/leeds-1/name', { name: '  Huddersfield Central  ' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id: 'leeds-1', name: 'Huddersfield Central', pcnName: 'Leeds One', renamed: true, changedBy: 'admin@test' });

    const geo = GeographyResponse.parse((await server.as('public', 'GET', '/api/geography')).json());
    expect(geo.neighbourhoods.find((n) => n.id === 'leeds-1')).toMatchObject({ name: 'Huddersfield Central', pcnName: 'Leeds One' });
    const outlines = await server.as('public', 'GET', '/api/geography/neighbourhoods.geojson');
    if (outlines.statusCode === 200) expect(FeatureCollectionSchema.parse(outlines.json()).features.find((f) => f.id === 'leeds-1')?.properties.name).toBe('Huddersfield Central');
    const population = PopulationSummary.parse((await server.as('public', 'GET', '/api/population/summary?area=neighbourhood:leeds-1')).json());
    expect(population.area.name).toBe('Huddersfield Central');
    const place = PopulationSummary.parse((await server.as('public', 'GET', '/api/population/summary?area=place:leeds')).json());
    expect(place.breakdown.rows.find((r) => r.id === 'leeds-1')?.name).toBe('Huddersfield Central');
    expect((await server.as('public', 'GET', '/api/geography/postcode?postcode=HD1%202AS')).json().neighbourhood).toEqual({ id: 'leeds-1', name: 'Huddersfield Central' });
    const list = NeighbourhoodNamesResponse.parse((await server.as('admin', 'GET', '/api/admin/neighbourhoods')).json());
    expect(list.neighbourhoods.map((n) => [n.id, n.name, n.renamed])).toEqual([['calderdale-1', 'Calderdale One', false], ['leeds-1', 'Huddersfield Central', true]]);

    const restored = await server.as('admin', 'PUT', '/api/admin/neighbourhoods/leeds-1/name', { name: null });
    expect(restored.json()).toMatchObject({ name: 'Leeds One', renamed: false, changedBy: null });
    expect(GeographyResponse.parse((await server.as('public', 'GET', '/api/geography')).json()).neighbourhoods.find((n) => n.id === 'leeds-1')?.name).toBe('Leeds One');
    expect(await audits()).toEqual([
      ['admin@test', 'granted', "neighbourhood leeds-1: 'Leeds One (the PCN's name)' → 'Huddersfield Central'"],
      ['admin@test', 'granted', "neighbourhood leeds-1: 'Huddersfield Central' → 'Leeds One (the PCN's name)'"],
    ]);
  });

  it('only admins may rename (401, 403), an unknown neighbourhood is 404 and a bad name 400, naming the field', async () => {
    expect((await server.as('public', 'PUT', '/api/admin/neighbourhoods/leeds-1/name', { name: 'X' })).statusCode).toBe(401);
    for (const who of ['analyst', 'neighbourhood', 'programme', 'board'] as const) expect((await server.as(who, 'PUT', '/api/admin/neighbourhoods/leeds-1/name', { name: 'X' })).statusCode).toBe(403);
    expect((await server.as('analyst', 'GET', '/api/admin/neighbourhoods')).statusCode).toBe(403);
    expect((await server.as('admin', 'PUT', '/api/admin/neighbourhoods/nowhere-9/name', { name: 'X' })).statusCode).toBe(404);
    const empty = await server.as('admin', 'PUT', '/api/admin/neighbourhoods/leeds-1/name', { name: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields?.[0]?.field).toBe('name');
    expect((await server.as('admin', 'PUT', '/api/admin/neighbourhoods/leeds-1/name', { name: 'x'.repeat(101) })).statusCode).toBe(400);
  });
});
