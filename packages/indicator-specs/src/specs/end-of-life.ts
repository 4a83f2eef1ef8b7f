/**
 * Catalogue end-of-life indicators: where people die (event-proportion over the death table by
 * place_of_death), for every death, deaths at 65 and over, and deaths from dementia at 65 and over.
 * Period FY (2023/24); a death counts in the period it happens, at the age it happens.
 */
import { CALDER_1, CALDER_2, LEEDS_1, LEEDS_2, OUTSIDE, specInput } from '../input.js';
import { c, cases, catalogued, type Spec } from './common.js';

const input = specInput({
  people: [
    [1, 'F', '1940-01-01', LEEDS_1], // dies at 83 at home
    [2, 'M', '1950-05-01', LEEDS_2], // dies at 73 in hospital
    [3, 'F', '1930-01-01', CALDER_1], // dies at 94 of dementia (F03X) in a care home
    [4, 'M', '1935-01-01', CALDER_1], // dies at 88 of Alzheimer's disease (G309) in hospital
    [5, 'F', '1990-01-01', LEEDS_1], // dies at 33 elsewhere
    [6, 'M', '1945-01-01', CALDER_2], // dies the day after the period
    [7, 'F', '1960-04-01', LEEDS_1], // dies at 63 in a hospice, on the first day of the period
    [8, 'M', '1940-01-01', OUTSIDE], // lives outside the partnership
    [9, 'F', '1940-01-01', LEEDS_2], // dies the day before the period
    [10, 'M', '1944-01-01', LEEDS_2], // dies at 80 of vascular dementia (F019) at home, on the last day
  ],
  deaths: [
    [1, '2023-06-01', 'I219', 'home'],
    [2, '2023-08-01', 'C349', 'hospital'],
    [3, '2024-01-10', 'F03X', 'care_home'],
    [4, '2023-12-01', 'G309', 'hospital'],
    [5, '2023-05-01', 'X700', 'other'],
    [6, '2024-04-01', 'I219', 'home'],
    [7, '2023-04-01', 'C509', 'hospice'],
    [8, '2023-07-01', 'I219', 'home'],
    [9, '2023-03-31', 'I219', 'hospital'],
    [10, '2024-03-31', 'F019', 'home'],
  ],
});

const placeOfDeath: Spec = {
  name: 'catalogue end of life: place of death',
  input,
  cases: [
    ...cases(catalogued('deaths-usual-place-of-residence'), [
      ['usual residence: deaths 1, 3, 10 of 1, 2, 3, 4, 5, 7, 10 (hospice is not usual residence)', 'ics', [c('ICS', 3, 7)]],
      ['usual residence by place', 'place', [c('calderdale', 1, 2), c('leeds', 2, 5)]],
    ]),
    ...cases(catalogued('deaths-usual-place-of-residence-65'), [
      ['65+: deaths 1, 3, 10 of 1, 2, 3, 4, 10 (5 is 33, 7 is 63)', 'ics', [c('ICS', 3, 5)]],
      ['65+ by sex', 'sex', [c('F', 2, 2), c('M', 1, 3)]],
    ]),
    ...cases(catalogued('deaths-in-hospital'), [
      ['in hospital: deaths 2 and 4 (9 was before the period)', 'ics', [c('ICS', 2, 7)]],
      ['in hospital by IMD decile', 'imd-decile', [c('1', 0, 3), c('10', 1, 2), c('4', 1, 2)]],
    ]),
    ...cases(catalogued('deaths-in-hospital-dementia-65'), [
      ['dementia 65+: death 4 in hospital of 3, 4, 10 (F03X, G309, F019)', 'ics', [c('ICS', 1, 3)]],
      ['dementia 65+ by place', 'place', [c('calderdale', 1, 2), c('leeds', 0, 1)]],
    ]),
  ],
};

/** The catalogue end-of-life specs. */
export const endOfLifeSpecs: readonly Spec[] = [placeOfDeath];
