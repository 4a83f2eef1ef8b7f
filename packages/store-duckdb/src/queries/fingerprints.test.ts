/** Table fingerprints: the same rows give the same fingerprint, whatever the build; a changed table changes its own only. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDatabase } from '../build.js';
import { openDatabase } from '../database.js';
import { GEOGRAPHY, META, VALID_FILES, makeTempDir, removeDir, withFiles, writeCsvDir } from '../test-support.js';
import { FINGERPRINTED_TABLES, buildIdOf, tableFingerprints } from './fingerprints.js';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

/** Builds `files` into a database of its own and returns its build id and fingerprints. */
const fingerprintsOf = async (name: string, files: Readonly<Record<string, string | null>>, meta: Readonly<Record<string, string>> = META) => {
  const file = join(dir, `${name}.duckdb`);
  // One record-key salt for all (a new database file otherwise draws its own, which changes person's record keys and meta).
  await buildDatabase({ outFile: file, csvDir: writeCsvDir(dir, files), geography: GEOGRAPHY, meta, threads: 1, recordKeySalt: '0123456789abcdef0123456789abcdef' });
  const db = await openDatabase(file, { readOnly: true });
  try {
    return { buildId: await buildIdOf(db), prints: await tableFingerprints(db) };
  } finally {
    db.close();
  }
};
const changedTables = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).filter((t) => a[t] !== b[t]);

describe('tableFingerprints', () => {
  it('gives every table a fingerprint, the same for a rebuild of the same data (another build id)', async () => {
    const a = await fingerprintsOf('a', VALID_FILES);
    const b = await fingerprintsOf('b', VALID_FILES);
    expect(Object.keys(a.prints).sort()).toEqual([...FINGERPRINTED_TABLES].sort());
    expect(a.buildId).not.toBe(b.buildId);
    expect(b.prints).toEqual(a.prints);
  });

  it.each([
    ['one more A&E attendance', { 'ae_attendance.csv': `${VALID_FILES['ae_attendance.csv']!.trimEnd()}\n30,1,2023-07-01 10:00:00,2023-07-01 11:00:00,01,discharged\n` }, {}, ['ae_attendance']],
    ['one row of GP appointments fewer', { 'gp_appointment.csv': VALID_FILES['gp_appointment.csv']!.trimEnd().split('\n').slice(0, -1).join('\n') + '\n' }, {}, ['gp_appointment']],
    ['a duplicated medication row', { 'medication.csv': `${VALID_FILES['medication.csv']!.trimEnd()}\n3,2021-05-01,0302\n` }, {}, ['medication']],
    ['another window (meta)', {}, { years: '4' }, ['meta']],
  ] as const)('%s changes that table only', async (name, changes, meta, expected) => {
    const base = await fingerprintsOf(`base-${name}`, VALID_FILES);
    const other = await fingerprintsOf(`other-${name}`, withFiles(changes), { ...META, ...meta });
    expect(changedTables(base.prints, other.prints)).toEqual(expected);
  });

  it('names a table the database lacks', async () => {
    const db = await openDatabase(join(dir, 'a.duckdb'), { readOnly: true });
    try {
      await expect(tableFingerprints(db, ['no_such_table'])).rejects.toThrow('the database has no table no_such_table');
    } finally {
      db.close();
    }
  });
});
