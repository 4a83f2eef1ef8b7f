import { describe, expect, it } from 'vitest';
import type { Action } from './actions.js';
import { buildBoardReport, formatMeasureValue, renderBoardReportMarkdown, type AssessedMeasure } from './board-report.js';
import { parseQuarter } from './quarters.js';
import type { Risk } from './risks.js';
import type { Strategy, StrategyMeasure } from './strategy.js';
import { assessMeasure, type MeasurePoint } from './trajectory.js';

const STRATEGY: Strategy = {
  id: 'plan',
  version: 1,
  title: 'Healthier Place Plan',
  board: 'Place Health and Wellbeing Board',
  area: 'ics',
  period: { start: '2022-04-01', end: '2027-03-31' },
  description: 'The plan for a healthier place.',
  priorities: [{ id: 'p1', title: 'Priority', ambitions: [{ id: 'a1', title: 'Fewer smokers', measures: [] }] }],
};
const TODAY = '2026-11-26';
const Q = parseQuarter('2026-27-q3');

const m = (id: string, title: string, baseline: number | null, target: number | null): StrategyMeasure => ({
  id,
  title,
  source: { kind: 'manual', unit: '%' },
  polarity: 'lower-is-better',
  owner: `${title} lead`,
  ...(baseline !== null ? { baseline: { kind: 'stated' as const, value: baseline, date: '2022-03-31', label: '2021/22' } } : {}),
  ...(target !== null ? { target: { kind: 'absolute' as const, value: target, date: '2026-03-31' } } : {}),
});
const assessed = (measure: StrategyMeasure, latest: number | null, ci?: [number, number], date = '2025-03-31'): AssessedMeasure => {
  const points: MeasurePoint[] = latest === null ? [] : [{ date, label: `${Number(date.slice(0, 4)) - 1}/${date.slice(2, 4)}`, value: latest, ...(ci ? { lower95: ci[0], upper95: ci[1] } : {}) }];
  return { priorityId: 'p1', priorityTitle: 'Priority', ambitionId: 'a1', ambitionTitle: 'Fewer smokers', measure, unit: '%', assessment: assessMeasure(measure, 'lower-is-better', points, TODAY) };
};
// Baseline 20 (2022-03-31), target 12 (2026-03-31): the trajectory on 2025-03-31 is 14. Today the target date has passed.
const MEASURES = [
  assessed(m('met', 'Smoking', 20, 12), 11, [10.5, 11.5]),
  { ...assessed(m('worse', 'Smoking in pregnancy', 20, 12), 21, [20.5, 21.5]), commentary: { text: 'The stop-smoking service lost its midwife.', writtenBy: 'Smoking in pregnancy lead', writtenAt: '2026-11-20T10:00:00Z' } }, // significantly worse than baseline
  assessed(m('off', 'Smoking in routine jobs', 20, 12), 16, [15.5, 16.5]), // significantly behind the trajectory
  assessed(m('nsc', 'Smoking in young adults', 20, 12), 17, [13, 21]), // behind on the value only: not red, no recovery plan
  assessed(m('missed', 'Smoking in social housing', 20, 12), 13, [12.5, 13.5], '2026-03-31'), // the target date passed unmet
  assessed(m('inc', 'Vaping in young people', null, null), 9),
];

