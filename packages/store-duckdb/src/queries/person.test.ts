/**
 * One person's record (queries/person.ts) against the rows it is read from: the contacts in one
 * pass (the 20 most recent and the year's counts by kind) agree with working them out here from the
 * CSV rows; conditions, age, death and opt-outs; on the main connection and on lookup connections.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDatabase } from '../build.js';
import { openDatabase, type LookupDatabase } from '../database.js';
import { GEOGRAPHY, META, csv, makeTempDir, removeDir, withFiles, writeCsvDir } from '../test-support.js';
import { RECENT_CONTACTS, personNeighbourhood, personRecord } from './person.js';
import type { Queryable } from './window.js';

const DAY = '2025-03-31';

/** Person 1's contacts: a GP appointment every 9 days from 2023-06-01 (some after DAY), A&E, mental health, social care and hospital admissions. */
const gp = Array.from({ length: 80 }, (_, i) => {
  const d = new Date(Date.UTC(2023, 5, 1) + i * 9 * 86_400_000).toISOString().slice(0, 10);
  return { date: d, kind: 'GP appointment', detail: i % 2 === 0 ? 'GP, telephone' : 'Nurse, face-to-face', row: `1,${d},${i % 2 === 0 ? 'GP,telephone' : 'Nurse,face-to-face'}` };
});
const others = [
  { date: '2025-03-30', kind: 'A&E attendance', detail: 'type 01, admitted', row: '11,1,2025-03-30 22:00:00,2025-03-31 02:00:00,01,admitted' },
  { date: '2024-03-31', kind: 'A&E attendance', detail: 'type 03, discharged', row: '12,1,2024-03-31 09:00:00,2024-03-31 11:00:00,03,discharged' },
  { date: '2024-04-01', kind: 'Mental health contact', detail: 'talking-therapies', row: '1,2024-04-01,talking-therapies' },
  { date: '2025-04-01', kind: 'Social care', detail: 'assessment', row: '1,2025-04-01,assessment' },
  // An admission after a fall shows its external cause; one without a cause shows none.
  { date: '2025-03-30', kind: 'Hospital admission', detail: 'emergency admission, S720, cause W19', row: '101,1,2025-03-30,2025-04-03,emergency,S720,W19,home' },
  { date: '2025-02-10', kind: 'Hospital admission', detail: 'elective admission, K409', row: '102,1,2025-02-10,2025-02-10,elective,K409,,home' },
];

const FILES = withFiles({
  'gp_appointment.csv': csv('person_id,appointment_date,staff_role,mode', ...gp.map((g) => g.row)),
  'ae_attendance.csv': csv('attendance_id,person_id,arrival_time,departure_time,department_type,disposal', ...others.filter((o) => o.kind === 'A&E attendance').map((o) => o.row)),
  'mental_health_contact.csv': csv('person_id,contact_date,service', others[2]!.row),
  'social_care_event.csv': csv('person_id,event_date,event_type', others[3]!.row),
  'hospital_spell.csv': csv(
    'spell_id,person_id,admission_date,discharge_date,admission_method,primary_diagnosis,external_cause,discharge_destination',
    ...others.filter((o) => o.kind === 'Hospital admission').map((o) => o.row),
  ),
});

/** What the record should show, worked out from the rows above. */
const expected = () => {
  const all = [...gp, ...others].filter((c) => c.date <= DAY).sort((a, b) => (a.date === b.date ? (a.kind < b.kind ? -1 : 1) : a.date < b.date ? 1 : -1));
  const recent = all.slice(0, RECENT_CONTACTS).map(({ date, kind, detail }) => ({ date, kind, detail }));
  const yearAgo = '2024-03-31';
  const counts = new Map<string, number>();
  for (const c of all) if (c.date > yearAgo) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  return { recent, lastYear: [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, count]) => ({ kind, count })) };
};

describe('personRecord', () => {
  let root: string;
  let db: LookupDatabase;

  beforeAll(async () => {
    root = makeTempDir();
    const file = join(root, 'phm.duckdb');
    await buildDatabase({ outFile: file, csvDir: writeCsvDir(root, FILES), geography: GEOGRAPHY, meta: META, threads: 1 });
    db = await openDatabase(file, { lookupConnections: 2 });
  });
  afterAll(() => {
    db.close();
    removeDir(root);
  });

  const lookups = (): Queryable => ({ query: (sql, params) => db.lookup(sql, params) });

  it.each([
    ['the main connection', () => db as Queryable],
    ['lookup connections', lookups],
  ])('lists the 20 most recent contacts on or before the day and counts the year to it by kind, on %s', async (_on, on) => {
    const record = await personRecord(on(), '1', DAY, 'direct-care');
    const want = expected();
    expect(want.recent).toHaveLength(RECENT_CONTACTS);
    expect(record?.recent).toEqual(want.recent);
    expect(record?.lastYear).toEqual(want.lastYear);
    // The year's window: the A&E attendance of 2024-03-31 (a year before) is not in it, the one of the day before is; contacts after the day are not.
    expect(record?.lastYear.find((r) => r.kind === 'A&E attendance')?.count).toBe(1);
    expect(record?.lastYear.find((r) => r.kind === 'Social care')).toBeUndefined();
  });

  it('has the demographics, residence and conditions; age at death for someone who died', async () => {
    const one = await personRecord(lookups(), '1', DAY, 'direct-care');
    expect(one).toMatchObject({ sex: 'M', age: 44, lsoaCode: 'E01011230', died: null, isCarer: true });
    expect(one?.conditions.map((c) => [c.key, c.since])).toEqual([['hypertension', '2021']]);
    const four = await personRecord(lookups(), '4', DAY, 'direct-care');
    expect(four).toMatchObject({ died: '2023-02', age: 83 });
  });

  it('is null for no such person, and for planning when an opt-out applies', async () => {
    expect(await personRecord(lookups(), '999', DAY, 'direct-care')).toBeNull();
    expect(await personRecord(lookups(), '4', DAY, 'planning')).toBeNull();
    expect(await personRecord(lookups(), '1', DAY, 'planning')).not.toBeNull();
    expect(await personNeighbourhood(lookups(), '999')).toBeNull();
  });
});
