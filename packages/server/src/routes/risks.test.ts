/**
 * Risk registers over HTTP, on the delivery fixture (test-support.ts, useDeliveryServer: the test
 * plan, "today" pinned to 2026-11-26).
 */
import { describe, expect, it } from 'vitest';
import { HistoryResponse, MeasureLinksResponse, RisksResponse } from '@openphm/api-contract';
import { useDeliveryServer } from '../test-support.js';

describe('delivery assurance API', () => {
  const { as } = useDeliveryServer();

  describe('risk register', () => {
    it('scores, bands and orders risks; shows the heat map; keeps history', async () => {
      const base = { owner: 'Director', reviewDate: '2026-11-01' };
      const a = await as('programme', 'POST', '/api/strategies/test-plan/risks', { ...base, title: 'Workforce', likelihood: 4, impact: 5, targetLikelihood: 2, targetImpact: 5 });
      expect(a.statusCode, a.body).toBe(201);
      expect(a.json()).toMatchObject({ score: 20, band: 'critical', targetScore: 10, reviewOverdue: true, status: 'open', version: 1 });
      const b = await as('programme', 'POST', '/api/strategies/test-plan/risks', { ...base, title: 'IT outage', likelihood: 2, impact: 2, reviewDate: '2027-01-31' });
      expect(b.json()).toMatchObject({ score: 4, band: 'moderate', targetScore: null, reviewOverdue: false });
      const half = await as('programme', 'POST', '/api/strategies/test-plan/risks', { ...base, title: 'Half a target', likelihood: 2, impact: 2, targetLikelihood: 1 });
      expect(half.statusCode).toBe(400);
      expect(half.json().error.message).toMatch(/give both target likelihood and target impact/);
      const register = RisksResponse.parse((await as('board', 'GET', '/api/strategies/test-plan/risks')).json());
      expect(register.risks.map((r) => r.title)).toEqual(['Workforce', 'IT outage']);
      expect(register.heatmap[3]![4]).toBe(1);
      expect(register.heatmap[1]![1]).toBe(1);
      expect(register.bands.map((x) => x.label)).toEqual(['Critical', 'Serious', 'High', 'Moderate', 'Low']);
      const updated = await as('programme', 'PATCH', `/api/risks/${a.json().id}`, { likelihood: 3, mitigations: 'New rota', version: 1 });
      expect(updated.json()).toMatchObject({ score: 15, band: 'serious', version: 2, mitigations: 'New rota', targetScore: 10 });
      expect(HistoryResponse.parse((await as('analyst', 'GET', `/api/risks/${a.json().id}/history`)).json()).history.map((h) => h.snapshot.likelihood)).toEqual([3, 4]);
    });

    it('links a risk to its priority and to the actions that address it, only the strategy\'s own, each bad one named', async () => {
      const action = await as('programme', 'POST', '/api/strategies/test-plan/actions', { priorityId: 'connected', title: 'Recruit link workers', ownerGroup: 'Voluntary sector alliance', lead: 'A. Lead', dueDate: '2027-03-31', rag: 'amber' });
      expect(action.statusCode, action.body).toBe(201);
      const id = action.json().id as number;
      const base = { title: 'Link workers leave', owner: 'Director', reviewDate: '2027-01-31', likelihood: 3, impact: 4, priorityId: 'connected' };
      const made = await as('programme', 'POST', '/api/strategies/test-plan/risks', { ...base, measureIds: ['referrals'], actionIds: [id] });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({ priorityId: 'connected', actionIds: [id], version: 1 });
      // The measure it threatens says what addresses the risk.
      const links = MeasureLinksResponse.parse((await as('board', 'GET', '/api/strategies/test-plan/measure-links')).json());
      expect(links.measures.find((m) => m.measureId === 'referrals')!.risks).toEqual([expect.objectContaining({ title: 'Link workers leave', score: 12, addressedBy: ['Recruit link workers'] })]);
      const unknown = await as('programme', 'POST', '/api/strategies/test-plan/risks', { ...base, actionIds: [id, 9999] });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.fields).toEqual([{ field: 'actionIds.1', message: 'action 9999 is not an action of test-plan' }]);
      const twice = await as('programme', 'POST', '/api/strategies/test-plan/risks', { ...base, actionIds: [id, id] });
      expect(twice.statusCode).toBe(400);
      expect(twice.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['actionIds']);
      const badPriority = await as('programme', 'PATCH', `/api/risks/${made.json().id}`, { priorityId: 'nope', version: 1 });
      expect(badPriority.json().error.fields[0].field).toBe('priorityId');
      const unlinked = await as('programme', 'PATCH', `/api/risks/${made.json().id}`, { actionIds: [], version: 1 });
      expect(unlinked.json()).toMatchObject({ actionIds: [], version: 2 });
      expect((await as('board', 'PATCH', `/api/risks/${made.json().id}`, { actionIds: [id], version: 2 })).statusCode).toBe(403);
      expect((await as('programme', 'PATCH', `/api/risks/${made.json().id}`, { actionIds: [id], version: 1 })).statusCode).toBe(409);
      const register = RisksResponse.parse((await as('board', 'GET', '/api/strategies/test-plan/risks')).json());
      expect(register.risks.find((r) => r.id === made.json().id)).toMatchObject({ actionIds: [], priorityId: 'connected' });
    });
  });
});
