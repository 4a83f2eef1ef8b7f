/** The demo's accounts, delivery registers and team's working day: seeded once into an empty store, checked as the API checks them. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neighbourhoodsOf } from '@openphm/store-duckdb';
import { DEMO_PASSWORD } from './demo.js';
import { openOperationalDb, type OperationalDb } from './operational/db.js';
import { listActions, listMeasureValues, listRisks } from './operational/delivery.js';
import { defaultPlansDir, createServer } from './server.js';
import { buildFixtureDatabase, login, startSignedInServer } from './test-support.js';

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

  it('seeds the six demo accounts and the demo registers once', async () => {
    const operational = { dataDir: join(dir, 'ops') };
    const app = await createServer({ duckdbFile: fixture.file, webDir: false, demoAccounts: true, operational });
    try {
      expect(app.openphm.seededAccounts.map((a) => `${a.email}:${a.role}`)).toEqual(['analyst@demo:analyst', 'neighbourhood@demo:neighbourhood', 'linkworker@demo:neighbourhood', 'admin@demo:admin', 'programme@demo:programme', 'board@demo:board']);
      const ops = app.openphm.ops;
      const registers = JSON.parse(readFileSync(join(defaultPlansDir(), 'demo', 'registers.json'), 'utf8'));
      const count = async (list: typeof listActions | typeof listRisks) => (await list(ops, 'wyh-partnership')).length + (await list(ops, 'kirklees-hwb')).length;
      expect(await count(listActions)).toBe(registers.actions.length);
      expect(await count(listRisks)).toBe(registers.risks.length);
      expect((await listActions(ops, 'wyh-partnership')).every((a) => a.updatedBy === 'programme@demo' && a.version === 1)).toBe(true);
      expect((await listMeasureValues(ops, 'wyh-partnership')).map((v) => v.periodLabel)).toEqual(['2017-19', '2018-20', '2020-22']);
      // Risks name the actions that address them (by title in the file, by id once written).
      const actions = new Map((await listActions(ops, 'wyh-partnership')).map((a) => [a.id, a.title]));
      const winter = (await listRisks(ops, 'wyh-partnership')).find((r) => r.title === 'Winter demand overwhelms urgent care')!;
      expect(winter.actionIds.map((id) => actions.get(id))).toEqual(['Same-day emergency care in every acute trust', 'Frailty multidisciplinary teams review the emergency admission worklist in every PCN']);
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

  it("seeds the neighbourhood team's working day once: tasks, notes, today's MDT meeting, caseload reviews, notifications and a service's inbox", async () => {
    const operational = { dataDir: join(dir, 'ops-team') };
    const TEAM_TABLES = ['care_task', 'care_note', 'mdt_meeting', 'mdt_agenda_item', 'caseload_entry', 'caseload_review', 'referral', 'referral_decision', 'user_service', 'care_plan'] as const;
    const counts = async (ops: OperationalDb) => {
      const out: Record<string, number> = {};
      for (const t of TEAM_TABLES) out[t] = Number((await ops.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${t}`))[0]!.n);
      return out;
    };
    const { app } = await startSignedInServer(fixture.file, { demoAccounts: true, operational });
    let before: Record<string, number>;
    try {
      const neighbourhoodId = app.openphm.seededAccounts.find((a) => a.email === 'neighbourhood@demo')!.neighbourhoodId!;
      const cookie = await login(app, 'neighbourhood@demo', DEMO_PASSWORD);
      const get = async (url: string, as = cookie) => {
        const response = await app.inject({ url, headers: { cookie: as } });
        expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
        return response.json();
      };

      // My work: open tasks, some overdue, one due today, from the MDT and a care plan review as well as by hand; one for the whole team.
      const mine = await get('/api/care/tasks');
      const today = mine.today as string;
      const states = mine.tasks.map((t: { dueState: string }) => t.dueState);
      expect(states.filter((s: string) => s === 'overdue').length).toBeGreaterThanOrEqual(2);
      expect(states).toContain('due-today');
      expect(states).toContain('due-this-week');
      expect(new Set(mine.tasks.map((t: { source: string }) => t.source))).toEqual(new Set(['manual', 'mdt', 'plan-review']));
      expect((await get('/api/care/tasks?assignee=unassigned')).tasks.map((t: { title: string }) => t.title)).toEqual(['Arrange a carer’s assessment']);
      expect((await get('/api/care/tasks?status=done')).tasks).toHaveLength(1);
      // Unread notifications: tasks colleagues assigned, a referral decided, the review that has come.
      expect((await get('/api/care/notifications/count')).unread).toBeGreaterThan(0);
      const kinds = new Set((await get('/api/care/notifications')).notifications.map((n: { kind: string }) => n.kind));
      for (const kind of ['task-assigned', 'referral-decided', 'review-due']) expect(kinds).toContain(kind);
      // Today's MDT meeting: people on the agenda, the first discussed with its action raised as a task.
      const { meetings } = await get('/api/care/meetings');
      expect(meetings).toEqual([expect.objectContaining({ title: 'Weekly neighbourhood MDT', date: today, discussed: 1 })]);
      expect(meetings[0].items).toBeGreaterThanOrEqual(2);
      const meeting = await get(`/api/care/meetings/${meetings[0].id}`);
      const discussed = meeting.agenda.filter((i: { outcome: string | null }) => i.outcome !== null);
      expect(discussed).toHaveLength(1);
      expect(discussed[0].tasks.map((t: { title: string }) => t.title)).toEqual(['Ask the practice pharmacist for a medication review']);
      // The caseload: a review has come (neighbourhood@demo leads it) and one was recorded.
      const caseload = await get('/api/caseload');
      expect(caseload.entries.some((e: { reviewDue: boolean }) => e.reviewDue)).toBe(true);
      expect((await counts(app.openphm.ops)).caseload_review).toBeGreaterThan(0);
      // The team's inbox (neighbourhood@demo works for no service): new referrals waiting for a decision.
      const inbox = await get('/api/care/inbox');
      expect(inbox.waiting).toBeGreaterThan(0);
      expect(inbox.referrals.every((r: { awaitsDecision: boolean }) => r.awaitsDecision)).toBe(true);
      // linkworker@demo works for one service: its inbox, and being told of each new referral.
      const linkWorker = await login(app, 'linkworker@demo', DEMO_PASSWORD);
      const serviceInbox = await get('/api/care/inbox', linkWorker);
      expect(serviceInbox.services).toHaveLength(1);
      expect(serviceInbox.waiting).toBeGreaterThan(0);
      expect((await get('/api/care/notifications', linkWorker)).notifications.map((n: { kind: string }) => n.kind)).toContain('referral-received');

      // Everyone it is about lives in the team's neighbourhood.
      const people = await app.openphm.ops.query<{ id: string }>(
        `SELECT person_id::text AS id FROM care_task UNION SELECT person_id::text FROM care_note UNION SELECT person_id::text FROM mdt_agenda_item
         UNION SELECT person_id::text FROM notification WHERE person_id IS NOT NULL`,
      );
      expect(people.length).toBeGreaterThan(0);
      const homes = await neighbourhoodsOf(app.openphm.data, people.map((p) => p.id));
      expect(people.map((p) => homes.get(p.id))).toEqual(people.map(() => neighbourhoodId));
      before = await counts(app.openphm.ops);
    } finally {
      await app.close();
    }
    // A second start on the same store adds nothing.
    const again = await createServer({ duckdbFile: fixture.file, webDir: false, demoAccounts: true, operational });
    try {
      expect(await counts(again.openphm.ops)).toEqual(before);
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
