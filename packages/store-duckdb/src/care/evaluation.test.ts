/**
 * Matched outcomes on hand-written people (data window 2021-04-01 to 2026-04-01, 365-day windows).
 * Exposure on 2024-05-10 is evaluated at the quarter start 2024-04-01: before = [2023-04-02,
 * 2024-04-01), after = [2024-04-01, 2025-04-01). Everyone lives in one LSOA (same place and IMD quintile).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellKeyOf, matchedDifferenceInDifferences } from '@openphm/core';
import { buildDatabase } from '../build.js';
import { openDatabase, type PhmDatabase } from '../database.js';
import { GEOGRAPHY, META, VALID_FILES, makeTempDir, removeDir, writeCsvDir } from '../test-support.js';
import { evaluableIndexDates, matchedOutcomes } from './evaluation.js';
import { recordKeysOf } from './record-keys.js';

// id, sex, date of birth, registered, A&E arrivals
const PEOPLE: [number, 'F' | 'M', string, string, string[]][] = [
  [1, 'F', '1950-01-01', '2000-01-01', ['2023-06-01', '2023-09-01']], // case: 74, two attendances before, none after
  [12, 'F', '1950-02-01', '2000-01-01', ['2023-05-01', '2023-12-01']], // a second case in the same stratum and quarter
  [2, 'F', '1950-03-01', '2000-01-01', ['2023-06-01', '2023-07-01', '2024-06-01']], // comparator: 2 before, 1 after
  [3, 'F', '1951-01-01', '2000-01-01', ['2023-05-01', '2023-06-01', '2023-07-01', '2024-05-01', '2024-06-01', '2024-07-01']], // comparator: 3 before (band 2-3), 3 after
  [9, 'F', '1950-04-01', '2000-01-01', ['2023-08-01', '2023-10-01', '2024-08-01', '2024-09-01']], // comparator: 2 before, 2 after
  [4, 'F', '1950-01-01', '2000-01-01', ['2023-06-01']], // 1 before: another prior band
  [5, 'M', '1950-01-01', '2000-01-01', ['2023-06-01', '2023-07-01']], // a man
  [6, 'F', '1950-01-01', '2000-01-01', ['2023-06-01', '2023-07-01']], // died during the window after
  [7, 'F', '1950-01-01', '2023-10-01', ['2023-11-01', '2023-12-01']], // registered during the window before
  [8, 'M', '1930-01-01', '2000-01-01', []], // case in 2025-04-01 with nobody to match (a man of 95)
  [10, 'M', '1990-01-01', '2000-01-01', []], // exposed too early for a whole window before
  [11, 'F', '2010-01-01', '2010-01-01', []], // exposed as a child
  [13, 'F', '1950-05-01', '2000-01-01', []], // two emergency admissions before and no A&E: another prior band (admissions are matched apart from attendances)
];
// id → emergency admission dates
const ADMISSIONS: Record<number, string[]> = { 13: ['2023-06-01', '2023-09-01'] };
// id → GP appointment dates (an outcome only: counted for the matched people)
const GP: Record<number, string[]> = { 1: ['2023-07-01', '2024-07-01', '2024-08-01', '2025-05-01'], 2: ['2024-05-01'], 3: ['2023-04-01', '2024-03-31'], 4: ['2024-06-01'] };
const EXPOSURES = [
  { personId: '1', indexDate: '2024-05-10' },
  { personId: '12', indexDate: '2024-06-15' },
  { personId: '8', indexDate: '2025-06-01' },
  { personId: '10', indexDate: '2021-06-01' },
  { personId: '11', indexDate: '2024-05-01' },
];

let root: string;
let db: PhmDatabase;
/** The same people with opt-outs: case 12 a national data opt-out, comparator 9 a type 1 opt-out. */
let withOptOuts: PhmDatabase;

