/**
 * Random but valid person-level data for agreement tests: a few hundred people over the spec
 * geography (and a few outside it) with events of every kind the catalogue uses, dense around the
 * edges the rules care about (period boundaries, the midpoint, 29 February, 240 minutes, 30 days,
 * same-day ties, the value bounds of BMI). Deterministic for a key.
 */
import { CARE_GAP_CODES, CONDITIONS, CONDITION_KEYS, ETHNIC_CATEGORIES, OBSERVATION_CODES, Random, dayFromIso, isoFromDay, type TableName } from '@openphm/core';
import { CALDER_1, CALDER_2, LEEDS_1, LEEDS_2, OUTSIDE, SPEC_GEOGRAPHY, type SpecInput, type SpecRow } from './input.js';

const LSOAS = [LEEDS_1, LEEDS_2, CALDER_1, CALDER_2];
const CODES = [
  ...CONDITION_KEYS.flatMap((k) => CONDITIONS[k].codes.map((c) => c.code as string)),
  OBSERVATION_CODES.currentSmoker.code,
  OBSERVATION_CODES.exSmoker.code,
  OBSERVATION_CODES.neverSmoked.code,
  OBSERVATION_CODES.carer.code,
];
const SMOKING = [OBSERVATION_CODES.currentSmoker.code, OBSERVATION_CODES.exSmoker.code, OBSERVATION_CODES.neverSmoked.code];
const BMI = OBSERVATION_CODES.bmi.code;
const BMI_VALUES = [17, 18.4, 18.5, 22, 24.9, 25, 29.9, 30, 35, 42];
const CAUSES = ['I219', 'I10', 'I639', 'C349', 'C50', 'J449', 'J18', 'X700', 'X60', 'X84', 'X85', 'Y10', 'Y34', 'Y35', 'F019', 'G309', 'V892'];
const DESTINATIONS = ['home', 'care_home', 'other_hospital', 'died'];
/** Primary diagnoses of spells: alcohol-specific (K703, F102, T510, K852), near misses (K746, K859), injuries and poisonings. */
const DIAGNOSES = ['I219', 'J189', 'K703', 'F102', 'T510', 'K852', 'K746', 'K859', 'S720', 'S525', 'T391', 'T424'];
/** External causes: none, self-harm (X60, X78, X84), falls (W00, W19), and their neighbours (X59, X85, W20, Y10, V892). */
const EXTERNAL_CAUSES = [null, null, null, 'X60', 'X78', 'X84', 'X85', 'X59', 'W00', 'W19', 'W20', 'Y10', 'V892'];
const METHODS = ['emergency', 'emergency', 'emergency', 'elective', 'maternity'] as const;
/** Places of death, and further underlying causes (dementia, liver disease, alcohol poisoning, perinatal). */
const PLACES_OF_DEATH = ['hospital', 'home', 'care_home', 'hospice', 'other'];
const MORE_CAUSES = ['F03X', 'G309', 'F019', 'K746', 'K703', 'X45', 'C220', 'P072', 'J440', 'E119'];
/** Further primary diagnoses: chronic ambulatory care sensitive conditions (I50, J44, E11, I48, G40) and near misses (I51, J22). */
const MORE_DIAGNOSES = ['I509', 'J440', 'E119', 'I48X', 'G409', 'I10X', 'I119', 'I110', 'I519', 'J22X'];
const GP_ROLES = ['GP', 'Nurse', 'Other'];
const GP_MODES = ['face-to-face', 'telephone', 'home-visit', 'online'];
const MENTAL_HEALTH_SERVICES = ['talking-therapies', 'community-mental-health', 'crisis', 'inpatient', 'memory-service', 'learning-disability'];
const SOCIAL_CARE_EVENTS = ['request', 'assessment', 'review', 'home-care-start', 'reablement-start', 'direct-payment-start'];

