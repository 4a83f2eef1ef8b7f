import { describe, expect, it } from 'vitest';
import { assessMeasure, resolveBaseline, resolveTarget, STATUS_RAG, trajectoryAt, type MeasurePoint, type MeasureStatus } from './trajectory.js';
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

/** "Today" for the assessments: before the target date (2024-03-31), so no target is missed. */
const TODAY = '2023-06-30';

describe('assessMeasure', () => {
  // measure, polarity, latest value on 2022-03-31 (half way: trajectory 16 for smoking, 44 for weight) → status.
  // No confidence interval: judged on the value alone (and it says so).
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
    const a = assessMeasure(measure, polarity, [point('2021-03-31', null), point('2022-03-31', value)], TODAY);
    expect(a.status).toBe(status);
    expect(a.reasons).toEqual(status === 'off-track' || status === 'worsening' ? ['no confidence interval: judged on the value alone'] : []);
    expect(a.latest?.value).toBe(value);
    expect(a.expected).toBeCloseTo(measure === SMOKING ? 20 - 8 * (730 / 1461) : 40 + 8 * (730 / 1461), 10);
    expect(a.changeSinceBaseline).toBeCloseTo(value - (measure === SMOKING ? 20 : 40), 10);
    const rag: Record<MeasureStatus, string> = { met: 'green', 'on-track': 'green', 'no-significant-change': 'grey', 'off-track': 'amber', worsening: 'red', missed: 'red', incomplete: 'grey' };
    expect(a.rag).toBe(rag[status]);
  });

  // With a 95% interval, behind the trajectory (16 for smoking on 2022-03-31, 44 for weight) is judged by significance.
  it.each<[string, MeasureStatus, StrategyMeasure, 'higher-is-better' | 'lower-is-better', number, [number, number], string[]]>([
    ['smoking worse than baseline, significantly', 'worsening', SMOKING, 'lower-is-better', 21, [20.5, 21.5], []],
    ['smoking worse than baseline on the value only, significantly behind the trajectory', 'off-track', SMOKING, 'lower-is-better', 20.5, [19, 22], ['worse than the baseline on the value, but not significantly']],
    ['smoking behind the trajectory, significantly', 'off-track', SMOKING, 'lower-is-better', 18, [17, 19], []],
    ['smoking behind, but its interval reaches the trajectory and the baseline', 'no-significant-change', SMOKING, 'lower-is-better', 18, [15.5, 20.5],
      ['behind the trajectory on the value, but its 95% confidence interval includes both the trajectory and the baseline']],
    ['smoking worse than baseline on the value, but its interval reaches the trajectory', 'no-significant-change', SMOKING, 'lower-is-better', 21, [15, 27],
      ['behind the trajectory on the value, but its 95% confidence interval includes both the trajectory and the baseline']],
    ['smoking on the trajectory (an interval changes nothing)', 'on-track', SMOKING, 'lower-is-better', 15.9, [10, 22], []],
    ['smoking behind on the value, not significantly, and significantly better than baseline', 'on-track', SMOKING, 'lower-is-better', 17, [15, 19],
      ['behind the trajectory on the value, but not significantly; significantly better than the baseline']],
    ['weight below baseline, significantly', 'worsening', WEIGHT, 'higher-is-better', 38, [37, 39.5], []],
    ['weight behind the trajectory, not significantly', 'no-significant-change', WEIGHT, 'higher-is-better', 43, [39, 47],
      ['behind the trajectory on the value, but its 95% confidence interval includes both the trajectory and the baseline']],
  ])('%s → %s', (_name, status, measure, polarity, value, ci, reasons) => {
    const a = assessMeasure(measure, polarity, [point('2022-03-31', value, '2021/22', ci)], TODAY);
    expect(a.status).toBe(status);
    expect(a.rag).toBe(STATUS_RAG[status]);
    expect(a.reasons).toEqual(reasons);
  });

  it('marks a target missed once its date has passed with a value for it that did not reach it; not before, and not without that value', () => {
    const points = [point('2023-03-31', 14, '2022/23', [13.5, 14.5]), point('2024-03-31', 13, '2023/24', [12.5, 13.5])];
    const missed = assessMeasure(SMOKING, 'lower-is-better', points, '2024-04-01');
    expect([missed.status, missed.rag]).toEqual(['missed', 'red']);
    expect(missed.reasons).toEqual(['the target date 2024-03-31 has passed and the value for 2023/24 had not reached the target']);
    // On the target date itself the date has not passed yet: judged against the trajectory (at the target, 12).
    expect(assessMeasure(SMOKING, 'lower-is-better', points, '2024-03-31').status).toBe('off-track');
    // Met on time stays met after the date.
    expect(assessMeasure(SMOKING, 'lower-is-better', [point('2024-03-31', 11.9, '2023/24', [11, 12.8])], '2025-01-01').status).toBe('met');
    // The date has passed but the latest value is from before it: not judged missed yet, and it says why.
    const waiting = assessMeasure(SMOKING, 'lower-is-better', [point('2023-03-31', 14, '2022/23', [13.5, 14.5])], '2024-06-30');
    expect(waiting.status).toBe('on-track');
    expect(waiting.reasons).toEqual(['the target date 2024-03-31 has passed; no value for it yet']);
  });

  it('uses the latest period with a value, whatever the order given', () => {
    const a = assessMeasure(SMOKING, 'lower-is-better', [point('2023-03-31', 13), point('2024-03-31', null), point('2021-03-31', 25)], TODAY);
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
    const a = assessMeasure(measure, 'lower-is-better', points, TODAY);
    expect(a.status).toBe('incomplete');
    expect(a.rag).toBe('grey');
    expect(a.reasons).toEqual(reasons);
    expect(a.expected).toBeNull();
  });

  it('says whether the change from baseline is outside the 95% confidence interval', () => {
    expect(assessMeasure(SMOKING, 'lower-is-better', [point('2022-03-31', 17, '21/22', [16, 18])], TODAY).significantChange).toBe(true);
    expect(assessMeasure(SMOKING, 'lower-is-better', [point('2022-03-31', 19, '21/22', [17.5, 20.5])], TODAY).significantChange).toBe(false);
    expect(assessMeasure(SMOKING, 'lower-is-better', [point('2022-03-31', 19)], TODAY).significantChange).toBeNull();
  });
});
