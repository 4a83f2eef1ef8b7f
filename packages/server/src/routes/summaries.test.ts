import { describe, expect, it } from 'vitest';
import { RiskResponse, SegmentsResponse } from '@openphm/api-contract';
import { buildPopulationFixture, unsafeCounts, useServer } from '../test-support.js';

describe('segments and risk on a 64-person fixture', () => {
  const { inject } = useServer({ fixture: buildPopulationFixture });

  it('segments by place: every segment of every place, small numbers withheld, the rest perturbed', async () => {
    const r = await inject({ url: '/api/segments?by=place' });
    expect(r.statusCode, r.body).toBe(200);
    const body = SegmentsResponse.parse(r.json());
    expect(body.segmentation.id).toBe('kirklees-four-groups');
    expect(body.segmentation.segments.map((s) => s.id)).toEqual(['acute-urgent', 'complex', 'independent', 'living-well']);
    expect(body.date).toBe('2026-03-31');
    expect(body.area).toEqual({ id: 'ics', name: 'Test ICS', level: 'ics' });
    expect(new Set(body.rows.map((x) => x.group))).toEqual(new Set(['leeds', 'calderdale']));
    expect(body.rows.find((x) => x.group === 'leeds')!.groupLabel).toBe('Leeds');
    expect(unsafeCounts(body)).toEqual([]);
    // Calderdale holds one resident (a baby): its cells are withheld or 0. Leeds' are published,
    // perturbed: the ICS total minus Leeds is noise, not Calderdale's count.
    const calderdale = body.rows.filter((x) => x.group === 'calderdale');
    expect(calderdale.every((x) => x.people === null || x.people === 0)).toBe(true);
    expect(calderdale.some((x) => x.suppressed)).toBe(true);
    const leeds = body.rows.filter((x) => x.group === 'leeds');
    expect(leeds.some((x) => x.people !== null && x.people > 0)).toBe(true);
    for (const x of leeds.filter((y) => !y.suppressed)) expect(x.share).toBe(x.groupPeople! > 0 ? x.people! / x.groupPeople! : null);
    expect(body.disclosure.suppressedCells).toBeGreaterThan(0);
  });

  it('within an area: crossed with the area and protected against its totals', async () => {
    const body = SegmentsResponse.parse((await inject({ url: '/api/segments?by=imd-decile&area=place:leeds&segmentation=bridges-to-health' })).json());
    expect(body.area).toMatchObject({ id: 'place:leeds', name: 'Leeds', level: 'place' });
    expect(new Set(body.rows.map((x) => x.group))).toEqual(new Set(['1', '5']));
    expect(body.rows.find((x) => x.group === '1')!.groupLabel).toBe('1 (most deprived)');
    expect(unsafeCounts(body)).toEqual([]);
    const one = SegmentsResponse.parse((await inject({ url: '/api/segments?by=ics&area=neighbourhood:leeds-1' })).json());
    expect(new Set(one.rows.map((x) => x.group))).toEqual(new Set(['leeds-1']));
    const csv = await inject({ url: '/api/segments?by=place&format=csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('[c]');
  });

  it('risk: eFI categories and multimorbidity by a breakdown, disclosure-controlled', async () => {
    const r = await inject({ url: '/api/risk?by=sex' });
    expect(r.statusCode, r.body).toBe(200);
    const body = RiskResponse.parse(r.json());
    expect(body.measures.map((m) => m.id)).toEqual(expect.arrayContaining(['frailty', 'conditions']));
    expect(body.measures.find((m) => m.id === 'frailty')!.categories).toEqual(['fit', 'mild', 'moderate', 'severe']);
    expect(new Set(body.rows.map((x) => x.groupLabel))).toEqual(new Set(['Female', 'Male']));
    expect(unsafeCounts(body)).toEqual([]);
    for (const m of body.measures) expect(body.rows.filter((x) => x.measure === m.id)).toHaveLength(2 * m.categories.length);
    const area = RiskResponse.parse((await inject({ url: '/api/risk?by=age-band&area=neighbourhood:leeds-1' })).json());
    expect(unsafeCounts(area)).toEqual([]);
    expect(area.rows.every((x) => x.groupLabel.endsWith('years'))).toBe(true);
  });

  it('validation errors are 400 naming the field; unknown areas 404', async () => {
    for (const [url, field] of [
      ['/api/segments?by=postcode', 'by'],
      ['/api/segments?segmentation=no-such-thing', 'segmentation'],
      ['/api/segments?segmentation=Bad_Id', 'segmentation'],
      ['/api/segments?area=lsoa:E01011229', 'area'],
      ['/api/risk?by=lsoa', 'by'],
      ['/api/risk?area=bogus', 'area'],
      ['/api/risk?format=xml', 'format'],
    ] as const) {
      const r = await inject({ url });
      expect(r.statusCode, `${url}: ${r.body}`).toBe(400);
      expect(r.json().error.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect((await inject({ url: '/api/segments?area=place:nowhere' })).statusCode).toBe(404);
    expect((await inject({ url: '/api/risk?area=neighbourhood:nowhere' })).statusCode).toBe(404);
  });
});
