/**
 * event-rate specs: events in the period over the population at its midpoint × years, crude and
 * directly standardised (ESP 2013), with the scope applied on both sides.
 * Dates use the notation of common.ts: period FY (2023/24), last day L, midpoint M, Y years.
 */
import { CALDER_1, LEEDS_1, LEEDS_2, OUTSIDE, specInput } from '../input.js';
import { Y, c, cases, code, indicator, type Spec } from './common.js';

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

/** The event-rate specs, in reading order. */
export const eventRateSpecs: readonly Spec[] = [crudeRate, scopedRate, standardised];
