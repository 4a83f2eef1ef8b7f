/**
 * Who has operational records, kept between requests: read once, read again after this process
 * writes to the store (not after the audit log's own writes, which every request makes) or when
 * older than STAMP_MAX_AGE_MS; requests that find it stale together share one read.
 */
import { describe, expect, it } from 'vitest';
import { freshValue, STAMP_MAX_AGE_MS, type ServerContext } from '../context.js';
import { addToCaseload } from '../operational/care-plans.js';
import { writeAudit } from '../operational/audit.js';
import { TEST_BACKENDS, useTestDb } from '../operational/test-backends.js';
import { hasRecord, operationalPeopleOf } from './operational-people.js';

describe.each(TEST_BACKENDS)('operational people on $name', (backend) => {
  const db = useTestDb(backend, 'phm_op_people');

  it('is read again after a write by this process, not after an audit row', async () => {
    let reads = 0;
    const counted = new Proxy(db, { get: (t, k) => (k === 'query' ? (sql: string, p?: never) => (reads++, t.query(sql, p)) : Reflect.get(t, k)) });
    const ctx = { ops: counted, stamps: new Map() } as unknown as ServerContext;
    expect(hasRecord((await operationalPeopleOf(ctx)).activeEpisode, '601')).toBe(false);
    expect(reads).toBe(1);
    await writeAudit(db, { userId: null, userEmail: null, role: 'analyst', action: 'person.view', resource: 'person:601', outcome: 'granted', status: 200, ip: null });
    await Promise.all([operationalPeopleOf(ctx), operationalPeopleOf(ctx)]);
    expect(reads).toBe(1);
    await addToCaseload(db, { personId: '601', neighbourhoodId: 'leeds-01', source: 'gp', cohortId: null, keyWorker: 'Nurse', nextReview: '2026-12-01' }, 'nurse@test');
    const [a, b] = await Promise.all([operationalPeopleOf(ctx), operationalPeopleOf(ctx)]);
    expect(reads).toBe(2);
    expect(a).toBe(b);
    expect(hasRecord(a.activeEpisode, '601')).toBe(true);
    // The routes accept ids with leading zeros.
    expect(hasRecord(a.activeEpisode, '000601')).toBe(true);
    expect(hasRecord(a.caseload, '602')).toBe(false);
  });
});

describe('freshValue', () => {
  it('keeps a value until STAMP_MAX_AGE_MS, and forgets a failed read', async () => {
    const ctx = { ops: { writes: 0 }, stamps: new Map() } as unknown as ServerContext;
    let n = 0;
    const read = async () => ++n;
    expect(await freshValue(ctx, 'k', read, 1_000)).toBe(1);
    expect(await freshValue(ctx, 'k', read, 1_000 + STAMP_MAX_AGE_MS - 1)).toBe(1);
    expect(await freshValue(ctx, 'k', read, 1_000 + STAMP_MAX_AGE_MS)).toBe(2);
    await expect(freshValue(ctx, 'f', () => Promise.reject(new Error('store unreachable')), 5_000)).rejects.toThrow('store unreachable');
    expect(await freshValue(ctx, 'f', read, 5_001)).toBe(3);
  });
});
