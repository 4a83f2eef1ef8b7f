import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { InputError, TABLES, type TableName } from '@openphm/core';
import { buildDatabase } from './build.js';
import { discoverInputs, type TableInput } from './csv-input.js';
import { openDatabase } from './database.js';
import { schemaDdl } from './ddl.js';
import { GEOGRAPHY, META, VALID_FILES, csv, listDir, makeTempDir, removeDir, withFiles, writeCsvDir } from './test-support.js';
import { checkStagedTable, dropStaged, insertCheckedSql, loadCheckedRows, stageTable, typedColumnsSql } from './validate.js';

const PERSON_HEADER = 'person_id,sex,date_of_birth,ethnic_category,lsoa_code,practice_code,registration_date,is_carer';
const person = (...rows: string[]) => csv(PERSON_HEADER, ...rows);
const P1 = '1,M,1980-05-06,H,E01011230,B86002,2000-01-01,true';
const P2 = '2,F,2021-06-01,Z,E01010001,B82001,2021-06-01,false';
const P3 = '3,F,1950-02-01,A,E01011229,B86001,1990-01-01,false';
const P4 = '4,M,1940-01-01,A,E01010001,B82001,1960-01-01,false';
/** Person 1 with one field replaced. */
const p1With = (field: number, value: string) => P1.split(',').map((v, i) => (i === field ? value : v)).join(',');

const AE_HEADER = 'attendance_id,person_id,arrival_time,departure_time,department_type,disposal';
const EVENT_HEADER = 'person_id,event_date,snomed_code,numeric_value';
const BIRTH_HEADER = 'baby_person_id,mother_person_id,birth_date,birth_weight_grams,gestation_weeks,smoking_at_delivery';
const OPT_OUT_HEADER = 'person_id,kind,recorded_date';
const SPELL_HEADER = 'spell_id,person_id,admission_date,discharge_date,admission_method,primary_diagnosis,external_cause,discharge_destination';

let root: string;
beforeAll(() => {
  root = makeTempDir();
});
afterAll(() => removeDir(root));

/** Builds from the valid person file plus the given files (the other tables left out, to keep the tests fast). */
const failure = async (changes: Record<string, string | null>): Promise<unknown> => {
  const csvDir = writeCsvDir(root, { 'person.csv': VALID_FILES['person.csv']!, ...changes });
  return buildDatabase({ outFile: join(root, 'bad.duckdb'), csvDir, geography: GEOGRAPHY, meta: META }).then(
    () => new Error('the build succeeded'),
    (error: unknown) => error,
  );
};

