/**
 * Catalogue treatment-to-target, early diagnosis, immunisation and NHS Health Check indicators
 * (core indicators/catalogue-prevention.ts), on the last day L = 2024-03-31. The edges: the 12-month
 * lookback of readings is (2023-04-01, L], first day 2023-04-02; the five-year lookback of health
 * checks (2019-04-01, L], first day 2019-04-02; the latest reading decides (the greatest value on
 * the same latest day; rows without a value are ignored); ages on L decide under 80 / 80 and over,
 * 1, 2 and 5 years old, 65+ and 40-74.
 */
import { OBSERVATION_CODES } from '@openphm/core';
import { CALDER_1, CALDER_2, LEEDS_1, LEEDS_2, specInput } from '../input.js';
import { DIABETES, HYPERTENSION, c, cases, catalogued, code, indicator, type Spec } from './common.js';

const SYSTOLIC = OBSERVATION_CODES.systolicBp.code;
const DIASTOLIC = OBSERVATION_CODES.diastolicBp.code;
const HBA1C = OBSERVATION_CODES.hba1c.code;
const STAGE = OBSERVATION_CODES.tumourStage.code;
const PPV = OBSERVATION_CODES.pneumococcalVaccination.code;
const SIX_IN_ONE_2 = OBSERVATION_CODES.sixInOneSecond.code;
const SIX_IN_ONE_3 = OBSERVATION_CODES.sixInOneThird.code;
const MMR_1 = OBSERVATION_CODES.mmrFirst.code;
const MMR_2 = OBSERVATION_CODES.mmrSecond.code;
const HEALTH_CHECK = OBSERVATION_CODES.healthCheck.code;
const CKD = code('ckd');

/** A blood pressure reading: two rows on one day. */
const bp = (id: number, day: string, systolic: number, diastolic: number) => [[id, day, SYSTOLIC, systolic], [id, day, DIASTOLIC, diastolic]] as const;

const treatment: Spec = {
  name: 'catalogue treatment to target: blood pressure by age, HbA1c',
  input: specInput({
    people: [
      [1, 'F', '1960-01-01', LEEDS_1], // 64
      [2, 'M', '1960-01-01', LEEDS_1], // 64
      [3, 'F', '1950-01-01', LEEDS_2], // 74
      [4, 'M', '1955-01-01', CALDER_1], // 69
      [5, 'F', '1944-04-01', CALDER_1], // 79 on L (80 the day after)
      [6, 'M', '1944-03-31', CALDER_2], // 80 on L
      [7, 'F', '1935-01-01', LEEDS_1], // 89
      [8, 'M', '1940-01-01', LEEDS_2], // 84, no reading
      [9, 'F', '1980-01-01', LEEDS_1], // 44, not on the register
      [10, 'F', '1970-01-01', LEEDS_1], // diabetes
      [11, 'M', '1970-01-01', LEEDS_2],
      [12, 'F', '1990-01-01', CALDER_1],
      [13, 'M', '2000-01-01', CALDER_2],
    ],
    clinical: [
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((id) => [id, '2015-01-01', HYPERTENSION] as const),
      ...bp(1, '2023-04-02', 140, 90), // the first day of the 12 months, at the limit: to target
      ...bp(2, '2023-04-01', 130, 80), // the day before: no reading in the 12 months
      ...bp(3, '2023-06-01', 120, 70),
      ...bp(3, '2024-01-10', 141, 80), // the latest: above 140
      ...bp(4, '2023-09-01', 138, 91), // diastolic above 90
      ...bp(5, '2024-02-01', 145, 85), // 79: the under-80 target applies
      ...bp(6, '2024-03-31', 150, 90), // 80 on L, on L: to the 80+ target
      ...bp(7, '2023-12-01', 150, 70),
      [7, '2023-12-01', SYSTOLIC, 151], // a second systolic the same day: the greatest (151) wins
      ...bp(9, '2023-12-01', 120, 80),
      ...[10, 11, 12, 13].map((id) => [id, '2012-01-01', DIABETES] as const),
      [10, '2023-10-01', HBA1C, 58], // at the limit
      [11, '2023-05-01', HBA1C, 48],
      [11, '2024-03-01', HBA1C, 59], // the latest: above 58
      [12, '2023-04-01', HBA1C, 52], // the day before the 12 months
      [12, '2024-04-01', HBA1C, 50], // after L
      [13, '2023-12-01', HBA1C, 55],
      [13, '2024-02-01', HBA1C, null], // no value: ignored
    ],
  }),
  cases: [
    ...cases(catalogued('hypertension-treated-to-target-under-80'), [
      ['under 80: 1-5 on the register; 1 at 140/90 on the first day of the 12 months; 2 read the day before, 3 141 latest, 4 diastolic 91, 5 145/85 at 79', 'ics', [c('ICS', 1, 5)]],
      ['under 80 by place', 'place', [c('leeds', 1, 3), c('calderdale', 0, 2)]],
    ]),
    ...cases(catalogued('hypertension-treated-to-target-80-plus'), [
      ['80+: 6 (150/90 on L), 7 (151 the greatest of the day), 8 (no reading)', 'ics', [c('ICS', 1, 3)]],
      ['80+ by sex', 'sex', [c('F', 0, 1), c('M', 1, 2)]],
    ]),
    ...cases(catalogued('diabetes-hba1c-58'), [
      ['HbA1c: 10 (58) and 13 (55, the later row has no value) of 10-13; 11 59 latest, 12 none in the 12 months', 'ics', [c('ICS', 2, 4)]],
      ['HbA1c by IMD decile', 'imd-decile', [c('1', 1, 1), c('4', 0, 1), c('10', 0, 1), c('6', 1, 1)]],
    ]),
  ],
};

