import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit.js';
import { RepeatedFailures } from './audit-repeats.js';

const refusal = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  userId: null,
  userEmail: null,
  role: 'public',
  action: 'person.view',
  resource: 'person:1',
  outcome: 'unauthenticated',
  status: 401,
  ip: '10.0.0.9',
  detail: null,
  ...over,
});

describe('repeated failures in aggregate', () => {
  it('writes the first refusal, counts the rest of the window and sums them up when it closes', () => {
    const r = new RepeatedFailures(60_000);
    const t0 = Date.UTC(2026, 11, 5, 9, 0, 0);
    expect(r.note(refusal(), t0)).toEqual({ write: true, summaries: [] });
    for (let i = 1; i <= 1000; i++) expect(r.note(refusal({ resource: `person:${i}` }), t0 + i * 10).write).toBe(false);
    const later = r.note(refusal(), t0 + 61_000);
    expect(later.write).toBe(true);
    expect(later.summaries).toHaveLength(1);
    expect(later.summaries[0]!.detail).toBe('repeated 1000 more times between 2026-12-05T09:00:00.000Z and 2026-12-05T09:00:10.000Z on person:1, person:2, person:3, person:4, person:5 and 995 more');
  });

  it.each([
    ['another address', { ip: '10.0.0.10' }],
    ['another account', { userEmail: 'x@test', role: 'board' as const }],
    ['another action', { action: 'worklist.view' }],
    ['another outcome', { outcome: 'denied' as const, status: 403 }],
  ])('keeps %s apart', (_, over) => {
    const r = new RepeatedFailures(60_000);
    expect(r.note(refusal(), 0).write).toBe(true);
    expect(r.note(refusal(over), 1).write).toBe(true);
  });

  it('writes nothing more for a single refusal, and everything open when closed', () => {
    const r = new RepeatedFailures(60_000);
    r.note(refusal(), 0);
    r.note(refusal({ ip: '10.0.0.1' }), 0);
    r.note(refusal({ ip: '10.0.0.1' }), 5);
    expect(r.note(refusal({ ip: '10.0.0.2' }), 70_000).summaries.map((s) => s.ip)).toEqual(['10.0.0.1']);
    r.note(refusal({ ip: '10.0.0.2' }), 70_001);
    expect(r.closeBefore().map((s) => [s.ip, s.detail?.slice(0, 22)])).toEqual([['10.0.0.2', 'repeated 1 more time b']]);
  });
});
