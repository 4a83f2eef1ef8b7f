/**
 * The indicator spec suite: hand-made people and events with the counts every engine must return.
 * Each spec states one rule of docs/indicator-semantics.md; the comments give the arithmetic.
 *
 * Unless a spec says otherwise the period is the financial year 2023/24:
 *   start 2023-04-01, end 2024-04-01 (exclusive), last day L = 2024-03-31, midpoint M = 2023-10-01,
 *   periodYears = 366 / 365.25 (Y below).
 */
import {
  CONDITIONS,
  OBSERVATION_CODES,
  ESP2013_LIFE_TABLE,
  financialYearPeriod,
  parseIndicatorDefinition,
  periodYears,
  type AggregateCell,
  type Breakdown,
  type IndicatorDefinition,
  type Measure,
  type Period,
  type PersonPredicate,
  type PersonScope,
} from '@openphm/core';
import { CALDER_1, CALDER_2, LEEDS_1, LEEDS_2, OUTSIDE, specInput, type SpecInput } from './input.js';

export interface SpecCase {
  readonly name: string;
  readonly definition: IndicatorDefinition;
  readonly period: Period;
  readonly breakdown: Breakdown;
  /** The cells the engine must return (in any order; denominators compared to 1e-9). */
  readonly expected: readonly AggregateCell[];
}

export interface Spec {
  readonly name: string;
  readonly input: SpecInput;
  readonly cases: readonly SpecCase[];
}

/** A valid definition around a measure (the metadata does not matter to engines). */
export const indicator = (measure: Measure, id = 'spec-indicator'): IndicatorDefinition =>
  parseIndicatorDefinition(
    {
      id,
      version: 1,
      title: 'Spec indicator',
      definition: 'An indicator defined by the spec suite.',
      numeratorText: 'Numerator',
      denominatorText: 'Denominator',
      unit: measure.kind === 'life-expectancy' ? 'years' : '%',
      multiplier: measure.kind === 'life-expectancy' ? 1 : 100,
      polarity: 'no-judgement',
      dataSource: 'Spec data',
      periodYears: 1,
      ...(measure.kind === 'event-rate' && measure.standardisation === 'esp2013' ? { standardPopulation: 'ESP2013' } : {}),
      themes: ['spec'],
      measure,
    },
    `spec indicator ${id}`,
  );

/** A cell: group, numerator, denominator[, age band]. */
const c = (group: string, numerator: number, denominator: number, ageBand?: string): AggregateCell =>
  ageBand === undefined ? { group, numerator, denominator } : { group, ageBand, numerator, denominator };

const FY = financialYearPeriod(2023);
const Y = periodYears(FY);

const code = (condition: keyof typeof CONDITIONS, i = 0): string => CONDITIONS[condition].codes[i]!.code;
const HYPERTENSION = code('hypertension');
const HYPERTENSION_ESSENTIAL = code('hypertension', 1);
const DIABETES = code('diabetes');
const ASTHMA = code('asthma');
const DEMENTIA_ALZHEIMER = code('dementia', 1);
const CURRENT = OBSERVATION_CODES.currentSmoker.code; // '77176002'
const EX = OBSERVATION_CODES.exSmoker.code; // '8517006'
const NEVER = OBSERVATION_CODES.neverSmoked.code; // '266919005'
const SMOKING = [CURRENT, EX, NEVER];
const BMI = OBSERVATION_CODES.bmi.code;
const CARER = OBSERVATION_CODES.carer.code;

const proportion = (numerator: PersonPredicate, population: PersonScope = {}) =>
  indicator({ kind: 'person-proportion', population, numerator });

const cases = (definition: IndicatorDefinition, list: readonly (readonly [name: string, breakdown: Breakdown, expected: readonly AggregateCell[], period?: Period])[]): SpecCase[] =>
  list.map(([name, breakdown, expected, period]) => ({ name, definition, breakdown, expected, period: period ?? FY }));

// ---------------------------------------------------------------------------------------------