const diabetesTargets: Spec = {
  name: 'catalogue diabetes: all three treatment targets (HbA1c, blood pressure ≤140/80, statin in 12 months)',
  input: specInput({
    people: [
      [1, 'F', '1960-01-01', LEEDS_1],
      [2, 'M', '1960-01-01', LEEDS_2],
      [3, 'F', '1970-01-01', CALDER_1],
      [4, 'M', '1970-01-01', CALDER_2],
      [5, 'F', '1980-01-01', LEEDS_1],
      [6, 'M', '1980-01-01', LEEDS_2], // not on the register
    ],
    clinical: [
      ...[1, 2, 3, 4, 5].map((id) => [id, '2010-01-01', DIABETES] as const),
      [1, '2023-10-01', HBA1C, 58],
      ...bp(1, '2023-11-01', 140, 80), // at both limits
      [2, '2023-10-01', HBA1C, 59], // HbA1c above
      ...bp(2, '2023-11-01', 120, 70),
      [3, '2023-10-01', HBA1C, 50],
      ...bp(3, '2023-11-01', 138, 81), // diastolic above 80
      [4, '2023-10-01', HBA1C, 50],
      ...bp(4, '2023-11-01', 120, 70),
      [5, '2024-03-31', HBA1C, 57],
      ...bp(5, '2024-03-31', 130, 75),
      [6, '2023-10-01', HBA1C, 50],
      ...bp(6, '2023-11-01', 120, 70),
    ],
    medication: [
      [1, '2023-04-02', '0212000B0'], // the first day of the 12 months
      [2, '2024-01-01', '0212000B0'],
      [3, '2024-01-01', '0212000Y0'],
      [4, '2023-04-01', '0212000B0'], // the day before: no statin in the 12 months
      [4, '2024-01-01', '0601022B0'], // not a statin
      [5, '2024-03-31', '0212000Y0'], // on L
      [6, '2024-01-01', '0212000B0'],
    ],
  }),
  cases: cases(catalogued('diabetes-three-treatment-targets'), [
    ['three targets: 1 (at the limits, statin on the first day) and 5 (all on L) of 1-5; 2 HbA1c 59, 3 diastolic 81, 4 no statin in the 12 months', 'ics', [c('ICS', 2, 5)]],
    ['three targets by place', 'place', [c('leeds', 2, 3), c('calderdale', 0, 2)]],
  ]),
};

