/** Test fixtures: a tiny hand-made geography and a small, valid set of CSV files. Not part of the build. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Geography, LadCode, LsoaArea, LsoaCode, OdsPcnCode, OdsPracticeCode } from '@openphm/core';

const lsoa = (code: string, ladCode: string, ladName: string, place: 'leeds' | 'calderdale', neighbourhoodId: string, imdDecile: number, total: number): LsoaArea => ({
  code: code as LsoaCode,
  name: `${ladName} ${code.slice(-3)}`,
  ladCode: ladCode as LadCode,
  ladName,
  place,
  imdRank: imdDecile * 3000,
  imdDecile,
  imdQuintile: Math.ceil(imdDecile / 2),
  healthDeprivationRank: imdDecile * 2900,
  population: { total, age0to15: Math.round(total * 0.2), age16to59: Math.round(total * 0.6), age60plus: total - Math.round(total * 0.2) - Math.round(total * 0.6) },
  centroid: [-1.5 - imdDecile / 100, 53.8],
  neighbourhoodId,
});

export const GEOGRAPHY: Geography = {
  icsName: 'Test ICS',
  localAuthorities: [
    { code: 'E08000035' as LadCode, name: 'Leeds', place: 'leeds' },
    { code: 'E08000033' as LadCode, name: 'Calderdale', place: 'calderdale' },
  ],
  lsoas: [
    lsoa('E01011230', 'E08000035', 'Leeds', 'leeds', 'leeds-1', 5, 1600),
    lsoa('E01011229', 'E08000035', 'Leeds', 'leeds', 'leeds-1', 1, 1500),
    lsoa('E01010001', 'E08000033', 'Calderdale', 'calderdale', 'calderdale-1', 10, 1400),
  ],
  neighbourhoods: [
    { id: 'leeds-1', name: 'Leeds One', place: 'leeds', lsoaCodes: ['E01011229' as LsoaCode, 'E01011230' as LsoaCode], population: 3100, pcnCode: 'U12345' as OdsPcnCode },
    { id: 'calderdale-1', name: 'Calderdale One', place: 'calderdale', lsoaCodes: ['E01010001' as LsoaCode], population: 1400, pcnCode: 'U23456' as OdsPcnCode },
  ],
  practices: [
    { code: 'B86001' as OdsPracticeCode, name: 'Leeds Surgery', postcode: 'LS1 1AA', subIcbCode: '15F', place: 'leeds', pcnCode: 'U12345' as OdsPcnCode, imdScore: 40.5, imdDecile: 1 },
    { code: 'B86002' as OdsPracticeCode, name: 'Leeds Health Centre', postcode: 'LS2 2BB', subIcbCode: '15F', place: 'leeds', pcnCode: 'U12345' as OdsPcnCode, imdScore: 20.25, imdDecile: 5 },
    { code: 'B82001' as OdsPracticeCode, name: 'Halifax Practice', postcode: 'HX1 1CC', subIcbCode: '02T', place: 'calderdale', pcnCode: 'U23456' as OdsPcnCode, imdScore: 10, imdDecile: 9 },
  ],
  pcns: [
    { code: 'U12345' as OdsPcnCode, name: 'Leeds PCN', place: 'leeds', subIcbCode: '15F', imdScore: 30.1, practiceCodes: ['B86001' as OdsPracticeCode, 'B86002' as OdsPracticeCode] },
    { code: 'U23456' as OdsPcnCode, name: 'Calderdale PCN', place: 'calderdale', subIcbCode: '02T', imdScore: 10, practiceCodes: ['B82001' as OdsPracticeCode] },
  ],
};

const csv = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** A valid extract covering every table. Keys are paths relative to the CSV directory. */
export const VALID_FILES: Readonly<Record<string, string>> = {
  'person.csv': csv(
    'person_id,sex,date_of_birth,ethnic_category,lsoa_code,practice_code,registration_date,is_carer',
    '3,F,1950-02-01,A,E01011229,B86001,1990-01-01,false',
    '1,M,1980-05-06,H,E01011230,B86002,2000-01-01,true',
    '2,F,2021-06-01,Z,E01010001,B82001,2021-06-01,false',
    '4,M,1940-01-01,A,E01010001,B82001,1960-01-01,FALSE',
  ),
  'clinical_event/part-0001.csv': csv(
    'person_id,event_date,snomed_code,numeric_value',
    '1,2021-05-01,60621009,27.5',
    '3,2021-04-02,195967001,',
    '3,2021-04-02,38341003,',
  ),
  'clinical_event/part-0002.csv': csv('person_id,event_date,snomed_code,numeric_value', '2,2022-01-01,38341003,', '1,2021-04-03,38341003,'),
  'medication.csv': csv('person_id,issue_date,bnf_code', '3,2021-05-01,0302', '3,2021-04-01,0301011R0'),
  'gp_appointment.csv': csv('person_id,appointment_date,staff_role,mode', '1,2021-06-01,GP,telephone', '1,2021-06-01,Nurse,face-to-face'),
  'ae_attendance.csv': csv(
    'attendance_id,person_id,arrival_time,departure_time,department_type,disposal',
    '20,4,2022-12-01 10:00:00,2022-12-01 15:30:00,01,admitted',
    '10,1,2021-07-01 23:00:00,2021-07-02 01:00:00,03,discharged',
  ),
  'hospital_spell.csv': csv(
    'spell_id,person_id,admission_date,discharge_date,admission_method,primary_diagnosis,discharge_destination',
    '100,4,2022-12-01,2023-02-01,emergency,I219,died',
  ),
  'outpatient_appointment.csv': csv('person_id,appointment_date,specialty,attended', '3,2021-08-01,300,true', '3,2021-09-01,300,false'),
  'community_contact.csv': csv('person_id,contact_date,service', '4,2022-06-01,district-nursing'),
  'mental_health_contact.csv': csv('person_id,contact_date,service', '1,2022-02-01,talking-therapies'),
  'social_care_event.csv': csv('person_id,event_date,event_type', '4,2022-05-01,assessment'),
  'care_home_stay.csv': csv(
    'person_id,start_date,end_date,care_type,permanent,council_funded',
    '4,2022-06-01,2022-12-01,residential,true,false',
    '3,2023-01-01,,nursing,true,true',
  ),
  'birth.csv': csv('baby_person_id,mother_person_id,birth_date,birth_weight_grams,gestation_weeks,smoking_at_delivery', '2,3,2021-06-01,3400,39,'),
  'death.csv': csv('person_id,date_of_death,underlying_cause,place_of_death', '4,2023-02-01,I219,hospital'),
  'opt_out.csv': csv('person_id,kind,recorded_date', '4,type-1,2021-06-01', '2,national,', '4,national,'),
  // Person 1, a carer, has cared for person 3 (leeds-1) since 2022, and cared for person 2 (calderdale-1) in 2023-24.
  'carer_relationship.csv': csv('carer_person_id,cared_for_person_id,start_date,end_date', '1,3,2022-01-01,', '1,2,2023-01-01,2024-06-30'),
  'manifest.json': '{"note": "not a table: ignored"}\n',
};

