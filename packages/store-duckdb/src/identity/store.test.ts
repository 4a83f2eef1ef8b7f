import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '@openphm/core';
import { buildDatabase } from '../build.js';
import { openDatabase } from '../database.js';
import { GEOGRAPHY, IDENTITY_HEADER, IDENTITY_ROWS, META, VALID_FILES, csv, listDir, makeTempDir, removeDir, writeCsvDir } from '../test-support.js';
import { IDENTITY_SCHEMA_VERSION, identityFileOf, openIdentityStore } from './store.js';

const identityCsv = (...rows: string[]) => csv(IDENTITY_HEADER, ...rows);
/** Row of person 1 with one field replaced. */
const p1With = (field: number, value: string) => IDENTITY_ROWS[1]!.split(',').map((v, i) => (i === field ? value : v)).join(',');

let root: string;
beforeAll(() => {
  root = makeTempDir();
});
afterAll(() => removeDir(root));

const build = (outFile: string, files: Record<string, string | null>) =>
  buildDatabase({ outFile, csvDir: writeCsvDir(root, { ...VALID_FILES, ...files }), geography: GEOGRAPHY, meta: META });

describe('the identity store', () => {
  it.each([
    ['/data/demo.duckdb', '/data/demo.identity.duckdb'],
    ['/data/demo', '/data/demo.identity.duckdb'],
    ['rel/x.y.duckdb', 'rel/x.y.identity.duckdb'],
  ])('of %s is %s', (db, file) => {
    expect(identityFileOf(db)).toBe(file);
  });

  it('is built next to the database from identity.csv, private, with the same build id, sorted by NHS number, postcodes normalised', async () => {
    const db = join(root, 'with.duckdb');
    const summary = await build(db, { 'identity.csv': identityCsv(...IDENTITY_ROWS) });
    expect(summary.identity).toEqual({ file: join(root, 'with.identity.duckdb'), rows: 4 });
    expect(statSync(summary.identity!.file).mode & 0o777).toBe(0o600);
    expect(listDir(root).filter((f) => f.includes('.work-'))).toEqual([]);
    const main = await openDatabase(db);
    const [meta] = await main.query<{ value: string }>("SELECT value FROM meta WHERE key = 'build_id'");
    main.close();
    expect(meta!.value).toBe(summary.buildId);
    expect(summary.buildId).toMatch(/^[0-9a-f-]{36}$/);
    const store = (await openIdentityStore(summary.identity!.file, summary.buildId))!;
    try {
      expect(store.buildId).toBe(summary.buildId);
      expect(await store.query('SELECT person_id, nhs_number, postcode, address_line_1, family_name FROM identity')).toEqual([
        { person_id: 1, nhs_number: '9990000018', postcode: 'LS7 2BB', address_line_1: 'Flat 2', family_name: 'Patel' },
        { person_id: 2, nhs_number: '9990000026', postcode: 'HX1 1CC', address_line_1: '3 Oak Street', family_name: 'Sutcliffe' },
        { person_id: 3, nhs_number: '9990000034', postcode: 'LS6 1AA', address_line_1: '12 Mill Lane', family_name: 'Wójcik' },
        { person_id: 4, nhs_number: '9990000042', postcode: 'HX2 3DD', address_line_1: '7, The Fold', family_name: "O'Brien" },
      ]);
      expect(await store.query('SELECT key, value FROM meta ORDER BY key')).toEqual([
        { key: 'build_id', value: summary.buildId },
        { key: 'identity_schema_version', value: IDENTITY_SCHEMA_VERSION },
        { key: 'rows', value: '4' },
        { key: 'source', value: 'synthetic' },
      ]);
    } finally {
      store.close();
    }
    // The person-level database holds no identity.
    const again = await openDatabase(db);
    const tables = await again.query<{ table_name: string }>("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%identity%'");
    again.close();
    expect(tables).toEqual([]);
  });

  it('is taken from identity/ part files (as the generator writes them)', async () => {
    const summary = await build(join(root, 'parts.duckdb'), {
      'identity/part-0000.csv': identityCsv(IDENTITY_ROWS[0]!, IDENTITY_ROWS[1]!),
      'identity/part-0001.csv': identityCsv(IDENTITY_ROWS[2]!, IDENTITY_ROWS[3]!),
    });
    expect(summary.identity?.rows).toBe(4);
  });

  it('is removed when the database is built again without identities (they belong to the people held before)', async () => {
    const db = join(root, 'stale.duckdb');
    await build(db, { 'identity.csv': identityCsv(...IDENTITY_ROWS) });
    expect(existsSync(identityFileOf(db))).toBe(true);
    const summary = await build(db, {});
    expect(summary.identity).toBeUndefined();
    expect(existsSync(identityFileOf(db))).toBe(false);
  });

  it('leaves the database and its identity store as they were when the identities are wrong', async () => {
    const db = join(root, 'kept.duckdb');
    const first = await build(db, { 'identity.csv': identityCsv(...IDENTITY_ROWS) });
    const [before, identityBefore] = [readFileSync(db), readFileSync(identityFileOf(db))];
    await expect(build(db, { 'identity.csv': identityCsv(p1With(1, '9990000019')) })).rejects.toThrow(InputError);
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(readFileSync(identityFileOf(db)).equals(identityBefore)).toBe(true);
    expect(listDir(root).filter((f) => f.includes('.work-'))).toEqual([]);
    const store = await openIdentityStore(identityFileOf(db), first.buildId);
    store?.close();
    expect(store).toBeDefined();
  });

  it.each<[string, string, string]>([
    ['a wrong check digit', identityCsv(p1With(1, '9990000019')), "identity.csv, line 2, field 'nhs_number': '9990000019' is not a valid NHS number (not a valid NHS number: the check digit should be 8)"],
    ['nine digits with no check digit', identityCsv(p1With(1, '9990000000')), "identity.csv, line 2, field 'nhs_number': '9990000000' is not a valid NHS number (not a valid NHS number: its first nine digits have no check digit (modulus 11 gives 10))"],
    ['nine digits', identityCsv(p1With(1, '999000001')), "identity.csv, line 2, field 'nhs_number': '999000001' is not a valid NHS number (an NHS number has 10 digits, not 9)"],
    ['spaces', identityCsv(p1With(1, '999 000 0018')), "identity.csv, line 2, field 'nhs_number': '999 000 0018': write the NHS number as ten digits without spaces"],
    ['a repeated NHS number', identityCsv(IDENTITY_ROWS[1]!, IDENTITY_ROWS[0]!.replace('9990000034', '9990000018')), "identity.csv, line 3, field 'nhs_number': duplicate nhs_number 9990000018, first seen on line 2"],
    ['a repeated person', identityCsv(IDENTITY_ROWS[1]!, p1With(1, '9990000042')), "identity.csv, line 3, field 'person_id': duplicate person_id 1, first seen on line 2"],
    ['an unknown person', identityCsv(p1With(0, '99')), "identity.csv, line 2, field 'person_id': unknown person 99 (not in the person table)"],
    ['another date of birth', identityCsv(p1With(4, '1980-05-07')), "identity.csv, line 2, field 'date_of_birth': '1980-05-07' is not the person's date_of_birth in the person table"],
    ['another sex', identityCsv(p1With(5, 'F')), "identity.csv, line 2, field 'sex': 'F' is not the person's sex in the person table"],
    ['a bad postcode', identityCsv(p1With(9, 'LS77')), "identity.csv, line 2, field 'postcode': 'LS77' is not a UK postcode (such as LS1 4AP)"],
    ['no family name', identityCsv(p1With(3, '')), "identity.csv, line 2, field 'family_name': empty, but a value is required"],
    ['a missing column', csv('person_id,nhs_number,given_name,date_of_birth,sex,address_line_1', '1,9990000018,Arjun,1980-05-06,M,x'), "identity.csv, line 1, field 'family_name': missing column"],
  ])('refuses %s, naming the file, line and field', async (_, text, message) => {
    const error = await build(join(root, 'bad.duckdb'), { 'identity.csv': text }).then(() => new Error('built'), (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(message);
  });

  it('opens only the store of the same build, says when there is none, and refuses what is not one', async () => {
    const db = join(root, 'open.duckdb');
    const summary = await build(db, { 'identity.csv': identityCsv(...IDENTITY_ROWS) });
    await expect(openIdentityStore(identityFileOf(db), 'another-build')).rejects.toThrow(/belongs to another build than its database/);
    await expect(openIdentityStore(identityFileOf(db), undefined)).rejects.toThrow(/belongs to another build/);
    expect(await openIdentityStore(join(root, 'none.identity.duckdb'), summary.buildId)).toBeUndefined();
    await expect(openIdentityStore(db, summary.buildId)).rejects.toThrow('is not an OpenPHM identity store');
    const junk = join(root, 'junk.identity.duckdb');
    writeFileSync(junk, 'not a database');
    await expect(openIdentityStore(junk, summary.buildId)).rejects.toThrow('cannot open the identity store');
  });
});