const cancerStage: Spec = {
  name: 'catalogue cancers diagnosed at stage 1 or 2 (stage records in the period)',
  input: specInput({
    people: [
      [1, 'F', '1950-01-01', LEEDS_1],
      [2, 'M', '1950-01-01', LEEDS_2],
      [3, 'F', '1960-01-01', CALDER_1],
      [4, 'M', '1960-01-01', CALDER_2],
      [5, 'F', '1970-01-01', LEEDS_1],
      [6, 'M', '1970-01-01', LEEDS_2],
    ],
    clinical: [
      [1, '2023-04-01', STAGE, 1], // the first day of the period
      [2, '2024-03-31', STAGE, 2], // the last day
      [3, '2023-06-01', STAGE, 3],
      [4, '2023-07-01', STAGE, null], // not staged: in the denominator
      [5, '2024-04-01', STAGE, 4], // after the period
      [6, '2023-03-31', STAGE, 1], // before it
    ],
  }),
  cases: cases(catalogued('cancer-diagnosed-early'), [
    ['stages 1 and 2 of the four diagnosed in the period (one not staged)', 'ics', [c('ICS', 2, 4)]],
    ['by place', 'place', [c('leeds', 2, 2), c('calderdale', 0, 2)]],
  ]),
};

const immunisation: Spec = {
  name: 'catalogue immunisation: PPV 65+, 6-in-1 at 1, MMR at 2 and 5',
  input: specInput({
    people: [
      [20, 'F', '1959-03-31', LEEDS_1], // 65 on L
      [21, 'M', '1959-04-01', LEEDS_1], // 64 on L
      [22, 'F', '1940-01-01', LEEDS_2],
      [23, 'M', '1945-01-01', CALDER_1],
      [24, 'F', '1950-01-01', CALDER_2],
      [30, 'F', '2023-03-31', LEEDS_1], // 1 on L
      [31, 'M', '2023-04-01', LEEDS_1], // 0 on L
      [32, 'F', '2022-04-01', LEEDS_2], // 1 on L (2 the day after)
      [33, 'M', '2022-06-01', CALDER_1], // 1
      [34, 'F', '2022-03-31', LEEDS_1], // 2 on L
      [35, 'M', '2021-04-01', CALDER_2], // 2 on L (3 the day after)
      [36, 'F', '2021-12-01', CALDER_1], // 2
      [37, 'M', '2019-03-31', LEEDS_1], // 5 on L
      [38, 'F', '2018-04-01', LEEDS_2], // 5 on L (6 the day after)
      [39, 'M', '2019-04-01', CALDER_1], // 4 on L
      [40, 'F', '2018-09-01', CALDER_2], // 5
    ],
    clinical: [
      [20, '2024-03-31', PPV], // on L
      [21, '2023-01-01', PPV], // 64: not in the population
      [22, '2005-06-01', PPV], // long ago: no lookback
      [24, '2024-04-02', PPV], // after L
      [30, '2023-07-20', SIX_IN_ONE_3],
      [31, '2023-07-25', SIX_IN_ONE_3], // 0 on L
      [32, '2022-07-01', SIX_IN_ONE_2], // the second dose only
      [33, '2024-04-01', SIX_IN_ONE_3], // after L
      [34, '2023-04-15', MMR_1],
      [35, '2024-03-01', MMR_2], // a second dose is not the first dose's code
      [36, '2022-12-10', MMR_1],
      [37, '2022-08-01', MMR_2],
      [38, '2024-03-31', MMR_2], // on L
      [39, '2022-08-01', MMR_2], // 4 on L
      [40, '2019-09-15', MMR_1], // the first dose only
    ],
  }),
  cases: [
    ...cases(catalogued('pneumococcal-vaccination-65'), [
      ['PPV 65+: 20 (on L) and 22 (2005) of 20, 22, 23, 24; 21 is 64, 24 after L', 'ics', [c('ICS', 2, 4)]],
      ['PPV by sex', 'sex', [c('F', 2, 3), c('M', 0, 1)]],
    ]),
    ...cases(catalogued('dtap-ipv-hib-vaccination-1'), [['6-in-1 at 1: 30 of 30, 32, 33 (32 two doses, 33 after L; 31 is 0)', 'ics', [c('ICS', 1, 3)]]]),
    ...cases(catalogued('mmr-vaccination-one-dose-2'), [['MMR one dose at 2: 34 and 36 of 34, 35, 36', 'ics', [c('ICS', 2, 3)]]]),
    ...cases(catalogued('mmr-vaccination-two-doses-5'), [
      ['MMR two doses at 5: 37 and 38 (on L) of 37, 38, 40; 39 is 4', 'ics', [c('ICS', 2, 3)]],
      ['MMR two doses by place', 'place', [c('leeds', 2, 2), c('calderdale', 0, 1)]],
    ]),
  ],
};

