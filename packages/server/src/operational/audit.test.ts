/** The audit log's hash chain on both back ends: intact after writes, and every kind of tampering found. */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit.js';
import { listAudit, verifyAuditChain, writeAudit } from './audit.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

const entry = (i: number): AuditEntry => ({ userId: null, userEmail: `u${i}@test`, role: 'analyst', action: 'person.view', resource: `person:${i}`, outcome: 'granted', status: 200, ip: '10.0.0.1', detail: null });

describe.each(TEST_BACKENDS)('the audit chain on $name', (backend) => {
  const db = useTestDb(backend, 'phm_audit_chain');

  /** The chain check after tampering as someone with the database's own rights could (around the append-only trigger), then undone. */
  const checkAfter = async (sql: string) => {
    let report: Awaited<ReturnType<typeof verifyAuditChain>> | undefined;
    await db
      .transaction(async (tx) => {
        await tx.exec(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change; ${sql}; ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change;`);
        report = await verifyAuditChain(tx);
        throw new Error('undo');
      })
      .catch((error: Error) => {
        if (error.message !== 'undo') throw error;
      });
    return report!;
  };

  it('holds after writes, in and out of transactions, and finds rows by person and date', async () => {
    for (let i = 1; i <= 5; i++) await writeAudit(db, entry(i), new Date(Date.UTC(2026, 11, i, 12)));
    await db.transaction((tx) => writeAudit(tx, entry(6), new Date(Date.UTC(2026, 11, 6, 12))));
    const report = await verifyAuditChain(db, 2);
    expect(report).toMatchObject({ checked: 6, unchained: 0, broken: null });
    expect(report.head).toMatch(/^[0-9a-f]{64}$/);
    expect((await listAudit(db, { limit: 10, offset: 0, personId: '3' })).rows.map((r) => r.userEmail)).toEqual(['u3@test']);
    expect((await listAudit(db, { limit: 10, offset: 0, from: '2026-12-02', to: '2026-12-04' })).rows.map((r) => r.resource)).toEqual(['person:4', 'person:3', 'person:2']);
  });

  it.each([
    ['a field changed', `UPDATE audit_event SET outcome = 'denied' WHERE resource = 'person:3'`, 'its fields were changed after it was written'],
    ['a row removed', `DELETE FROM audit_event WHERE resource = 'person:4'`, 'does not follow the row before it'],
    ['the first rows removed', `DELETE FROM audit_event WHERE resource IN ('person:1')`, 'does not start at its first row'],
  ])('finds %s', async (_, sql, problem) => {
    expect((await checkAfter(sql)).broken?.problem).toContain(problem);
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });
});
