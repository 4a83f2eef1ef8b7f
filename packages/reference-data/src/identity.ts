/**
 * The reference data synthetic identities are drawn from (shared data's identity/ folder, see its
 * PROVENANCE.md): given names by sex and year of birth (ONS baby names in England and Wales),
 * surnames ranked in Scotland, Ireland, Poland, India and Bangladesh, and the live postcodes of each
 * 2011 LSOA (ONS postcode lookups). Plain data (arrays and records), so it can be sent to worker
 * threads as it is.
 *
 * Contains public sector information licensed under the Open Government Licence v3.0 (ONS baby
 * names; National Records of Scotland surnames). Contains OS data © Crown copyright and database
 * right; contains Royal Mail data © Royal Mail copyright and database right; source: Office for
 * National Statistics, licensed under the Open Government Licence v3.0 (postcodes). CSO Ireland
 * surnames CC BY 4.0; Polish PESEL surnames and Wikipedia-derived Indian and Bangladeshi lists CC0.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError, UserError } from '@openphm/core';
import { columnReader, readCsvTable } from './csv.js';
import { resolveSharedDataDir } from './geography.js';

export const IDENTITY_FILES = {
  firstNames: 'identity/first_names.csv',
  surnames: 'identity/surnames.csv',
  postcodes: 'identity/postcode_lsoa11_wyh.csv',
  lsoa21to11: 'identity/lsoa21_to_lsoa11_derived.csv',
} as const;

export type IdentityTexts = Record<keyof typeof IDENTITY_FILES, string>;

/** The given names of one sex in one year: names with their weights (counts, or 1/rank where only ranks are published). */
export interface NameYear {
  readonly year: number;
  readonly names: readonly string[];
  /** Cumulative weights over `names` (last = total). */
  readonly cumulative: readonly number[];
  /** Whether the weights are counts of births (1996 on) rather than derived from ranks (the top 100 of 1904-1994). */
  readonly counted: boolean;
}

export type SurnameSource = 'scotland' | 'ireland' | 'poland-male' | 'poland-female' | 'india' | 'bangladesh';

export interface IdentityReference {
  /** Years in ascending order, per sex. */
  readonly givenNames: { readonly F: readonly NameYear[]; readonly M: readonly NameYear[] };
  /** Births given each name 1996-2024, per sex: weights for the given-name lists of particular communities. */
  readonly givenNameTotals: { readonly F: Readonly<Record<string, number>>; readonly M: Readonly<Record<string, number>> };
  /** Surnames in rank order (rank 1 first). */
  readonly surnames: Readonly<Record<SurnameSource, readonly string[]>>;
  /** Live postcodes (not flagged terminated) of each 2011 LSOA, sorted. */
  readonly postcodesByLsoa: Readonly<Record<string, readonly string[]>>;
  /**
   * The live postcodes of each 2021 LSOA that merged 2011 LSOAs, by its MSOA's name ("Kirklees 053"):
   * the merged 2011 LSOAs (Kirklees 053D, Leeds 112E) have no postcode of their own in the lookup,
   * so they take these (see postcodesOfLsoa).
   */
  readonly postcodesOfMergedByMsoa: Readonly<Record<string, readonly string[]>>;
}

/** An LSOA's live postcodes: its own, or for one merged in 2021, those of the LSOA it was merged into (by MSOA name). */
export const postcodesOfLsoa = (ref: IdentityReference, lsoa: { readonly code: string; readonly name: string }): readonly string[] => {
  const own = ref.postcodesByLsoa[lsoa.code];
  if (own !== undefined && own.length > 0) return own;
  return ref.postcodesOfMergedByMsoa[msoaNameOf(lsoa.name)] ?? [];
};

/** "Kirklees 053D" -> "Kirklees 053". */
const msoaNameOf = (lsoaName: string): string => lsoaName.trim().replace(/[A-Z]$/, '');

const SURNAME_SOURCES: Record<string, (form: string) => SurnameSource | undefined> = {
  Scotland: () => 'scotland',
  Ireland: () => 'ireland',
  Poland: (form) => (form === 'male_form' ? 'poland-male' : form === 'female_form' ? 'poland-female' : undefined),
  India: () => 'india',
  Bangladesh: () => 'bangladesh',
};

const parseFirstNames = (text: string): Pick<IdentityReference, 'givenNames' | 'givenNameTotals'> => {
  const table = readCsvTable(text, IDENTITY_FILES.firstNames);
  const col = columnReader(table, { name: 'name', sex: 'sex', year: 'year', count: 'count', rank: 'rank' });
  const byKey = new Map<string, { sex: 'F' | 'M'; year: number; rows: { name: string; weight: number; counted: boolean }[] }>();
  const totals = { F: {} as Record<string, number>, M: {} as Record<string, number> };
  for (const row of table.rows) {
    const sex = col.text(row, 'sex');
    if (sex !== 'F' && sex !== 'M') throw new InputError({ file: table.file, line: row.line, field: 'sex' }, `'${sex}' is not F or M`);
    const year = col.number(row, 'year');
    const name = col.text(row, 'name');
    const countText = col.text(row, 'count');
    const counted = countText !== '';
    const weight = counted ? col.number(row, 'count') : 1 / col.number(row, 'rank');
    if (counted) totals[sex][name] = (totals[sex][name] ?? 0) + weight;
    const key = `${sex}${year}`;
    const entry = byKey.get(key) ?? byKey.set(key, { sex, year, rows: [] }).get(key)!;
    entry.rows.push({ name, weight, counted });
  }
  const givenNames = { F: [] as NameYear[], M: [] as NameYear[] };
  for (const { sex, year, rows } of byKey.values()) {
    rows.sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : 1));
    let t = 0;
    givenNames[sex].push({ year, names: rows.map((r) => r.name), cumulative: rows.map((r) => (t += r.weight)), counted: rows.every((r) => r.counted) });
  }
  givenNames.F.sort((a, b) => a.year - b.year);
  givenNames.M.sort((a, b) => a.year - b.year);
  if (givenNames.F.length === 0 || givenNames.M.length === 0) throw new InputError({ file: table.file }, 'no given names for one of the sexes');
  return { givenNames, givenNameTotals: totals };
};

