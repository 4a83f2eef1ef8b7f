/**
 * person-proportion specs: who is counted on the last day of the period (age, residence, death),
 * the person predicates (registers, codes and lookbacks, latest code and value, all/any/not) and
 * every breakdown, which people are attributed to by where they live.
 * Dates use the notation of common.ts: period FY (2023/24), last day L, midpoint M, Y years.
 */
import type { PersonPredicate, PersonScope } from '@openphm/core';
import { CALDER_1, CALDER_2, LEEDS_1, LEEDS_2, OUTSIDE, specInput } from '../input.js';
import { ASTHMA, BMI, CARER, CURRENT, DEMENTIA_ALZHEIMER, DIABETES, EX, HYPERTENSION, HYPERTENSION_ESSENTIAL, NEVER, SMOKING, c, cases, indicator, type Spec } from './common.js';

const proportion = (numerator: PersonPredicate, population: PersonScope = {}) =>
  indicator({ kind: 'person-proportion', population, numerator });

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
    // The same in any order and with repeats, and among more codes than an engine may rank in one number (65).
    ...cases(proportion({ kind: 'latest-code-in', among: [...SMOKING].reverse().concat(SMOKING[0]!), is: [CURRENT, CURRENT] }), [['among in another order: 1, 4, 6, 7', 'ics', [c('ICS', 4, 9)]]]),
    ...cases(proportion({ kind: 'latest-code-in', among: [...SMOKING, ...Array.from({ length: 62 }, (_, i) => String(1_000_000_000 + i) as (typeof SMOKING)[number])], is: [CURRENT] }), [
      ['among 65 codes: 1, 4, 6, 7', 'ics', [c('ICS', 4, 9)]],
    ]),
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

/** The person-proportion specs, in reading order. */
export const personProportionSpecs: readonly Spec[] = [ages, leapDay, registers, lookback, latestCode, latestValue, combined, breakdowns];