const ages: Spec = {
  name: 'person-proportion: age and residence on the last day of the period',
  input: specInput({
    people: [
      [1, 'F', '2006-03-31', LEEDS_1], // 18th birthday on L: 18
      [2, 'M', '2006-04-01', LEEDS_1], // 18th birthday the day after L: 17
      [3, 'F', '2024-03-31', LEEDS_1], // born on L: age 0, counted
      [4, 'M', '2024-04-01', LEEDS_1], // born after L: not counted
      [5, 'F', '1950-01-01', LEEDS_1], // died on L: not counted
      [6, 'M', '1950-01-01', LEEDS_1], // died the day after L: counted (74)
      [7, 'F', '1950-01-01', LEEDS_1], // died during the period: not counted
      [8, 'M', '1950-01-01', OUTSIDE], // lives outside the partnership
      [9, 'F', '1939-03-31', LEEDS_1], // 85 on L
      [10, 'M', '1939-04-01', LEEDS_1], // 84 on L
    ],
    deaths: [
      [5, '2024-03-31'],
      [6, '2024-04-01'],
      [7, '2023-06-01'],
    ],
    clinical: [
      [1, '2024-03-31', HYPERTENSION], // on L: counts
      [2, '2024-04-01', HYPERTENSION], // after L: does not
      [6, '2010-01-01', HYPERTENSION],
      [8, '2020-01-01', HYPERTENSION],
    ],
  }),
  cases: cases(proportion({ kind: 'has-code', codes: [HYPERTENSION] }), [
    ['whole partnership', 'ics', [c('ICS', 2, 6)]],
    ['by age band (age on L)', 'age-band', [c('0-17', 0, 2), c('18-34', 1, 1), c('65-74', 1, 1), c('75-84', 0, 1), c('85+', 0, 1)]],
  ]),
};

const leapDay: Spec = {
  name: 'person-proportion: birthdays on 29 February',
  input: specInput({
    people: [
      [1, 'F', '2004-02-29', LEEDS_1], // 18 on 1 March 2022 (no 29 February that year)
      [2, 'M', '2004-03-01', LEEDS_1], // 18 on 1 March 2022
      [3, 'F', '2004-02-28', LEEDS_1], // 18 on 28 February 2022
    ],
  }),
  cases: cases(indicator({ kind: 'person-proportion', population: { minAge: 18 }, numerator: { kind: 'not', predicate: { kind: 'has-code', codes: [CARER] } } }), [
    ['adults on 28 February 2022: only person 3', 'ics', [c('ICS', 1, 1)], { start: '2021-03-01', end: '2022-03-01', label: 'to 28 Feb 2022' }],
    ['adults on 1 March 2022: all three', 'ics', [c('ICS', 3, 3)], { start: '2021-03-02', end: '2022-03-02', label: 'to 1 Mar 2022' }],
  ]),
};

const registers: Spec = {
  name: 'person predicates: on-register and conditions-at-least',
  input: specInput({
    people: [
      [1, 'F', '1960-01-01', LEEDS_1],
      [2, 'M', '1960-01-01', LEEDS_1],
      [3, 'F', '1960-01-01', LEEDS_1],
      [4, 'M', '1960-01-01', LEEDS_1],
      [5, 'F', '1960-01-01', LEEDS_1],
    ],
    clinical: [
      [1, '2020-01-01', HYPERTENSION],
      [1, '2021-01-01', DIABETES],
      [1, '2024-03-31', ASTHMA], // three registers on L
      [2, '2020-01-01', HYPERTENSION],
      [2, '2021-01-01', DIABETES],
      [2, '2024-04-01', ASTHMA], // after L: two registers
      [3, '2020-01-01', HYPERTENSION],
      [3, '2020-02-01', HYPERTENSION_ESSENTIAL], // a second code of the same condition
      [3, '2021-01-01', DIABETES], // two registers
      [5, '2022-01-01', DEMENTIA_ALZHEIMER], // any code of the codelist
    ],
  }),
  cases: [
    ...cases(proportion({ kind: 'on-register', condition: 'hypertension' }), [['on the hypertension register: 1, 2, 3', 'ics', [c('ICS', 3, 5)]]]),
    ...cases(proportion({ kind: 'on-register', condition: 'dementia' }), [['on the dementia register by its second code: 5', 'ics', [c('ICS', 1, 5)]]]),
    ...cases(proportion({ kind: 'conditions-at-least', count: 3 }), [['3+ of all conditions: 1', 'ics', [c('ICS', 1, 5)]]]),
    ...cases(proportion({ kind: 'conditions-at-least', count: 2, conditions: ['hypertension', 'diabetes'] }), [['2 of hypertension, diabetes: 1, 2, 3', 'ics', [c('ICS', 3, 5)]]]),
    ...cases(proportion({ kind: 'conditions-at-least', count: 1, conditions: ['asthma', 'dementia'] }), [['1 of asthma, dementia: 1, 5', 'ics', [c('ICS', 2, 5)]]]),
  ],
};

