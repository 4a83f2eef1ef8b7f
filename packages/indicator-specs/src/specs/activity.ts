/**
 * Catalogue activity indicators: admissions of young people (self-harm 10-24, alcohol-specific under
 * 18), emergency admissions for chronic ambulatory care sensitive conditions and at 65 and over, A&E
 * attendances under 5, discharge to usual residence, GP appointments, adult social care at 65 and
 * over, and premature births. Period FY (2023/24), midpoint M = 2023-10-01, Y years; events are
 * placed by the age on their day, the population by the age at M.
 */
import { CALDER_1, CALDER_2, LEEDS_1, LEEDS_2, OUTSIDE, specInput } from '../input.js';
import { Y, c, cases, catalogued, type Spec } from './common.js';

const input = specInput({
  people: [
    [1, 'F', '2008-01-01', LEEDS_1], // 15 at M
    [2, 'M', '2000-01-01', LEEDS_2], // 23 at M, 24 at his self-harm admission
    [3, 'F', '1998-06-01', CALDER_1], // 25 at M (not in the 10-24 population), 24 at her admission
    [4, 'M', '2014-01-01', CALDER_1], // 9 at M, 10 at his alcohol-specific admission
    [5, 'F', '1950-01-01', LEEDS_1], // 73 at M
    [6, 'M', '1940-01-01', CALDER_2], // 83 at M
    [7, 'M', '1985-01-01', LEEDS_2], // 38 at M
    [8, 'F', '2021-06-01', LEEDS_1], // 2 at M
    [9, 'M', '2019-04-01', CALDER_1], // 4 at M, 5 on 2024-04-01
    [10, 'F', '2018-10-01', LEEDS_2], // 5 on M (not under 5), 4 at her attendance
    [11, 'M', '1980-01-01', OUTSIDE], // lives outside the partnership
  ],
  spells: [
    [1, 1, '2023-06-01', '2023-06-02', 'emergency', 'home', 'T391', 'X61'], // self-harm at 15
    [2, 1, '2023-07-01', '2023-07-01', 'elective', 'home', 'F100'], // alcohol-specific at 15 (any method)
    [3, 2, '2024-01-01', '2024-01-02', 'emergency', 'home', 'S518', 'X78'], // self-harm at 24
    [4, 2, '2023-10-10', '2023-10-11', 'emergency', 'home', 'T424', 'X85'], // assault: not self-harm
    [5, 2, '2023-09-01', '2023-09-02', 'emergency', 'home', 'K703'], // alcohol-specific at 23: not under 18
    [6, 3, '2023-05-01', '2023-05-02', 'emergency', 'home', 'T391', 'X70'], // self-harm at 24
    [7, 3, '2023-03-25', '2023-03-31', 'emergency', 'home', 'R074'], // discharged before the period
    [8, 4, '2023-06-01', '2023-06-01', 'emergency', 'home', 'T391', 'X60'], // self-harm at 9: under 10
    [9, 4, '2024-02-01', '2024-02-02', 'emergency', 'home', 'T510'], // alcohol-specific at 10
    [10, 5, '2023-07-01', '2023-07-05', 'emergency', 'home', 'I509'], // heart failure: chronic ACSC
    [11, 5, '2023-12-01', '2023-12-20', 'emergency', 'care_home', 'S720'], // hip fracture
    [12, 5, '2023-09-01', '2023-09-02', 'elective', 'home', 'I48X'], // AF, but planned
    [13, 6, '2024-03-31', '2024-04-02', 'emergency', 'home', 'J440'], // COPD: chronic ACSC; discharged after the period
    [14, 6, '2023-05-01', '2023-05-03', 'emergency', 'other_hospital', 'I519'], // I51 is not an ACSC
    [15, 7, '2023-08-01', '2023-08-01', 'emergency', 'died', 'E119'], // diabetes: chronic ACSC; died
    [16, 11, '2023-08-01', '2023-08-03', 'emergency', 'home', 'I509'], // lives outside
  ],
  ae: [
    [1, 8, '2023-05-01 10:00:00', '2023-05-01 12:00:00'],
    [2, 8, '2024-03-31 23:00:00', '2024-04-01 01:00:00'],
    [3, 9, '2024-03-01 09:00:00', '2024-03-01 10:00:00'],
    [4, 9, '2024-04-01 09:00:00', '2024-04-01 10:00:00'], // after the period
    [5, 10, '2023-06-01 09:00:00', '2023-06-01 10:00:00'], // 4 on the day
  ],
  gp: [
    [5, '2023-04-01', 'face-to-face'],
    [5, '2024-03-31', 'telephone'],
    [6, '2023-10-01', 'home-visit'],
    [7, '2023-03-31', 'online'], // before the period
    [7, '2024-04-01'], // after the period
    [8, '2023-06-15', 'online'],
    [11, '2023-06-15'], // lives outside
  ],
  socialCare: [
    [5, '2023-05-01', 'request'],
    [5, '2023-05-20', 'assessment'],
    [5, '2023-08-01', 'reablement-start'],
    [6, '2023-06-01', 'request'],
    [6, '2024-04-01', 'reablement-start'], // after the period
    [7, '2023-06-01', 'reablement-start'], // 38
  ],
});