const healthChecks: Spec = {
  name: 'catalogue NHS Health Checks: eligible 40-74, five years',
  input: specInput({
    people: [
      [50, 'F', '1984-03-31', LEEDS_1], // 40 on L
      [51, 'M', '1984-04-01', LEEDS_1], // 39 on L
      [52, 'F', '1949-04-01', LEEDS_2], // 74 on L (75 the day after)
      [53, 'M', '1960-01-01', LEEDS_1],
      [54, 'F', '1970-01-01', CALDER_1], // on the hypertension register: not eligible
      [55, 'M', '1970-01-01', CALDER_2], // CKD after L: eligible on L
      [56, 'F', '1965-01-01', CALDER_1],
      [57, 'M', '1949-03-31', CALDER_1], // 75 on L
    ],
    clinical: [
      [50, '2024-03-31', HEALTH_CHECK], // on L
      [51, '2023-01-01', HEALTH_CHECK],
      [52, '2019-04-02', HEALTH_CHECK], // the first day of the five years
      [53, '2019-04-01', HEALTH_CHECK], // the day before
      [54, '2015-01-01', HYPERTENSION],
      [54, '2022-01-01', HEALTH_CHECK],
      [55, '2022-01-01', HEALTH_CHECK],
      [55, '2024-04-01', CKD],
      [57, '2022-01-01', HEALTH_CHECK],
    ],
  }),
  cases: cases(catalogued('nhs-health-check-received'), [
    ['health checks: 50, 52, 55 of the eligible 50, 52, 53, 55, 56', 'ics', [c('ICS', 3, 5)]],
    ['health checks by place', 'place', [c('leeds', 2, 3), c('calderdale', 1, 2)]],
  ]),
};

const winter: Spec = {
  name: 'month-in filter: winter deaths (December to March) and A&E arrivals by month',
  input: specInput({
    people: [
      [1, 'F', '1930-01-01', LEEDS_1],
      [2, 'M', '1930-01-01', LEEDS_1],
      [3, 'F', '1935-01-01', LEEDS_2],
      [4, 'M', '1940-01-01', CALDER_1],
      [5, 'F', '1940-01-01', CALDER_2],
      [6, 'M', '1945-01-01', CALDER_2],
      [7, 'F', '1950-01-01', LEEDS_1],
    ],
    deaths: [
      [1, '2023-04-01'], // the first day of the period: April
      [2, '2023-11-30'], // the day before winter
      [3, '2023-12-01'], // the first day of winter
      [4, '2024-02-29'],
      [5, '2024-03-31'], // the last day of the period
      [6, '2024-04-01'], // after the period
      [7, '2023-03-31'], // before it
    ],
    ae: [
      [1, 1, '2023-11-30 23:59:59', '2023-12-01 01:00:00'], // arrives in November
      [2, 1, '2023-12-01 00:00:00', '2023-12-01 02:00:00'], // arrives in December
      [3, 2, '2023-06-15 10:00:00', '2023-06-15 12:00:00'],
    ],
  }),
  cases: [
    ...cases(catalogued('winter-deaths-share'), [
      ['winter deaths: 3 (1 December), 4 (29 February), 5 (31 March) of 1-5', 'ics', [c('ICS', 3, 5)]],
      ['winter deaths by sex', 'sex', [c('F', 2, 3), c('M', 1, 2)]],
    ]),
    ...cases(indicator({ kind: 'event-proportion', events: { table: 'ae_attendance', dateColumn: 'arrival_time' }, numerator: { kind: 'filters', filters: [{ column: 'arrival_time', op: 'month-in', values: [12] }] } }), [
      ['A&E arrivals in December, by the month of the arrival timestamp (23:59:59 on 30 November is November)', 'ics', [c('ICS', 1, 3)]],
    ]),
  ],
};

/** The catalogue prevention and treatment specs, and winter deaths (the month-in filter). */
export const preventionSpecs: readonly Spec[] = [treatment, diabetesTargets, cancerStage, immunisation, healthChecks, winter];
