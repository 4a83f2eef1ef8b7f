/**
 * The rows `phm export --fhir` writes as FHIR (core fhir/out/export.ts), read a range of person ids
 * at a time so that the whole ICS is never held at once: people with their identity (from the
 * identity store, when there is one) and death, and their clinical events, GP, A&E, inpatient and
 * outpatient activity. Ids of rows without their own (events, appointments) are the person id and
 * the row's place among the person's rows, the same for the same data.
 */
import type { AeRow, ClinicalEventRow, ExportPerson, GpAppointmentRow, OutpatientRow, SpellRow } from '@openphm/core';
import { identityFileOf, openIdentityStore, type IdentityStore } from '../identity/store.js';
import { readMeta, type Queryable } from './window.js';

export interface FhirExportBatch {
  readonly people: readonly ExportPerson[];
  readonly clinicalEvents: readonly ClinicalEventRow[];
  readonly gpAppointments: readonly GpAppointmentRow[];
  readonly aeAttendances: readonly AeRow[];
  readonly hospitalSpells: readonly SpellRow[];
  readonly outpatients: readonly OutpatientRow[];
}

const int = (n: number): string => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a person id: ${n}`);
  return String(n);
};

/** Person ids in ranges of about `size` people each (ids are pseudonymous and sparse), in order. */
export const personIdBatches = async (db: Queryable, size: number): Promise<{ readonly from: number; readonly to: number; readonly people: number }[]> => {
  const [{ n } = { n: 0 }] = await db.query<{ n: bigint | number }>('SELECT count(*) AS n FROM person');
  const batches = Math.max(1, Math.ceil(Number(n) / Math.max(1, Math.floor(size))));
  const rows = await db.query<{ lo: bigint | number; hi: bigint | number; people: bigint | number }>(
    `SELECT min(person_id) AS lo, max(person_id) AS hi, count(*) AS people FROM (SELECT person_id, ntile(${batches}) OVER (ORDER BY person_id) AS t FROM person) GROUP BY t ORDER BY lo`,
  );
  return rows.map((r) => ({ from: Number(r.lo), to: Number(r.hi), people: Number(r.people) }));
};

/** Every practice people are registered with, and so the Organizations the export writes. */
export const exportPracticeCodes = async (db: Queryable): Promise<string[]> =>
  (await db.query<{ code: string }>('SELECT DISTINCT practice_code AS code FROM person ORDER BY code')).map((r) => r.code);

const DAY = (column: string) => `strftime(${column}, '%Y-%m-%d')`;

/** The rows of the people with ids from `from` to `to` (inclusive), each table ordered by person. */
export const readFhirExportBatch = async (db: Queryable, identity: IdentityStore | undefined, from: number, to: number): Promise<FhirExportBatch> => {
  const range = (column = 'person_id') => `${column} BETWEEN ${int(from)} AND ${int(to)}`;
  const [people, identities, events, gp, ae, spells, outpatients] = await Promise.all([
    db.query<{ id: bigint; sex: string; dob: string; ethnic: string; practice: string; registered: string; died: string | null }>(
      `SELECT p.person_id AS id, p.sex, ${DAY('p.date_of_birth')} AS dob, p.ethnic_category AS ethnic, p.practice_code AS practice, ${DAY('p.registration_date')} AS registered,
              ${DAY('d.date_of_death')} AS died
       FROM person p LEFT JOIN death d USING (person_id) WHERE ${range('p.person_id')} ORDER BY p.person_id`,
    ),
    identity === undefined
      ? Promise.resolve([])
      : identity.query<{ id: bigint; nhs: string; given: string; family: string; line1: string; line2: string | null; town: string | null; postcode: string | null; phone: string | null }>(
          `SELECT person_id AS id, nhs_number AS nhs, given_name AS given, family_name AS family, address_line_1 AS line1, address_line_2 AS line2, town, postcode, phone
           FROM identity WHERE ${range()}`,
        ),
    db.query<{ id: bigint; n: bigint; day: string; code: string; value: number | null }>(
      `SELECT person_id AS id, row_number() OVER (PARTITION BY person_id ORDER BY event_date, snomed_code, numeric_value) AS n, ${DAY('event_date')} AS day, snomed_code AS code, numeric_value AS value
       FROM clinical_event WHERE ${range()} ORDER BY person_id, n`,
    ),
    db.query<{ id: bigint; n: bigint; day: string; mode: string; practice: string }>(
      `SELECT g.person_id AS id, row_number() OVER (PARTITION BY g.person_id ORDER BY g.appointment_date, g.mode, g.staff_role) AS n, ${DAY('g.appointment_date')} AS day, g.mode, p.practice_code AS practice
       FROM gp_appointment g JOIN person p USING (person_id) WHERE ${range('g.person_id')} ORDER BY id, n`,
    ),
    db.query<{ id: bigint; pid: bigint; arrival: string; departure: string; disposal: string }>(
      `SELECT attendance_id AS id, person_id AS pid, strftime(arrival_time, '%Y-%m-%d %H:%M:%S') AS arrival, strftime(departure_time, '%Y-%m-%d %H:%M:%S') AS departure, disposal
       FROM ae_attendance WHERE ${range()} ORDER BY person_id, attendance_id`,
    ),
    db.query<{ id: bigint; pid: bigint; admission: string; discharge: string; method: string; diagnosis: string; destination: string }>(
      `SELECT spell_id AS id, person_id AS pid, ${DAY('admission_date')} AS admission, ${DAY('discharge_date')} AS discharge, admission_method AS method, primary_diagnosis AS diagnosis,
              discharge_destination AS destination
       FROM hospital_spell WHERE ${range()} ORDER BY person_id, spell_id`,
    ),
    db.query<{ id: bigint; n: bigint; day: string; specialty: string }>(
      `SELECT person_id AS id, row_number() OVER (PARTITION BY person_id ORDER BY appointment_date, specialty, attended) AS n, ${DAY('appointment_date')} AS day, specialty
       FROM outpatient_appointment WHERE ${range()} ORDER BY person_id, n`,
    ),
  ]);
  const who = new Map(identities.map((i) => [String(i.id), i]));
  return {
    people: people.map((p) => {
      const i = who.get(String(p.id));
      return {
        personId: String(p.id),
        sex: p.sex === 'M' ? 'M' : 'F',
        dateOfBirth: p.dob,
        ethnicCategory: p.ethnic,
        practice: { code: p.practice },
        registrationDate: p.registered,
        dateOfDeath: p.died,
        identity: i === undefined ? null : { nhsNumber: i.nhs, givenName: i.given, familyName: i.family, address: { line1: i.line1, line2: i.line2, town: i.town, postcode: i.postcode }, phone: i.phone },
      };
    }),
    clinicalEvents: events.map((e) => ({ id: `${e.id}-${e.n}`, personId: String(e.id), day: e.day, snomed: e.code, value: e.value === null ? null : Number(e.value) })),
    gpAppointments: gp.map((g) => ({ id: `${g.id}-${g.n}`, personId: String(g.id), day: g.day, mode: g.mode, practice: g.practice })),
    aeAttendances: ae.map((a) => ({ id: String(a.id), personId: String(a.pid), arrival: a.arrival, departure: a.departure, disposal: a.disposal })),
    hospitalSpells: spells.map((s) => ({ id: String(s.id), personId: String(s.pid), admission: s.admission, discharge: s.discharge, method: s.method, diagnosis: s.diagnosis, destination: s.destination })),
    outpatients: outpatients.map((o) => ({ id: `${o.id}-${o.n}`, personId: String(o.id), day: o.day, specialty: o.specialty })),
  };
};

/**
 * The identity store of the database file (undefined when it has none), for the export only: an
 * export with identities is identifiable data, written by whoever holds the database file.
 */
export const openExportIdentities = async (db: Queryable, file: string): Promise<IdentityStore | undefined> =>
  openIdentityStore(identityFileOf(file), (await readMeta(db)).build_id, { threads: 1 });
