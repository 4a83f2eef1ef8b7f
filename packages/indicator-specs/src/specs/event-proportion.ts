/**
 * event-proportion specs: events in the period with a numerator among them: filters (births,
 * attributed to the mother), duration-at-most (A&E four hours) and followed-by (readmissions).
 * Dates use the notation of common.ts: period FY (2023/24), last day L, midpoint M, Y years.
 */
import { CALDER_1, LEEDS_1, OUTSIDE, specInput } from '../input.js';
import { c, cases, indicator, type Spec } from './common.js';

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

/** The event-proportion specs, in reading order. */
export const eventProportionSpecs: readonly Spec[] = [births, fourHours, readmissions];
