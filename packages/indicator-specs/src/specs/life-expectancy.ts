/**
 * life-expectancy specs: deaths by age at death and population at the midpoint, in all 20 bands of
 * the ESP 2013 life table for every group.
 * Dates use the notation of common.ts: period FY (2023/24), last day L, midpoint M, Y years.
 */
import { ESP2013_LIFE_TABLE, type AggregateCell } from '@openphm/core';
import { CALDER_1, LEEDS_1, OUTSIDE, specInput } from '../input.js';
import { Y, c, cases, indicator, type Spec } from './common.js';

/** All 20 ESP 2013 bands of a group: [deaths, population at M] where given, 0 elsewhere. */
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

/** The life-expectancy specs, in reading order. */
export const lifeExpectancySpecs: readonly Spec[] = [lifeExpectancy];