const lookback: Spec = {
  name: 'person predicates: has-code and its lookback window (L − days, L]',
  input: specInput({
    people: [1, 2, 3, 4, 5, 6, 7].map((id) => [id, 'F', '1970-01-01', LEEDS_1] as const),
    clinical: [
      [1, '2023-04-01', CARER], // L − 365: outside a 365-day window
      [2, '2023-04-02', CARER], // L − 364: inside
      [3, '2024-03-31', CARER], // on L: inside
      [4, '2024-04-01', CARER], // after L: never
      [6, '2010-01-01', CARER],
      [6, '2024-04-01', CARER],
      [7, '2023-04-01', CARER],
      [7, '2023-04-02', CARER],
    ],
  }),
  cases: [
    ...cases(proportion({ kind: 'has-code', codes: [CARER] }), [['any time up to L: 1, 2, 3, 6, 7', 'ics', [c('ICS', 5, 7)]]]),
    ...cases(proportion({ kind: 'has-code', codes: [CARER], lookbackDays: 365 }), [['in the last 365 days: 2, 3, 7', 'ics', [c('ICS', 3, 7)]]]),
  ],
};

const latestCode: Spec = {
  name: 'person predicates: latest-code-in (same-day ties: the greatest code as text wins)',
  input: specInput({
    people: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((id) => [id, 'M', '1970-01-01', LEEDS_1] as const),
    clinical: [
      [1, '2020-01-01', EX],
      [1, '2023-01-01', CURRENT], // latest: current
      [2, '2020-01-01', CURRENT],
      [2, '2023-01-01', EX], // latest: ex
      [3, '2023-05-05', CURRENT],
      [3, '2023-05-05', EX], // tie: '8517006' > '77176002', ex wins
      [4, '2023-05-05', NEVER],
      [4, '2023-05-05', CURRENT], // tie: '77176002' > '266919005', current wins
      [5, '2023-01-01', EX],
      [5, '2024-04-01', CURRENT], // after L: ignored
      [6, '2010-01-01', EX],
      [6, '2019-04-01', CURRENT], // L − 1826: just outside a five-year lookback
      [7, '2019-04-02', CURRENT], // L − 1825: inside
      [9, '2023-05-05', EX],
      [9, '2023-05-05', CURRENT], // the same tie as 3, recorded in the other order: ex wins
    ],
  }),
  cases: [
    ...cases(proportion({ kind: 'latest-code-in', among: SMOKING, is: [CURRENT] }), [['latest status current: 1, 4, 6, 7', 'ics', [c('ICS', 4, 9)]]]),
    ...cases(proportion({ kind: 'latest-code-in', among: SMOKING, is: [CURRENT], lookbackDays: 1826 }), [['latest in five years current: 1, 4, 7', 'ics', [c('ICS', 3, 9)]]]),
    ...cases(indicator({ kind: 'person-proportion', population: { where: { kind: 'has-code', codes: SMOKING } }, numerator: { kind: 'latest-code-in', among: SMOKING, is: [EX, NEVER] } }), [
      ['latest ex or never among those with a status: 2, 3, 5, 9', 'ics', [c('ICS', 4, 8)]],
    ]),
  ],
};

const latestValue: Spec = {
  name: 'person predicates: latest-value-in [min, max) (same-day ties: the greatest value)',
  input: specInput({
    people: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((id) => [id, 'F', '1970-01-01', LEEDS_1] as const),
    clinical: [
      [1, '2023-01-01', BMI, 31],
      [2, '2023-01-01', BMI, 30], // min is inclusive
      [3, '2023-01-01', BMI, 29.9],
      [4, '2023-06-01', BMI, 29],
      [4, '2023-06-01', BMI, 31], // tie: 31
      [5, '2022-01-01', BMI, 35],
      [5, '2023-01-01', BMI, 24], // latest: 24
      [6, '2023-01-01', BMI, 25], // max is exclusive
      [7, '2023-01-01', BMI, 18.5],
      [8, '2022-01-01', BMI, 32],
      [8, '2023-02-01', BMI, null], // no value: ignored, latest is 32
      [9, '2018-01-01', BMI, 40], // outside five years
      [10, '2023-01-01', BMI, 20],
      [10, '2024-04-01', BMI, 40], // after L: ignored
      [11, '2023-06-01', BMI, 31],
      [11, '2023-06-01', BMI, 29], // the same tie as 4, in the other order: 31
    ],
  }),
  cases: [
    ...cases(proportion({ kind: 'latest-value-in', code: BMI, min: 30, lookbackDays: 1826 }), [['obese (30+) in five years: 1, 2, 4, 8, 11', 'ics', [c('ICS', 5, 11)]]]),
    ...cases(proportion({ kind: 'latest-value-in', code: BMI, min: 30 }), [['obese (30+) at any time: 1, 2, 4, 8, 9, 11', 'ics', [c('ICS', 6, 11)]]]),
    ...cases(proportion({ kind: 'latest-value-in', code: BMI, min: 18.5, max: 25, lookbackDays: 1826 }), [['healthy weight [18.5, 25): 5, 7, 10', 'ics', [c('ICS', 3, 11)]]]),
    ...cases(proportion({ kind: 'latest-value-in', code: BMI, lookbackDays: 1826 }), [['any value in five years: all but 9', 'ics', [c('ICS', 10, 11)]]]),
  ],
};

