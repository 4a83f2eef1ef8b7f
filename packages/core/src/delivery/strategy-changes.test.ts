import { describe, expect, it } from 'vitest';
import { applyStrategyChange, newStrategy, type StrategyChange, type StrategyChangeContext } from './strategy-changes.js';
import { parseStrategy, strategyMeasures, type IndicatorInfo, type Strategy } from './strategy.js';

const INDICATORS: IndicatorInfo[] = [
  { id: 'smoking', polarity: 'lower-is-better' },
  { id: 'prevalence', polarity: 'no-judgement' },
];

const PLAN: Strategy = parseStrategy(
  {
    id: 'plan',
    version: 2,
    title: 'A plan',
    board: 'A board',
    area: 'ics',
    period: { start: '2022-04-01', end: '2027-03-31' },
    description: 'What it is for.',
    priorities: [
      {
        id: 'well',
        title: 'Living well',
        ambitions: [
          { id: 'smoke-free', title: 'Smoke free', measures: [{ id: 'smoking', title: 'Smoking', source: { kind: 'indicator', indicatorId: 'smoking' } }] },
          { id: 'connected', title: 'Connected', description: 'Less loneliness.', measures: [] },
        ],
      },
      { id: 'ageing', title: 'Ageing well', ambitions: [{ id: 'frailty', title: 'Less frailty', measures: [] }] },
    ],
  },
  INDICATORS,
);

const CTX: StrategyChangeContext = {
  indicators: INDICATORS,
  actionsUnder: (id) => (id === 'smoke-free' ? ['Stop smoking service', 'Smokefree pregnancy'] : []),
  namingPriority: (id) => (id === 'well' ? ['Stop smoking service', 'Smokefree pregnancy', 'Risk: quit services lose funding', 'Risk: fewer pharmacies'] : []),
};
const apply = (change: StrategyChange, strategyVersion = 2) => applyStrategyChange(PLAN, { strategyVersion, reason: 'Agreed by the board', change }, CTX);
const ambitionsOf = (s: Strategy) => s.priorities.map((p) => p.ambitions.map((a) => `${a.id}:${a.measures.map((m) => m.id).join('+')}`));

