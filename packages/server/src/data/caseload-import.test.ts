/**
 * Importing caseload episodes on both operational back ends, against the population fixture
 * (people 100-159 in leeds-1, person 2 in calderdale-1), and the command as `phm caseload import`
 * runs it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '@openphm/core';
import { listAudit } from '../operational/audit.js';
import { listCaseload } from '../operational/care-plans.js';
import { TEST_BACKENDS, useTestDb } from '../operational/test-backends.js';
import { commandIo, usePopulationData, useTempDir } from '../test-support.js';
import { caseloadImportCommand, importCaseload } from './caseload-import.js';

const HEADER = 'person_id,source,key_worker,taken_on,next_review,cohort_id,outcome';
const GOOD = [HEADER, '100,hospital-discharge,Community matron,2026-09-01,2026-12-01,,', '101,worklist,Care coordinator,2023-03-04,2023-04-01,frail-65-emergency-admission,goals-met', '101,gp,Practice nurse,2024-01-10,2024-02-01,,stable-self-managing'].join('\n');
const OPTIONS = { today: '2026-11-26', by: 'importer@test' };

const population = usePopulationData();

describe.each(TEST_BACKENDS)('importing caseload episodes on $name', (backend) => {
  const ops = useTestDb(backend, 'phm_caseload_import');

  it('stores active and ended episodes with the day taken on, and audits the import', async () => {
    expect(await importCaseload(ops, population().data, 'caseload.csv', GOOD, OPTIONS)).toEqual({ rows: 3, imported: 3, alreadyPresent: 0 });
    const stored = await listCaseload(ops);
    expect(stored.map((e) => [e.personId, e.neighbourhoodId, e.source, e.cohortId, e.status, e.outcome, e.addedAt.slice(0, 10), e.updatedBy])).toEqual([
      ['100', 'leeds-1', 'hospital-discharge', null, 'active', null, '2026-09-01', 'importer@test'],
      ['101', 'leeds-1', 'worklist', 'frail-65-emergency-admission', 'discharged', 'goals-met', '2023-03-04', 'importer@test'],
      ['101', 'leeds-1', 'gp', null, 'discharged', 'stable-self-managing', '2024-01-10', 'importer@test'],
    ]);
    const [audit] = (await listAudit(ops, { limit: 1, offset: 0, action: 'caseload.import' })).rows;
    expect(audit).toMatchObject({ userEmail: 'importer@test', resource: 'file:caseload.csv', detail: '3 imported, 0 already present' });
  });

  it('imports the file again without storing an episode twice; a second active episode is refused', async () => {
    expect(await importCaseload(ops, population().data, 'caseload.csv', `${GOOD}\n102,gp,Practice nurse,2025-05-05,2025-06-01,,declined`, OPTIONS)).toEqual({ rows: 4, imported: 1, alreadyPresent: 3 });
    const again = await importCaseload(ops, population().data, 'more.csv', `${HEADER}\n100,gp,Practice nurse,2026-10-01,2026-12-01,,`, OPTIONS).catch((e: unknown) => e as Error);
    expect(exitCodeFor(again)).toBe(3);
    expect((again as Error).message).toBe("a problem in more.csv; nothing was imported:\n  more.csv, line 2, field 'person_id': person 100 is already on the caseload (one active episode per person)");
    expect(await listCaseload(ops)).toHaveLength(4);
  });
});

describe('phm caseload import', () => {
  const tempDir = useTempDir('phm-caseload-import-');

  it('opens the stores next to the database and says what it did', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'caseload.csv'), GOOD);
    const { out, io } = commandIo(dir);
    await caseloadImportCommand({ file: 'caseload.csv', db: population().file, by: 'a@test', operationalDir: join(dir, 'ops'), today: '2026-11-26' }, io);
    expect(out.join('')).toBe('caseload.csv: 3 episodes read, 3 imported, 0 already present\n');
  });
});