describe('import validation names the file, line and field of the first problem', () => {
  it.each<[string, Record<string, string | null>, string]>([
    // Files and headers
    ['a missing column', { 'person.csv': csv('person_id,date_of_birth,ethnic_category,lsoa_code,practice_code,registration_date,is_carer') }, "person.csv, line 1, field 'sex': missing column"],
    [
      'an unknown column',
      { 'death.csv': csv('person_id,date_of_death,underlying_cause,place_of_death,nhs_number', '4,2023-02-01,I219,hospital,1234567890') },
      "death.csv, line 1, field 'nhs_number': unknown column (death has columns person_id, date_of_death, underlying_cause, place_of_death)",
    ],
    ['a repeated column', { 'medication.csv': csv('person_id,issue_date,bnf_code,bnf_code') }, "medication.csv, line 1, field 'bnf_code': column appears more than once in the header"],
    ['an empty file', { 'medication.csv': '' }, 'medication.csv, line 1: the file is empty: expected a header row naming the columns'],
    ['a CSV file named after no table', { 'patients.csv': csv('person_id') }, 'patients.csv: not a known table: CSV files must be named after a table (person, clinical_event, medication, gp_appointment, ae_attendance, hospital_spell, outpatient_appointment, community_contact, mental_health_contact, social_care_event, care_home_stay, birth, death, opt_out, carer_relationship, identity)'],
    ['a table given both as a file and as part files', { 'death.csv': VALID_FILES['death.csv']!, 'death/part-1.csv': csv('person_id,date_of_death,underlying_cause,place_of_death') }, 'death.csv: both death.csv and the directory death/ exist: keep only one'],
    ['a part-file directory without person files', { 'person.csv': null, 'person/readme.txt': 'hello' }, 'person/: no CSV files in the person directory: the person table is required'],
    ['a person file without rows', { 'person.csv': csv(PERSON_HEADER) }, 'person.csv: no data rows: the person table must hold at least one person'],
    // CSV structure
    ['a badly quoted field', { 'person.csv': person(P3, p1With(1, '"M"x')) }, "person.csv, line 3, field 'sex': badly quoted field (a field containing a quote must be quoted, with the quote doubled)"],
    ['a row with too few fields', { 'person.csv': person(P1, '2,F,2021-06-01,Z,E01010001,B82001,2021-06-01') }, 'person.csv, line 3: expected 8 fields (as in the header), found 7'],
    ['a row with too many fields', { 'person.csv': person(P1, `${P2},x`) }, 'person.csv, line 3: expected 8 fields (as in the header), found 9'],
    // Values
    ['an empty required value', { 'person.csv': person(P3, p1With(1, '')) }, "person.csv, line 3, field 'sex': empty, but a value is required"],
    ['an impossible date', { 'person.csv': person(p1With(2, '2021-13-45')) }, "person.csv, line 2, field 'date_of_birth': '2021-13-45' is not a valid date (YYYY-MM-DD)"],
    ['a date in another format', { 'person.csv': person(p1With(6, '01/02/2000')) }, "person.csv, line 2, field 'registration_date': '01/02/2000' is not a valid date (YYYY-MM-DD)"],
    // Texts a typed value is written as that are not of the pattern (the check's shortcut must not take them).
    ['a date with a five-digit year', { 'person.csv': person(p1With(6, '12020-01-01')) }, "person.csv, line 2, field 'registration_date': '12020-01-01' is not a valid date (YYYY-MM-DD)"],
    ['a date before the common era', { 'person.csv': person(p1With(2, '1980-05-06 (BC)')) }, "person.csv, line 2, field 'date_of_birth': '1980-05-06 (BC)' is not a valid date (YYYY-MM-DD)"],
    ['an infinite date', { 'person.csv': person(p1With(6, 'infinity')) }, "person.csv, line 2, field 'registration_date': 'infinity' is not a valid date (YYYY-MM-DD)"],
    ['a date with a short month', { 'person.csv': person(p1With(6, '2000-1-01')) }, "person.csv, line 2, field 'registration_date': '2000-1-01' is not a valid date (YYYY-MM-DD)"],
    ['a whole number with a sign', { 'person.csv': person(p1With(0, '+1')) }, "person.csv, line 2, field 'person_id': '+1' is not a whole number"],
    ['a whole number with spaces', { 'person.csv': person(p1With(0, ' 1')) }, "person.csv, line 2, field 'person_id': ' 1' is not a whole number"],
    ['a whole number in hexadecimal', { 'person.csv': person(p1With(0, '0x10')) }, "person.csv, line 2, field 'person_id': '0x10' is not a whole number"],
    ['a whole number with a separator', { 'person.csv': person(p1With(0, '1_0')) }, "person.csv, line 2, field 'person_id': '1_0' is not a whole number"],
    [
      'a bad timestamp',
      { 'ae_attendance.csv': csv(AE_HEADER, '10,1,2021-07-01 25:00:00,2021-07-02 01:00:00,03,discharged') },
      "ae_attendance.csv, line 2, field 'arrival_time': '2021-07-01 25:00:00' is not a valid timestamp (YYYY-MM-DD HH:MM:SS)",
    ],
    [
      'a timestamp with fractional seconds',
      { 'ae_attendance.csv': csv(AE_HEADER, '10,1,2021-07-01 22:00:00.5,2021-07-02 01:00:00,03,discharged') },
      "ae_attendance.csv, line 2, field 'arrival_time': '2021-07-01 22:00:00.5' is not a valid timestamp (YYYY-MM-DD HH:MM:SS)",
    ],
    ['a timestamp without seconds', { 'ae_attendance.csv': csv(AE_HEADER, '10,1,2021-07-01 22:00,2021-07-02 01:00:00,03,discharged') }, "ae_attendance.csv, line 2, field 'arrival_time': '2021-07-01 22:00' is not a valid timestamp (YYYY-MM-DD HH:MM:SS)"],
    ['a non-numeric id', { 'person.csv': person(p1With(0, 'P001')) }, "person.csv, line 2, field 'person_id': 'P001' is not a whole number"],
    ['a decimal where a whole number is expected', { 'birth.csv': csv(BIRTH_HEADER, '2,3,2021-06-01,3400.5,39,') }, "birth.csv, line 2, field 'birth_weight_grams': '3400.5' is not a whole number"],
    ['a number too large', { 'birth.csv': csv(BIRTH_HEADER, '2,3,2021-06-01,34000000000,39,') }, "birth.csv, line 2, field 'birth_weight_grams': '34000000000' is too large"],
    ['a bad decimal number', { 'clinical_event/part-0001.csv': csv(EVENT_HEADER, '1,2021-05-01,60621009,27,5') }, 'clinical_event/part-0001.csv, line 2: expected 4 fields (as in the header), found 5'],
    ['a non-number measurement', { 'clinical_event/part-0001.csv': csv(EVENT_HEADER, '1,2021-05-01,60621009,high') }, "clinical_event/part-0001.csv, line 2, field 'numeric_value': 'high' is not a number"],
    ['a bad boolean', { 'person.csv': person(p1With(7, 'yes')) }, "person.csv, line 2, field 'is_carer': 'yes' is not true or false"],
    ['an unknown enum value', { 'person.csv': person(P3, P2, p1With(1, 'X')) }, "person.csv, line 4, field 'sex': 'X' is not one of F, M"],
    ['an enum value in the wrong case', { 'gp_appointment.csv': csv('person_id,appointment_date,staff_role,mode', '1,2021-06-01,gp,telephone') }, "gp_appointment.csv, line 2, field 'staff_role': 'gp' is not one of GP, Nurse, Other"],
    ['a value out of range', { 'birth.csv': csv(BIRTH_HEADER, '2,3,2021-06-01,200,39,') }, "birth.csv, line 2, field 'birth_weight_grams': '200' is out of range (300 to 6500)"],
    // Codes
    ['an LSOA outside the partnership', { 'person.csv': person(p1With(4, 'E01999999')) }, "person.csv, line 2, field 'lsoa_code': unknown LSOA 'E01999999' (not in the partnership)"],
    ['a malformed LSOA code', { 'person.csv': person(p1With(4, 'W01000001')) }, "person.csv, line 2, field 'lsoa_code': 'W01000001' is not a valid LSOA 2011 code"],
    ['a practice outside the partnership', { 'person.csv': person(p1With(5, 'Y99999')) }, "person.csv, line 2, field 'practice_code': unknown practice 'Y99999' (not in the partnership)"],
    ['a malformed practice code', { 'person.csv': person(p1With(5, 'B8600')) }, "person.csv, line 2, field 'practice_code': 'B8600' is not a valid ODS GP practice code"],
    ['an invalid SNOMED CT code', { 'clinical_event/part-0002.csv': csv(EVENT_HEADER, '2,2022-01-01,38341003,', '1,2021-04-03,38341004,') }, "clinical_event/part-0002.csv, line 3, field 'snomed_code': '38341004' is not a valid SNOMED CT concept id"],
    ['an ICD-10 code with a dot', { 'hospital_spell.csv': csv('spell_id,person_id,admission_date,discharge_date,admission_method,primary_diagnosis,discharge_destination', '100,4,2022-12-01,2023-02-01,emergency,I21.9,died') }, "hospital_spell.csv, line 2, field 'primary_diagnosis': 'I21.9' is not a valid ICD-10 code (write ICD-10 codes without the dot, e.g. I219)"],
    ['an external cause that is not a code', { 'hospital_spell.csv': csv(SPELL_HEADER, '100,4,2022-12-01,2023-02-01,emergency,S720,W1.9,died') }, "hospital_spell.csv, line 2, field 'external_cause': 'W1.9' is not a valid ICD-10 code (write ICD-10 codes without the dot, e.g. I219)"],
    ['an external cause outside chapter XX', { 'hospital_spell.csv': csv(SPELL_HEADER, '100,4,2022-12-01,2023-02-01,emergency,S720,W19,died', '101,1,2022-01-01,2022-01-02,emergency,T424,T424,home') }, "hospital_spell.csv, line 3, field 'external_cause': 'T424' is not an external cause code (ICD-10 chapter XX, V01-Y98)"],
    ['an external cause before V01', { 'hospital_spell.csv': csv(SPELL_HEADER, '100,4,2022-12-01,2023-02-01,emergency,S720,V009,died') }, "hospital_spell.csv, line 2, field 'external_cause': 'V009' is not an external cause code (ICD-10 chapter XX, V01-Y98)"],
    ['an invalid ICD-10 code', { 'death.csv': csv('person_id,date_of_death,underlying_cause,place_of_death', '4,2023-02-01,heart attack,hospital') }, "death.csv, line 2, field 'underlying_cause': 'heart attack' is not a valid ICD-10 code"],
    ['an invalid BNF code', { 'medication.csv': csv('person_id,issue_date,bnf_code', '3,2021-05-01,0302', '3,2021-05-02,salbutamol') }, "medication.csv, line 3, field 'bnf_code': 'salbutamol' is not a valid BNF code"],
    // Keys and references
    ['a duplicate id', { 'person.csv': person(P3, P1, P2, P4, p1With(1, 'F').replace(/^1,/, '3,')) }, "person.csv, line 6, field 'person_id': duplicate person_id 3, first seen on line 2"],
    ['a duplicate id across part files', { 'person.csv': null, 'person/part-1.csv': person(P1, P2, P3), 'person/part-2.csv': person(P4, P2) }, "person/part-2.csv, line 3, field 'person_id': duplicate person_id 2, first seen in person/part-1.csv line 3"],
    ['an unknown person', { 'medication.csv': csv('person_id,issue_date,bnf_code', '3,2021-05-01,0302', '99,2021-05-02,0302') }, "medication.csv, line 3, field 'person_id': unknown person 99 (not in the person table)"],
    ['an unknown mother', { 'birth.csv': csv(BIRTH_HEADER, '2,33,2021-06-01,3400,39,true') }, "birth.csv, line 2, field 'mother_person_id': unknown person 33 (not in the person table)"],
    // Opt-outs
    ['an opt-out table without its kind column', { 'opt_out.csv': csv('person_id,recorded_date', '1,2021-06-01') }, "opt_out.csv, line 1, field 'kind': missing column"],
    ['an unknown kind of opt-out', { 'opt_out.csv': csv(OPT_OUT_HEADER, '1,national,', '3,ndoo,') }, "opt_out.csv, line 3, field 'kind': 'ndoo' is not one of type-1, national"],
    ['an opt-out without its kind', { 'opt_out.csv': csv(OPT_OUT_HEADER, '1,,2021-06-01') }, "opt_out.csv, line 2, field 'kind': empty, but a value is required"],
    ['an opt-out of an unknown person', { 'opt_out.csv': csv(OPT_OUT_HEADER, '1,national,', '99,type-1,2021-06-01') }, "opt_out.csv, line 3, field 'person_id': unknown person 99 (not in the person table)"],
    ['an opt-out with an impossible date', { 'opt_out.csv': csv(OPT_OUT_HEADER, '1,type-1,2021-02-30') }, "opt_out.csv, line 2, field 'recorded_date': '2021-02-30' is not a valid date (YYYY-MM-DD)"],
    [
      'the same opt-out twice for one person',
      { 'opt_out.csv': csv(OPT_OUT_HEADER, '1,national,', '1,type-1,2021-06-01', '3,national,', '1,national,2020-01-01') },
      "opt_out.csv, line 5, field 'person_id': duplicate (person_id, kind) (1, national), first seen on line 2",
    ],
    // Row checks
    [
      'a departure before arrival',
      { 'ae_attendance.csv': csv(AE_HEADER, '10,1,2021-07-01 23:00:00,2021-07-02 01:00:00,03,discharged', '20,4,2022-12-01 10:00:00,2022-12-01 09:00:00,01,admitted') },
      "ae_attendance.csv, line 3, field 'departure_time': '2022-12-01 09:00:00' is before arrival_time '2022-12-01 10:00:00'",
    ],
    ['a registration before birth', { 'person.csv': person(p1With(6, '1970-01-01')) }, "person.csv, line 2, field 'registration_date': '1970-01-01' is before date_of_birth '1980-05-06'"],
    [
      'a care home stay ending before it starts',
      { 'care_home_stay.csv': csv('person_id,start_date,end_date,care_type,permanent,council_funded', '4,2022-06-01,2022-01-01,residential,true,false') },
      "care_home_stay.csv, line 2, field 'end_date': '2022-01-01' is before start_date '2022-06-01'",
    ],
    // Line numbers and ordering
    [
      'part files: line numbers are per file, blank lines counted',
      { 'clinical_event/part-0002.csv': `${EVENT_HEADER}\n2,2022-01-01,38341003,\n\n1,2021-04-03,38341003,\n1,2021-04-03,1,\n` },
      "clinical_event/part-0002.csv, line 5, field 'snomed_code': '1' is not a valid SNOMED CT concept id",
    ],
    ['CRLF line endings and quoted fields', { 'medication.csv': 'person_id,issue_date,"bnf_code"\r\n3,"2021-05-01",0302\r\n3,2021-05-02,"x,y"\r\n' }, "medication.csv, line 3, field 'bnf_code': 'x,y' is not a valid BNF code"],
    ['the earliest line wins over later problems of any kind', { 'person.csv': person(P3, p1With(3, 'Q'), p1With(1, '').replace(/^1,/, '3,')) }, "person.csv, line 3, field 'ethnic_category': 'Q' is not one of A, B, C, D, E, F, G, H, J, K, L, M, N, P, R, S, Z"],
    ['a duplicate on an earlier line wins over a later bad value', { 'person.csv': person(P3, P3, p1With(2, '1980-02-30')) }, "person.csv, line 3, field 'person_id': duplicate person_id 3, first seen on line 2"],
    ['within a row, the first column wins', { 'person.csv': person(p1With(1, 'X').replace('E01011230', 'E01999999')) }, "person.csv, line 2, field 'sex': 'X' is not one of F, M"],
    ['person is checked before the other tables', { 'person.csv': person(p1With(7, 'maybe')), 'medication.csv': csv('person_id,issue_date,bnf_code', '1,2021-05-01,x') }, "person.csv, line 2, field 'is_carer': 'maybe' is not true or false"],
  ])('%s', async (_name, changes, message) => {
    const error = await failure(changes);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(message);
  });

  it('gets line numbers right in files large enough to be read in parallel', async () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => (i === 212_345 ? '1,2021-05-01,195967002,' : `1,2021-05-01,195967001,${i % 7}`));
    const error = await failure({ 'clinical_event/part-0001.csv': `${EVENT_HEADER}\n${rows.join('\n')}\n` });
    expect((error as Error).message).toBe("clinical_event/part-0001.csv, line 212347, field 'snomed_code': '195967002' is not a valid SNOMED CT concept id");
  });

  it('reports text that is not UTF-8', async () => {
    const csvDir = writeCsvDir(root, withFiles({}));
    writeFileSync(
      join(csvDir, 'gp_appointment.csv'),
      Buffer.concat([Buffer.from('person_id,appointment_date,staff_role,mode\n1,2021-06-01,GP,telephone\n1,2021-06-02,Nurs'), Buffer.from([0xe9]), Buffer.from(',online\n')]),
    );
    const error = await buildDatabase({ outFile: join(root, 'bad.duckdb'), csvDir, geography: GEOGRAPHY, meta: META }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("gp_appointment.csv, line 3, field 'staff_role': the text is not valid UTF-8 (save the file as UTF-8)");
  });

  it('never leaves a database or temporary files behind after failures', () => {
    expect(listDir(root).filter((f) => !f.startsWith('csv-'))).toEqual([]);
  });
});