const combined: Spec = {
  name: 'person predicates: all, any, not (also in the population scope)',
  input: specInput({
    people: [1, 2, 3, 4, 5].map((id) => [id, 'M', '1970-01-01', LEEDS_1] as const),
    clinical: [
      [1, '2020-01-01', DIABETES],
      [1, '2023-01-01', CURRENT],
      [2, '2020-01-01', DIABETES],
      [2, '2023-01-01', EX],
      [3, '2023-01-01', CURRENT],
      [4, '2020-01-01', DIABETES],
      [5, '2020-01-01', HYPERTENSION],
    ],
  }),
  cases: [
    ...cases(
      indicator({
        kind: 'person-proportion',
        population: { where: { kind: 'on-register', condition: 'diabetes' } },
        numerator: { kind: 'not', predicate: { kind: 'latest-code-in', among: SMOKING, is: [CURRENT] } },
      }),
      [['people with diabetes not currently smoking: 2, 4 of 1, 2, 4', 'ics', [c('ICS', 2, 3)]]],
    ),
    ...cases(
      proportion({
        kind: 'any',
        of: [
          { kind: 'on-register', condition: 'hypertension' },
          { kind: 'all', of: [{ kind: 'on-register', condition: 'diabetes' }, { kind: 'has-code', codes: [CURRENT] }] },
        ],
      }),
      [['hypertension, or diabetes and a smoking record: 1, 5', 'ics', [c('ICS', 2, 5)]]],
    ),
    ...cases(
      proportion({ kind: 'all', of: [{ kind: 'not', predicate: { kind: 'on-register', condition: 'diabetes' } }, { kind: 'not', predicate: { kind: 'has-code', codes: SMOKING } }] }),
      [['neither diabetes nor a smoking record: 5', 'ics', [c('ICS', 1, 5)]]],
    ),
  ],
};

const breakdowns: Spec = {
  name: 'breakdowns: people are attributed to where they live',
  input: specInput({
    people: [
      [1, 'F', '1980-01-01', LEEDS_1, 'A'], // 44, White
      [2, 'M', '1990-01-01', LEEDS_2, 'H'], // 34, Asian
      [3, 'F', '1950-01-01', CALDER_1, 'M'], // 74, Black
      [4, 'M', '2010-01-01', CALDER_2, 'Z'], // 14, Not stated
      [5, 'F', '1930-01-01', CALDER_2, 'D'], // 94, Mixed
      [6, 'M', '1970-01-01', LEEDS_1, 'R'], // 54, Other
      [7, 'F', '1970-01-01', OUTSIDE, 'A'], // not counted
    ],
    clinical: [1, 3, 5, 7].map((id) => [id, '2015-01-01', HYPERTENSION] as const),
  }),
  cases: cases(proportion({ kind: 'on-register', condition: 'hypertension' }), [
    ['ics', 'ics', [c('ICS', 3, 6)]],
    ['place', 'place', [c('calderdale', 2, 3), c('leeds', 1, 3)]],
    ['local authority', 'local-authority', [c('E08000033', 2, 3), c('E08000035', 1, 3)]],
    ['neighbourhood', 'neighbourhood', [c('calderdale-1', 2, 3), c('leeds-1', 1, 2), c('leeds-2', 0, 1)]],
    ['lsoa', 'lsoa', [c(CALDER_1, 1, 1), c(CALDER_2, 1, 2), c(LEEDS_1, 1, 2), c(LEEDS_2, 0, 1)]],
    ['imd decile', 'imd-decile', [c('1', 1, 2), c('4', 0, 1), c('6', 1, 2), c('10', 1, 1)]],
    ['imd quintile', 'imd-quintile', [c('1', 1, 2), c('2', 0, 1), c('3', 1, 2), c('5', 1, 1)]],
    ['sex', 'sex', [c('F', 3, 3), c('M', 0, 3)]],
    ['ethnic group', 'ethnic-group', [c('White', 1, 1), c('Asian', 0, 1), c('Black', 1, 1), c('Not stated', 0, 1), c('Mixed', 1, 1), c('Other', 0, 1)]],
    ['age band', 'age-band', [c('0-17', 0, 1), c('18-34', 0, 1), c('35-49', 1, 1), c('50-64', 0, 1), c('65-74', 1, 1), c('85+', 1, 1)]],
  ]),
};

