import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { INDICATOR_CATALOGUE, perturbCount, type AggregateCell, type Breakdown, type IndicatorEngine } from '@openphm/core';
import { DashboardResponse, IndicatorTrendResponse, type DashboardResponseT } from '@openphm/api-contract';
import { unsafeCounts, useServer } from '../test-support.js';
import { compareWithBenchmark } from '../data/dashboard.js';
import { importBenchmarks } from '../data/benchmarks.js';

/**
 * A stand-in engine: fixed counts per LSOA of the fixture, with the cell keys of their records
 * (nk, dk: sums of record keys), summed to any breakdown (no age split).
 */
const LSOAS: Record<string, { place: string; neighbourhood: string; decile: string; n: number; d: number; nk: number; dk: number }> = {
  E01011230: { place: 'leeds', neighbourhood: 'leeds-1', decile: '5', n: 300, d: 1000, nk: 200, dk: 60 },
  E01011229: { place: 'leeds', neighbourhood: 'leeds-1', decile: '1', n: 5, d: 100, nk: 100, dk: 10 },
  E01010001: { place: 'calderdale', neighbourhood: 'calderdale-1', decile: '10', n: 200, d: 1000, nk: 128, dk: 128 },
};
/** What the fixture's counts are published as: perturbed by the keys of their LSOAs' records. */
const published = (codes: readonly string[], which: 'n' | 'd'): number =>
  perturbCount(
    codes.reduce((a, c) => a + LSOAS[c]![which], 0),
    codes.reduce((a, c) => a + LSOAS[c]![which === 'n' ? 'nk' : 'dk'], 0) % 256,
    8,
  );
const groupOf = (b: Breakdown, code: string): string | undefined => {
  const l = LSOAS[code]!;
  const groups: Partial<Record<Breakdown, string>> = { ics: 'ICS', place: l.place, neighbourhood: l.neighbourhood, lsoa: code, 'imd-decile': l.decile };
  return groups[b];
};
const calls: string[] = [];
const engine: IndicatorEngine = {
  name: 'fake',
  aggregate: async ({ breakdown, period, definition }) => {
    calls.push(`${definition.id}:${period.start}:${breakdown}`);
    const out = new Map<string, AggregateCell>();
    for (const code of Object.keys(LSOAS)) {
      const g = groupOf(breakdown, code);
      if (g === undefined) return [];
      const c = out.get(g) ?? { group: g, numerator: 0, denominator: 0, numeratorKey: 0, denominatorKey: 0 };
      const l = LSOAS[code]!;
      out.set(g, { group: g, numerator: c.numerator + l.n, denominator: c.denominator + l.d, numeratorKey: (c.numeratorKey! + l.nk) % 256, denominatorKey: (c.denominatorKey! + l.dk) % 256 });
    }
    return [...out.values()];
  },
};
const proportion = INDICATOR_CATALOGUE.find((d) => d.measure.kind === 'person-proportion')!;

