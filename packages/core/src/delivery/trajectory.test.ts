import { describe, expect, it } from 'vitest';
import { assessMeasure, resolveBaseline, resolveTarget, trajectoryAt, type MeasurePoint, type MeasureStatus } from './trajectory.js';
import type { StrategyMeasure } from './strategy.js';

const point = (date: string, value: number | null, label = date.slice(0, 4), ci?: [number, number]): MeasurePoint => ({ date, label, value, ...(ci ? { lower95: ci[0], upper95: ci[1] } : {}) });

describe('trajectoryAt', () => {
  const baseline = { value: 20, date: '2020-03-31', label: '2019/20' };
  const target = { value: 10, date: '2030-03-31' };
  it.each([
    ['2019-01-01', 20], // before the baseline: the baseline
    ['2020-03-31', 20],
    ['2025-03-31', 15], // 1826 of 3652 days (leap days 2024 and 2028): exactly half way
    ['2030-03-31', 10],
    ['2031-01-01', 10], // after the target date: the target
  ])('on %s is %d', (date, expected) => {
    expect(trajectoryAt(baseline, target, date)).toBeCloseTo(expected, 10);
  });
});

describe('resolveBaseline and resolveTarget', () => {
  const points = [point('2022-03-31', 18, '2021/22'), point('2023-03-31', null, '2022/23'), point('2024-03-31', 16, '2023/24')];
  it('takes a data baseline from the named period, or none when that period has no value', () => {
    const m = (periodLabel: string): StrategyMeasure => ({ id: 'm', title: 'Measure', source: { kind: 'indicator', indicatorId: 'x' }, baseline: { kind: 'data', periodLabel } });
    expect(resolveBaseline(m('2021/22'), points)).toEqual({ value: 18, date: '2022-03-31', label: '2021/22' });
    expect(resolveBaseline(m('2022/23'), points)).toBeNull();
    expect(resolveBaseline(m('1999/00'), points)).toBeNull();
  });
  it('applies a relative target to the baseline', () => {
    const m: StrategyMeasure = { id: 'm', title: 'Measure', source: { kind: 'manual', unit: 'n' }, target: { kind: 'relative', change: -0.05, date: '2024-03-31' } };
    expect(resolveTarget(m, { value: 8, date: '2020-01-01', label: 'b' })).toEqual({ value: 8 * 0.95, date: '2024-03-31' });
    expect(resolveTarget(m, null)).toBeNull();
  });
});

// Smoking, lower is better: baseline 20% on 2020-03-31, target 12% by 2024-03-31 (trajectory 2 points a year).
const SMOKING: StrategyMeasure = {
  id: 'smoking',
  title: 'Smoking prevalence',
  source: { kind: 'indicator', indicatorId: 'smoking-prevalence' },
  baseline: { kind: 'stated', value: 20, date: '2020-03-31', label: '2019/20' },
  target: { kind: 'absolute', value: 12, date: '2024-03-31' },
};
// Healthy weight, higher is better, same dates: baseline 40, target 48.
const WEIGHT: StrategyMeasure = { ...SMOKING, id: 'weight', baseline: { kind: 'stated', value: 40, date: '2020-03-31', label: '2019/20' }, target: { kind: 'absolute', value: 48, date: '2024-03-31' } };