const crudeRate: Spec = {
  name: 'event-rate: events in [start, end), population at the midpoint × years',
  input: specInput({
    people: [
      [1, 'F', '1980-01-01', LEEDS_1],
      [2, 'M', '1980-01-01', CALDER_1],
      [3, 'F', '2023-12-01', LEEDS_1], // born after M: events count, not in the population
      [4, 'M', '1940-01-01', LEEDS_1], // died before M
      [5, 'F', '1980-01-01', OUTSIDE], // not counted at all
      [6, 'M', '1960-01-01', LEEDS_2], // died on M: not in the population
      [7, 'F', '1960-01-01', LEEDS_2], // died the day after M: in the population
    ],
    deaths: [
      [4, '2023-09-01'],
      [6, '2023-10-01'],
      [7, '2023-10-02'],
    ],
    ae: [
      [1, 1, '2023-04-01 00:00:00', '2023-04-01 02:00:00'], // first moment of the period
      [2, 1, '2024-03-31 23:59:59', '2024-04-01 02:00:00'], // last second of the period
      [3, 1, '2024-04-01 00:00:00', '2024-04-01 02:00:00'], // after
      [4, 1, '2023-03-31 23:59:59', '2023-04-01 02:00:00'], // before
      [5, 2, '2023-06-01 10:00:00', '2023-06-01 12:00:00'],
      [6, 3, '2024-01-01 10:00:00', '2024-01-01 12:00:00'], // age 0
      [7, 4, '2023-05-01 10:00:00', '2023-05-01 12:00:00'], // age 83
      [8, 5, '2023-06-01 10:00:00', '2023-06-01 12:00:00'], // outside the partnership
      [9, 99, '2023-06-01 10:00:00', '2023-06-01 12:00:00'], // not in the person table
    ],
  }),
  cases: cases(indicator({ kind: 'event-rate', standardisation: 'none', population: {}, events: { table: 'ae_attendance', dateColumn: 'arrival_time' } }), [
    ['events 1, 2, 5, 6, 7; population 1, 2, 7', 'ics', [c('ICS', 5, 3 * Y)]],
    ['by place', 'place', [c('calderdale', 1, 1 * Y), c('leeds', 4, 2 * Y)]],
    [
      'by age band: events by age at the event, population by age at M (a group with events and no population is kept)',
      'age-band',
      [c('0-17', 1, 0), c('35-49', 3, 2 * Y), c('50-64', 0, 1 * Y), c('75-84', 1, 0)],
    ],
  ]),
};

const scopedRate: Spec = {
  name: 'event-rate: scope sex and where (at M) on both sides, ages from each side',
  input: specInput({
    people: [
      [1, 'F', '1950-01-01', LEEDS_1],
      [2, 'F', '1950-01-01', LEEDS_1],
      [3, 'F', '1950-01-01', LEEDS_1], // no dementia: out of scope
      [4, 'M', '1950-01-01', LEEDS_1], // male: out of scope
      [5, 'F', '1958-12-01', LEEDS_1], // 64 at M (not in the population), 65 at the event (counted)
      [6, 'F', '1958-06-01', LEEDS_1], // 65 at M (in the population), 64 at the event (not counted)
      [7, 'F', '1950-01-01', LEEDS_1], // diagnosed after M: out of scope on both sides
    ],
    clinical: [1, 2, 4, 5, 6].map((id) => [id, '2020-01-01', code('dementia')] as [number, string, string]).concat([[7, '2024-01-01', code('dementia')]]),
    careHomes: [
      [1, '2023-06-01', true],
      [2, '2023-06-01', false], // not permanent
      [3, '2023-06-01', true],
      [4, '2023-06-01', true],
      [5, '2024-01-01', true],
      [6, '2023-05-01', true],
      [7, '2024-02-01', true],
    ],
  }),
  cases: cases(
    indicator({
      kind: 'event-rate',
      standardisation: 'none',
      population: { minAge: 65, sex: 'F', where: { kind: 'on-register', condition: 'dementia' } },
      events: { table: 'care_home_stay', dateColumn: 'start_date', minAge: 65, filters: [{ column: 'permanent', op: 'in', values: [true] }] },
    }),
    [['admissions of 1, 5; population 1, 2, 6', 'ics', [c('ICS', 2, 3 * Y)]]],
  ),
};

