import { describe, expect, it } from 'vitest';
import { ActionInputSchema, ActionUpdateSchema, actionPlacementProblem, isOverdue, measureLinkProblem } from './actions.js';
import type { Strategy } from './strategy.js';

const STRATEGY: Strategy = {
  id: 'plan',
  version: 1,
  title: 'Plan',
  board: 'Board',
  area: 'ics',
  period: { start: '2022-04-01', end: '2027-03-31' },
  description: 'd',
  priorities: [
    { id: 'p1', title: 'One', ambitions: [{ id: 'a1', title: 'A one', measures: [{ id: 'smoking', title: 'Smoking', source: { kind: 'indicator', indicatorId: 'smoking-prevalence' } }] }] },
    { id: 'p2', title: 'Two', ambitions: [{ id: 'a2', title: 'A two', measures: [] }] },
  ],
};

describe('actions', () => {
  it('links an action to measures of its strategy only, each once', () => {
    expect(measureLinkProblem(STRATEGY, undefined)).toBeNull();
    expect(measureLinkProblem(STRATEGY, ['smoking'])).toBeNull();
    expect(measureLinkProblem(STRATEGY, ['smoking', 'weight', 'ae'])).toEqual({ field: 'measureIds', message: "'weight', 'ae' are not measures of plan" });
    const base = { strategyId: 'plan', priorityId: 'p1', title: 'T', ownerGroup: 'G', lead: 'L', dueDate: '2027-01-01', rag: 'green' };
    expect(ActionInputSchema.parse(base).measureIds).toEqual([]);
    expect(ActionInputSchema.safeParse({ ...base, measureIds: ['smoking', 'smoking'] }).success).toBe(false);
  });

  it('checks the priority exists and the ambition sits under it', () => {
    expect(actionPlacementProblem(STRATEGY, 'p1', 'a1')).toBeNull();
    expect(actionPlacementProblem(STRATEGY, 'p2', null)).toBeNull();
    expect(actionPlacementProblem(STRATEGY, 'p3', null)).toEqual({ field: 'priorityId', message: "'p3' is not a priority of plan (p1, p2)" });
    expect(actionPlacementProblem(STRATEGY, 'p1', 'a2')).toEqual({ field: 'ambitionId', message: "'a2' is not an ambition of priority p1 (a1)" });
  });

  it.each([
    ['open', '2026-11-25', true],
    ['open', '2026-11-26', false], // due today is not overdue
    ['complete', '2020-01-01', false],
    ['cancelled', '2020-01-01', false],
  ] as const)('a %s action due %s is overdue on 2026-11-26: %s', (status, dueDate, overdue) => {
    expect(isOverdue({ status, dueDate }, '2026-11-26')).toBe(overdue);
  });

  it('validates input with defaults, and updates name the version edited', () => {
    const input = { strategyId: 'plan', priorityId: 'p1', title: 'Stop smoking service in maternity', ownerGroup: 'Maternity', lead: 'A Lead', dueDate: '2027-03-31', rag: 'amber' };
    expect(ActionInputSchema.parse(input)).toMatchObject({ status: 'open', progressNote: '' });
    expect(ActionInputSchema.safeParse({ ...input, rag: 'blue' }).error?.issues[0]?.path).toEqual(['rag']);
    expect(ActionInputSchema.safeParse({ ...input, dueDate: '31/03/2027' }).error?.issues[0]?.message).toBe('a date YYYY-MM-DD');
    expect(ActionUpdateSchema.safeParse({ rag: 'red' }).error?.issues[0]?.path).toEqual(['version']);
    expect(ActionUpdateSchema.parse({ rag: 'red', version: 3 })).toEqual({ rag: 'red', version: 3 });
    expect(ActionUpdateSchema.safeParse({ strategyId: 'other', version: 3 }).success).toBe(false);
  });
});
