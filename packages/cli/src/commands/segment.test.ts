/**
 * `phm segment` end to end on a 20,000-person synthetic partnership (the built CLI, as users run it),
 * and the engine agreement check: for every person, the SQL segment equals core's assignSegment on
 * the same person's features, for both segmentations.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGES_TO_HEALTH_SEGMENTATION, KIRKLEES_SEGMENTATION, PLUS_GROUPS, assignSegment, inPlusGroup, multimorbidityScore } from '@openphm/core';
import {
  computePersonFeatures,
  multimorbiditySql,
  openDatabase,
  personSegments,
  plusGroupSql,
  readPersonFeatures,
} from '@openphm/store-duckdb';
import { phmRunner, parseCsv } from '../test-support.js';

const { dir, phm, cleanup } = phmRunner('segment');
const DB = join(dir, 'seg.duckdb');

beforeAll(async () => {
  const r = await phm('generate', '--size', '20k', '--seed', 'segment-test', '--db', DB, '-q');
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(cleanup);

describe('phm segment', () => {
  it('counts the Kirklees groups by place and age band at the last day of the window, disclosure-controlled', async () => {
    const r = await phm('segment', '--db', DB, '--by', 'place,age-band', '-q');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const rows = parseCsv(r.stdout);
    expect(Object.keys(rows[0]!)).toEqual(['segmentation', 'version', 'date', 'breakdown', 'group', 'segment', 'label', 'people', 'group_people', 'share', 'suppressed', 'note']);
    expect(new Set(rows.map((x) => x.date))).toEqual(new Set(['2026-03-31']));
    expect(rows.filter((x) => x.breakdown === 'place')).toHaveLength(6 * 4);
    expect([...new Set(rows.filter((x) => x.breakdown === 'age-band').map((x) => x.group))]).toEqual(['0-17', '18-34', '35-49', '50-64', '65-74', '75-84', '85+']);
    for (const x of rows) if (x.people !== '') expect(Number(x.people) === 0 || Number(x.people) >= 8).toBe(true);
    // Shares of a place's segments, from the published (perturbed) counts, add up to 1 within the noise.
    const leeds = rows.filter((x) => x.group === 'leeds');
    expect(leeds.reduce((a, x) => a + Number(x.share), 0)).toBeCloseTo(1, 2);
    // Living well falls and complex rises with age.
    const share = (band: string, segment: string) => Number(rows.find((x) => x.group === band && x.segment === segment)!.share);
    expect(share('18-34', 'living-well')).toBeGreaterThan(share('65-74', 'living-well'));
    expect(share('85+', 'complex')).toBeGreaterThan(share('50-64', 'complex'));
  });

  it('writes Bridges to Health as JSON to a file', async () => {
    const r = await phm('segment', '--db', DB, '--segmentation', 'bridges-to-health', '--date', '2025-03-31', '--format', 'json', '--out', 'out/b2h.json', '-q');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'b2h.json'), 'utf8'));
    expect(json).toMatchObject({ segmentation: 'bridges-to-health', version: 2, date: '2025-03-31' });
    expect(json.rows.map((x: { segment: string }) => x.segment)).toEqual(BRIDGES_TO_HEALTH_SEGMENTATION.segments.map((s) => s.id));
    expect(json.disclosure).toContain('withheld');
  });

  it('shows movement between segments over the year, with births and deaths', async () => {
    const r = await phm('segment', '--db', DB, '--transitions', '--format', 'json', '-q');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ fromDate: '2025-03-31', toDate: '2026-03-31' });
    const cell = (from: string, to: string) => json.cells.find((c: { from: string; to: string }) => c.from === from && c.to === to).people;
    expect(cell('living-well', 'living-well')).toBeGreaterThan(5000);
    expect(cell('born', 'living-well')).toBeGreaterThan(0);
    // About 1% die in a year: some died-column cells are published, small ones suppressed (null).
    const died = json.cells.filter((c: { to: string }) => c.to === 'died').map((c: { people: number | null }) => c.people);
    expect(died.some((n: number | null) => n !== null && n > 0)).toBe(true);
    expect([0, null]).toContain(cell('born', 'died'));
  });

  it('publishes exact counts with --no-disclosure-control', async () => {
    const r = await phm('segment', '--db', DB, '--by', 'ics,neighbourhood', '--no-disclosure-control', '--format', 'json', '-q');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.disclosure).toContain('No disclosure control');
    const ics = json.rows.filter((x: { breakdown: string }) => x.breakdown === 'ics');
    const total = ics.reduce((a: number, x: { people: number }) => a + x.people, 0);
    expect(total).toBe(json.population);
    expect(ics.some((x: { people: number }) => x.people % 5 !== 0)).toBe(true);
    const db = await openDatabase(DB);
    try {
      const segments = await personSegments(db, KIRKLEES_SEGMENTATION, '2026-03-31');
      expect(total).toBe(segments.size);
      for (const x of ics) expect(x.people).toBe([...segments.values()].filter((s) => s === x.segment).length);
    } finally {
      db.close();
    }
  });

  it('accepts a segmentation definition file', async () => {
    const definition = {
      id: 'older-people',
      version: 1,
      title: 'Older people',
      source: 'test',
      segments: [
        { id: 'older', label: 'Older', description: 'Aged 65 and over', rule: { kind: 'compare', feature: 'age', op: '>=', value: 65 } },
        { id: 'younger', label: 'Younger', description: 'Everyone else', rule: { kind: 'always' } },
      ],
    };
    writeFileSync(join(dir, 'older.json'), JSON.stringify(definition));
    const r = await phm('segment', '--db', DB, '--segmentation', 'older.json', '-q');
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv(r.stdout);
    expect(rows.map((x) => x.segment)).toEqual(['older', 'younger']);
    expect(Number(rows[0]!.share)).toBeGreaterThan(0.12);
    expect(Number(rows[0]!.share)).toBeLessThan(0.3);
  });

  it.each([
    [['--segmentation', 'nonsense'], 2, "unknown segmentation 'nonsense'"],
    [['--by', 'postcode'], 2, "unknown breakdown 'postcode'"],
    [['--date', '2025-02-30'], 2, "'2025-02-30' is not a real calendar date"],
    [['--format', 'xml'], 2, "argument 'xml' is invalid"],
    [['--segmentation', 'missing.json'], 4, 'segmentation file not found: missing.json'],
  ])('rejects %j with exit code %i', async (args, code, message) => {
    const r = await phm('segment', '--db', DB, ...args, '-q');
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
  });

  it('rejects an invalid segmentation file with exit code 3 and says what is wrong', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ id: 'bad', version: 1, title: 'Bad', source: 'test', segments: [{ id: 'a', label: 'A', description: 'no catch-all', rule: { kind: 'flag', feature: 'carer' } }, { id: 'b', label: 'B', description: 'not always', rule: { kind: 'flag', feature: 'female' } }] }));
    const r = await phm('segment', '--db', DB, '--segmentation', 'bad.json', '-q');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("the last segment ('b') must have rule { kind: 'always' }");
  });

  it('exits 4 when the database does not exist', async () => {
    const r = await phm('segment', '--db', 'nowhere.duckdb');
    expect(r.code).toBe(4);
  });
});

describe('the SQL engine agrees with core on every person of the synthetic population', () => {
  it('segments, multimorbidity scores and PLUS groups', async () => {
    const db = await openDatabase(DB);
    try {
      for (const date of ['2024-03-31', '2026-03-31']) {
        await computePersonFeatures(db, date);
        const people = await readPersonFeatures(db);
        expect(people.length).toBeGreaterThan(19_000);
        for (const segmentation of [KIRKLEES_SEGMENTATION, BRIDGES_TO_HEALTH_SEGMENTATION]) {
          const sql = await personSegments(db, segmentation, date);
          const disagreements = people.filter((p) => sql.get(p.personId) !== assignSegment(segmentation, p));
          expect(disagreements.map((p) => p.personId)).toEqual([]);
          // Every segment is used.
          expect(new Set(sql.values()).size).toBe(segmentation.segments.length);
        }
        const rows = await db.query<Record<string, number | boolean>>(
          `SELECT person_id, ${multimorbiditySql()} AS mm, ${PLUS_GROUPS.map((g, i) => `${plusGroupSql(g)} AS p${i}`).join(', ')} FROM person_features ORDER BY person_id`,
        );
        expect(rows.map((r) => [r.mm, ...PLUS_GROUPS.map((_, i) => r[`p${i}`])])).toEqual(people.map((p) => [multimorbidityScore(p), ...PLUS_GROUPS.map((g) => inPlusGroup(g, p))]));
      }
    } finally {
      db.close();
    }
  });
});