const standardised: Spec = {
  name: 'event-rate esp2013: split by ESP band (events by age at the event, population by age at M)',
  input: specInput({
    people: [
      [1, 'M', '1949-01-01', LEEDS_1], // dies at 74 after M; 74 at M
      [2, 'F', '1948-11-01', LEEDS_1], // 74 at M; dies at 75 (over the events' maxAge)
      [3, 'M', '1990-05-05', LEEDS_1], // dies of cancer before M
      [4, 'F', '1990-05-05', LEEDS_1], // 33 at M
      [5, 'M', '2020-01-01', LEEDS_1], // 3 at M
      [6, 'F', '1950-01-01', LEEDS_1], // dies at 73 before M
      [7, 'M', '1940-01-01', LEEDS_1], // 83: over the population's maxAge
      [8, 'F', '1960-01-01', OUTSIDE],
    ],
    deaths: [
      [1, '2023-12-01', 'I219'],
      [2, '2024-01-15', 'I639'],
      [3, '2023-06-01', 'C349'],
      [6, '2023-05-01', 'I10'],
      [8, '2023-07-01', 'I219'],
    ],
  }),
  cases: cases(
    indicator({
      kind: 'event-rate',
      standardisation: 'esp2013',
      population: { maxAge: 74 },
      events: { table: 'death', dateColumn: 'date_of_death', maxAge: 74, filters: [{ column: 'underlying_cause', op: 'prefix', values: ['I'] }] },
    }),
    [
      ['whole partnership', 'ics', [c('ICS', 0, 1 * Y, '0-4'), c('ICS', 0, 1 * Y, '30-34'), c('ICS', 2, 2 * Y, '70-74')]],
      ['by sex', 'sex', [c('F', 0, 1 * Y, '30-34'), c('F', 1, 1 * Y, '70-74'), c('M', 0, 1 * Y, '0-4'), c('M', 1, 1 * Y, '70-74')]],
    ],
  ),
};

const births: Spec = {
  name: 'event-proportion: filters, attributed to the mother',
  input: specInput({
    people: [
      [1, 'F', '1985-06-01', LEEDS_1], // 37 and 38 at her births
      [2, 'F', '1995-01-01', CALDER_1], // 28
      [3, 'F', '1992-01-01', OUTSIDE],
      [11, 'F', '2023-05-01', LEEDS_1],
      [12, 'M', '2024-02-01', LEEDS_1],
      [13, 'F', '2023-07-01', CALDER_1],
      [14, 'M', '2023-08-01', CALDER_1],
      [15, 'F', '2023-09-01', OUTSIDE],
      [16, 'M', '2024-04-01', LEEDS_1],
      [17, 'F', '2023-10-01', LEEDS_1],
    ],
    births: [
      [11, 1, '2023-05-01', 2499, 39, true],
      [12, 1, '2024-02-01', 2500, 37, false],
      [13, 2, '2023-07-01', 3000, 36, null],
      [14, 2, '2023-08-01', 2000, 40, true],
      [15, 3, '2023-09-01', 2000, 40, true], // mother lives outside
      [16, 1, '2024-04-01', 2000, 40, true], // after the period
      [17, 99, '2023-10-01', 2000, 40, true], // mother not in the person table
    ],
  }),
  cases: [
    ...cases(
      indicator({
        kind: 'event-proportion',
        events: { table: 'birth', dateColumn: 'birth_date', personColumn: 'mother_person_id', filters: [{ column: 'smoking_at_delivery', op: 'not-null' }] },
        numerator: { kind: 'filters', filters: [{ column: 'smoking_at_delivery', op: 'in', values: [true] }] },
      }),
      [
        ['smoking at delivery: 11, 14 of 11, 12, 14', 'ics', [c('ICS', 2, 3)]],
        ['by place of the mother', 'place', [c('calderdale', 1, 1), c('leeds', 1, 2)]],
      ],
    ),
    ...cases(
      indicator({
        kind: 'event-proportion',
        events: { table: 'birth', dateColumn: 'birth_date', personColumn: 'mother_person_id', filters: [{ column: 'gestation_weeks', op: 'between', min: 37 }] },
        numerator: { kind: 'filters', filters: [{ column: 'birth_weight_grams', op: 'between', max: 2499 }] },
      }),
      [['term low birth weight (between is inclusive): 11, 14 of 11, 12, 14', 'ics', [c('ICS', 2, 3)]]],
    ),
    ...cases(
      indicator({
        kind: 'event-proportion',
        events: { table: 'birth', dateColumn: 'birth_date', personColumn: 'mother_person_id' },
        numerator: { kind: 'filters', filters: [{ column: 'birth_weight_grams', op: 'between', max: 2499 }] },
      }),
      [['by age band of the mother at the birth', 'age-band', [c('18-34', 1, 2), c('35-49', 1, 2)]]],
    ),
    ...cases(
      indicator({
        kind: 'event-proportion',
        events: { table: 'birth', dateColumn: 'birth_date', personColumn: 'mother_person_id', maxAge: 30 },
        numerator: { kind: 'filters', filters: [{ column: 'birth_weight_grams', op: 'between', max: 2499 }] },
      }),
      [['mothers aged 30 or under at the birth: 13, 14', 'ics', [c('ICS', 1, 2)]]],
    ),
  ],
};

