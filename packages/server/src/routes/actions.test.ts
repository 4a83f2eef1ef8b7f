/**
 * Action plans over HTTP, on the delivery fixture (test-support.ts, useDeliveryServer: the test
 * plan, "today" pinned to 2026-11-26).
 */
import { describe, expect, it } from 'vitest';
import { listAudit } from '../operational/audit.js';
import { ActionsResponse, HistoryResponse } from '@openphm/api-contract';
import { useDeliveryServer } from '../test-support.js';

describe('delivery assurance API', () => {
  const server = useDeliveryServer();
  const { as } = server;

  describe('action plan', () => {
    const action = { priorityId: 'healthy', ambitionId: 'weight', title: 'Family weight service', ownerGroup: 'Healthy weight group', lead: 'A. Lead', dueDate: '2026-10-31', rag: 'amber' };
    let id = 0;

    it('programme leads add actions; placement is checked and named', async () => {
      const bad = await as('programme', 'POST', '/api/strategies/test-plan/actions', { ...action, ambitionId: 'referrals' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({ kind: 'usage', fields: [{ field: 'ambitionId', message: "'referrals' is not an ambition of priority healthy (smoking, weight)" }] });
      const missing = await as('programme', 'POST', '/api/strategies/test-plan/actions', { ...action, lead: '' });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.fields[0].field).toBe('lead');
      const r = await as('programme', 'POST', '/api/strategies/test-plan/actions', action);
      expect(r.statusCode, r.body).toBe(201);
      id = r.json().id;
      // Due 2026-10-31, today 2026-11-26: overdue.
      expect(r.json()).toMatchObject({ ...action, status: 'open', progressNote: '', version: 1, updatedBy: 'programme@test', overdue: true });
    });

    it('staff and board members read the plan; admins and the public do not', async () => {
      const r = await as('board', 'GET', '/api/strategies/test-plan/actions');
      expect(r.statusCode).toBe(200);
      const body = ActionsResponse.parse(r.json());
      expect(body.today).toBe('2026-11-26');
      expect(body.actions.map((a) => [a.id, a.overdue])).toEqual([[id, true]]);
      expect(body.ragMeaning.red).toMatch(/insufficient progress/);
      expect((await as('admin', 'GET', '/api/strategies/test-plan/actions')).statusCode).toBe(403);
      expect((await as('public', 'GET', '/api/strategies/test-plan/actions')).statusCode).toBe(401);
    });

    it('an edit names the version it changes; a stale edit is a 409 that says who changed it', async () => {
      const r = await as('programme', 'PATCH', `/api/actions/${id}`, { rag: 'red', progressNote: 'Provider withdrew.', version: 1 });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ rag: 'red', progressNote: 'Provider withdrew.', version: 2, title: action.title, ambitionId: 'weight' });
      const stale = await as('programme', 'PATCH', `/api/actions/${id}`, { rag: 'green', version: 1 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.message).toMatch(/changed by programme@test at .*now version 2, you edited version 1/);
      // Moving to another priority without an ambition leaves it under none.
      const moved = await as('programme', 'PATCH', `/api/actions/${id}`, { priorityId: 'connected', version: 2 });
      expect(moved.json()).toMatchObject({ priorityId: 'connected', ambitionId: null, version: 3 });
      expect((await as('programme', 'PATCH', `/api/actions/${id}`, { ambitionId: 'weight', version: 3 })).json().error.fields[0].field).toBe('ambitionId');
      expect((await as('programme', 'PATCH', '/api/actions/9999', { rag: 'green', version: 1 })).statusCode).toBe(404);
      const history = HistoryResponse.parse((await as('analyst', 'GET', `/api/actions/${id}/history`)).json()).history;
      expect(history.map((h) => [h.version, h.snapshot.rag, h.snapshot.priorityId])).toEqual([
        [3, 'red', 'connected'],
        [2, 'red', 'healthy'],
        [1, 'amber', 'healthy'],
      ]);
      const audit = (await listAudit(server.app.openphm.ops, { limit: 50, offset: 0, action: 'action.update' })).rows;
      expect(audit.map((a) => [a.userEmail, a.resource, a.detail])).toEqual([
        ['programme@test', `action:${id}`, 'version 3: priorityId'],
        ['programme@test', `action:${id}`, 'version 2: rag, progressNote'],
      ]);
    });
  });
});
