/**
 * The has-event person predicate: a person has at least one event of an event spec (its table,
 * filters and ages at the event) dated on or before the reference day and within the lookback
 * (day − lookbackDays, day]; and the catalogue's mental health access indicators built on it.
 * Period FY (2023/24): on L = 2024-03-31 the last 365 days start on 2023-04-02 (2024 is a leap year);
 * at M = 2023-10-01 the last 90 days start on 2023-07-04.
 */
import { CALDER_1, CALDER_2, LEEDS_1, LEEDS_2, OUTSIDE, specInput } from '../input.js';
import { Y, c, cases, catalogued, code, indicator, type Spec } from './common.js';

const SMI = code('smi');

const input = specInput({
  people: [
    [1, 'F', '2010-01-01', LEEDS_1], // 14
    [2, 'M', '2012-01-01', LEEDS_1], // 12
    [3, 'F', '2015-01-01', CALDER_1], // 9
    [4, 'M', '2006-04-01', CALDER_2], // 17 on L
    [5, 'F', '2006-03-31', LEEDS_2], // 18 on L, 17 at her contact
    [6, 'M', '1980-01-01', LEEDS_1], // 44, SMI
    [7, 'F', '1975-01-01', CALDER_1], // 49, SMI
    [8, 'M', '1990-01-01', LEEDS_2], // 34
    [9, 'M', '1999-01-01', OUTSIDE], // lives outside the partnership
    [10, 'F', '2020-01-01', LEEDS_2], // 4, no contact
    [11, 'M', '1960-01-01', LEEDS_1], // died before L
  ],
  deaths: [[11, '2024-01-01']],
  clinical: [
    [6, '2010-01-01', SMI],
    [7, '2015-01-01', SMI],
  ],
  mentalHealth: [
    [1, '2023-04-02', 'talking-therapies'], // first day of the 365 days
    [2, '2023-04-01', 'talking-therapies'], // the day before
    [3, '2024-04-01', 'crisis'], // after L
    [3, '2024-03-31', 'crisis'], // on L
    [4, '2023-06-01', 'community-mental-health'],
    [5, '2023-09-01', 'talking-therapies'],
    [6, '2023-05-01', 'community-mental-health'],
    [7, '2023-07-01', 'crisis'], // not community mental health
    [7, '2022-01-01', 'talking-therapies'], // over a year before L
    [8, '2023-12-01', 'talking-therapies'],
    [9, '2023-06-01', 'talking-therapies'],
    [11, '2023-05-01', 'talking-therapies'],
  ],
});

const CONTACT = { table: 'mental_health_contact', dateColumn: 'contact_date' } as const;
const TALKING = { ...CONTACT, filters: [{ column: 'service', op: 'in' as const, values: ['talking-therapies'] }] };

const hasEvent: Spec = {
  name: 'person predicates: has-event (window, filters, ages at the event), and mental health access',
  input,
  cases: [
    ...cases(indicator({ kind: 'person-proportion', population: { minAge: 18 }, numerator: { kind: 'has-event', events: { ...CONTACT, maxAge: 17 } } }), [
      ['adults with a contact while under 18 (any date): 5, of 5, 6, 7, 8 (11 died)', 'ics', [c('ICS', 1, 4)]],
    ]),
    ...cases(indicator({ kind: 'person-proportion', population: {}, numerator: { kind: 'not', predicate: { kind: 'has-event', events: CONTACT } } }), [
      ['nobody with a contact on or before L: 10, of the 9 residents', 'ics', [c('ICS', 1, 9)]],
    ]),
    ...cases(indicator({ kind: 'event-rate', standardisation: 'none', population: { where: { kind: 'has-event', events: TALKING, lookbackDays: 90 } }, events: CONTACT }), [
      ['contacts of people with talking therapies in the 90 days to M: person 5 only (8 is after M, 11 before the 90 days)', 'ics', [c('ICS', 1, Y)]],
    ]),
    ...cases(catalogued('cyp-mental-health-access'), [
      ['CYP access: 1 (first day), 3 (on L), 4 (17); not 2 (the day before), 10', 'ics', [c('ICS', 3, 5)]],
      ['CYP access by place', 'place', [c('calderdale', 2, 2), c('leeds', 1, 3)]],
    ]),
    ...cases(catalogued('talking-therapies-access'), [
      ['talking therapies 18+: 5 and 8 of 5, 6, 7, 8 (7 was over a year before)', 'ics', [c('ICS', 2, 4)]],
      ['talking therapies by sex', 'sex', [c('F', 1, 2), c('M', 1, 2)]],
    ]),
    ...cases(catalogued('smi-community-mental-health-contact'), [['SMI: 6 had community mental health care, 7 crisis care only', 'ics', [c('ICS', 1, 2)]]]),
  ],
};

/** The has-event specs. */
export const hasEventSpecs: readonly Spec[] = [hasEvent];