/** identity.csv of the valid extract's four people (valid NHS numbers of the test range). */
export const IDENTITY_HEADER = 'person_id,nhs_number,given_name,family_name,date_of_birth,sex,address_line_1,address_line_2,town,postcode,phone';
export const IDENTITY_ROWS = [
  '3,9990000034,Margaret,Wójcik,1950-02-01,F,12 Mill Lane,,Leeds,ls6 1aa,07700 900123',
  '1,9990000018,Arjun,Patel,1980-05-06,M,Flat 2,4 Beck Road,Leeds,LS7 2BB,',
  '2,9990000026,Amelia,Sutcliffe,2021-06-01,F,3 Oak Street,,Halifax,HX11CC,',
  '4,9990000042,John,O\'Brien,1940-01-01,M,"7, The Fold",,Halifax,HX2 3DD,01632 960001',
];

export const META = { source: 'synthetic', seed: 'test', size: '4', window_start: '2021-04-01', years: '5' } as const;

/** Writes files (relative path → content; null removes a file of the valid set) into a new directory. */
export const writeCsvDir = (parent: string, files: Readonly<Record<string, string | null>>): string => {
  const dir = mkdtempSync(join(parent, 'csv-'));
  for (const [relative, content] of Object.entries(files)) {
    if (content === null) continue;
    const path = join(dir, ...relative.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
};

/** The valid set with some files replaced (string) or removed (null). */
export const withFiles = (changes: Readonly<Record<string, string | null>>): Record<string, string | null> => ({ ...VALID_FILES, ...changes });

export const makeTempDir = (): string => mkdtempSync(join(tmpdir(), 'phm-store-'));
export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });
export const listDir = (dir: string): string[] => readdirSync(dir).sort();
export { csv };
