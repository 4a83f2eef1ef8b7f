/**
 * Social prescribing referrals as a computed strategy measure, on the 64-person fixture: 62 adults
 * in Leeds (persons 1 and 3 and people 100-159, registered long before and alive), none in
 * Calderdale (person 2 is a child, person 4 died in 2023). The data end on 2026-03-31; today is
 * pinned to 2026-11-26. Referrals are recorded directly with their dates, as an import would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferral } from '../operational/care.js';
import { residentsReferrals } from './referral-reach.js';
import { ScorecardResponse } from '@openphm/api-contract';
import { buildPopulationFixture, startSignedInServer, testService, type SignedInServer } from '../test-support.js';

const PLAN = {
  id: 'sp-plan',
  version: 1,
  title: 'Social prescribing plan',
  board: 'Test board',
  area: 'ics',
  period: { start: '2023-04-01', end: '2028-03-31' },
  description: 'Referral rates computed from the referrals recorded.',
  priorities: [
    {
      id: 'connected',
      title: 'Connected communities',
      ambitions: [
        {
          id: 'referrals',
          title: 'More social prescribing',
          measures: [
            { id: 'ics', title: 'Referrals per 1,000 adults', source: { kind: 'social-prescribing' }, baseline: { kind: 'data', periodLabel: '2024/25' }, target: { kind: 'absolute', value: 400, date: '2027-03-31' } },
            { id: 'leeds', title: 'Referrals per 1,000 adults, Leeds', source: { kind: 'social-prescribing' }, area: 'place:leeds' },
            { id: 'calderdale', title: 'Referrals per 1,000 adults, Calderdale', source: { kind: 'social-prescribing' }, area: 'place:calderdale' },
          ],
        },
      ],
    },
  ],
};

const service = testService('walk', { name: 'Walking group', categories: ['physical-activity'], areas: ['ics'], eligibility: {} });

describe('social prescribing referral rates as strategy measures', () => {
  let fixture: Awaited<ReturnType<typeof buildPopulationFixture>>;
  let plansDir: string;
  let server: SignedInServer;
  const refer = (personId: number, neighbourhoodId: string, day: string) =>
    createReferral(server.app.openphm.ops, { personId: String(personId), serviceId: 'walk', reason: 'inactivity', neighbourhoodId, referredAt: `${day}T10:00:00Z` }, 'leeds@test');
  const scorecard = async () => {
    const r = await server.as('public', 'GET', '/api/strategies/sp-plan/scorecard');
    expect(r.statusCode, r.body).toBe(200);
    return Object.fromEntries(ScorecardResponse.parse(r.json()).measures.map((m) => [m.id, m]));
  };

  beforeAll(async () => {
    fixture = await buildPopulationFixture();
    plansDir = mkdtempSync(join(tmpdir(), 'phm-sp-plans-'));
    writeFileSync(join(plansDir, 'sp-plan.json'), JSON.stringify(PLAN));
    server = await startSignedInServer(fixture.file, { plansDir, today: () => '2026-11-26' });
    expect((await server.as('programme', 'POST', '/api/directory/services', service)).statusCode).toBe(201);
  });
  afterAll(async () => {
    await server?.app.close();
    fixture?.remove();
    rmSync(plansDir, { recursive: true, force: true });
  });

  /** A rate per 1,000 published from counts within ±5 of the true ones. */
  const expectRate = (value: number | null | undefined, referred: number, adults: number) => {
    expect(value).not.toBeNull();
    expect(value!).toBeGreaterThanOrEqual((Math.max(8, referred - 5) / (adults + 5)) * 1000);
    expect(value!).toBeLessThanOrEqual(((referred + 5) / (adults - 5)) * 1000);
  };

  it('has no values before any referral', async () => {
    const by = await scorecard();
    expect(by.ics).toMatchObject({ points: [], status: 'incomplete', unit: 'per 1,000 adults', polarity: 'higher-is-better' });
    expect(by.ics!.sourceLabel).toMatch(/^Social prescribing referrals recorded in OpenPHM/);
  });

  it('counts each whole financial year of recording per 1,000 adults, withholding small counts', async () => {
    await refer(100, 'leeds-1', '2023-06-01'); // recording starts: 2023/24 is part-recorded, so not shown
    for (let id = 101; id <= 120; id++) await refer(id, 'leeds-1', `2024-${String(4 + (id % 9)).padStart(2, '0')}-15`); // 20 in 2024/25
    await refer(2, 'calderdale-1', '2025-01-10'); // a child in Calderdale, 2024/25
    for (let id = 121; id <= 123; id++) await refer(id, 'leeds-1', '2025-07-01'); // 3 in 2025/26: withheld
    await refer(124, 'leeds-1', '2026-06-01'); // 2026/27 has not ended
    const by = await scorecard();
    expect(by.leeds!.points.map((p) => [p.label, p.date, p.suppressed])).toEqual([
      ['2024/25', '2025-03-31', false],
      ['2025/26', '2026-03-31', true],
    ]);
    // 20 referrals among 62 adults; 21 (with Calderdale's) among the ICS's 62: each count published
    // with the noise of its cell key (at most ±5), the rate from the published counts.
    expectRate(by.leeds!.points[0]!.value, 20, 62);
    expectRate(by.ics!.points[0]!.value, 21, 62);
    const [first] = by.ics!.points;
    expect(first!.lower95!).toBeLessThan(first!.value!);
    expect(first!.upper95!).toBeGreaterThan(first!.value!);
    expect(by.ics!.points[1]).toMatchObject({ value: null, lower95: null, upper95: null, suppressed: true });
    // The baseline is 2024/25's value; 2025/26's is withheld, so there is nothing since to judge.
    expect(by.ics!.baseline!.value).toBe(by.ics!.points[0]!.value);
    expect(by.ics).toMatchObject({ status: 'incomplete', reasons: ['no value since the baseline'] });
    // No adults in Calderdale: a referral there has no rate.
    expect(by.calderdale!.points.map((p) => p.value)).toEqual([null, null]);
  });

  it('a referral recorded later shows at once (the scorecard is kept only while referrals are unchanged)', async () => {
    for (let id = 125; id <= 129; id++) await refer(id, 'leeds-1', '2025-11-20'); // 8 in 2025/26: published
    const by = await scorecard();
    expect(by.leeds!.points[1]).toMatchObject({ label: '2025/26', suppressed: false });
    expectRate(by.leeds!.points[1]!.value, 8, 62);
    // The ICS fell from about 339 to about 129 a year: higher is better, so worse than the baseline.
    expect(by.ics).toMatchObject({ status: 'worsening', rag: 'red' });
  });

  it('counts a referral where the person lives, whichever team made it', async () => {
    const made = [await refer(130, 'calderdale-1', '2025-11-21'), await refer(2, 'leeds-1', '2025-11-22')];
    const ctx = server.app.openphm;
    const people = async (place: string | null) => (await residentsReferrals(ctx, made, place)).map((r) => r.personId);
    expect(await people('leeds')).toEqual(['130']); // a Leeds resident referred by a Calderdale team
    expect(await people('calderdale')).toEqual(['2']);
    expect(await people('wakefield')).toEqual([]);
    expect(await people(null)).toEqual(['130', '2']);
  });
});
