/**
 * The rows `phm export --fhir` writes as FHIR (core fhir/out/export.ts), read a range of person ids
 * at a time so that the whole ICS is never held at once: people with their identity (from the
 * identity store, when there is one), death, and every person-level table. Ids of rows without their
 * own (events, appointments, contacts, prescriptions, stays) are the person id and the row's place
 * among the person's rows, the same for the same data. A birth is read with the baby, a carer
 * relationship with the carer; the mother's and the carer's Patients link to them.
 */
import { carerLinkId, motherLinkId, type FhirExportRows } from '@openphm/core';
import { identityFileOf, openIdentityStore, type IdentityStore } from '../identity/store.js';
import { readMeta, type Queryable } from './window.js';

export type FhirExportBatch = FhirExportRows;

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

type Id = bigint | number;

/** The rows of the people with ids from `from` to `to` (inclusive), each table ordered by person. */
export const readFhirExportBatch = async (db: Queryable, identity: IdentityStore | undefined, from: number, to: number): Promise<FhirExportBatch> => {
  const range = (column = 'person_id') => `${column} BETWEEN ${int(from)} AND ${int(to)}`;
  /** A table's rows numbered within each person (ids for rows without their own). */
  const numbered = <T>(table: string, order: string, columns: string) =>
    db.query<T & { id: Id; n: Id }>(`SELECT person_id AS id, row_number() OVER (PARTITION BY person_id ORDER BY ${order}) AS n, ${columns} FROM ${table} WHERE ${range()} ORDER BY person_id, n`);
  const [people, identities, deaths, events, medicines, gp, ae, spells, outpatients, community, mental, social, stays, births, mothers, carers, optOuts] = await Promise.all([
    db.query<{ id: Id; sex: string; dob: string; ethnic: string; lsoa: string; practice: string; registered: string; died: string | null }>(
      `SELECT p.person_id AS id, p.sex, ${DAY('p.date_of_birth')} AS dob, p.ethnic_category AS ethnic, p.lsoa_code AS lsoa, p.practice_code AS practice, ${DAY('p.registration_date')} AS registered,
              ${DAY('d.date_of_death')} AS died
       FROM person p LEFT JOIN death d USING (person_id) WHERE ${range('p.person_id')} ORDER BY p.person_id`,
    ),
    identity === undefined
      ? Promise.resolve([])
      : identity.query<{ id: Id; nhs: string; given: string; family: string; line1: string; line2: string | null; town: string | null; postcode: string | null; phone: string | null }>(
          `SELECT person_id AS id, nhs_number AS nhs, given_name AS given, family_name AS family, address_line_1 AS line1, address_line_2 AS line2, town, postcode, phone
           FROM identity WHERE ${range()}`,
        ),
    db.query<{ id: Id; day: string; cause: string; place: string }>(
      `SELECT person_id AS id, ${DAY('date_of_death')} AS day, underlying_cause AS cause, place_of_death AS place FROM death WHERE ${range()} ORDER BY person_id`,
    ),
    numbered<{ day: string; code: string; value: number | null }>('clinical_event', 'event_date, snomed_code, numeric_value', `${DAY('event_date')} AS day, snomed_code AS code, numeric_value AS value`),
    numbered<{ day: string; bnf: string }>('medication', 'issue_date, bnf_code', `${DAY('issue_date')} AS day, bnf_code AS bnf`),
    db.query<{ id: Id; n: Id; day: string; mode: string; role: string; practice: string }>(
      `SELECT g.person_id AS id, row_number() OVER (PARTITION BY g.person_id ORDER BY g.appointment_date, g.mode, g.staff_role) AS n, ${DAY('g.appointment_date')} AS day, g.mode,
              g.staff_role AS role, p.practice_code AS practice
       FROM gp_appointment g JOIN person p USING (person_id) WHERE ${range('g.person_id')} ORDER BY id, n`,
    ),
    db.query<{ id: Id; pid: Id; arrival: string; departure: string; department: string; disposal: string }>(
      `SELECT attendance_id AS id, person_id AS pid, strftime(arrival_time, '%Y-%m-%d %H:%M:%S') AS arrival, strftime(departure_time, '%Y-%m-%d %H:%M:%S') AS departure,
              department_type AS department, disposal
       FROM ae_attendance WHERE ${range()} ORDER BY person_id, attendance_id`,
    ),
    db.query<{ id: Id; pid: Id; admission: string; discharge: string; method: string; diagnosis: string; external: string | null; destination: string }>(
      `SELECT spell_id AS id, person_id AS pid, ${DAY('admission_date')} AS admission, ${DAY('discharge_date')} AS discharge, admission_method AS method, primary_diagnosis AS diagnosis,
              external_cause AS external, discharge_destination AS destination
       FROM hospital_spell WHERE ${range()} ORDER BY person_id, spell_id`,
    ),
    numbered<{ day: string; specialty: string; attended: boolean }>('outpatient_appointment', 'appointment_date, specialty, attended', `${DAY('appointment_date')} AS day, specialty, attended`),
    numbered<{ day: string; service: string }>('community_contact', 'contact_date, service', `${DAY('contact_date')} AS day, service`),
    numbered<{ day: string; service: string }>('mental_health_contact', 'contact_date, service', `${DAY('contact_date')} AS day, service`),
    numbered<{ day: string; service: string }>('social_care_event', 'event_date, event_type', `${DAY('event_date')} AS day, event_type AS service`),
    numbered<{ start: string; end: string | null; care: string; permanent: boolean; funded: boolean }>(
      'care_home_stay',
      'start_date, end_date, care_type, permanent, council_funded',
      `${DAY('start_date')} AS start, ${DAY('end_date')} AS "end", care_type AS care, permanent, council_funded AS funded`,
    ),
    db.query<{ baby: Id; mother: Id; day: string; weight: number; gestation: number; smoking: boolean | null }>(
      `SELECT baby_person_id AS baby, mother_person_id AS mother, ${DAY('birth_date')} AS day, birth_weight_grams AS weight, gestation_weeks AS gestation, smoking_at_delivery AS smoking
       FROM birth WHERE ${range('baby_person_id')} ORDER BY baby_person_id`,
    ),
    db.query<{ mother: Id; baby: Id }>(`SELECT mother_person_id AS mother, baby_person_id AS baby FROM birth WHERE ${range('mother_person_id')} ORDER BY baby_person_id`),
    db.query<{ carer: Id; caredFor: Id; start: string; end: string | null }>(
      `SELECT carer_person_id AS carer, cared_for_person_id AS "caredFor", ${DAY('start_date')} AS start, ${DAY('end_date')} AS "end"
       FROM carer_relationship WHERE ${range('carer_person_id')} ORDER BY carer_person_id, cared_for_person_id, start_date`,
    ),
    db.query<{ id: Id; kind: string; recorded: string | null }>(`SELECT person_id AS id, kind, ${DAY('recorded_date')} AS recorded FROM opt_out WHERE ${range()} ORDER BY person_id, kind`),
  ]);
  const who = new Map(identities.map((i) => [String(i.id), i]));
  const carerRows = carers.map((c) => ({ carerId: String(c.carer), caredForId: String(c.caredFor), start: c.start, end: c.end }));
  const links = new Map<string, string[]>();
  const link = (personId: string, id: string) => (links.get(personId) ?? links.set(personId, []).get(personId)!).push(id);
  for (const m of mothers) link(String(m.mother), motherLinkId(String(m.baby)));
  for (const c of carerRows) link(c.carerId, carerLinkId(c));
  const contacts = (rows: readonly { id: Id; n: Id; day: string; service: string }[]) => rows.map((c) => ({ id: `${c.id}-${c.n}`, personId: String(c.id), day: c.day, service: c.service }));
  return {
    people: people.map((p) => {
      const i = who.get(String(p.id));
      return {
        personId: String(p.id),
        sex: p.sex === 'M' ? 'M' : 'F',
        dateOfBirth: p.dob,
        ethnicCategory: p.ethnic,
        lsoa: p.lsoa,
        practice: { code: p.practice },
        registrationDate: p.registered,
        dateOfDeath: p.died,
        links: links.get(String(p.id)) ?? [],
        identity: i === undefined ? null : { nhsNumber: i.nhs, givenName: i.given, familyName: i.family, address: { line1: i.line1, line2: i.line2, town: i.town, postcode: i.postcode }, phone: i.phone },
      };
    }),
    deaths: deaths.map((d) => ({ personId: String(d.id), day: d.day, cause: d.cause, place: d.place })),
    clinicalEvents: events.map((e) => ({ id: `${e.id}-${e.n}`, personId: String(e.id), day: e.day, snomed: e.code, value: e.value === null ? null : Number(e.value) })),
    medications: medicines.map((m) => ({ id: `${m.id}-${m.n}`, personId: String(m.id), day: m.day, bnf: m.bnf })),
    gpAppointments: gp.map((g) => ({ id: `${g.id}-${g.n}`, personId: String(g.id), day: g.day, mode: g.mode, staffRole: g.role, practice: g.practice })),
    aeAttendances: ae.map((a) => ({ id: String(a.id), personId: String(a.pid), arrival: a.arrival, departure: a.departure, departmentType: a.department, disposal: a.disposal })),
    hospitalSpells: spells.map((s) => ({
      id: String(s.id), personId: String(s.pid), admission: s.admission, discharge: s.discharge, method: s.method, diagnosis: s.diagnosis, externalCause: s.external, destination: s.destination,
    })),
    outpatients: outpatients.map((o) => ({ id: `${o.id}-${o.n}`, personId: String(o.id), day: o.day, specialty: o.specialty, attended: o.attended })),
    communityContacts: contacts(community),
    mentalHealthContacts: contacts(mental),
    socialCareEvents: contacts(social),
    careHomeStays: stays.map((c) => ({ id: `${c.id}-${c.n}`, personId: String(c.id), start: c.start, end: c.end, careType: c.care, permanent: c.permanent, councilFunded: c.funded })),
    births: births.map((b) => ({ babyId: String(b.baby), motherId: String(b.mother), day: b.day, weightGrams: Number(b.weight), gestationWeeks: Number(b.gestation), smokingAtDelivery: b.smoking })),
    carers: carerRows,
    optOuts: optOuts.map((o) => ({ personId: String(o.id), kind: o.kind, recorded: o.recorded })),
  };
};

/**
 * The identity store of the database file (undefined when it has none), for the export only: an
 * export with identities is identifiable data, written by whoever holds the database file.
 */
export const openExportIdentities = async (db: Queryable, file: string): Promise<IdentityStore | undefined> =>
  openIdentityStore(identityFileOf(file), (await readMeta(db)).build_id, { threads: 1 });