/** Readings with values at, below and above the catalogue's limits (140/150 and 90 mmHg, 58 mmol/mol, stages 1-4). */
const DIASTOLIC_VALUES = [70, 89, 90, 91, 95];
const READINGS: readonly (readonly [string, readonly number[]])[] = [
  [OBSERVATION_CODES.systolicBp.code, [120, 139, 140, 141, 149, 150, 151, 165]],
  [OBSERVATION_CODES.diastolicBp.code, DIASTOLIC_VALUES],
  [OBSERVATION_CODES.hba1c.code, [45, 57, 58, 59, 75]],
  [OBSERVATION_CODES.tumourStage.code, [1, 2, 3, 4]],
];
/** Codes recorded without a value: immunisations, health checks, and the registers the treatment indicators need (hypertension, diabetes, CKD). */
const RECORDED_CODES = [
  OBSERVATION_CODES.pneumococcalVaccination.code, OBSERVATION_CODES.sixInOneThird.code, OBSERVATION_CODES.sixInOneSecond.code,
  OBSERVATION_CODES.mmrFirst.code, OBSERVATION_CODES.mmrSecond.code, OBSERVATION_CODES.healthCheck.code,
  CONDITIONS.hypertension.codes[0]!.code, CONDITIONS.diabetes.codes[0]!.code, CONDITIONS.ckd.codes[0]!.code,
];

/** Days the rules are sensitive to: the starts, ends, midpoints and last days of the financial years 2021/22-2024/25. */
const EDGES = ['2021-04-01', '2021-09-30', '2021-10-01', '2022-03-31', '2022-04-01', '2022-10-01', '2023-03-31', '2023-04-01', '2023-09-30', '2023-10-01', '2023-10-02', '2024-03-31', '2024-04-01', '2022-10-01', '2024-02-29'];

