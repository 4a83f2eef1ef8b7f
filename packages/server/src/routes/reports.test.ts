/**
 * Board reports over HTTP, on the delivery fixture (test-support.ts, useDeliveryServer: the test
 * plan, "today" pinned to 2026-11-26), with what the report is about recorded first as programme
 * leads would: a reported value for the manual measure, an action (made red, then moved to another
 * priority) and two risks (one rescored); the same requests the strategies, actions and risks
 * tests make.
 */
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { BoardReportResponse } from '@openphm/api-contract';
import { useDeliveryServer, type SignedInServer } from '../test-support.js';

/** The body of a request that must succeed (setting up, not under test). */
const ok = async (response: Promise<LightMyRequestResponse>): Promise<{ id: number }> => {
  const r = await response;
  if (r.statusCode >= 300) throw new Error(`setting up the board report failed: ${r.statusCode} ${r.body}`);
  return r.json();
};

/** The quarter's records: a reported value, an action and risks, changed as in the register tests. */
const recordQuarter = async (as: SignedInServer['as']): Promise<void> => {
  await ok(as('programme', 'POST', '/api/strategies/test-plan/measures/referrals/values', { periodLabel: '2023/24', periodEnd: '2024-03-31', value: 80, note: 'From the link-worker services' }));
  const action = await ok(as('programme', 'POST', '/api/strategies/test-plan/actions', { priorityId: 'healthy', ambitionId: 'weight', title: 'Family weight service', ownerGroup: 'Healthy weight group', lead: 'A. Lead', dueDate: '2026-10-31', rag: 'amber' }));
  await ok(as('programme', 'PATCH', `/api/actions/${action.id}`, { rag: 'red', progressNote: 'Provider withdrew.', version: 1 }));
  await ok(as('programme', 'PATCH', `/api/actions/${action.id}`, { priorityId: 'connected', version: 2 }));
  const base = { owner: 'Director', reviewDate: '2026-11-01' };
  const workforce = await ok(as('programme', 'POST', '/api/strategies/test-plan/risks', { ...base, title: 'Workforce', likelihood: 4, impact: 5, targetLikelihood: 2, targetImpact: 5, priorityId: 'healthy', measureIds: ['smoking'] }));
  // What addresses the missed smoking target: an action meant to move it, the workforce risk above, and its owner's commentary.
  await ok(as('programme', 'POST', '/api/strategies/test-plan/actions', { priorityId: 'healthy', ambitionId: 'smoking', title: 'Stop-smoking service in pharmacies', ownerGroup: 'Tobacco alliance', lead: 'B. Lead', dueDate: '2027-03-31', rag: 'green', measureIds: ['smoking'] }));
  await ok(as('programme', 'POST', '/api/strategies/test-plan/measures/smoking/commentary', { commentary: 'Quit rates fell when the service was re-procured.' }));
  await ok(as('programme', 'POST', '/api/strategies/test-plan/risks', { ...base, title: 'IT outage', likelihood: 2, impact: 2, reviewDate: '2027-01-31' }));
  await ok(as('programme', 'PATCH', `/api/risks/${workforce.id}`, { likelihood: 3, mitigations: 'New rota', version: 1 }));
};

