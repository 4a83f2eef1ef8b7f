import { beforeAll, describe, expect, it } from 'vitest';
import { Bnf, Icd10, Snomed, TABLES, TABLE_NAMES, dayFromIso, type Geography } from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import { generateInMemory } from './generate.js';
import type { MemorySink } from './sink.js';

// A small partnership (about 8,000 people) checked row by row against the documented schema.
let geography: Geography;
let sink: MemorySink;
beforeAll(async () => {
  geography = await loadGeography();
  sink = generateInMemory(geography, 'schema-check', 8000);
});


describe('person model output', () => {
  it('writes every table with the documented number of columns', () => {
    for (const table of TABLE_NAMES) {
      const width = TABLES[table].columns.length;
      const bad = sink.rows[table].find((line) => line.split(',').length !== width);
      expect(bad, `${table}: ${bad}`).toBeUndefined();
    }
    for (const table of ['person', 'clinical_event', 'medication', 'gp_appointment', 'ae_attendance', 'hospital_spell', 'death', 'birth'] as const) {
      expect(sink.rows[table].length, table).toBeGreaterThan(0);
    }
  });

  it('uses only valid SNOMED CT, ICD-10 and BNF codes', () => {
    const snomed = new Set(sink.objects('clinical_event').map((r) => r.snomed_code!));
    for (const code of snomed) expect(Snomed.is(code), code).toBe(true);
    const icd = new Set([...sink.objects('hospital_spell').map((r) => r.primary_diagnosis!), ...sink.objects('death').map((r) => r.underlying_cause!)]);
    for (const code of icd) expect(Icd10.is(code), code).toBe(true);
    for (const code of new Set(sink.objects('medication').map((r) => r.bnf_code!))) expect(Bnf.is(code), code).toBe(true);
  });

  it('gives every person a unique id, a practice in their place and a home LSOA of the partnership', () => {
    const people = sink.objects('person');
    expect(new Set(people.map((p) => p.person_id)).size).toBe(people.length);
    const lsoaPlace = new Map(geography.lsoas.map((l) => [l.code as string, l.place]));
    const practicePlace = new Map(geography.practices.map((p) => [p.code as string, p.place]));
    for (const p of people) {
      expect(lsoaPlace.has(p.lsoa_code!)).toBe(true);
      expect(practicePlace.get(p.practice_code!)).toBe(lsoaPlace.get(p.lsoa_code!));
      expect(p.registration_date! >= p.date_of_birth!).toBe(true);
    }
  });

  it('records no activity after death or outside the window', () => {
    // ISO dates compare correctly as strings.
    const died = new Map(sink.objects('death').map((d) => [d.person_id!, d.date_of_death!]));
    const check = (table: 'gp_appointment' | 'community_contact' | 'outpatient_appointment', column: string) => {
      for (const row of sink.objects(table)) {
        const day = row[column]!;
        const death = died.get(row.person_id!);
        if (day < '2021-04-01' || day >= '2026-04-01' || (death !== undefined && day >= death)) throw new Error(`${table}: ${JSON.stringify(row)} (death ${death})`);
      }
    };
    check('gp_appointment', 'appointment_date');
    check('community_contact', 'contact_date');
    check('outpatient_appointment', 'appointment_date');
    for (const s of sink.objects('hospital_spell')) {
      expect(s.discharge_date! >= s.admission_date!).toBe(true);
      const death = died.get(s.person_id!);
      if (s.discharge_destination === 'died') expect(s.discharge_date).toBe(death);
      if (death !== undefined) expect(s.admission_date! <= death).toBe(true);
    }
  });

  it('links A&E attendances and spells to unique ids, with departure after arrival', () => {
    const ae = sink.objects('ae_attendance');
    expect(new Set(ae.map((a) => a.attendance_id)).size).toBe(ae.length);
    for (const a of ae) expect(a.departure_time! > a.arrival_time!).toBe(true);
    const spells = sink.objects('hospital_spell');
    expect(new Set(spells.map((s) => s.spell_id)).size).toBe(spells.length);
  });

  it('links each birth to a mother aged 15-44 and a baby born that day in the same LSOA', () => {
    const people = new Map(sink.objects('person').map((p) => [p.person_id!, p]));
    for (const b of sink.objects('birth')) {
      const mother = people.get(b.mother_person_id!)!;
      const baby = people.get(b.baby_person_id!)!;
      expect(mother.sex).toBe('F');
      expect(baby.date_of_birth).toBe(b.birth_date);
      expect(baby.lsoa_code).toBe(mother.lsoa_code);
      const age = (dayFromIso(b.birth_date!) - dayFromIso(mother.date_of_birth!)) / 365.25;
      expect(age).toBeGreaterThanOrEqual(15);
      expect(age).toBeLessThan(46);
    }
  });
});
