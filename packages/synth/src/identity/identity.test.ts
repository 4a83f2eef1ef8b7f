/**
 * The synthetic identities of a generated partnership: one per person, matching their record,
 * unique valid NHS numbers in the test range, live postcodes of their own LSOA, names that fit
 * their ethnic category and year of birth, mothers' households for babies.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_COLUMN_NAMES, NHS_NUMBER_TEST_RANGE, dayFromIso, inNhsNumberRange, isNhsNumber, type EthnicCategory, type Geography } from '@openphm/core';
import { loadGeography, loadIdentityReference, postcodesOfLsoa, type IdentityReference } from '@openphm/reference-data';
import { generateInMemory } from '../generate.js';
import { parseCsv } from '@openphm/reference-data';
import * as L from './name-lists.js';
import { nameYearFor } from './names.js';

let geography: Geography;
let ref: IdentityReference;
type Row = Record<string, string>;
let people: Map<string, Row>;
let identities: Row[];
let mothers: Map<string, string>;

beforeAll(async () => {
  [geography, ref] = await Promise.all([loadGeography(), loadIdentityReference()]);
  const sink = generateInMemory(geography, 'identities', 12_000, undefined, undefined, ref);
  people = new Map(sink.objects('person').map((p) => [p.person_id!, p]));
  mothers = new Map(sink.objects('birth').map((b) => [b.baby_person_id!, b.mother_person_id!]));
  identities = parseCsv(sink.identities.join('\n'), 'identities').map((r) => Object.fromEntries(IDENTITY_COLUMN_NAMES.map((c, i) => [c, r.cells[i] ?? ''])));
});

const surnameSets: Partial<Record<EthnicCategory, ReadonlySet<string>>> = {};
const ofEthnic = (e: EthnicCategory) => identities.filter((i) => people.get(i.person_id!)!.ethnic_category === e);

describe('synthetic identities', () => {
  it('gives every person exactly one identity with their own date of birth and sex', () => {
    expect(identities.length).toBe(people.size);
    expect(new Set(identities.map((i) => i.person_id)).size).toBe(people.size);
    const mismatched = identities.filter((i) => {
      const p = people.get(i.person_id!);
      return p === undefined || p.date_of_birth !== i.date_of_birth || p.sex !== i.sex;
    });
    expect(mismatched).toEqual([]);
  });

  it('gives unique NHS numbers that pass the modulus 11 check, in the test range', () => {
    const numbers = identities.map((i) => i.nhs_number!);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.filter((n) => !isNhsNumber(n) || !inNhsNumberRange(n, NHS_NUMBER_TEST_RANGE))).toEqual([]);
  });

  it("puts everyone at a live postcode of their own LSOA, with a street and the local authority's town", () => {
    const lsoas = new Map(geography.lsoas.map((l) => [l.code as string, l]));
    const wrong = identities.filter((i) => {
      const lsoa = lsoas.get(people.get(i.person_id!)!.lsoa_code!)!;
      return !postcodesOfLsoa(ref, lsoa).includes(i.postcode!) || !/^(Flat \d+|\d+ \S.*)$/.test(i.address_line_1!) || i.town === '';
    });
    expect(wrong).toEqual([]);
  });

  it('gives telephone numbers only from Ofcom drama ranges, and none to children', () => {
    const asOf = dayFromIso('2026-03-31');
    for (const i of identities) {
      if (i.phone === '') continue;
      expect(i.phone).toMatch(/^(07700 900\d{3}|0113 496 0\d{3}|01632 960\d{3})$/);
      expect((asOf - dayFromIso(i.date_of_birth!)) / 365.25).toBeGreaterThanOrEqual(16);
    }
    expect(identities.filter((i) => i.phone !== '').length / identities.length).toBeGreaterThan(0.6);
  });

  it.each<[string, EthnicCategory, () => ReadonlySet<string>]>([
    ['White British: English, West Riding, Scottish or Irish surnames', 'A', () => new Set([...L.ENGLAND_SURNAMES, ...L.WEST_RIDING_SURNAMES, ...ref.surnames.scotland, ...ref.surnames.ireland])],
    ['Pakistani: Pakistani surnames (or those women hold)', 'J', () => new Set([...L.PAKISTANI_SURNAMES, ...L.PAKISTANI_WOMEN_SURNAMES])],
    ['Indian: Sikh, Hindu or Muslim Gujarati surnames', 'H', () => new Set(['Singh', 'Kaur', ...L.SIKH_SURNAMES, ...L.HINDU_SURNAMES, ...L.GUJARATI_MUSLIM_SURNAMES])],
    ['White Irish: mostly Irish, some English', 'B', () => new Set([...ref.surnames.ireland, ...L.ENGLAND_SURNAMES, ...L.WEST_RIDING_SURNAMES])],
    ['Chinese: Chinese surnames', 'R', () => new Set(L.CHINESE_SURNAMES)],
  ])('%s', (_, ethnic, allowed) => {
    const set = allowed();
    surnameSets[ethnic] = set;
    const rows = ofEthnic(ethnic);
    expect(rows.length).toBeGreaterThan(0);
    // Babies may take a mother's name from another community (when their recorded ethnicity differs).
    const outside = rows.filter((r) => !set.has(r.family_name!) && !mothers.has(r.person_id!));
    expect(outside.map((r) => r.family_name)).toEqual([]);
  });

  it('gives Polish men and women the form of their surname for their sex', () => {
    const male = new Set(ref.surnames['poland-male']);
    const female = new Set(ref.surnames['poland-female']);
    const polish = ofEthnic('C').filter((r) => (male.has(r.family_name!) || female.has(r.family_name!)) && !mothers.has(r.person_id!));
    expect(polish.length).toBeGreaterThan(5);
    for (const r of polish) expect(r.sex === 'M' ? male.has(r.family_name!) : female.has(r.family_name!), `${r.family_name} ${r.sex}`).toBe(true);
  });

  it('names White British people after their year of birth: the top 100 of the nearest decade before 1996', () => {
    const older = ofEthnic('A').filter((r) => Number(r.date_of_birth!.slice(0, 4)) < 1990);
    expect(older.length).toBeGreaterThan(1000);
    const outside = older.filter((r) => {
      const year = nameYearFor(r.sex === 'M' ? ref.givenNames.M : ref.givenNames.F, Number(r.date_of_birth!.slice(0, 4)));
      return !year.names.includes(r.given_name!);
    });
    expect(outside.map((r) => `${r.given_name} ${r.date_of_birth}`)).toEqual([]);
    // And the names change over time: Margaret among women born 1930-1950, not among those born since 2000.
    const women = (from: number, to: number) => ofEthnic('A').filter((r) => r.sex === 'F' && Number(r.date_of_birth!.slice(0, 4)) >= from && Number(r.date_of_birth!.slice(0, 4)) < to);
    const share = (rows: Row[], name: string) => rows.filter((r) => r.given_name === name).length / rows.length;
    expect(share(women(1930, 1950), 'Margaret')).toBeGreaterThan(0.02);
    // Still given to 70-120 girls a year since 2000 (ONS), about 1 in 3,000: rare, not impossible.
    expect(share(women(2000, 2030), 'Margaret')).toBeLessThan(0.005);
  });

  it("puts babies born in the window at their mother's address, mostly with her family name", () => {
    const byId = new Map(identities.map((i) => [i.person_id!, i]));
    const babies = [...mothers.entries()].map(([baby, mother]) => [byId.get(baby)!, byId.get(mother)!] as const);
    expect(babies.length).toBeGreaterThan(100);
    for (const [baby, mother] of babies) {
      expect([baby.address_line_1, baby.address_line_2, baby.postcode]).toEqual([mother.address_line_1, mother.address_line_2, mother.postcode]);
    }
    const sameName = babies.filter(([b, m]) => b.family_name === m.family_name || b.family_name === m.family_name!.replace(/(sk|ck|dzk)a$/, '$1i')).length;
    expect(sameName / babies.length).toBeGreaterThan(0.7);
  });

  it('gives the same identities for the same seed, and others for another', () => {
    const again = generateInMemory(geography, 'identities', 2_000, undefined, undefined, ref).identities;
    expect(generateInMemory(geography, 'identities', 2_000, undefined, undefined, ref).identities).toEqual(again);
    const other = generateInMemory(geography, 'other', 2_000, undefined, undefined, ref).identities;
    expect(other.slice(0, 50)).not.toEqual(again.slice(0, 50));
  });
});