const pad = (n: number): string => String(n).padStart(2, '0');
const timestamp = (day: number, seconds: number): string => {
  const d = day + Math.floor(seconds / 86_400);
  const s = ((seconds % 86_400) + 86_400) % 86_400;
  return `${isoFromDay(d)} ${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
};

/** Random valid input for `key`: about `size` people plus their babies. */
export const randomSpecInput = (key: string, size = 300): SpecInput => {
  const rng = Random.fromKey(key);
  const between = (from: string, to: string): number => rng.int(dayFromIso(from), dayFromIso(to));
  /** A random day, or (with probability `edge`) a boundary day or its neighbours. */
  const someDay = (from: string, to: string, edge = 0.25): number => {
    if (rng.bernoulli(edge)) {
      const d = dayFromIso(rng.pick(EDGES)) + rng.int(-1, 1);
      if (d >= dayFromIso(from) && d <= dayFromIso(to)) return d;
    }
    return between(from, to);
  };
  const tables: Record<TableName, SpecRow[]> = {
    person: [], clinical_event: [], medication: [], gp_appointment: [], ae_attendance: [], hospital_spell: [], outpatient_appointment: [],
    community_contact: [], mental_health_contact: [], social_care_event: [], care_home_stay: [], birth: [], death: [], opt_out: [], carer_relationship: [],
  };
  let nextId = 1;
  let attendanceId = 1;
  let spellId = 1;
  const addPerson = (sex: 'F' | 'M', dob: number, lsoa: string): number => {
    const id = nextId++;
    const place = SPEC_GEOGRAPHY.lsoas.find((l) => l.code === lsoa)?.place ?? 'leeds';
    tables.person.push({
      person_id: id,
      sex,
      date_of_birth: isoFromDay(dob),
      ethnic_category: rng.pick(Object.keys(ETHNIC_CATEGORIES)),
      lsoa_code: lsoa,
      practice_code: SPEC_GEOGRAPHY.practices.find((p) => p.place === place)!.code,
      registration_date: isoFromDay(dob),
      is_carer: false,
    });
    return id;
  };

  for (let i = 0; i < size; i++) {
    const sex = rng.bernoulli(0.5) ? 'F' : 'M';
    let dob = between('1915-01-01', '2024-06-30');
    if (rng.bernoulli(0.15)) {
      // Birthdays on or next to the reference days, and on 29 February.
      const edge = rng.pick([...EDGES, '2020-02-29', '2004-02-29', '1952-02-29']);
      const years = edge.endsWith('02-29') ? 0 : rng.pick([0, 17, 18, 64, 65, 74, 75, 89, 90]);
      dob = dayFromIso(`${Number(edge.slice(0, 4)) - years}${edge.slice(4)}`) + rng.int(-1, 1);
    }
    const lsoa = rng.bernoulli(0.04) ? OUTSIDE : rng.pick(LSOAS);
    const id = addPerson(sex, dob, lsoa);
    const dobIso = isoFromDay(dob);
    const from = dobIso > '2015-01-01' ? dobIso : '2015-01-01';

    let death: number | undefined;
    if (rng.bernoulli(0.12)) {
      death = Math.max(dob, someDay('2020-01-01', '2025-03-31', 0.4));
      tables.death.push({ person_id: id, date_of_death: isoFromDay(death), underlying_cause: rng.pick(CAUSES), place_of_death: 'hospital' });
    }
    const until = isoFromDay(death ?? dayFromIso('2025-06-30'));
    if (from > until) continue;

    // Clinical events, with same-day pairs.
    const events = rng.poisson(5);
    for (let e = 0; e < events; e++) {
      const day = someDay(from, until, 0.2);
      const smoking = rng.bernoulli(0.3);
      const bmi = !smoking && rng.bernoulli(0.35);
      const codeOf = () => (smoking ? rng.pick(SMOKING) : bmi ? BMI : rng.pick(CODES));
      const value = () => (bmi ? (rng.bernoulli(0.1) ? null : rng.pick(BMI_VALUES)) : null);
      tables.clinical_event.push({ person_id: id, event_date: isoFromDay(day), snomed_code: codeOf(), numeric_value: value() });
      if (rng.bernoulli(0.2)) tables.clinical_event.push({ person_id: id, event_date: isoFromDay(day), snomed_code: codeOf(), numeric_value: value() });
    }

    // A&E attendances: durations around four hours.
    const attendances = rng.poisson(1.2);
    for (let a = 0; a < attendances; a++) {
      const day = someDay(from, until, 0.3);
      const arrival = rng.bernoulli(0.2) ? rng.pick([0, 86_399]) : rng.int(0, 86_399);
      const duration = rng.bernoulli(0.5) ? rng.pick([0, 239 * 60, 240 * 60, 240 * 60 + 1, 241 * 60]) : rng.int(0, 720) * 60;
      tables.ae_attendance.push({
        attendance_id: attendanceId++,
        person_id: id,
        arrival_time: timestamp(day, arrival),
        departure_time: timestamp(day, arrival + duration),
        department_type: rng.pick(['01', '03']),
        disposal: 'discharged',
      });
    }

    // Hospital spells, with readmissions around 30 days.
    const spells = rng.poisson(0.7);
    for (let s = 0; s < spells; s++) {
      let admission = someDay(from, until, 0.3);
      for (let k = 0; k < 3; k++) {
        const discharge = admission + rng.int(0, 10);
        tables.hospital_spell.push({
          spell_id: spellId++,
          person_id: id,
          admission_date: isoFromDay(admission),
          discharge_date: isoFromDay(discharge),
          admission_method: rng.pick(METHODS),
          primary_diagnosis: rng.pick(DIAGNOSES),
          external_cause: rng.pick(EXTERNAL_CAUSES),
          discharge_destination: rng.pick(DESTINATIONS),
        });
        if (!rng.bernoulli(0.4)) break;
        admission = discharge + rng.pick([0, 1, 29, 30, 31, 60]);
      }
    }

    // Care home stays for older people.
    if (dobIso < '1965-01-01' && rng.bernoulli(0.2)) {
      const start = someDay(from, until, 0.3);
      tables.care_home_stay.push({
        person_id: id,
        start_date: isoFromDay(start),
        end_date: rng.bernoulli(0.5) ? null : isoFromDay(start + rng.int(0, 400)),
        care_type: rng.pick(['residential', 'nursing']),
        permanent: rng.bernoulli(0.6),
        council_funded: rng.bernoulli(0.5),
      });
    }

    // Births to women of child-bearing age (the baby is a person too, living with the mother).
    if (sex === 'F' && dobIso > '1975-01-01' && dobIso < '2007-01-01' && rng.bernoulli(0.8)) {
      const day = someDay('2021-01-01', until < '2025-03-31' ? until : '2025-03-31', 0.3);
      if (isoFromDay(day) > dobIso) {
        const baby = addPerson(rng.bernoulli(0.5) ? 'F' : 'M', day, lsoa);
        tables.birth.push({
          baby_person_id: baby,
          mother_person_id: id,
          birth_date: isoFromDay(day),
          birth_weight_grams: rng.pick([1800, 2499, 2500, 3100, 3600]),
          gestation_weeks: rng.pick([32, 36, 37, 39, 41]),
          smoking_at_delivery: rng.pick([true, false, null]),
        });
      }
    }
  }

  // Screening, vaccination and carer codes, places of death, further causes and diagnoses, GP
  // appointments, mental health contacts and social care events: from a stream of their own, so the rows above are as before.
  const more = Random.fromKey(`${key}/more`);
  const moreDay = (from: string, to: string): number => {
    if (more.bernoulli(0.25)) {
      const d = dayFromIso(more.pick(EDGES)) + more.int(-1, 1);
      if (d >= dayFromIso(from) && d <= dayFromIso(to)) return d;
    }
    return more.int(dayFromIso(from), dayFromIso(to));
  };
  const deaths = new Map(tables.death.map((d, i) => [Number(d.person_id), i]));
  for (const person of [...tables.person]) {
    const id = Number(person.person_id);
    const dobIso = String(person.date_of_birth);
    const index = deaths.get(id);
    const death = index === undefined ? undefined : tables.death[index]!;
    if (index !== undefined && death) {
      const place = more.pick(PLACES_OF_DEATH);
      tables.death[index] = { ...death, place_of_death: place, ...(more.bernoulli(0.3) ? { underlying_cause: more.pick(MORE_CAUSES) } : {}) };
    }
    const from = dobIso > '2015-01-01' ? dobIso : '2015-01-01';
    const until = death ? String(death.date_of_death) : '2025-06-30';
    if (from > until) continue;
    for (let e = more.poisson(1.5); e > 0; e--) {
      tables.clinical_event.push({ person_id: id, event_date: isoFromDay(moreDay(from, until)), snomed_code: more.pick([...CARE_GAP_CODES, OBSERVATION_CODES.carer.code]), numeric_value: null });
    }
    for (let a = more.poisson(2); a > 0; a--) {
      tables.gp_appointment.push({ person_id: id, appointment_date: isoFromDay(moreDay(from, until)), staff_role: more.pick(GP_ROLES), mode: more.pick(GP_MODES) });
    }
    for (let m = more.poisson(0.8); m > 0; m--) {
      tables.mental_health_contact.push({ person_id: id, contact_date: isoFromDay(moreDay(from, until)), service: more.pick(MENTAL_HEALTH_SERVICES) });
    }
    if (dobIso < '2006-01-01') {
      for (let s = more.poisson(0.5); s > 0; s--) {
        tables.social_care_event.push({ person_id: id, event_date: isoFromDay(moreDay(from, until)), event_type: more.pick(SOCIAL_CARE_EVENTS) });
      }
    }
    if (more.bernoulli(0.15)) {
      const admission = moreDay(from, until);
      tables.hospital_spell.push({
        spell_id: spellId++,
        person_id: id,
        admission_date: isoFromDay(admission),
        discharge_date: isoFromDay(admission + more.int(0, 10)),
        admission_method: more.pick(METHODS),
        primary_diagnosis: more.pick(MORE_DIAGNOSES),
        external_cause: null,
        discharge_destination: more.pick(DESTINATIONS),
      });
    }
  }

  // Readings with values around the targets (blood pressure, HbA1c, cancer stage, with some
  // rows without a value), immunisations and health checks: from a stream of their own, so the rows above are as before.
  const readings = Random.fromKey(`${key}/readings`);
  const readingDay = (from: string, to: string): number => {
    if (readings.bernoulli(0.3)) {
      const d = dayFromIso(readings.pick(EDGES)) + readings.int(-1, 1);
      if (d >= dayFromIso(from) && d <= dayFromIso(to)) return d;
    }
    return readings.int(dayFromIso(from), dayFromIso(to));
  };
  for (const person of [...tables.person]) {
    const id = Number(person.person_id);
    const dobIso = String(person.date_of_birth);
    const death = tables.death.find((d) => Number(d.person_id) === id);
    const from = dobIso > '2015-01-01' ? dobIso : '2015-01-01';
    const until = death ? String(death.date_of_death) : '2025-06-30';
    if (from > until) continue;
    for (let r = readings.poisson(1.2); r > 0; r--) {
      const day = isoFromDay(readingDay(from, until));
      const [code, values] = readings.pick(READINGS);
      const value = readings.bernoulli(0.08) ? null : readings.pick(values);
      tables.clinical_event.push({ person_id: id, event_date: day, snomed_code: code, numeric_value: value });
      // The other half of a blood pressure reading, usually the same day.
      if (code === OBSERVATION_CODES.systolicBp.code && readings.bernoulli(0.8)) tables.clinical_event.push({ person_id: id, event_date: day, snomed_code: OBSERVATION_CODES.diastolicBp.code, numeric_value: readings.pick(DIASTOLIC_VALUES) });
    }
    for (let v = readings.poisson(0.8); v > 0; v--) {
      tables.clinical_event.push({ person_id: id, event_date: isoFromDay(readingDay(from, until)), snomed_code: readings.pick(RECORDED_CODES), numeric_value: null });
    }
  }
  // Prescriptions (statins among others, around the 12-month lookback): a stream of their own too.
  const prescriptions = Random.fromKey(`${key}/prescriptions`);
  for (const person of [...tables.person]) {
    const dobIso = String(person.date_of_birth);
    const from = dobIso > '2015-01-01' ? dobIso : '2015-01-01';
    if (from > '2025-06-30') continue;
    for (let m = prescriptions.poisson(0.6); m > 0; m--) {
      const day = prescriptions.bernoulli(0.3)
        ? dayFromIso(prescriptions.pick(EDGES)) + prescriptions.int(-1, 1)
        : prescriptions.int(dayFromIso(from), dayFromIso('2025-06-30'));
      tables.medication.push({ person_id: Number(person.person_id), issue_date: isoFromDay(Math.max(day, dayFromIso(from))), bnf_code: prescriptions.pick(['0212000B0', '0212000Y0', '0601022B0', '0301011R0']) });
    }
  }

  // Records of people who are not in the person table.
  const ghost = 900_001;
  tables.clinical_event.push({ person_id: ghost, event_date: '2023-06-01', snomed_code: CONDITIONS.hypertension.codes[0]!.code, numeric_value: null });
  tables.ae_attendance.push({ attendance_id: attendanceId++, person_id: ghost, arrival_time: '2023-06-01 10:00:00', departure_time: '2023-06-01 11:00:00', department_type: '01', disposal: 'discharged' });
  tables.death.push({ person_id: ghost, date_of_death: '2023-06-01', underlying_cause: 'I219', place_of_death: 'home' });
  // Opt-outs for some people (no draws, so the rest of the input is as before): indicators are
  // anonymised aggregates and count everyone, so every engine must ignore them.
  for (const p of tables.person) {
    const id = Number(p.person_id);
    if (id % 17 === 0) tables.opt_out.push({ person_id: id, kind: 'national', recorded_date: null });
    if (id % 29 === 0) tables.opt_out.push({ person_id: id, kind: 'type-1', recorded_date: '2021-06-30' });
  }
  return { geography: SPEC_GEOGRAPHY, tables };
};