describe('applyStrategyChange', () => {
  it.each<[string, StrategyChange, string[][], string[]]>([
    [
      'adds a measure to an ambition',
      { kind: 'add-measure', ambitionId: 'connected', measure: { id: 'lonely', title: 'Lonely adults', source: { kind: 'manual', unit: '%' }, polarity: 'lower-is-better' } },
      [['smoke-free:smoking', 'connected:lonely'], ['frailty:']],
      ['Measure "Lonely adults" added.'],
    ],
    ['removes a measure', { kind: 'remove-measure', measureId: 'smoking' }, [['smoke-free:', 'connected:'], ['frailty:']], ['Measure "Smoking" removed.']],
    ['adds an ambition', { kind: 'add-ambition', priorityId: 'ageing', ambition: { id: 'falls', title: 'Fewer falls' } }, [['smoke-free:smoking', 'connected:'], ['frailty:', 'falls:']], ['The ambition "Fewer falls" added.']],
    [
      'renames an ambition and drops its description',
      { kind: 'edit-ambition', ambitionId: 'connected', title: 'Connected communities', description: null },
      [['smoke-free:smoking', 'connected:'], ['frailty:']],
      ['The ambition "Connected" renamed "Connected communities".', 'The ambition "Connected communities": description removed.'],
    ],
    ['removes an ambition no action is placed under', { kind: 'remove-ambition', ambitionId: 'connected' }, [['smoke-free:smoking'], ['frailty:']], ['The ambition "Connected" removed.']],
  ])('%s: the next version, and what changed in words', (_name, change, shape, changes) => {
    const r = apply(change);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.strategy.version).toBe(3);
    expect(ambitionsOf(r.strategy)).toEqual(shape);
    expect(r.changes).toEqual(changes);
  });

  it.each<[string, StrategyChange, { field: string; message: string | RegExp }]>([
    ['a measure whose indicator is unknown', { kind: 'add-measure', ambitionId: 'connected', measure: { id: 'x', title: 'X measure', source: { kind: 'indicator', indicatorId: 'nope' } } }, { field: 'change.measure.source.indicatorId', message: /unknown indicator 'nope'/ }],
    ['a measure id already used', { kind: 'add-measure', ambitionId: 'connected', measure: { id: 'smoking', title: 'Smoking again', source: { kind: 'indicator', indicatorId: 'smoking' } } }, { field: 'change.measure.id', message: "'smoking' is used twice" }],
    ['a measure without the polarity its indicator lacks', { kind: 'add-measure', ambitionId: 'connected', measure: { id: 'p', title: 'Prevalence', source: { kind: 'indicator', indicatorId: 'prevalence' } } }, { field: 'change.measure.polarity', message: /has no polarity/ }],
    ['a measure under an unknown ambition', { kind: 'add-measure', ambitionId: 'nope', measure: { id: 'p', title: 'Smoking', source: { kind: 'indicator', indicatorId: 'smoking' } } }, { field: 'change.ambitionId', message: "'nope' is not an ambition of this strategy" }],
    ['an unknown measure', { kind: 'remove-measure', measureId: 'nope' }, { field: 'change.measureId', message: "'nope' is not a measure of this strategy" }],
    ['an ambition id already used', { kind: 'add-ambition', priorityId: 'ageing', ambition: { id: 'connected', title: 'Again' } }, { field: 'change.ambition.id', message: "'connected' is used twice" }],
    ['an ambition under an unknown priority', { kind: 'add-ambition', priorityId: 'nope', ambition: { id: 'x', title: 'Something' } }, { field: 'change.priorityId', message: "'nope' is not a priority of this strategy" }],
    ['removing an ambition actions are placed under', { kind: 'remove-ambition', ambitionId: 'smoke-free' }, { field: 'change.ambitionId', message: '2 actions are placed under this ambition ("Stop smoking service", "Smokefree pregnancy"): move them first' }],
    ['removing the only ambition of a priority', { kind: 'remove-ambition', ambitionId: 'frailty' }, { field: 'change.ambitionId', message: 'it is the only ambition of the priority "Ageing well"' }],
    ['a rename that changes nothing', { kind: 'edit-ambition', ambitionId: 'connected', title: 'Connected', description: 'Less loneliness.' }, { field: 'change', message: 'nothing changed' }],
  ])('refuses %s, naming the field', (_name, change, problem) => {
    const r = apply(change);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([{ field: problem.field, message: typeof problem.message === 'string' ? problem.message : expect.stringMatching(problem.message) }]);
  });

  it('refuses a stale version', () => {
    const r = apply({ kind: 'remove-measure', measureId: 'smoking' }, 1);
    expect(r).toEqual({ ok: false, problems: [{ field: 'strategyVersion', message: 'version 1 is not the current version (2): reload and change it again' }] });
    expect(strategyMeasures(PLAN)).toHaveLength(1); // untouched
  });
});