const build = async (name: string, optOuts: string): Promise<PhmDatabase> => {
  const headerOnly = Object.fromEntries(Object.entries(VALID_FILES).filter(([f]) => f.endsWith('.csv')).map(([f, text]) => [f, `${text.split('\n')[0]}\n`]));
  let n = 0;
  const files = {
    ...headerOnly,
    'person.csv': `person_id,sex,date_of_birth,ethnic_category,lsoa_code,practice_code,registration_date,is_carer\n${PEOPLE.map(([id, sex, dob, reg]) => `${id},${sex},${dob},A,E01011230,B86002,${reg},false`).join('\n')}\n`,
    'ae_attendance.csv': `attendance_id,person_id,arrival_time,departure_time,department_type,disposal\n${PEOPLE.flatMap(([id, , , , days]) => days.map((d) => `${++n},${id},${d} 10:00:00,${d} 12:00:00,01,discharged`)).join('\n')}\n`,
    'death.csv': 'person_id,date_of_death,underlying_cause,place_of_death\n6,2024-12-01,I219,hospital\n',
    'gp_appointment.csv': `person_id,appointment_date,staff_role,mode\n${Object.entries(GP)
      .flatMap(([id, days]) => days.map((d) => `${id},${d},GP,face-to-face`))
      .join('\n')}\n`,
    'hospital_spell.csv': `spell_id,person_id,admission_date,discharge_date,admission_method,primary_diagnosis,discharge_destination\n${Object.entries(ADMISSIONS)
      .flatMap(([id, days]) => days.map((d) => `${++n},${id},${d},${d},emergency,J440,home`))
      .join('\n')}\n`,
    'opt_out.csv': `person_id,kind,recorded_date\n${optOuts}`,
  };
  const dbFile = join(root, `${name}.duckdb`);
  await buildDatabase({ outFile: dbFile, csvDir: writeCsvDir(root, files), geography: GEOGRAPHY, meta: META, threads: 1 });
  return openDatabase(dbFile);
};

beforeAll(async () => {
  root = makeTempDir();
  db = await build('evaluation', '');
  withOptOuts = await build('opt-outs', '12,national,\n9,type-1,2021-06-30\n');
});
afterAll(() => {
  db?.close();
  withOptOuts?.close();
  if (root) removeDir(root);
});