const action = (id: number, rag: Action['rag'], dueDate: string, status: Action['status'] = 'open', updatedAt = '2026-10-15T09:00:00Z'): Action => ({
  id,
  strategyId: 'plan',
  priorityId: 'p1',
  ambitionId: null,
  title: `Action ${id}`,
  ownerGroup: 'Tobacco alliance',
  lead: `Lead ${id}`,
  dueDate,
  rag,
  status,
  progressNote: id === 1 ? 'Procurement paused.' : '',
  // Action 1 is meant to move smoking in pregnancy.
  measureIds: id === 1 ? ['worse'] : [],
  version: 1,
  updatedAt,
  updatedBy: 'someone@demo',
});
const ACTIONS = [
  action(1, 'red', '2026-09-30'), // red and overdue
  action(2, 'green', '2027-03-31'),
  action(3, 'amber', '2026-10-31'), // amber overdue
  action(4, 'red', '2026-01-01', 'complete', '2026-05-01T09:00:00Z'), // done: not an exception
  { ...action(5, 'red', '2026-01-01'), strategyId: 'other' }, // another strategy's
];
const risk = (id: number, likelihood: number, impact: number, reviewDate: string, status: Risk['status'] = 'open'): Risk => ({
  id,
  strategyId: 'plan',
  title: `Risk ${id}`,
  description: '',
  owner: `Owner ${id}`,
  likelihood,
  impact,
  targetLikelihood: id === 1 ? 3 : null,
  targetImpact: id === 1 ? 4 : null,
  controls: '',
  mitigations: id === 1 ? 'Recruit two more advisers' : '',
  reviewDate,
  status,
  priorityId: id === 1 ? 'p1' : null,
  // Risk 1 threatens smoking in pregnancy.
  measureIds: id === 1 ? ['worse'] : [],
  // Risk 1 is addressed by action 1 (and names an action of no strategy of this board: left out).
  actionIds: id === 1 ? [1, 99] : [],
  version: 1,
  updatedAt: '2026-10-01T00:00:00Z',
  updatedBy: 'x',
});
const RISKS = [risk(1, 5, 4, '2026-12-31'), risk(2, 3, 3, '2026-11-01'), risk(3, 4, 4, '2027-01-31'), risk(4, 5, 5, '2026-01-01', 'closed')];

