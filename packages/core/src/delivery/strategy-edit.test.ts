import { describe, expect, it } from 'vitest';
import { describeTarget, editMeasure, strategyChanges, type MeasureEdit } from './strategy-edit.js';
import { parseStrategy, strategyMeasures, type IndicatorInfo, type Strategy } from './strategy.js';

const INDICATORS: IndicatorInfo[] = [
  { id: 'smoking', polarity: 'lower-is-better' },
  { id: 'prevalence', polarity: 'no-judgement' },
];

const PLAN: Strategy = parseStrategy(
  {
    id: 'plan',
    version: 3,
    title: 'A plan',
    board: 'A board',
    area: 'ics',
    period: { start: '2022-04-01', end: '2027-03-31' },
    description: 'What it is for.',
    priorities: [
      {
        id: 'p1',
        title: 'Priority one',
        ambitions: [
          {
            id: 'a1',
            title: 'Ambition one',
            measures: [
              { id: 'smoking', title: 'Smoking', source: { kind: 'indicator', indicatorId: 'smoking' }, owner: 'Tobacco lead' },
              { id: 'lonely', title: 'Loneliness', source: { kind: 'manual', unit: '%' }, polarity: 'lower-is-better', note: 'Baseline to be completed.' },
            ],
          },
        ],
      },
    ],
  },
  INDICATORS,
);

const edit = (over: Partial<MeasureEdit>): MeasureEdit => ({ strategyVersion: 3, baseline: null, target: null, polarity: null, owner: null, note: null, reason: 'Agreed by the board', ...over });
const measureOf = (s: Strategy, id: string) => strategyMeasures(s).find((x) => x.measure.id === id)!.measure;

describe('editMeasure', () => {
  it('makes the next version with the measure changed and says what changed', () => {
    const r = editMeasure(
      PLAN,
      'smoking',
      edit({ baseline: { kind: 'data', periodLabel: '2021/22' }, target: { kind: 'relative', change: -0.3, date: '2027-03-31' }, owner: 'Director of Public Health' }),
      INDICATORS,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.strategy.version).toBe(4);
    expect(measureOf(r.strategy, 'smoking')).toEqual({
      id: 'smoking',
      title: 'Smoking',
      source: { kind: 'indicator', indicatorId: 'smoking' },
      baseline: { kind: 'data', periodLabel: '2021/22' },
      target: { kind: 'relative', change: -0.3, date: '2027-03-31' },
      owner: 'Director of Public Health',
    });
    expect(measureOf(r.strategy, 'lonely')).toBe(measureOf(PLAN, 'lonely'));
    expect(r.changes).toEqual([
      '"Smoking": baseline set to the data for 2021/22.',
      '"Smoking": target set to −30% on the baseline by 2027-03-31.',
      '"Smoking": owner changed from "Tobacco lead" to "Director of Public Health".',
    ]);
  });

  it('null removes a field', () => {
    const r = editMeasure(PLAN, 'lonely', edit({ polarity: 'lower-is-better', baseline: { kind: 'stated', value: 24.1, date: '2023-03-31', label: '2022/23' } }), INDICATORS);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(measureOf(r.strategy, 'lonely').note).toBeUndefined();
    expect(r.changes).toEqual(['"Loneliness": baseline set to 24.1 in 2022/23 (2023-03-31).', '"Loneliness": note removed (was "Baseline to be completed.").']);
  });

  it.each<[string, string, Partial<MeasureEdit>, { field: string; message: string | RegExp }[]]>([
    ['a stale version', 'smoking', { strategyVersion: 2, owner: 'X' }, [{ field: 'strategyVersion', message: 'version 2 is not the current version (3): reload and edit again' }]],
    ['an unknown measure', 'nope', { owner: 'X' }, [{ field: 'measureId', message: "'nope' is not a measure of plan" }]],
    ['no change', 'smoking', { owner: 'Tobacco lead' }, [{ field: 'measure', message: 'nothing changed' }]],
    ['a manual measure without polarity', 'lonely', { note: 'x' }, [{ field: 'polarity', message: /needs a polarity/ }]],
    ['a data baseline for a manual measure', 'lonely', { polarity: 'lower-is-better', baseline: { kind: 'data', periodLabel: '2021/22' } }, [{ field: 'baseline', message: /no data periods/ }]],
    [
      'a target before the baseline',
      'lonely',
      { polarity: 'lower-is-better', baseline: { kind: 'stated', value: 24, date: '2024-03-31', label: '2023/24' }, target: { kind: 'absolute', value: 20, date: '2023-03-31' } },
      [{ field: 'target.date', message: 'must be after the baseline date (2024-03-31)' }],
    ],
  ])('refuses %s, naming the field', (_name, id, over, problems) => {
    const r = editMeasure(PLAN, id, edit(over), INDICATORS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual(problems.map((p) => ({ field: p.field, message: typeof p.message === 'string' ? p.message : expect.stringMatching(p.message) })));
  });
});

describe('strategyChanges', () => {
  it('describes added, removed and renamed parts', () => {
    const after: Strategy = {
      ...PLAN,
      version: 4,
      title: 'A better plan',
      priorities: [
        { ...PLAN.priorities[0]!, title: 'Priority 1', ambitions: [{ ...PLAN.priorities[0]!.ambitions[0]!, measures: [{ id: 'weight', title: 'Healthy weight', source: { kind: 'indicator', indicatorId: 'prevalence' }, polarity: 'higher-is-better' }] }] },
        { id: 'p2', title: 'Priority two', ambitions: [{ id: 'a2', title: 'Ambition two', measures: [] }] },
      ],
    };
    expect(strategyChanges(PLAN, after)).toEqual([
      "The strategy's title changed.",
      'The priority "Priority one" renamed "Priority 1".',
      'The priority "Priority two" added.',
      'The ambition "Ambition two" added.',
      'Measure "Healthy weight" added.',
      'Measure "Smoking" removed.',
      'Measure "Loneliness" removed.',
    ]);
    expect(strategyChanges(PLAN, PLAN)).toEqual([]);
  });

  it.each([
    [{ kind: 'absolute', value: 13, date: '2027-03-31' }, '13 by 2027-03-31'],
    [{ kind: 'relative', change: 0.05, date: '2027-03-31' }, '+5% on the baseline by 2027-03-31'],
    [undefined, 'none'],
  ] as const)('describes the target %j as %s', (target, text) => {
    expect(describeTarget(target)).toBe(text);
  });
});