describe('matchedOutcomes', () => {
  it('counts who could be evaluated and why not', async () => {
    const m = await matchedOutcomes(db, EXPOSURES, { controlsPerCase: 2, seed: 'test' });
    expect(m).toMatchObject({ exposed: { n: 5 }, cases: { n: 3 }, excluded: { optedOut: { n: 0 }, outsideData: { n: 1 }, notEligible: { n: 1 } }, purpose: 'planning', quarters: ['2024-04-01', '2025-04-01'] });
    // Each count carries the cell key of its people (disclosure control): the sum of their record keys.
    const keys = await recordKeysOf(db, EXPOSURES.map((e) => e.personId));
    expect(m.exposed.key).toBe(cellKeyOf(EXPOSURES.map((e) => keys.get(e.personId) ?? 0)));
  });

  it('matches exactly on sex, age band, deprivation, place and prior activity, without replacement', async () => {
    const m = await matchedOutcomes(db, EXPOSURES, { controlsPerCase: 2, seed: 'test' });
    const ae = m.units.aeAttendances;
    // Cases 1 and 12 (2 before, 0 after) share the three eligible comparators 2, 3 and 9: two for one, one for the other.
    const pairs = ae.filter((u) => u.before === 2).map((u) => u.comparators.map((c) => `${c.before}→${c.after}`).sort());
    expect(pairs.map((p) => p.length).sort()).toEqual([1, 2]);
    expect(pairs.flat().sort()).toEqual(['2→1', '2→2', '3→3']);
    expect(ae.filter((u) => u.before === 2).every((u) => u.after === 0)).toBe(true);
    // Case 8 has no comparator: counted, not estimated.
    expect(ae.filter((u) => u.comparators.length === 0).map((u) => [u.before, u.after])).toEqual([[0, 0]]);
    // No emergency admissions among the matched people.
    expect(m.units.emergencyAdmissions.every((u) => u.before === 0 && u.after === 0)).toBe(true);
  });

  it('counts GP appointments a year before and after, for cases and comparators alike', async () => {
    const m = await matchedOutcomes(db, EXPOSURES, { controlsPerCase: 3, seed: 'test' });
    // Case 1: 2023-07-01 before; 2024-07-01 and 2024-08-01 after (2025-05-01 is past the year after).
    // Comparators 2 (0 → 1), 3 (2023-04-01 is before the year before, 2024-03-31 in it: 1 → 0), 9 (0 → 0).
    const all = m.units.gpAppointments.map((u) => [u.before, u.after, u.comparators.length]);
    expect(all).toContainEqual([0, 0, 0]); // case 8, unmatched
    // The other of cases 1 and 12 is unmatched too, with its own counts.
    expect(all.filter((u) => u[2] === 0 && (u[0] !== 0 || u[1] !== 0))).toEqual(all.some((u) => u[0] === 1 && u[1] === 2 && u[2] === 0) ? [[1, 2, 0]] : []);
    const first = m.units.gpAppointments.filter((u) => u.comparators.length === 3);
    expect(first).toHaveLength(1);
    expect(first[0]!.comparators.map((c) => `${c.before}→${c.after}`).sort()).toEqual(['0→0', '0→1', '1→0']);
    // Whichever of cases 1 and 12 was drawn first, its own counts are its own.
    expect([[1, 2], [0, 0]]).toContainEqual([first[0]!.before, first[0]!.after]);
  });

  it("keeps each case's groups at the index date, in the order of the units", async () => {
    const m = await matchedOutcomes(db, EXPOSURES, { controlsPerCase: 2, seed: 'test' });
    expect(m.caseGroups).toHaveLength(m.units.aeAttendances.length);
    // Cases 1 and 12 (women of 74, Leeds, IMD quintile 3) and case 8 (a man of 95).
    expect(m.caseGroups.map((g) => `${g.sex} ${g.ageBand} q${g.imdQuintile} ${g.place} ${g.ethnicGroup}`).sort()).toEqual(['F 65-74 q3 leeds White', 'F 65-74 q3 leeds White', 'M 85+ q3 leeds White']);
  });

  it('with more comparators per case, the first case drawn takes all three', async () => {
    const m = await matchedOutcomes(db, EXPOSURES, { controlsPerCase: 3, seed: 'test' });
    expect(m.units.aeAttendances.map((u) => u.comparators.length).sort()).toEqual([0, 0, 3]);
    expect(matchedDifferenceInDifferences(m.units.aeAttendances)).toMatchObject({ cases: 3, matched: 1, withheld: true });
  });

  it('refuses windows and comparator counts out of range', async () => {
    await expect(matchedOutcomes(db, EXPOSURES, { windowDays: 10 })).rejects.toThrow(/30 to 730 days/);
    await expect(matchedOutcomes(db, EXPOSURES, { controlsPerCase: 0 })).rejects.toThrow(/1 to 10/);
    await expect(matchedOutcomes(db, [{ personId: 'x', indexDate: '2024-01-01' }])).rejects.toThrow(/not a person id/);
  });

  it('leaves out people with an opt-out, as cases (counted) and as comparators', async () => {
    const m = await matchedOutcomes(withOptOuts, EXPOSURES, { controlsPerCase: 3, seed: 'test' });
    const keys = await recordKeysOf(withOptOuts, ['12']);
    expect(m).toMatchObject({ exposed: { n: 5 }, cases: { n: 2 }, excluded: { optedOut: { n: 1, key: keys.get('12') }, outsideData: { n: 1 }, notEligible: { n: 1 } }, purpose: 'planning' });
    // Case 1 alone in its stratum now, with comparators 2 and 3 only (9 has opted out).
    const ae = m.units.aeAttendances.filter((u) => u.before === 2);
    expect(ae).toHaveLength(1);
    expect(ae[0]!.comparators.map((c) => `${c.before}→${c.after}`).sort()).toEqual(['2→1', '3→3']);
    // For research the same people are left out; the purpose is reported.
    expect((await matchedOutcomes(withOptOuts, EXPOSURES, { controlsPerCase: 3, seed: 'test', purpose: 'research' })).purpose).toBe('research');
  });

  it('says which index dates can be evaluated', () => {
    expect(evaluableIndexDates('2021-04-01', '2026-04-01')).toEqual({ first: '2022-04-01', last: '2025-04-01' });
  });
});