describe('import leniency', () => {
  it('accepts columns in any order, leaves out optional columns, and reads quoted fields, BOMs and CRLF', async () => {
    const csvDir = writeCsvDir(
      root,
      withFiles({
        'person.csv': `\uFEFF${csv('sex,person_id,date_of_birth,ethnic_category,lsoa_code,practice_code,registration_date,is_carer', 'M,1,1980-05-06,H,E01011230,B86002,2000-01-01,TRUE', 'F,2,2021-06-01,Z,E01010001,B82001,2021-06-01,False', 'F,3,1950-02-01,A,E01011229,B86001,1990-01-01,false', 'M,4,1940-01-01,A,E01010001,B82001,1960-01-01,false').replaceAll('\n', '\r\n')}`,
        'clinical_event/part-0001.csv': csv('person_id,snomed_code,event_date', '1,"60621009",2021-05-01'),
        'clinical_event/part-0002.csv': csv('event_date,person_id,snomed_code', '2021-05-02,2,38341003'),
        // Whole numbers with leading zeros and a timestamp with a T: not as DuckDB writes them, but of the pattern.
        'birth.csv': csv('baby_person_id,mother_person_id,birth_date,birth_weight_grams,gestation_weeks', '2,03,2021-06-01,03400,39'),
        'ae_attendance.csv': csv(AE_HEADER, '10,1,2021-07-01T23:00:00,2021-07-02 01:00:00,03,discharged'),
        // A national opt-out list as the national service gives it: who, not when.
        'opt_out.csv': csv('kind,person_id', 'national,3', 'national,1'),
        // An extract from before external causes were added: accepted, every external_cause empty.
        'hospital_spell.csv': null,
        'hospital_spell/part-1.csv': csv('spell_id,person_id,admission_date,discharge_date,admission_method,primary_diagnosis,discharge_destination', '100,4,2022-12-01,2023-02-01,emergency,I219,died'),
        'hospital_spell/part-2.csv': csv(SPELL_HEADER, '101,1,2022-01-01,2022-01-02,emergency,S720,W19,home', '102,1,2022-03-01,2022-03-01,emergency,T424,,home', '103,3,2022-05-01,2022-05-02,emergency,T391,Y98,home'),
      }),
    );
    const outFile = join(root, 'lenient.duckdb');
    const summary = await buildDatabase({ outFile, csvDir, geography: GEOGRAPHY, meta: META });
    expect(summary.rows.person).toBe(4);
    const db = await openDatabase(outFile);
    try {
      expect(await db.query('SELECT person_id, is_carer FROM person')).toEqual([
        { person_id: 1, is_carer: true },
        { person_id: 2, is_carer: false },
        { person_id: 3, is_carer: false },
        { person_id: 4, is_carer: false },
      ]);
      expect(await db.query('SELECT person_id, event_date, snomed_code, numeric_value FROM clinical_event')).toEqual([
        { person_id: 1, event_date: '2021-05-01', snomed_code: '60621009', numeric_value: null },
        { person_id: 2, event_date: '2021-05-02', snomed_code: '38341003', numeric_value: null },
      ]);
      expect(await db.query('SELECT mother_person_id, birth_weight_grams, smoking_at_delivery FROM birth')).toEqual([{ mother_person_id: 3, birth_weight_grams: 3400, smoking_at_delivery: null }]);
      expect(await db.query('SELECT attendance_id, CAST(arrival_time AS VARCHAR) AS arrival FROM ae_attendance')).toEqual([{ attendance_id: 10, arrival: '2021-07-01 23:00:00' }]);
      expect(await db.query('SELECT spell_id, external_cause FROM hospital_spell ORDER BY spell_id')).toEqual([
        { spell_id: 100, external_cause: null },
        { spell_id: 101, external_cause: 'W19' },
        { spell_id: 102, external_cause: null },
        { spell_id: 103, external_cause: 'Y98' },
      ]);
      expect(await db.query('SELECT person_id, kind, recorded_date FROM opt_out')).toEqual([
        { person_id: 1, kind: 'national', recorded_date: null },
        { person_id: 3, kind: 'national', recorded_date: null },
      ]);
    } finally {
      db.close();
    }
    removeDir(outFile);
  });
});