describe('assessMeasure', () => {
  // measure, polarity, latest value on 2022-03-31 (half way: trajectory 16 for smoking, 44 for weight) → status
  it.each<[string, MeasureStatus, StrategyMeasure, 'higher-is-better' | 'lower-is-better', number]>([
    ['smoking at the target', 'met', SMOKING, 'lower-is-better', 12],
    ['smoking below the target', 'met', SMOKING, 'lower-is-better', 11],
    ['smoking exactly on the trajectory', 'on-track', SMOKING, 'lower-is-better', 16],
    ['smoking between trajectory and baseline', 'off-track', SMOKING, 'lower-is-better', 17],
    ['smoking back at the baseline', 'off-track', SMOKING, 'lower-is-better', 20],
    ['smoking worse than baseline', 'worsening', SMOKING, 'lower-is-better', 20.1],
    ['weight at the target', 'met', WEIGHT, 'higher-is-better', 48],
    ['weight on the trajectory', 'on-track', WEIGHT, 'higher-is-better', 44],
    ['weight between baseline and trajectory', 'off-track', WEIGHT, 'higher-is-better', 43],
    ['weight below baseline', 'worsening', WEIGHT, 'higher-is-better', 39],
  ])('%s → %s', (_name, status, measure, polarity, value) => {
    const a = assessMeasure(measure, polarity, [point('2021-03-31', null), point('2022-03-31', value)]);
    expect(a.status).toBe(status);
    expect(a.latest?.value).toBe(value);
    expect(a.expected).toBeCloseTo(measure === SMOKING ? 20 - 8 * (730 / 1461) : 40 + 8 * (730 / 1461), 10);
    expect(a.changeSinceBaseline).toBeCloseTo(value - (measure === SMOKING ? 20 : 40), 10);
    expect(a.rag).toBe({ met: 'green', 'on-track': 'green', 'off-track': 'amber', worsening: 'red', incomplete: 'grey' }[status]);
  });

  it('uses the latest period with a value, whatever the order given', () => {
    const a = assessMeasure(SMOKING, 'lower-is-better', [point('2023-03-31', 13), point('2024-03-31', null), point('2021-03-31', 25)]);
    expect(a.latest?.date).toBe('2023-03-31');
    expect(a.status).toBe('on-track'); // trajectory on 2023-03-31 is 14.0
  });

  it.each<[string, StrategyMeasure, MeasurePoint[], string[]]>([
    ['no baseline', { ...SMOKING, baseline: undefined } as StrategyMeasure, [point('2022-03-31', 15)], ['no baseline agreed']],
    ['no target', { ...SMOKING, target: undefined } as StrategyMeasure, [point('2022-03-31', 15)], ['no target agreed']],
    ['neither, and no values', { id: 'x', title: 'X', source: { kind: 'manual', unit: 'n' } }, [], ['no baseline agreed', 'no target agreed', 'no value yet']],
    ['only withheld values', SMOKING, [point('2022-03-31', null)], ['every value so far is withheld (small numbers) or not computable']],
    ['nothing since the baseline', SMOKING, [point('2019-03-31', 21)], ['no value since the baseline']],
    [
      'a data baseline period without a value',
      { ...SMOKING, baseline: { kind: 'data', periodLabel: '2020/21' } },
      [point('2021-03-31', null, '2020/21'), point('2022-03-31', 15, '2021/22')],
      ['the baseline period 2020/21 has no published value (withheld or not computable)'],
    ],
    ['a data baseline period the data does not have', { ...SMOKING, baseline: { kind: 'data', periodLabel: '2015/16' } }, [point('2022-03-31', 15, '2021/22')], ['no data for the baseline period 2015/16']],
  ])('is incomplete with %s, saying what is missing', (_name, measure, points, reasons) => {
    const a = assessMeasure(measure, 'lower-is-better', points);
    expect(a.status).toBe('incomplete');
    expect(a.rag).toBe('grey');
    expect(a.reasons).toEqual(reasons);
    expect(a.expected).toBeNull();
  });

  it('says whether the change from baseline is outside the 95% confidence interval', () => {
    expect(assessMeasure(SMOKING, 'lower-is-better', [point('2022-03-31', 17, '21/22', [16, 18])]).significantChange).toBe(true);
    expect(assessMeasure(SMOKING, 'lower-is-better', [point('2022-03-31', 19, '21/22', [17.5, 20.5])]).significantChange).toBe(false);
    expect(assessMeasure(SMOKING, 'lower-is-better', [point('2022-03-31', 19)]).significantChange).toBeNull();
  });
});