describe('dashboard and trends (stand-in engine on the fixture)', () => {
  const { inject } = useServer({ options: { indicatorEngine: () => engine, logger: { level: 'error' } } });

  it('ICS: every indicator, latest and trend over every period of the window, no benchmark', async () => {
    const r = await inject({ url: '/api/dashboard?area=ics' });
    expect(r.statusCode, r.body).toBe(200);
    const body = DashboardResponse.parse(r.json());
    expect(body.area).toEqual({ id: 'ics', name: 'Test ICS', level: 'ics' });
    expect(body.indicators.map((i) => i.id)).toEqual(INDICATOR_CATALOGUE.map((d) => d.id));
    const ind = body.indicators.find((i) => i.id === proportion.id)!;
    // Window 2021-04-01 to 2026-04-01: five financial years, oldest first.
    expect(ind.trend.map((p) => p.period.label)).toEqual(['2021/22', '2022/23', '2023/24', '2024/25', '2025/26']);
    expect(ind.latest.period.label).toBe('2025/26');
    const all = Object.keys(LSOAS);
    expect(ind.latest).toMatchObject({ numerator: published(all, 'n'), denominator: published(all, 'd'), suppressed: false });
    expect(ind.latest.value).toBe((published(all, 'n') / published(all, 'd')) * 100);
    expect(ind.latest.lower95!).toBeLessThan(ind.latest.value!);
    expect(ind.benchmark).toBeNull();
    expect(ind.comparison).toBe('not-compared');
    // Decile 1 has 5 people in the numerator: suppressed, so the gap and SII are withheld.
    expect(ind.inequality).toMatchObject({ gap: null, sii: null, suppressed: true });
    // Three-year indicators: rolling pooled periods.
    const le = body.indicators.find((i) => i.periodYears === 3)!;
    expect(le.trend.map((p) => p.period.label)).toEqual(['2021/22 - 2023/24', '2022/23 - 2024/25', '2023/24 - 2025/26']);
    expect(unsafeCounts(body)).toEqual([]);
    expect(body.disclosure.rule).toMatch(/withheld/);
  });

  it('a place: its values, the ICS benchmark, the comparison by polarity, inequality within the place', async () => {
    const body = DashboardResponse.parse((await inject({ url: '/api/dashboard?area=place:calderdale' })).json());
    expect(body.area).toMatchObject({ id: 'place:calderdale', level: 'place' });
    const ind = body.indicators.find((i) => i.id === proportion.id)!;
    expect(ind.latest.value).toBe((published(['E01010001'], 'n') / published(['E01010001'], 'd')) * 100);
    expect(ind.benchmark).toMatchObject({ areaId: 'ics', name: 'Test ICS' });
    expect(ind.benchmark!.value).toBe(body.indicators.find((i) => i.id === proportion.id)!.benchmark!.value);
    const ics = DashboardResponse.parse((await inject({ url: '/api/dashboard?area=ics' })).json());
    // The same figure wherever it appears: the ICS value on its own dashboard is the benchmark here.
    expect(ind.benchmark!.value).toBe(ics.indicators.find((i) => i.id === proportion.id)!.latest.value);
    expect(ind.comparison).toBe(compareWithBenchmark(ind.latest, ind.benchmark!.value, proportion.polarity));
    expect(ind.comparison).toBe(proportion.polarity === 'lower-is-better' ? 'better' : proportion.polarity === 'higher-is-better' ? 'worse' : 'lower');
    // Calderdale has one decile only: no gap or SII can be computed.
    expect(ind.inequality).toBeNull();
    const leeds = DashboardResponse.parse((await inject({ url: '/api/dashboard?area=place:leeds' })).json());
    const li = leeds.indicators.find((i) => i.id === proportion.id)!;
    expect(li.latest).toMatchObject({ numerator: published(['E01011230', 'E01011229'], 'n'), denominator: published(['E01011230', 'E01011229'], 'd') });
    // Leeds' deciles come from its LSOAs: decile 1 is small, so the summary is withheld.
    expect(li.inequality).toMatchObject({ suppressed: true, gap: null });
    expect(unsafeCounts(leeds)).toEqual([]);
  });

  it('CSV, errors: unknown place 404, other area kinds 400 naming the field', async () => {
    const csv = await inject({ url: '/api/dashboard?area=ics&format=csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toMatch(/^area,indicator_id,title,period,value/);
    expect((await inject({ url: '/api/dashboard?area=place:nowhere' })).statusCode).toBe(404);
    const bad = await inject({ url: '/api/dashboard?area=neighbourhood:leeds-1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['area']);
  });

  it('trend for one group, disclosure-controlled; validation errors name the field', async () => {
    const r = await inject({ url: `/api/indicators/${proportion.id}/trend?by=place&group=leeds` });
    expect(r.statusCode, r.body).toBe(200);
    const body = IndicatorTrendResponse.parse(r.json());
    expect(body).toMatchObject({ breakdown: 'place', group: 'leeds', groupLabel: 'Leeds' });
    expect(body.trend).toHaveLength(5);
    expect(body.trend.every((p) => p.numerator === published(['E01011230', 'E01011229'], 'n'))).toBe(true);
    const decile = IndicatorTrendResponse.parse((await inject({ url: `/api/indicators/${proportion.id}/trend?by=imd-decile&group=1` })).json());
    expect(decile.trend.every((p) => p.suppressed && p.numerator === null && p.value === null)).toBe(true);
    expect(unsafeCounts(decile)).toEqual([]);
    const ics = IndicatorTrendResponse.parse((await inject({ url: `/api/indicators/${proportion.id}/trend` })).json());
    expect(ics.group).toBe('ICS');
    for (const [url, field] of [
      [`/api/indicators/${proportion.id}/trend?by=place`, 'group'],
      [`/api/indicators/${proportion.id}/trend?by=postcode&group=x`, 'by'],
      [`/api/indicators/${proportion.id}/trend?by=place&group=${encodeURIComponent('<x>')}`, 'group'],
    ] as const) {
      const e = await inject({ url });
      expect(e.statusCode, url).toBe(400);
      expect(e.json().error.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect((await inject({ url: `/api/indicators/${proportion.id}/trend?by=place&group=nowhere` })).statusCode).toBe(404);
  });

  it('serialises once per data version: gzip bytes when accepted, ETag and 304', async () => {
    const plain = await inject({ url: '/api/dashboard?area=ics' });
    const gz = await inject({ url: '/api/dashboard?area=ics', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(plain.body);
    expect(gz.headers.etag).toBe(plain.headers.etag);
    const again = await inject({ url: '/api/dashboard?area=ics', headers: { 'if-none-match': String(plain.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('counts each indicator-period-breakdown once per data version', async () => {
    const before = calls.length;
    await inject({ url: '/api/dashboard?area=place:leeds&format=csv' });
    await inject({ url: `/api/indicators/${proportion.id}/results?by=place` });
    expect(calls.length).toBe(before);
  });
});

describe('England beside each indicator (imported benchmarks)', () => {
  const server = useServer({ options: { indicatorEngine: () => engine, logger: { level: 'error' } } });
  const HEADER = 'Indicator ID,Indicator Name,Area Code,Area Name,Sex,Age,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Count,Denominator';
  const find = (body: DashboardResponseT, id: string) => body.indicators.find((i) => i.id === id)!;
  const get = async (area = 'ics') => DashboardResponse.parse((await server.inject({ url: `/api/dashboard?area=${area}` })).json());

  it('shows none and says why until a set is imported; then the same period only, compared by the Fingertips convention, for the public', async () => {
    const before = await get();
    const smoking = find(before, 'smoking-at-delivery');
    expect(smoking).toMatchObject({ england: null, englandComparison: 'not-compared', englandNote: 'no England value for Fingertips indicator 93085 among the imported benchmarks' });
    expect(find(before, 'multimorbidity-3-plus').englandNote).toBe('no Fingertips indicator with a matching definition');
    const latest = smoking.latest;
    const earlier = smoking.trend[smoking.trend.length - 2]!;
    const diabetesLatest = find(before, 'prevalence-diabetes').latest;
    // England below the local interval in the latest year (smoking: lower is better, so worse), inside it the year before; none for 2023/24.
    const rows = [
      `93085,Smoking at delivery,E92000001,England,Female,All ages,${latest.period.label},${latest.lower95! - 1},${latest.lower95! - 1.1},${latest.lower95! - 0.9},40000,520000`,
      `93085,Smoking at delivery,E92000001,England,Female,All ages,${earlier.period.label},${earlier.value},,,,`,
      `93085,Smoking at delivery,E12000003,Yorkshire and the Humber,Female,All ages,2023/24,11,,,,`,
      `241,Diabetes prevalence,E92000001,England,Persons,17+ yrs,${diabetesLatest.period.label},${diabetesLatest.upper95! + 1},,,,`,
    ];
    await importBenchmarks(server.app.openphm.ops, 'england.csv', [HEADER, ...rows].join('\n'), { label: 'England (OHID Fingertips)', by: null });

    const after = await get();
    const s = find(after, 'smoking-at-delivery');
    expect(s.england).toMatchObject({ value: latest.lower95! - 1, lower95: latest.lower95! - 1.1, period: latest.period.label, periodNote: '', fingertipsId: 93085, published: true, set: 'England (OHID Fingertips)' });
    expect(s.england!.difference).toBe(INDICATOR_CATALOGUE.find((d) => d.id === 'smoking-at-delivery')!.fingertips!.difference);
    expect(s.england!.note).toBe('England: real published figure (OHID Fingertips, OGL v3)');
    expect(s.englandComparison).toBe('worse');
    expect(s.englandTrend.map((t) => [t.period, t.england?.period ?? null, t.comparison])).toEqual(
      s.trend.map((p) => [p.period.label, p.period.label === latest.period.label || p.period.label === earlier.period.label ? p.period.label : null,
        p.period.label === latest.period.label ? 'worse' : p.period.label === earlier.period.label ? 'similar' : 'not-compared']),
    );
    expect(find(after, 'prevalence-diabetes')).toMatchObject({ englandComparison: 'lower', england: { age: '17+ yrs' } });
    // A place is compared with England too.
    const place = find(await get('place:calderdale'), 'smoking-at-delivery');
    expect(place.england?.value).toBe(latest.lower95! - 1);
    // England's values are published figures of their own, declared not to be disclosure-controlled.
    expect(unsafeCounts(after)).toEqual([]);
    const csv = await server.inject({ url: '/api/dashboard?area=ics&format=csv' });
    expect(csv.body.split('\r\n')[0]).toContain('england,england_lower_95,england_upper_95,england_period,england_comparison,england_source');
  });

  it("the catalogue names each indicator's Fingertips indicator and the definition difference, in JSON and CSV", async () => {
    const catalogue = (await server.inject({ url: '/api/indicators' })).json() as { indicators: { id: string; fingertips: unknown }[] };
    const smoking = INDICATOR_CATALOGUE.find((d) => d.id === 'smoking-at-delivery')!.fingertips!;
    expect(catalogue.indicators.find((i) => i.id === 'smoking-at-delivery')!.fingertips).toEqual({ id: 93085, sex: 'Female', age: 'All ages', difference: smoking.difference });
    expect(catalogue.indicators.find((i) => i.id === 'multimorbidity-3-plus')!.fingertips).toBeNull();
    const csv = (await server.inject({ url: '/api/indicators?format=csv' })).body.split('\r\n');
    expect(csv[0]).toBe('id,title,unit,polarity,themes,fingertips_id,fingertips_difference');
    expect(csv.find((l) => l.startsWith('smoking-at-delivery,'))).toContain(',93085,');
  });

  it('gives none for a period England has no value for, saying which periods it has', async () => {
    const ops = server.app.openphm.ops;
    const body = await get();
    const smoking = find(body, 'smoking-at-delivery');
    await importBenchmarks(ops, 'old.csv', [HEADER, `93085,Smoking at delivery,E92000001,England,Female,All ages,2019/20,9.9,,,,`].join('\n'), { label: 'England (OHID Fingertips)', by: null });
    const s = find(await get(), 'smoking-at-delivery');
    expect(s).toMatchObject({ england: null, englandComparison: 'not-compared', englandNote: `no England value for ${smoking.latest.period.label} (Fingertips indicator 93085 has 2019/20)` });
    expect(s.englandTrend.every((t) => t.england === null)).toBe(true);
  });
});