describe('the one-pass load (loadCheckedRows)', () => {
  const CONTEXT = { lsoaCodes: new Set(GEOGRAPHY.lsoas.map((l) => l.code)), practiceCodes: new Set(GEOGRAPHY.practices.map((p) => p.code)) };
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  const rowsOf = async (table: string) => (await connection.runAndReadAll(`SELECT * FROM ${table} ORDER BY rowid`)).getRowsJS();
  const inputOf = async (files: Record<string, string | null>, table: TableName) => (await discoverInputs(writeCsvDir(root, files))).find((i) => i.table === table)!;
  const reasons: string[] = [];
  const load = (input: TableInput) =>
    loadCheckedRows(connection, input, CONTEXT, {
      table: input.table,
      insert: (rows) => insertCheckedSql(TABLES[input.table], input.table, rows),
      onNotLoaded: (reason) => reasons.push(reason),
    });

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run(schemaDdl().join(';\n'));
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it('loads clean files of every table as the staged load does, row for row and in the same order', async () => {
    const inputs = await discoverInputs(writeCsvDir(root, VALID_FILES));
    for (const input of inputs.filter((i) => i.files.length > 0)) {
      expect(await load(input), input.table).toBe((await rowsOfStaged(input)).length);
    }
    expect(reasons).toEqual([]);
  });

  /** The rows the staged load makes of the input (into a copy of the table, then removed). */
  const rowsOfStaged = async (input: TableInput) => {
    const def = TABLES[input.table];
    await connection.run(`CREATE TEMP TABLE staged_copy AS SELECT * FROM ${input.table} LIMIT 0`);
    try {
      const staged = await stageTable(connection, input);
      await checkStagedTable(connection, staged, CONTEXT);
      await connection.run(insertCheckedSql(def, 'staged_copy', `(SELECT ${typedColumnsSql(def)} FROM ${staged.sqlName})`));
      await dropStaged(connection, staged);
      const rows = await rowsOf('staged_copy');
      expect(rows.length).toBeGreaterThan(0);
      return rows;
    } finally {
      await connection.run('DROP TABLE staged_copy');
    }
  };

  it('after clean files, the table holds what the staged load makes of them', async () => {
    for (const table of ['clinical_event', 'ae_attendance', 'care_home_stay', 'opt_out'] as const) {
      expect(await rowsOf(table), table).toEqual(await rowsOfStaged(await inputOf(VALID_FILES, table)));
    }
  });

  it('stores rows in the canonical order, the enumerated columns sorted as their text', async () => {
    // Every role and mode for two people on two days, in a shuffled order, across two part files.
    const rows: string[] = [];
    for (const person of ['4', '1']) for (const day of ['2021-06-02', '2021-06-01']) for (const role of ['Other', 'GP', 'Nurse']) for (const mode of ['telephone', 'online', 'home-visit', 'face-to-face']) rows.push(`${person},${day},${role},${mode}`);
    const shuffled = rows.map((r, i) => [r, (i * 7919) % rows.length] as const).sort((a, b) => a[1] - b[1]).map(([r]) => r);
    const header = 'person_id,appointment_date,staff_role,mode';
    const files = { 'gp_appointment.csv': null, 'gp_appointment/part-1.csv': csv(header, ...shuffled.slice(0, 20)), 'gp_appointment/part-2.csv': csv('mode,staff_role,appointment_date,person_id', ...shuffled.slice(20).map((r) => r.split(',').reverse().join(','))) };
    await connection.run('DELETE FROM gp_appointment');
    expect(await load(await inputOf(withFiles(files), 'gp_appointment'))).toBe(rows.length);
    const stored = (await connection.runAndReadAll("SELECT person_id || ',' || appointment_date || ',' || staff_role || ',' || mode FROM gp_appointment ORDER BY rowid")).getRowsJS().map((r) => r[0]);
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const canonical = [...rows].sort((a, b) => {
      const [x, y] = [a.split(','), b.split(',')];
      return Number(x[0]) - Number(y[0]) || byText(x[1]!, y[1]!) || byText(x[2]!, y[2]!) || byText(x[3]!, y[3]!);
    });
    expect(stored).toEqual(canonical);
    expect(stored.slice(0, 3)).toEqual(['1,2021-06-01,GP,face-to-face', '1,2021-06-01,GP,home-visit', '1,2021-06-01,GP,online']);
  });

  it.each<[string, Record<string, string | null>, TableName, RegExp]>([
    ['a malformed CSV row', { 'gp_appointment.csv': csv('person_id,appointment_date,staff_role,mode', '1,2021-06-02,GP,telephone', '1,2021-06-01,GP') }, 'gp_appointment', /Expected Number of Columns: 4 Found: 3/],
    ['a value failing a check', { 'gp_appointment.csv': csv('person_id,appointment_date,staff_role,mode', '1,2021-06-02,GP,telephone', '1,2021-06-01,gp,telephone') }, 'gp_appointment', /a row failed a check/],
    ['an unknown person', { 'gp_appointment.csv': csv('person_id,appointment_date,staff_role,mode', '1,2021-06-02,GP,telephone', '99,2021-06-01,GP,telephone') }, 'gp_appointment', /a row failed a check/],
    ['a row check', { 'care_home_stay.csv': csv('person_id,start_date,end_date,care_type,permanent,council_funded', '4,2022-06-01,2022-01-01,residential,true,false') }, 'care_home_stay', /a row failed a check/],
    ['a bad code (checked after the insert)', { 'medication.csv': csv('person_id,issue_date,bnf_code', '3,2021-05-01,0302', '3,2021-05-02,salbutamol') }, 'medication', /^a bad code in bnf_code$/],
    ['a repeated key (checked after the insert)', { 'hospital_spell.csv': csv('spell_id,person_id,admission_date,discharge_date,admission_method,primary_diagnosis,discharge_destination', '100,4,2022-12-01,2023-02-01,emergency,I219,died', '100,1,2022-01-01,2022-01-02,emergency,I219,home') }, 'hospital_spell', /^a repeated spell_id$/],
  ])('leaves files with %s to the staged load, with nothing inserted and no transaction left open', async (_name, changes, table, reason) => {
    await connection.run(`DELETE FROM ${table}`);
    reasons.length = 0;
    expect(await load(await inputOf(withFiles(changes), table))).toBeUndefined();
    expect(reasons).toEqual([expect.stringMatching(reason)]);
    expect(await rowsOf(table)).toEqual([]);
    // No transaction left open: BEGIN would fail inside one.
    await connection.run('BEGIN TRANSACTION');
    await connection.run('ROLLBACK');
  });
});