describe('delivery assurance API', () => {
  const { as } = useDeliveryServer((server) => recordQuarter(server.as));

  describe('board report', () => {
    it('reports the quarter by exception, as JSON and as a Markdown paper', async () => {
      const r = await as('board', 'GET', '/api/strategies/test-plan/report?quarter=2026-27-q3');
      expect(r.statusCode, r.body).toBe(200);
      const report = BoardReportResponse.parse(r.json());
      expect(report.title).toBe('Test plan: progress report, Q3 2026/27');
      expect(report.preparedOn).toBe('2026-11-26');
      expect(report.dataNote).toBe('synthetic data, records 2021-04-01 to 2026-03-31; published figures are disclosure-controlled');
      // Smoking's target date (2026-03-31) has passed with its value unmet; Leeds' healthy weight is behind its trajectory
      // on the value, but not significantly, and significantly better than its baseline: on track, not an exception.
      expect(report.summary.measures).toEqual({ met: 1, 'on-track': 2, 'no-significant-change': 0, 'off-track': 0, worsening: 0, missed: 1, incomplete: 1 });
      expect(report.mainIssues.map((i) => i.title)).toEqual([
        'Smoking: target missed',
        'Action: Family weight service',
        'Risk: Workforce (serious, 15)',
      ]);
      // Why it is off track and what is being done: the linked action and risk, and the owner's commentary.
      expect(report.mainIssues[0]!.detail).toContain('actions: Stop-smoking service in pharmacies (green, B. Lead); risks: Workforce (15); the owner\'s commentary (programme@test, ');
      expect(report.mainIssues[0]!.detail).toContain('"Quit rates fell when the service was re-procured."');
      // The serious risk's review is overdue too: said in its detail rather than listed twice.
      expect(report.mainIssues[2]!.detail).toMatch(/Review overdue since 2026-11-01\.$/);
      expect(report.recommendations[0]).toBe('Note progress against the Test plan in Q3 2026/27.');
      const md = await as('analyst', 'GET', '/api/strategies/test-plan/report?quarter=2026-27-q3&format=markdown');
      expect(md.statusCode).toBe(200);
      expect(md.headers['content-type']).toMatch(/^text\/markdown/);
      expect(md.body).toMatch(/^# Test plan: progress report, Q3 2026\/27\n/);
      expect(md.body).toContain('## 6. Recommendations');
      const defaultQuarter = BoardReportResponse.parse((await as('board', 'GET', '/api/strategies/test-plan/report')).json());
      expect(defaultQuarter.quarter.id).toBe('2026-27-q3');
      const bad = await as('board', 'GET', '/api/strategies/test-plan/report?quarter=2026-q3');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toMatch(/write it like 2026-27-q3/);
    });
  });

  describe('measure links', () => {
    it('shows delivery readers what addresses each measure, not the public; refuses links to measures the strategy does not have', async () => {
      const r = await as('board', 'GET', '/api/strategies/test-plan/measure-links');
      expect(r.statusCode, r.body).toBe(200);
      const smoking = r.json().measures.find((m: { measureId: string }) => m.measureId === 'smoking');
      expect(smoking.actions.map((a: { title: string }) => a.title)).toEqual(['Stop-smoking service in pharmacies']);
      expect(smoking.risks.map((x: { title: string; score: number; band: string }) => [x.title, x.score, x.band])).toEqual([['Workforce', 15, 'serious']]);
      expect(smoking.commentary).toMatchObject({ text: 'Quit rates fell when the service was re-procured.', writtenBy: 'programme@test' });
      expect((await as('public', 'GET', '/api/strategies/test-plan/measure-links')).statusCode).toBe(401);
      const bad = await as('programme', 'POST', '/api/strategies/test-plan/actions', { priorityId: 'healthy', title: 'T', ownerGroup: 'G', lead: 'L', dueDate: '2027-01-01', rag: 'green', measureIds: ['smoking', 'nope'] });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toMatch(/measureIds.*'nope' is not a measure of test-plan/);
      const badRisk = await as('programme', 'POST', '/api/strategies/test-plan/risks', { owner: 'D', reviewDate: '2027-01-01', title: 'R', likelihood: 1, impact: 1, priorityId: 'nowhere' });
      expect(badRisk.statusCode).toBe(400);
      expect(badRisk.body).toMatch(/priorityId/);
      expect((await as('analyst', 'POST', '/api/strategies/test-plan/measures/smoking/commentary', { commentary: 'x' })).statusCode).toBe(403);
      expect((await as('programme', 'POST', '/api/strategies/test-plan/measures/nope/commentary', { commentary: 'x' })).statusCode).toBe(404);
    });
  });
});
