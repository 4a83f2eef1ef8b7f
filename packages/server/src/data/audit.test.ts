/** `phm audit verify`: the chain of a PGlite store next to a database, intact and then tampered with. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '@openphm/core';
import { writeAudit } from '../operational/audit.js';
import { openOperationalDb } from '../operational/db.js';
import { commandIo } from '../test-support.js';
import { auditVerifyCommand } from './audit.js';

describe('phm audit verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'phm-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { out, io } = commandIo(dir);

  it('reports an intact chain with its last hash, then names the row changed', async () => {
    const ops = await openOperationalDb({ dataDir: join(dir, 'ops') });
    for (const i of [1, 2, 3]) await writeAudit(ops, { userId: null, userEmail: 'a@test', role: 'analyst', action: 'person.view', resource: `person:${i}`, outcome: 'granted', status: 200, ip: null });
    await ops.close();
    const report = await auditVerifyCommand({ db: join(dir, 'x.duckdb'), operationalDir: join(dir, 'ops') }, io);
    expect(report).toMatchObject({ holds: true, checked: 3 });
    expect(out.join('')).toMatch(/^audit log: 3 rows chained and intact; last hash [0-9a-f]{64}\n$/);

    const again = await openOperationalDb({ dataDir: join(dir, 'ops') });
    await again.exec(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change; UPDATE audit_event SET resource = 'person:9' WHERE resource = 'person:2'`);
    await again.close();
    const error = await auditVerifyCommand({ db: join(dir, 'x.duckdb'), operationalDir: join(dir, 'ops') }, io).catch((e: unknown) => e);
    expect(String(error)).toMatch(/chain is broken at row \d+: its fields were changed after it was written \(1 rows before it hold\)/);
    expect(exitCodeFor(error)).toBe(3);
  });
});