const fourHours: Spec = {
  name: 'event-proportion: duration-at-most (A&E within 240 minutes, inclusive)',
  input: specInput({
    people: [[1, 'F', '1980-01-01', LEEDS_1]],
    ae: [
      [1, 1, '2023-06-01 10:00:00', '2023-06-01 14:00:00'], // exactly 240 minutes: within
      [2, 1, '2023-06-01 10:00:00', '2023-06-01 14:00:01'], // 240 minutes 1 second: not
      [3, 1, '2023-06-01 22:30:00', '2023-06-02 02:29:00'], // 239 minutes over midnight
      [4, 1, '2023-06-01 10:00:00', '2023-06-01 14:01:00'], // 241 minutes
      [5, 1, '2024-03-31 23:00:00', '2024-04-01 01:00:00'], // arrives in the period, leaves after it
      [6, 1, '2023-03-31 23:00:00', '2023-04-01 01:00:00'], // arrives before the period
      [7, 1, '2023-07-01 10:00:00', '2023-07-01 10:00:00'], // zero minutes
    ],
  }),
  cases: cases(
    indicator({ kind: 'event-proportion', events: { table: 'ae_attendance', dateColumn: 'arrival_time' }, numerator: { kind: 'duration-at-most', from: 'arrival_time', to: 'departure_time', minutes: 240 } }),
    [['within 4 hours: 1, 3, 5, 7 of 1-5, 7', 'ics', [c('ICS', 4, 6)]]],
  ),
};

const readmissions: Spec = {
  name: 'event-proportion: followed-by (readmission on days 1-30 after discharge)',
  input: specInput({
    people: [
      [1, 'F', '1950-01-01', LEEDS_1],
      [2, 'M', '1950-01-01', CALDER_1],
      [3, 'F', '1950-01-01', OUTSIDE],
    ],
    spells: [
      [100, 1, '2023-03-01', '2023-03-31', 'emergency'], // discharged before the period
      [101, 1, '2023-05-01', '2023-05-05', 'emergency'], // readmitted on day 30 (spell 102): counts
      [102, 1, '2023-06-04', '2023-06-10', 'emergency'], // next emergency admission on day 31 (spell 104): does not
      [103, 1, '2023-06-20', '2023-06-21', 'elective'], // elective: neither discharge nor readmission
      [104, 1, '2023-07-11', '2023-07-11', 'emergency', 'died'], // died: not a discharge
      [201, 2, '2024-03-20', '2024-03-25', 'emergency', 'care_home'], // readmitted after the period ends (day 16): counts
      [202, 2, '2024-04-10', '2024-04-12', 'emergency'], // discharged after the period
      [203, 2, '2023-08-01', '2023-08-03', 'emergency', 'other_hospital'], // admitted again the same day (204): not after
      [204, 2, '2023-08-03', '2023-08-04', 'emergency'],
      [301, 3, '2023-05-01', '2023-05-02', 'emergency'], // outside the partnership
      [302, 3, '2023-05-10', '2023-05-12', 'emergency'],
    ],
  }),
  cases: cases(
    indicator({
      kind: 'event-proportion',
      events: {
        table: 'hospital_spell',
        dateColumn: 'discharge_date',
        filters: [
          { column: 'admission_method', op: 'in', values: ['emergency'] },
          { column: 'discharge_destination', op: 'in', values: ['home', 'care_home', 'other_hospital'] },
        ],
      },
      numerator: {
        kind: 'followed-by',
        fromColumn: 'discharge_date',
        withinDays: 30,
        events: { table: 'hospital_spell', dateColumn: 'admission_date', filters: [{ column: 'admission_method', op: 'in', values: ['emergency'] }] },
      },
    }),
    [
      ['readmitted: 101, 201 of 101, 102, 201, 203, 204', 'ics', [c('ICS', 2, 5)]],
      ['by place', 'place', [c('calderdale', 1, 3), c('leeds', 1, 2)]],
    ],
  ),
};