describe('priorities', () => {
  it('adds a priority with its first ambition, and renames one', () => {
    const added = apply({ kind: 'add-priority', priority: { id: 'start', title: 'Starting well', ambition: { id: 'school-ready', title: 'Ready for school', description: 'Good development at 5.' } } });
    if (!added.ok) throw new Error(JSON.stringify(added.problems));
    expect(ambitionsOf(added.strategy)).toEqual([['smoke-free:smoking', 'connected:'], ['frailty:'], ['school-ready:']]);
    expect(added.changes).toEqual(['The priority "Starting well" added.', 'The ambition "Ready for school" added.']);
    const renamed = apply({ kind: 'edit-priority', priorityId: 'ageing', title: 'Ageing well at home' });
    expect(renamed.ok && renamed.changes).toEqual(['The priority "Ageing well" renamed "Ageing well at home".']);
    const removed = apply({ kind: 'remove-priority', priorityId: 'ageing' });
    expect(removed.ok && [ambitionsOf(removed.strategy), removed.changes]).toEqual([[['smoke-free:smoking', 'connected:']], ['The priority "Ageing well" removed.', 'The ambition "Less frailty" removed.']]);
  });

  it("changes the strategy's title, board, description and period", () => {
    const r = apply({ kind: 'edit-details', title: 'A plan for 2022-2030', board: 'A board', description: 'What it is for.', period: { start: '2022-04-01', end: '2030-03-31' } });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect([r.strategy.title, r.strategy.period, r.strategy.area, r.strategy.version]).toEqual(['A plan for 2022-2030', { start: '2022-04-01', end: '2030-03-31' }, 'ics', 3]);
    expect(r.changes).toEqual(["The strategy's title changed.", "The strategy's period changed from 2022-04-01 – 2027-03-31 to 2022-04-01 – 2030-03-31."]);
  });

  it.each<[string, StrategyChange, { field: string; message: string }]>([
    ['a priority id already used', { kind: 'add-priority', priority: { id: 'well', title: 'Again', ambition: { id: 'new-one', title: 'New one' } } }, { field: 'change.priority.id', message: "'well' is used twice" }],
    ['a first ambition whose id is used', { kind: 'add-priority', priority: { id: 'new', title: 'New', ambition: { id: 'frailty', title: 'Frailty again' } } }, { field: 'change.priority.ambitions.0.id', message: "'frailty' is used twice" }],
    ['renaming an unknown priority', { kind: 'edit-priority', priorityId: 'nope', title: 'Something' }, { field: 'change.priorityId', message: "'nope' is not a priority of this strategy" }],
    ['removing a priority actions or risks name', { kind: 'remove-priority', priorityId: 'well' }, { field: 'change.priorityId', message: '4 actions or risks name this priority ("Stop smoking service", "Smokefree pregnancy", "Risk: quit services lose funding", …): move them first' }],
    ['removing an unknown priority', { kind: 'remove-priority', priorityId: 'nope' }, { field: 'change.priorityId', message: "'nope' is not a priority of this strategy" }],
    ['details whose period ends before it starts', { kind: 'edit-details', title: 'A plan', board: 'A board', description: 'What it is for.', period: { start: '2022-04-01', end: '2021-03-31' } }, { field: 'change.period.end', message: 'must be after period.start (2022-04-01)' }],
    ['details that change nothing', { kind: 'edit-details', title: 'A plan', board: 'A board', description: 'What it is for.', period: { start: '2022-04-01', end: '2027-03-31' } }, { field: 'change', message: 'nothing changed' }],
    ['a rename that changes nothing', { kind: 'edit-priority', priorityId: 'well', title: 'Living well' }, { field: 'change', message: 'nothing changed' }],
  ])('refuses %s, naming the field', (_name, change, problem) => {
    expect(apply(change)).toEqual({ ok: false, problems: [problem] });
  });
});

describe('newStrategy', () => {
  const board = {
    id: 'leeds-hwb',
    title: 'Healthy Leeds',
    board: 'Leeds Health and Wellbeing Board',
    area: 'place:leeds',
    period: { start: '2026-04-01', end: '2030-03-31' },
    description: "Leeds' joint local health and wellbeing strategy.",
    priorities: [{ id: 'start', title: 'Starting well', ambitions: [{ id: 'school-ready', title: 'Ready for school', measures: [] }] }],
  };

  it('makes version 1 of a valid definition (a version sent is ignored)', () => {
    const r = newStrategy({ reason: 'Agreed by the board', strategy: { ...board, version: 7 } }, INDICATORS);
    expect(r).toEqual({ ok: true, strategy: { ...board, version: 1 }, changes: ['First version.'] });
  });

  it('names every bad field from the request', () => {
    const r = newStrategy({ reason: 'Agreed', strategy: { ...board, id: 'Leeds HWB', area: 'place:nowhere', period: { start: '2026-04-01', end: '2026-13-01' }, priorities: [{ id: 'start', title: 'Starting well', ambitions: [] }] } }, INDICATORS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field).sort()).toEqual(['strategy.area', 'strategy.id', 'strategy.period.end', 'strategy.priorities.0.ambitions']);
    const empty = newStrategy({ reason: 'Agreed', strategy: {} }, INDICATORS);
    expect(!empty.ok && empty.problems.map((p) => p.field)).toEqual(['strategy.id', 'strategy.title', 'strategy.board', 'strategy.area', 'strategy.period', 'strategy.description', 'strategy.priorities']);
  });
});
