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
  it('writes rows that arrive together in one transaction (group commit): each caller waits for its own, the chain holds, one bad row fails only its caller', async () => {
    const before = (await listAudit(db, { limit: 1, offset: 0 })).total;
    let transactions = 0;
    let statements = 0;
    const counting = {
      ...db,
      kind: db.kind,
      transaction: <T,>(fn: Parameters<typeof db.transaction<T>>[0], options?: Parameters<typeof db.transaction<T>>[1]) => (transactions++, db.transaction(fn, options)),
      uncounted: { query: (sql: string, params?: never) => (statements++, db.uncounted.query(sql, params)), exec: (sql: string) => db.uncounted.exec(sql) },
    } as typeof db;
    const writes = Array.from({ length: 40 }, (_, i) => writeAudit(counting, entry(100 + i)));
    await Promise.all(writes);
    // The first goes alone; the 39 that queued behind it go together: in a transaction under the chain lock, or on PGlite
    // (one process) once the writer knows the chain's end, in one statement that inserts only if the chain still ends there.
    expect([transactions, statements]).toEqual(backend.name === 'PGlite' ? [1, 1] : [2, 0]);
    const rows = (await listAudit(db, { limit: 100, offset: 0 })).rows;
    expect((await listAudit(db, { limit: 1, offset: 0 })).total).toBe(before + 40);
    // In the order they were asked for.
    expect(rows.slice(0, 40).map((r) => r.resource).reverse()).toEqual(Array.from({ length: 40 }, (_, i) => `person:${100 + i}`));
    expect((await verifyAuditChain(db)).broken).toBeNull();
    // A row the schema refuses (an outcome it does not know) in a batch: only its caller fails.
    const mixed = [entry(200), { ...entry(201), outcome: 'nonsense' as AuditEntry['outcome'] }, entry(202), entry(203)].map((e) => writeAudit(db, e).then(() => 'ok', () => 'failed'));
    expect(await Promise.all(mixed)).toEqual(['ok', 'failed', 'ok', 'ok']);
    expect((await listAudit(db, { limit: 3, offset: 0 })).rows.map((r) => r.resource)).toEqual(['person:203', 'person:202', 'person:200']);
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it('holds when rows written inside other transactions move the chain’s end between group commits', async () => {
    await writeAudit(db, entry(300));
    await db.transaction((tx) => writeAudit(tx, entry(301)));
    await writeAudit(db, entry(302));
    await Promise.all([writeAudit(db, entry(303)), db.transaction((tx) => writeAudit(tx, entry(304))), writeAudit(db, entry(305))]);
    const rows = (await listAudit(db, { limit: 6, offset: 0 })).rows.map((r) => r.resource);
    expect([...rows].sort()).toEqual(['person:300', 'person:301', 'person:302', 'person:303', 'person:304', 'person:305']);
    expect(rows.slice(3)).toEqual(['person:302', 'person:301', 'person:300']);
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });
});
