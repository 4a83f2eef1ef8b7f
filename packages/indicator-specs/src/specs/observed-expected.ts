/**
 * observed-expected specs: people with the predicate over the sum of age-sex expected rates of the
 * population on the last day.
 * Dates use the notation of common.ts: period FY (2023/24), last day L, midpoint M, Y years.
 */
import { LEEDS_1, specInput } from '../input.js';
import { c, cases, code, indicator, type Spec } from './common.js';

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

/** The observed-expected specs, in reading order. */
export const observedExpectedSpecs: readonly Spec[] = [observedExpected];