const parseSurnames = (text: string): IdentityReference['surnames'] => {
  const table = readCsvTable(text, IDENTITY_FILES.surnames);
  const col = columnReader(table, { surname: 'surname', rank: 'rank', population: 'population', form: 'form' });
  const lists: Record<SurnameSource, { name: string; rank: number }[]> = {
    scotland: [], ireland: [], 'poland-male': [], 'poland-female': [], india: [], bangladesh: [],
  };
  for (const row of table.rows) {
    const source = SURNAME_SOURCES[col.text(row, 'population')]?.(col.text(row, 'form'));
    if (source === undefined) continue;
    lists[source].push({ name: col.text(row, 'surname'), rank: col.number(row, 'rank') });
  }
  const ranked = (rows: { name: string; rank: number }[]) => rows.sort((a, b) => a.rank - b.rank).map((r) => r.name);
  return {
    scotland: ranked(lists.scotland),
    ireland: ranked(lists.ireland),
    'poland-male': ranked(lists['poland-male']),
    'poland-female': ranked(lists['poland-female']),
    india: ranked(lists.india),
    bangladesh: ranked(lists.bangladesh),
  };
};

const parsePostcodes = (text: string, lsoa21to11: string): Pick<IdentityReference, 'postcodesByLsoa' | 'postcodesOfMergedByMsoa'> => {
  const table = readCsvTable(text, IDENTITY_FILES.postcodes);
  const col = columnReader(table, { postcode: 'postcode', lsoa11: 'lsoa11cd', lsoa21: 'lsoa21cd', terminated: 'terminated' });
  const byLsoa11 = new Map<string, string[]>();
  const byLsoa21 = new Map<string, string[]>();
  for (const row of table.rows) {
    if (col.text(row, 'terminated') === '1') continue;
    const postcode = col.text(row, 'postcode');
    const add = (map: Map<string, string[]>, key: string) => {
      if (key !== '') (map.get(key) ?? map.set(key, []).get(key)!).push(postcode);
    };
    add(byLsoa11, col.text(row, 'lsoa11'));
    add(byLsoa21, col.text(row, 'lsoa21'));
  }
  // 2021 LSOAs that merged 2011 ones (matched to the 2011 LSOA of largest overlap): their postcodes by MSOA name.
  const matches = readCsvTable(lsoa21to11, IDENTITY_FILES.lsoa21to11);
  const m = columnReader(matches, { lsoa21: 'lsoa21cd', name: 'lsoa21nm', method: 'method' });
  const merged: Record<string, readonly string[]> = {};
  for (const row of matches.rows) {
    if (!m.text(row, 'method').startsWith('bestfit')) continue;
    const postcodes = byLsoa21.get(m.text(row, 'lsoa21'));
    if (postcodes !== undefined) merged[msoaNameOf(m.text(row, 'name'))] = [...new Set(postcodes)].sort();
  }
  const postcodesByLsoa: Record<string, readonly string[]> = {};
  for (const code of [...byLsoa11.keys()].sort()) postcodesByLsoa[code] = [...new Set(byLsoa11.get(code)!)].sort();
  return { postcodesByLsoa, postcodesOfMergedByMsoa: merged };
};

/** Builds the identity reference from the files' texts (pure: no I/O). */
export const buildIdentityReference = (texts: IdentityTexts): IdentityReference => ({
  ...parseFirstNames(texts.firstNames),
  surnames: parseSurnames(texts.surnames),
  ...parsePostcodes(texts.postcodes, texts.lsoa21to11),
});

const memo = new Map<string, Promise<IdentityReference>>();

/**
 * The identity reference from `dataDir` (default: resolveSharedDataDir()), memoised per folder.
 * A UserError (not-found) names a missing file.
 */
export const loadIdentityReference = (dataDir?: string): Promise<IdentityReference> => {
  const dir = resolve(dataDir ?? resolveSharedDataDir());
  const cached = memo.get(dir);
  if (cached !== undefined) return cached;
  const promise = (async () => {
    for (const relative of Object.values(IDENTITY_FILES)) {
      const path = join(dir, relative);
      if (!existsSync(path)) {
        throw new UserError(`Reference data file not found: ${path} (synthetic identities need the shared data's identity/ folder; see docs/synthetic-data.md)`, 'not-found');
      }
    }
    const entries = await Promise.all(Object.entries(IDENTITY_FILES).map(async ([key, relative]) => [key, await readFile(join(dir, relative), 'utf8')] as const));
    return buildIdentityReference(Object.fromEntries(entries) as IdentityTexts);
  })();
  memo.set(dir, promise);
  promise.catch(() => memo.delete(dir));
  return promise;
};