describe('buildBoardReport', () => {
  const report = buildBoardReport({ strategy: STRATEGY, quarter: Q, today: TODAY, measures: MEASURES, actions: ACTIONS, risks: RISKS, dataNote: 'synthetic data' });

  it('summarises measures, actions and risks of this strategy only', () => {
    expect(report.summary.measures).toEqual({ met: 1, 'on-track': 0, 'no-significant-change': 1, 'off-track': 1, worsening: 1, missed: 1, incomplete: 1 });
    expect(report.summary.actions).toEqual({ green: 1, amber: 1, red: 1, open: 3, overdue: 2, complete: 1, updatedInQuarter: 3 });
    expect(report.summary.risks).toEqual({ critical: 1, serious: 1, high: 1, moderate: 0, low: 0, open: 3, reviewOverdue: 1 });
  });

  it('reports by exception, most serious first', () => {
    expect(report.mainIssues.map((i) => [i.severity, i.title])).toEqual([
      ['red', 'Smoking in pregnancy: worse than baseline'],
      ['red', 'Smoking in social housing: target missed'],
      ['red', 'Action: Action 1'],
      ['red', 'Risk: Risk 1 (critical, 20)'],
      ['amber', 'Risk: Risk 3 (serious, 16)'],
      ['amber', 'Smoking in routine jobs: off track'],
      ['amber', 'Action overdue: Action 3'],
      ['amber', 'Risk review overdue: Risk 2'],
    ]);
    expect(report.mainIssues[0]!.detail).toBe(
      '21.0% in 2024/25; trajectory 14.0%; target 12.0% by 2026-03-31; baseline 20.0% (2021/22); the change from baseline is statistically significant; the target date 2026-03-31 has passed; no value for it yet; ' +
        'actions: Action 1 (red, overdue, Lead 1); risks: Risk 1 (20); the owner\'s commentary (Smoking in pregnancy lead, 2026-11-20): "The stop-smoking service lost its midwife.". Ambition: Fewer smokers.',
    );
    expect(report.mainIssues[1]!.detail).toContain('the target date 2026-03-31 has passed and the value for 2025/26 had not reached the target; no open action is linked to this measure.');
    expect(report.mainIssues[2]!.detail).toContain('Due 2026-09-30 (overdue). Procurement paused.');
    expect(report.mainIssues[3]!.detail).toBe('Likelihood 5 × impact 4; target 12 after mitigation. Mitigations: Recruit two more advisers. Priority: Priority. Actions: Action 1 (red, overdue, Lead 1).');
    expect(report.mainIssues[4]!.detail).toBe('Likelihood 4 × impact 4. Mitigations: none recorded.');
    // Not significantly behind: not an exception.
    expect(report.mainIssues.map((i) => i.title).filter((t) => t.startsWith('Smoking in young adults'))).toEqual([]);
    expect(report.incompleteMeasures).toEqual([{ title: 'Vaping in young people', reasons: ['no baseline agreed', 'no target agreed'] }]);
  });

  it('draws conclusions and recommendations from the figures', () => {
    expect(report.conclusions[0]).toBe('1 measure of 5 with a baseline, target and recent value is on track or met; 1 measure significantly off track, 1 significantly worse than baseline and 1 past its target date without meeting it.');
    expect(report.conclusions[1]).toBe('1 measure is behind the trajectory on the value alone, but the change is not statistically significant: no recovery plan is asked for on this evidence.');
    expect(report.recommendations).toEqual([
      'Note progress against the Healthier Place Plan in Q3 2026/27.',
      'Challenge the leads of the 1 red action and agree what the board will do to unblock them.',
      'Ask the owners of the 3 measures significantly off track, significantly worse than baseline or past their target date for a recovery plan by the next meeting.',
      'Review the 2 critical or serious risks and confirm the mitigations are sufficient.',
      'Ask for revised dates for 2 overdue actions and reviews of 1 risk past their review date.',
      'Agree baselines and targets for the 1 incomplete measure.',
    ]);
  });

  it('has nothing to escalate when all is well', () => {
    const calm = buildBoardReport({ strategy: STRATEGY, quarter: Q, today: TODAY, measures: [MEASURES[0]!], actions: [action(2, 'green', '2027-03-31')], risks: [risk(9, 1, 2, '2027-01-01')], dataNote: 'd' });
    expect(calm.mainIssues).toEqual([]);
    expect(calm.recommendations).toEqual(['Note progress against the Healthier Place Plan in Q3 2026/27.']);
    // Only what there is: overdue actions without overdue risk reviews, and the other way round.
    const actionsOnly = buildBoardReport({ strategy: STRATEGY, quarter: Q, today: TODAY, measures: [], actions: [action(3, 'amber', '2026-10-31')], risks: [], dataNote: 'd' });
    expect(actionsOnly.recommendations[1]).toBe('Ask for revised dates for 1 overdue action.');
    const risksOnly = buildBoardReport({ strategy: STRATEGY, quarter: Q, today: TODAY, measures: [], actions: [], risks: [risk(2, 3, 3, '2026-11-01')], dataNote: 'd' });
    expect(risksOnly.recommendations[1]).toBe('Ask for reviews of 1 risk past their review date.');
    expect(renderBoardReportMarkdown(calm)).toContain('Nothing to report by exception this quarter.');
  });

  it('reports the changes made to the strategy in the quarter, and asks the board to confirm them', () => {
    const versions = [
      { version: 2, date: '2026-09-30', reason: 'Before the quarter', changes: ['"Smoking": owner set to "A".'] },
      { version: 3, date: '2026-11-20', reason: 'Agreed by the board', changes: ['"Smoking": target set to 11.5 by 2027-03-31.'] },
      { version: 4, date: '2027-01-01', reason: 'After the quarter', changes: ['"Smoking": note removed.'] },
      { version: 5, date: '2026-12-31', reason: null, changes: ['The strategy\'s title changed.'] },
    ];
    const r = buildBoardReport({ strategy: STRATEGY, quarter: Q, today: TODAY, measures: [], actions: [], risks: [], dataNote: 'd', versions });
    expect(r.planChanges.map((v) => v.version)).toEqual([3, 5]);
    expect(r.recommendations.at(-1)).toBe('Confirm the 2 changes to the strategy made in Q3 2026/27 (section 4).');
    expect(renderBoardReportMarkdown(r)).toContain('Changes to the strategy in Q3 2026/27:\n\n- **Version 3** (2026-11-20): Agreed by the board\n  - "Smoking": target set to 11.5 by 2027-03-31.\n- **Version 5** (2026-12-31)\n');
    expect(report.planChanges).toEqual([]);
  });

  it('renders the board paper template in Markdown', () => {
    const md = renderBoardReportMarkdown(report);
    expect(md.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## 1. Purpose', '## 2. Background', '## 3. Main issues', '## 4. Governance', '## 5. Conclusions', '## 6. Recommendations']);
    expect(md).toContain('# Healthier Place Plan: progress report, Q3 2026/27');
    expect(md).toContain('| RED | Smoking in pregnancy: worse than baseline |');
    expect(md).toContain('- Vaping in young people: no baseline agreed; no target agreed');
  });
});

describe('formatMeasureValue', () => {
  it.each([
    [12.345, '%', '12.3%'],
    [79.1, 'years', '79.1 years'],
    [1234.56, 'per 100,000', '1,234.6 per 100,000'],
    [null, '%', 'n/a'],
  ])('%s %s → %s', (value, unit, text) => {
    expect(formatMeasureValue(value, unit)).toBe(text);
  });
});
