import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INDICATOR_CATALOGUE } from '../indicators/catalogue.js';
import { measureArea, measurePolarity, parseStrategy, parseStrategyFile, strategyMeasures, strategyProblems, type IndicatorInfo } from './strategy.js';

const PLANS = fileURLToPath(new URL('../../../../plans/', import.meta.url));

const INDICATORS: IndicatorInfo[] = [
  { id: 'smoking', polarity: 'lower-is-better' },
  { id: 'prevalence', polarity: 'no-judgement' },
  { id: 'le', polarity: 'higher-is-better', breakdowns: ['ics', 'place', 'imd-decile'] },
  { id: 'ics-only', polarity: 'higher-is-better', breakdowns: ['ics'] },
];

const measure = (m: object) => ({ id: 'm1', title: 'A measure', ...m });
const strategy = (measures: object[], extra: object = {}) => ({
  id: 'plan',
  version: 1,
  title: 'A plan',
  board: 'A board',
  area: 'ics',
  period: { start: '2022-04-01', end: '2027-03-31' },
  description: 'What it is for.',
  priorities: [{ id: 'p1', title: 'Priority one', ambitions: [{ id: 'a1', title: 'Ambition one', measures }] }],
  ...extra,
});

describe('parseStrategy', () => {
  it('accepts measures without a baseline or target (shown as incomplete)', () => {
    const s = parseStrategy(strategy([measure({ source: { kind: 'indicator', indicatorId: 'smoking' } })]), INDICATORS);
    expect(strategyMeasures(s).map((x) => [x.priority.id, x.ambition.id, x.measure.id])).toEqual([['p1', 'a1', 'm1']]);
    expect(measurePolarity(s.priorities[0]!.ambitions[0]!.measures[0]!, INDICATORS)).toBe('lower-is-better');
  });

  it.each<[string, object, RegExp]>([
    ['an unknown indicator', strategy([measure({ source: { kind: 'indicator', indicatorId: 'nope' } })]), /plan\.json: priorities\.0\.ambitions\.0\.measures\.0\.source\.indicatorId: unknown indicator 'nope'/],
    ['a manual measure without polarity', strategy([measure({ source: { kind: 'manual', unit: 'referrals' } })]), /measures\.0\.polarity: a manual measure needs a polarity/],
    ['a manual measure with a data baseline', strategy([measure({ source: { kind: 'manual', unit: 'n' }, polarity: 'higher-is-better', baseline: { kind: 'data', periodLabel: '2021/22' } })]), /measures\.0\.baseline: a manual measure has no data periods/],
    ['an indicator without polarity, none given', strategy([measure({ source: { kind: 'indicator', indicatorId: 'prevalence' } })]), /measures\.0\.polarity: indicator 'prevalence' has no polarity/],
    ['an inequality said to be higher-is-better', strategy([measure({ source: { kind: 'inequality', indicatorId: 'le', statistic: 'gap' }, polarity: 'higher-is-better' })]), /measures\.0\.polarity: the size of an inequality is lower-is-better/],
    ['an inequality of an indicator without deciles', strategy([measure({ source: { kind: 'inequality', indicatorId: 'ics-only', statistic: 'sii' } })]), /measures\.0\.source: indicator 'ics-only' has no IMD decile breakdown/],
    ['a place measure of an ICS-only indicator', strategy([measure({ source: { kind: 'indicator', indicatorId: 'ics-only' }, area: 'place:leeds' })]), /measures\.0\.area: indicator 'ics-only' is not published by place/],
    ['a place strategy over an ICS-only indicator', strategy([measure({ source: { kind: 'indicator', indicatorId: 'ics-only' } })], { area: 'place:kirklees' }), /measures\.0\.area: indicator 'ics-only' is not published by place/],
    ['a measure id used twice', strategy([measure({ source: { kind: 'indicator', indicatorId: 'smoking' } }), measure({ source: { kind: 'indicator', indicatorId: 'smoking' } })]), /measures\.1\.id: 'm1' is used twice/],
    ['fewer referrals as the aim', strategy([measure({ source: { kind: 'social-prescribing' }, polarity: 'lower-is-better' })]), /measures\.0\.polarity: more social prescribing referrals is the aim/],
    ['an unknown area', strategy([], { area: 'place:york' }), /plan\.json: area: /],
    ['a period ending before it starts', strategy([], { period: { start: '2027-04-01', end: '2022-03-31' } }), /period\.end: must be after period\.start/],
    ['a target date that is not a date', strategy([measure({ source: { kind: 'indicator', indicatorId: 'smoking' }, target: { kind: 'absolute', value: 1, date: '2025-02-30' } })]), /measures\.0\.target\.date: not a calendar date/],
    ['an unknown field', strategy([measure({ source: { kind: 'indicator', indicatorId: 'smoking' }, goal: 3 })]), /measures\.0: Unrecognized key/],
    [
      'a target before its stated baseline',
      strategy([measure({ source: { kind: 'indicator', indicatorId: 'smoking' }, baseline: { kind: 'stated', value: 18.6, date: '2016-03-31', label: '2015/16' }, target: { kind: 'absolute', value: 13, date: '2016-03-31' } })]),
      /measures\.0\.target\.date: must be after the baseline date \(2016-03-31\)/,
    ],
  ])('rejects %s, naming the file and field', (_name, input, message) => {
    expect(() => parseStrategy(input, INDICATORS, 'plan.json')).toThrow(message);
  });

  it('lists every problem, not only the first', () => {
    const input = strategy([measure({ source: { kind: 'manual', unit: 'n' } }), measure({ id: 'm2', source: { kind: 'indicator', indicatorId: 'nope' } })]);
    expect(strategyProblems(input, INDICATORS)).toEqual([
      { path: 'priorities.0.ambitions.0.measures.0.polarity', message: 'a manual measure needs a polarity (higher-is-better or lower-is-better)' },
      { path: 'priorities.0.ambitions.0.measures.1.source.indicatorId', message: "unknown indicator 'nope' (see phm indicators list)" },
    ]);
    expect(strategyProblems(strategy([measure({ source: { kind: 'indicator', indicatorId: 'smoking' } })]), INDICATORS)).toEqual([]);
  });

  it('judges social prescribing referrals higher-is-better without being told', () => {
    const s = parseStrategy(strategy([measure({ source: { kind: 'social-prescribing' } })]), INDICATORS);
    expect(measurePolarity(s.priorities[0]!.ambitions[0]!.measures[0]!, INDICATORS)).toBe('higher-is-better');
  });

  it('defaults a measure to the strategy area', () => {
    const s = parseStrategy(strategy([measure({ source: { kind: 'indicator', indicatorId: 'le' } }), measure({ id: 'm2', source: { kind: 'indicator', indicatorId: 'le' }, area: 'ics' })], { area: 'place:kirklees' }), INDICATORS);
    const [a, b] = strategyMeasures(s).map((x) => measureArea(s, x.measure));
    expect([a, b]).toEqual(['place:kirklees', 'ics']);
  });

  it('every plan in plans/ is valid against the indicator catalogue', () => {
    const files = readdirSync(PLANS).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(parseStrategyFile(readFileSync(`${PLANS}${f}`, 'utf8'), `plans/${f}`, INDICATOR_CATALOGUE).id).toBe(f.replace(/\.json$/, ''));
  });

  it('reads a plan file: JSON, valid, and named after its id', () => {
    const text = JSON.stringify(strategy([measure({ source: { kind: 'indicator', indicatorId: 'smoking' } })]));
    expect(parseStrategyFile(text, 'plans/plan.json', INDICATORS).id).toBe('plan');
    expect(() => parseStrategyFile(text, 'plans/other.json', INDICATORS)).toThrow('plans/other.json: the file name must be the strategy id (plan.json)');
    expect(() => parseStrategyFile('{ "id": ', 'plans/plan.json', INDICATORS)).toThrow(/^plans\/plan\.json: not valid JSON/);
  });
});
