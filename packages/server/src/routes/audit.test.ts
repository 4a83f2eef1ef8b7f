/** The audit log's reports: who accessed one person's record, the chain check, and floods summed up. */
import { describe, expect, it } from 'vitest';
import { listAudit } from '../operational/audit.js';
import { useSignedInServer } from '../test-support.js';

describe('audit reports', () => {
  const server = useSignedInServer();

  it("answers a subject access request: who accessed the person's record, when, with what outcome", async () => {
    await server.as('analyst', 'GET', '/api/people/1');
    await server.as('analyst', 'GET', '/api/people/1');
    await server.as('neighbourhood', 'GET', '/api/people/2');
    await server.as('neighbourhood', 'GET', '/api/people/1');
    const report = await server.as('admin', 'GET', '/api/audit/people/1');
    expect(report.statusCode).toBe(200);
    expect(report.json().accessedBy.map((a: { userEmail: string; action: string; outcome: string; times: number }) => [a.userEmail, a.action, a.outcome, a.times])).toEqual([
      ['analyst@test', 'person.view', 'granted', 2],
      ['leeds@test', 'person.view', 'granted', 1],
    ]);
    const csv = await server.as('admin', 'GET', '/api/audit/people/1?format=csv');
    // The three accesses, and the administrator's own look at who accessed the record.
    const lines = csv.body.split('\r\n').filter((l) => l.includes('person:1'));
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toContain('audit.subject-access');
    expect((await server.as('analyst', 'GET', '/api/audit/people/1')).statusCode).toBe(403);
  });

  it('checks the chain for admins', async () => {
    const chain = await server.as('admin', 'GET', '/api/audit/chain');
    expect(chain.json()).toMatchObject({ holds: true, broken: null, unchained: 0 });
    expect(chain.json().checked).toBeGreaterThan(5);
  });

  it('sums up a flood of anonymous refusals from one address instead of burying the log', async () => {
    const before = (await listAudit(server.app.openphm.ops, { limit: 1, offset: 0 })).rows[0]!.id;
    for (let i = 0; i < 300; i++) await server.app.inject({ method: 'GET', url: `/api/people/${i}`, remoteAddress: '10.6.6.6' });
    await server.as('analyst', 'GET', '/api/people/3');
    const rows = (await listAudit(server.app.openphm.ops, { limit: 1000, offset: 0 })).rows.filter((r) => r.id > before);
    expect(rows.map((r) => [r.ip, r.outcome])).toEqual([
      [expect.any(String), 'granted'],
      ['10.6.6.6', 'unauthenticated'],
    ]);
  });
});