const lifeBands = (group: string, cells: Record<string, [number, number]>): AggregateCell[] =>
  ESP2013_LIFE_TABLE.bands.map((b) => c(group, cells[b.label]?.[0] ?? 0, (cells[b.label]?.[1] ?? 0) * Y, b.label));

const lifeExpectancy: Spec = {
  name: 'life-expectancy: deaths by age at death, population at M, all 20 bands',
  input: specInput({
    people: [
      [1, 'F', '2023-12-01', LEEDS_1], // born after M
      [2, 'F', '2023-01-01', LEEDS_1], // 0 at M
      [3, 'F', '2020-01-01', LEEDS_1], // 3 at M
      [4, 'F', '1930-01-01', LEEDS_1], // 93 at M, dies at 94
      [5, 'F', '1950-06-01', LEEDS_1], // dies at 73 before M
      [6, 'M', '1950-01-01', LEEDS_1], // male
      [7, 'F', '1960-01-01', OUTSIDE],
      [8, 'F', '2023-06-01', LEEDS_1], // dies aged 0 before M
      [9, 'F', '1980-01-01', CALDER_1], // 43 at M
    ],
    deaths: [
      [4, '2024-02-01'],
      [5, '2023-07-01'],
      [6, '2023-06-01'],
      [7, '2023-06-01'],
      [8, '2023-08-01'],
    ],
  }),
  cases: cases(indicator({ kind: 'life-expectancy', sex: 'F', startAge: 0 }), [
    ['whole partnership', 'ics', lifeBands('ICS', { '0': [1, 1], '1-4': [0, 1], '40-44': [0, 1], '70-74': [1, 0], '90+': [1, 1] })],
    ['by place: every band of every group', 'place', [...lifeBands('calderdale', { '40-44': [0, 1] }), ...lifeBands('leeds', { '0': [1, 1], '1-4': [0, 1], '70-74': [1, 0], '90+': [1, 1] })]],
  ]),
};

const observedExpected: Spec = {
  name: 'observed-expected: people with the predicate / Σ age-sex rates over the population on L',
  input: specInput({
    people: [
      [1, 'F', '1955-01-01', LEEDS_1], // 69: rate 0.02, has dementia
      [2, 'F', '1950-01-01', LEEDS_1], // 74: rate 0.1
      [3, 'M', '1955-01-01', LEEDS_1], // 69: rate 0.01
      [4, 'M', '1940-01-01', LEEDS_1], // 84: no rate (adds 0), has dementia
      [5, 'F', '1960-01-01', LEEDS_1], // 64: out of scope
      [6, 'F', '1940-01-01', LEEDS_1], // died on L
    ],
    deaths: [[6, '2024-03-31']],
    clinical: [
      [1, '2022-01-01', code('dementia')],
      [4, '2022-01-01', code('dementia')],
      [6, '2022-01-01', code('dementia')],
    ],
  }),
  cases: cases(
    indicator({
      kind: 'observed-expected',
      population: { minAge: 65 },
      numerator: { kind: 'on-register', condition: 'dementia' },
      expectedRates: [
        { sex: 'F', minAge: 65, maxAge: 69, rate: 0.02 },
        { sex: 'M', minAge: 65, maxAge: 69, rate: 0.01 },
        { sex: 'F', minAge: 70, rate: 0.1 },
      ],
    }),
    [
      ['whole partnership', 'ics', [c('ICS', 2, 0.13)]],
      ['by sex', 'sex', [c('F', 1, 0.12), c('M', 1, 0.01)]],
      ['by age band: a group with no expected count is kept for its observed', 'age-band', [c('65-74', 1, 0.13), c('75-84', 1, 0)]],
    ],
  ),
};

/** Every spec, in reading order. */
export const indicatorSpecs: readonly Spec[] = [
  ages,
  leapDay,
  registers,
  lookback,
  latestCode,
  latestValue,
  combined,
  breakdowns,
  crudeRate,
  scopedRate,
  standardised,
  births,
  fourHours,
  readmissions,
  lifeExpectancy,
  observedExpected,
];
