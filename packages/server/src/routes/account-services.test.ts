/**
 * Which directory services a care professional works for, set by an admin over HTTP
 * (PUT /api/admin/users/:userId/services) on the population fixture: admins only (401/403, refusals
 * audited), the list replaced and shown on the accounts list, validation naming the field, only the
 * neighbourhood role, the audit row; and what it changes: the professional's inbox and their care
 * relationship with the people referred to those services.
 */
import { describe, expect, it } from 'vitest';
import { parseDirectoryService } from '@openphm/core';
import { AccountSchema, AccountsResponse, InboxResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { createService } from '../operational/care.js';
import { testService, useCareTeamServer } from '../test-support.js';

describe('the services a care professional works for', () => {
  const { server, as, idOf } = useCareTeamServer(async (s) => {
    for (const [id, name] of [
      ['leeds-walk', 'Leeds walking group'],
      ['leeds-lunch', 'Leeds lunch club'],
    ] as const) {
      await createService(s.app.openphm.ops, parseDirectoryService(testService(id, { name })), 'programme@test');
    }
  });
  const url = (who: Parameters<typeof idOf>[0]) => `/api/admin/users/${idOf(who)}/services`;
  const servicesOf = async (who: Parameters<typeof idOf>[0]) =>
    AccountsResponse.parse((await as('admin', 'GET', '/api/admin/users')).json()).accounts.find((a) => a.id === idOf(who))!.serviceIds;
  const auditRows = async (action: string) =>
    (await listAudit(server.app.openphm.ops, { limit: 100, offset: 0, action })).rows.reverse().map((r) => [r.userEmail, r.role, r.outcome, r.status, r.resource, r.detail]);

  it('is for admins only: 401 signed out, 403 for every other role, each refusal audited', async () => {
    expect((await as('public', 'PUT', url('colleague'), { serviceIds: ['leeds-walk'] })).statusCode).toBe(401);
    for (const role of ['analyst', 'neighbourhood', 'programme', 'board'] as const) {
      const r = await as(role, 'PUT', url('colleague'), { serviceIds: ['leeds-walk'] });
      expect(r.statusCode, role).toBe(403);
      expect(r.json().error.kind).toBe('forbidden');
    }
    // A care professional cannot put themself on a service's inbox either.
    expect((await as('colleague', 'PUT', url('colleague'), { serviceIds: ['leeds-walk'] })).statusCode).toBe(403);
    expect(await servicesOf('colleague')).toEqual([]);
    const refusals = (await auditRows('PUT /api/admin/users/:userId/services')).map((r) => [r[0], r[2], r[3]]);
    expect(refusals).toEqual([
      [null, 'unauthenticated', 401],
      ['analyst@test', 'denied', 403],
      ['leeds@test', 'denied', 403],
      ['programme@test', 'denied', 403],
      ['board@test', 'denied', 403],
      ['colleague@test', 'denied', 403],
    ]);
  });

  it('refuses what is not a list of directory services, naming the field', async () => {
    for (const [body, field, message] of [
      [{ serviceIds: ['no-such-service'] }, 'serviceIds', "no directory service 'no-such-service'"],
      [{ serviceIds: ['leeds-walk', 'gone', 'also-gone'] }, 'serviceIds', "no directory service 'also-gone', 'gone'"],
      [{ serviceIds: ['Leeds Walk'] }, 'serviceIds.0', undefined],
      [{ serviceIds: 'leeds-walk' }, 'serviceIds', undefined],
      [{ serviceIds: Array.from({ length: 21 }, (_, i) => `service-${i}`) }, 'serviceIds', 'at most 20 services'],
      [{}, 'serviceIds', undefined],
      [{ serviceIds: [], role: 'admin' }, 'role', 'unknown field'],
    ] as const) {
      const r = await as('admin', 'PUT', url('colleague'), body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      const [first] = r.json().error.fields as { field: string; message: string }[];
      expect(first!.field, JSON.stringify(body)).toBe(field);
      if (message !== undefined) expect(first!.message).toBe(message);
    }
    expect((await as('admin', 'PUT', '/api/admin/users/9999/services', { serviceIds: [] })).statusCode).toBe(404);
    // Only care professionals work for services; any account's list may be cleared.
    const analyst = await as('admin', 'PUT', url('analyst'), { serviceIds: ['leeds-walk'] });
    expect(analyst.statusCode).toBe(409);
    expect(analyst.json().error.message).toBe('only care professionals (the neighbourhood role) work for services: analyst@test is analyst');
    expect((await as('admin', 'PUT', url('analyst'), { serviceIds: [] })).statusCode).toBe(200);
    expect(await servicesOf('colleague')).toEqual([]);
  });

  it('sets the list (replacing it), shown on the accounts list, audited; the inbox and care relationships follow it', async () => {
    // Before: the colleague works for no service, so their inbox is the team's.
    expect(InboxResponse.parse((await as('colleague', 'GET', '/api/care/inbox')).json()).services).toEqual([]);
    const set = await as('admin', 'PUT', url('colleague'), { serviceIds: ['leeds-walk', 'leeds-lunch', 'leeds-walk'] });
    expect(set.statusCode, set.body).toBe(200);
    expect(AccountSchema.parse(set.json())).toMatchObject({ email: 'colleague@test', role: 'neighbourhood', neighbourhoodId: 'leeds-1', serviceIds: ['leeds-lunch', 'leeds-walk'] });
    expect(await servicesOf('colleague')).toEqual(['leeds-lunch', 'leeds-walk']);
    expect(await servicesOf('neighbourhood')).toEqual([]);
    expect(InboxResponse.parse((await as('colleague', 'GET', '/api/care/inbox')).json()).services).toEqual([
      { id: 'leeds-lunch', name: 'Leeds lunch club' },
      { id: 'leeds-walk', name: 'Leeds walking group' },
    ]);

    // The Calderdale professional is put on the lunch club: a Leeds resident referred to it is then in their care.
    expect((await as('other', 'GET', '/api/care/people/120/notes')).statusCode).toBe(403);
    expect((await as('admin', 'PUT', url('other'), { serviceIds: ['leeds-lunch'] })).statusCode).toBe(200);
    expect((await as('neighbourhood', 'POST', '/api/referrals', { personId: '120', serviceId: 'leeds-lunch', reason: 'loneliness' })).statusCode).toBe(201);
    expect(InboxResponse.parse((await as('other', 'GET', '/api/care/inbox')).json()).referrals.map((r) => r.personId)).toEqual(['120']);
    expect((await as('other', 'GET', '/api/care/people/120/notes')).statusCode).toBe(200);
    // Taken off it, the relationship and the inbox go with it.
    const cleared = await as('admin', 'PUT', url('other'), { serviceIds: [] });
    expect(AccountSchema.parse(cleared.json()).serviceIds).toEqual([]);
    expect((await as('other', 'GET', '/api/care/people/120/notes')).statusCode).toBe(403);
    expect(InboxResponse.parse((await as('other', 'GET', '/api/care/inbox')).json()).services).toEqual([]);

    expect((await auditRows('user.services')).map((r) => [r[0], r[1], r[2], r[3], r[4], r[5]])).toEqual([
      ['admin@test', 'admin', 'granted', 200, `user:${idOf('analyst')}`, 'analyst@test works for no service (was no service)'],
      ['admin@test', 'admin', 'granted', 200, `user:${idOf('colleague')}`, 'colleague@test works for leeds-lunch, leeds-walk (was no service)'],
      ['admin@test', 'admin', 'granted', 200, `user:${idOf('other')}`, 'other@test works for leeds-lunch (was no service)'],
      ['admin@test', 'admin', 'granted', 200, `user:${idOf('other')}`, 'other@test works for no service (was leeds-lunch)'],
    ]);
  });
});