const activity: Spec = {
  name: 'catalogue activity: young people\'s admissions, ACSC, 65+, A&E under 5, discharge, GP, social care',
  input,
  cases: [
    ...cases(catalogued('self-harm-admissions-10-24'), [
      ['self-harm 10-24: spells 1, 3, 6 (8 was at 9, 4 is assault); population 1 and 2', 'ics', [c('ICS', 1, Y, '15-19'), c('ICS', 2, Y, '20-24')]],
    ]),
    ...cases(catalogued('alcohol-specific-admissions-under-18'), [['alcohol-specific under 18: spells 2 and 9; population 1, 4, 8, 9, 10', 'ics', [c('ICS', 2, 5 * Y)]]]),
    ...cases(catalogued('emergency-admissions-acsc-chronic'), [
      [
        'chronic ACSC: spells 10, 13, 15 (12 planned, 14 I51); everyone at M',
        'ics',
        [
          c('ICS', 0, 2 * Y, '0-4'), c('ICS', 0, 2 * Y, '5-9'), c('ICS', 0, Y, '15-19'), c('ICS', 0, Y, '20-24'), c('ICS', 0, Y, '25-29'),
          c('ICS', 1, Y, '35-39'), c('ICS', 1, Y, '70-74'), c('ICS', 1, Y, '80-84'),
        ],
      ],
    ]),
    ...cases(catalogued('emergency-admissions-65'), [
      ['emergency 65+: spells 10, 11 (5) and 13, 14 (6)', 'ics', [c('ICS', 2, Y, '70-74'), c('ICS', 2, Y, '80-84')]],
      ['emergency 65+ by place', 'place', [c('calderdale', 2, Y, '80-84'), c('leeds', 2, Y, '70-74')]],
    ]),
    ...cases(catalogued('ae-attendances-under-5'), [
      ['A&E under 5: attendances 1, 2, 3, 5; population 8 and 9', 'ics', [c('ICS', 4, 2 * Y)]],
      ['A&E under 5 by sex', 'sex', [c('F', 3, Y), c('M', 1, Y)]],
    ]),
    ...cases(catalogued('discharge-to-usual-residence'), [
      ['discharged home or to a care home: 9 of the 10 emergency spells discharged alive in the period (14 to another hospital)', 'ics', [c('ICS', 9, 10)]],
      ['discharge by place', 'place', [c('calderdale', 3, 4), c('leeds', 6, 6)]],
    ]),
    ...cases(catalogued('gp-appointments-per-head'), [['GP appointments: 4 in the period; everyone at M (1-10)', 'ics', [c('ICS', 4, 10 * Y)]]]),
    ...cases(catalogued('gp-appointments-face-to-face'), [
      ['face to face: 2 of 4 (a home visit counts)', 'ics', [c('ICS', 2, 4)]],
      ['face to face by place', 'place', [c('calderdale', 1, 1), c('leeds', 1, 3)]],
    ]),
    ...cases(catalogued('reablement-starts-65'), [['reablement 65+: 5; 6 after the period, 7 is 38; population 5 and 6', 'ics', [c('ICS', 1, 2 * Y)]]]),
    ...cases(catalogued('social-care-requests-65'), [['requests 65+: 5 and 6', 'ics', [c('ICS', 2, 2 * Y)]]]),
  ],
};

const prematureBirths: Spec = {
  name: 'catalogue best start: premature births',
  input: specInput({
    people: [
      [1, 'F', '1990-01-01', LEEDS_1],
      [2, 'F', '1995-01-01', CALDER_1],
      [11, 'F', '2023-05-01', LEEDS_1],
      [12, 'M', '2023-09-01', LEEDS_1],
      [13, 'F', '2023-07-01', CALDER_1],
      [14, 'M', '2024-04-01', CALDER_1],
      [15, 'F', '2023-12-01', CALDER_1],
    ],
    births: [
      [11, 1, '2023-05-01', 2400, 36, null], // premature
      [12, 1, '2023-09-01', 3000, 37, false], // at term
      [13, 2, '2023-07-01', 1500, 32, true], // premature
      [14, 2, '2024-04-01', 2000, 35, null], // after the period
      [15, 2, '2023-12-01', 3200, 40, false],
    ],
  }),
  cases: cases(catalogued('premature-births'), [
    ['under 37 weeks: births 11 and 13 of 11, 12, 13, 15', 'ics', [c('ICS', 2, 4)]],
    ['premature births by place (the mother\'s)', 'place', [c('calderdale', 1, 2), c('leeds', 1, 2)]],
  ]),
};

/** The catalogue activity specs. */
export const activitySpecs: readonly Spec[] = [activity, prematureBirths];
