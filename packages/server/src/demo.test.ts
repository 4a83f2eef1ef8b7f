/** The demo's accounts and delivery registers: seeded once into an empty store, checked as the API checks them. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOperationalDb } from './operational/db.js';
import { listActions, listMeasureValues, listRisks } from './operational/delivery.js';
import { defaultPlansDir, createServer } from './server.js';
import { buildFixtureDatabase } from './test-support.js';

describe('demo seeding', () => {
  let fixture: Awaited<ReturnType<typeof buildFixtureDatabase>>;
  let dir: string;
  beforeAll(async () => {
    fixture = await buildFixtureDatabase();
    dir = mkdtempSync(join(tmpdir(), 'phm-demo-'));
  });
  afterAll(() => {
    fixture?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the five demo accounts and the demo registers once', async () => {
    const operational = { dataDir: join(dir, 'ops') };
    const app = await createServer({ duckdbFile: fixture.file, webDir: false, demoAccounts: true, operational });
    try {
      expect(app.openphm.seededAccounts.map((a) => `${a.email}:${a.role}`)).toEqual(['analyst@demo:analyst', 'neighbourhood@demo:neighbourhood', 'admin@demo:admin', 'programme@demo:programme', 'board@demo:board']);
      const ops = app.openphm.ops;
      const registers = JSON.parse(readFileSync(join(defaultPlansDir(), 'demo', 'registers.json'), 'utf8'));
      const count = async (list: typeof listActions | typeof listRisks) => (await list(ops, 'wyh-partnership')).length + (await list(ops, 'kirklees-hwb')).length;
      expect(await count(listActions)).toBe(registers.actions.length);
      expect(await count(listRisks)).toBe(registers.risks.length);
      expect((await listActions(ops, 'wyh-partnership')).every((a) => a.updatedBy === 'programme@demo' && a.version === 1)).toBe(true);
      expect((await listMeasureValues(ops, 'wyh-partnership')).map((v) => v.periodLabel)).toEqual(['2017-19', '2018-20', '2020-22']);
    } finally {
      await app.close();
    }
    // A second start on the same store adds nothing.
    const again = await createServer({ duckdbFile: fixture.file, webDir: false, demoAccounts: true, operational });
    try {
      expect(again.openphm.seededAccounts).toEqual([]);
      expect((await listActions(again.openphm.ops, 'wyh-partnership')).length + (await listActions(again.openphm.ops, 'kirklees-hwb')).length).toBe(10);
    } finally {
      await again.close();
    }
  });

  it('a bad demo register entry stops the demo, naming the file and field', async () => {
    const plans = join(dir, 'plans');
    cpSync(defaultPlansDir(), plans, { recursive: true });
    const file = join(plans, 'demo', 'registers.json');
    const registers = JSON.parse(readFileSync(file, 'utf8'));
    registers.actions[2].ambitionId = 'suicide';
    writeFileSync(file, JSON.stringify(registers));
    const operational = { dataDir: join(dir, 'ops-bad') };
    await expect(createServer({ duckdbFile: fixture.file, webDir: false, demoAccounts: true, plansDir: plans, operational })).rejects.toThrow(
      `${file}, field 'actions.2.ambitionId': 'suicide' is not an ambition of priority urgent-care (ae-four-hours, fewer-emergency-admissions)`,
    );
    // Nothing of the registers was written (the entries before the bad one included).
    const ops = await openOperationalDb(operational);
    try {
      expect(await listActions(ops, 'wyh-partnership')).toEqual([]);
      expect(await listRisks(ops, 'wyh-partnership')).toEqual([]);
    } finally {
      await ops.close();
    }
  });
});
