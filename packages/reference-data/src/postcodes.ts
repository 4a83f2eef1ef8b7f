/**
 * The postcode search's lookup: each postcode of the partnership's local authorities to its 2011
 * LSOA (ONS postcode lookups, shared data's identity/postcode_lsoa11_wyh.csv; see its PROVENANCE.md).
 * Areas only: the file holds no addresses and no people.
 *
 * Contains OS data © Crown copyright and database right; contains Royal Mail data © Royal Mail
 * copyright and database right; source: Office for National Statistics, licensed under the Open
 * Government Licence v3.0.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError, UserError, parsePostcode, type Postcode } from '@openphm/core';
import { columnReader, readCsvTable } from './csv.js';
import { resolveSharedDataDir } from './geography.js';
import { IDENTITY_FILES } from './identity.js';

/** What every answer drawn from the lookup must say (the ONS postcode products' attribution). */
export const POSTCODE_ATTRIBUTION =
  'Contains OS data © Crown copyright and database right; contains Royal Mail data © Royal Mail copyright and database right; source: Office for National Statistics, licensed under the Open Government Licence v3.0.';

export interface PostcodeArea {
  /** The 2011 LSOA the postcode lies in. */
  readonly lsoa11: string;
  /** Whether the lookup marks the postcode as no longer in use (1 in its `terminated` column). */
  readonly terminated: boolean;
}

export type PostcodeLookup = ReadonlyMap<Postcode, PostcodeArea>;

/** Builds the lookup from the file's text (pure: no I/O). A row whose postcode is not a UK postcode stops it, naming the line. */
export const parsePostcodeLookup = (text: string, file: string = IDENTITY_FILES.postcodes): PostcodeLookup => {
  const table = readCsvTable(text, file);
  const col = columnReader(table, { postcode: 'postcode', lsoa11: 'lsoa11cd', terminated: 'terminated' });
  const lookup = new Map<Postcode, PostcodeArea>();
  for (const row of table.rows) {
    const parsed = parsePostcode(col.text(row, 'postcode'));
    if (!parsed.ok) throw new InputError({ file: table.file, line: row.line, field: 'postcode' }, parsed.problem);
    const lsoa11 = col.text(row, 'lsoa11');
    if (lsoa11 === '') continue;
    lookup.set(parsed.postcode, { lsoa11, terminated: col.text(row, 'terminated') === '1' });
  }
  return lookup;
};

const memo = new Map<string, Promise<PostcodeLookup>>();

/** The lookup from `dataDir` (default: resolveSharedDataDir()), read once per folder. A UserError (not-found) names a missing file. */
export const loadPostcodeLookup = (dataDir?: string): Promise<PostcodeLookup> => {
  let dir: string;
  try {
    dir = resolve(dataDir ?? resolveSharedDataDir());
  } catch (error) {
    return Promise.reject(error);
  }
  const cached = memo.get(dir);
  if (cached !== undefined) return cached;
  const path = join(dir, IDENTITY_FILES.postcodes);
  const promise = existsSync(path)
    ? readFile(path, 'utf8').then((text) => parsePostcodeLookup(text))
    : Promise.reject(new UserError(`postcode search is not available: ${path} not found (the shared data's identity/ folder; see docs/geography.md)`, 'not-found'));
  memo.set(dir, promise);
  promise.catch(() => memo.delete(dir));
  return promise;
};
