/**
 * Importing referrals on both operational back ends, against the population fixture (people
 * 100-159 in leeds-1, person 2 in calderdale-1; person 999 is nobody), and the command as `phm
 * referrals import` runs it (PGlite next to the database, audited).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor, parseDirectoryService } from '@openphm/core';
import { listAudit } from '../operational/audit.js';
import { createService, listReferrals } from '../operational/care.js';
import { openOperationalDb, type OperationalDb } from '../operational/db.js';
import { TEST_BACKENDS, useTestDb } from '../operational/test-backends.js';
import { commandIo, testService, usePopulationData, useTempDir } from '../test-support.js';
import { importReferrals, referralImportCommand } from './referral-import.js';

const HEADER = 'person_id,service_id,reason,status,referred_on,referred_by,wellbeing_before_life_satisfaction,wellbeing_before_worthwhile,wellbeing_before_happiness,wellbeing_before_anxiety';
const GOOD = [`${HEADER}`, '100,walk,loneliness,completed,2024-05-10,Link worker A,4,5,4,7', '2,walk,inactivity,referred,2024-06-01,Link worker B,,,,', '101,walk,low-mood,declined,2024-07-01,Link worker A,3,3,3,8'].join('\n');
const OPTIONS = { today: '2026-11-26', by: 'importer@test' };

const population = usePopulationData();

describe.each(TEST_BACKENDS)('importing referrals on $name', (backend) => {
  const ops = useTestDb(backend, 'phm_import');
  beforeAll(async () => {
    await createService(ops, parseDirectoryService(testService('walk', { areas: ['ics'], eligibility: {} })), 'programme@test');
  });

  it('stores every row, with its status, scores, date and referrer, and audits the import', async () => {
    expect(await importReferrals(ops, population().data, 'referrals.csv', GOOD, OPTIONS)).toEqual({ rows: 3, imported: 3, alreadyPresent: 0 });
    const stored = await listReferrals(ops);
    expect(stored.map((r) => [r.personId, r.neighbourhoodId, r.status, r.referredAt.slice(0, 10), r.referredBy, r.updatedBy, r.wellbeingBefore?.anxiety ?? null])).toEqual(
      expect.arrayContaining([
        ['100', 'leeds-1', 'completed', '2024-05-10', 'Link worker A', 'importer@test', 7],
        ['2', 'calderdale-1', 'referred', '2024-06-01', 'Link worker B', 'importer@test', null],
        ['101', 'leeds-1', 'declined', '2024-07-01', 'Link worker A', 'importer@test', 8],
      ]),
    );
    const [audit] = (await listAudit(ops, { limit: 1, offset: 0, action: 'referral.import' })).rows;
    expect(audit).toMatchObject({ userEmail: 'importer@test', resource: 'file:referrals.csv', outcome: 'granted', detail: '3 imported, 0 already present' });
  });

  it('imports a file again without storing a referral twice', async () => {
    const more = `${GOOD}\n102,walk,weight,attending,2024-08-01,Link worker C,,,,\n102,walk,weight,attending,2024-08-01,Link worker C,,,,`;
    expect(await importReferrals(ops, population().data, 'referrals.csv', more, OPTIONS)).toEqual({ rows: 5, imported: 1, alreadyPresent: 4 });
    expect(await listReferrals(ops)).toHaveLength(4);
  });

  it('stores nothing when any row is wrong, and names the line and field of each problem', async () => {
    const bad = `${HEADER}\n103,walk,loneliness,completed,2024-05-10,Link worker A,4,5,4,7\n999,walk,loneliness,referred,2024-05-10,X,,,,\n104,gym,lonely,referred,2024-05-10,X,,,,`;
    const error = await importReferrals(ops, population().data, 'bad.csv', bad, OPTIONS).catch((e: unknown) => e as Error);
    expect(exitCodeFor(error)).toBe(3);
    expect((error as Error).message).toBe(
      [
        '3 problems in bad.csv; nothing was imported:',
        "  bad.csv, line 3, field 'person_id': person 999 is not a resident of any neighbourhood in the data",
        "  bad.csv, line 4, field 'service_id': 'gym' is not in the directory of services",
        "  bad.csv, line 4, field 'reason': 'lonely' is not a reason code (loneliness, long-term-condition, low-mood, carer-strain, money-housing, inactivity, weight, other)",
      ].join('\n'),
    );
    expect(await listReferrals(ops)).toHaveLength(4);
    await expect(importReferrals(ops, population().data, 'broken.csv', `${HEADER}\n"100,walk`, OPTIONS)).rejects.toThrow(/^broken\.csv, line 2: unterminated quoted field/);
    await expect(importReferrals(ops, population().data, 'empty.csv', '', OPTIONS)).rejects.toThrow(/empty\.csv is empty/);
  });
});

describe('phm referrals import', () => {
  const tempDir = useTempDir('phm-import-');

  it('opens the stores next to the database, imports and says what it did', async () => {
    const dir = tempDir();
    const operationalDir = join(dir, 'ops');
    const seed = await openOperationalDb({ dataDir: operationalDir });
    await createService(seed, parseDirectoryService(testService('walk', { areas: ['ics'], eligibility: {} })), 'programme@test');
    await seed.close();
    writeFileSync(join(dir, 'referrals.csv'), GOOD);
    const { out, io } = commandIo(dir);
    const result = await referralImportCommand({ file: 'referrals.csv', db: population().file, by: 'Importer@Test', operationalDir, today: '2026-11-26' }, io);
    expect(result.imported).toBe(3);
    expect(out.join('')).toBe('referrals.csv: 3 referrals read, 3 imported, 0 already present\n');
    await expect(referralImportCommand({ file: 'referrals.csv', db: population().file, by: 'nobody', operationalDir }, io)).rejects.toThrow(/--by must be your e-mail address/);
    await expect(referralImportCommand({ file: 'missing.csv', db: population().file, by: 'a@test', operationalDir }, io)).rejects.toMatchObject({ kind: 'not-found' });
  });
});
