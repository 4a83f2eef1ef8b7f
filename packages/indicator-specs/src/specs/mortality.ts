/**
 * Catalogue mortality indicators (event-rate over the death table): under 75 from all causes, from
 * causes considered preventable and from liver disease, alcohol-specific deaths at every age, under
 * 75 among adults on the SMI and learning disability registers (the register held at the midpoint,
 * for deaths and population alike), and infant deaths. Period FY (2023/24), midpoint M = 2023-10-01;
 * deaths are placed in ESP bands by the age at death, the population by the age at M (Y years each).
 */
import { CALDER_1, CALDER_2, LEEDS_1, LEEDS_2, OUTSIDE, specInput } from '../input.js';
import { Y, c, cases, catalogued, code, type Spec } from './common.js';

const SMI = code('smi');
const LD = code('learning_disability');

const input = specInput({
  people: [
    [1, 'F', '1960-01-01', LEEDS_1], // dies at 63 of alcoholic liver disease (K703) before M
    [2, 'M', '1970-01-01', LEEDS_1], // 53 at M, SMI; dies at 54 (I219)
    [3, 'F', '1980-06-01', CALDER_1], // 43 at M, SMI
    [4, 'M', '1940-01-01', CALDER_1], // 83 at M; dies at 84 of liver cancer (C220)
    [5, 'F', '2023-05-01', LEEDS_2], // 0 at M; dies at 0 (P072)
    [6, 'M', '2023-12-01', LEEDS_2], // born after M; dies at 0 (P369)
    [7, 'F', '1990-01-01', LEEDS_2], // dies at 33 of alcohol poisoning (X45) before M
    [8, 'M', '1955-01-01', OUTSIDE], // lives outside the partnership
    [9, 'F', '1950-01-01', LEEDS_1], // 73 at M, learning disability
    [10, 'M', '1952-01-01', LEEDS_1], // 71 at M, learning disability; dies at 71 (G409)
    [11, 'M', '2022-12-01', CALDER_2], // 0 at M
    [12, 'F', '1949-01-01', CALDER_2], // 74 at M; dies at 75 (J440): not under 75
    [13, 'M', '1985-01-01', CALDER_1], // 38 at M; SMI diagnosed after M
  ],
  deaths: [
    [1, '2023-06-01', 'K703'],
    [2, '2024-02-01', 'I219'],
    [4, '2024-01-05', 'C220'],
    [5, '2023-11-01', 'P072'],
    [6, '2024-01-15', 'P369'],
    [7, '2023-09-01', 'X45'],
    [8, '2023-06-01', 'K703'],
    [10, '2023-11-11', 'G409'],
    [12, '2024-03-01', 'J440'],
  ],
  clinical: [
    [2, '2010-01-01', SMI],
    [3, '2015-01-01', SMI],
    [9, '2000-01-01', LD],
    [10, '2000-01-01', LD],
    [13, '2023-12-01', SMI],
  ],
});

/** The population under 75 at M by ESP band (5 and 11; 13; 3; 2; 9, 10 and 12), with `deaths` added to the numerators. */
const under75 = (deaths: Readonly<Record<string, number>>) => {
  const population: Record<string, number> = { '0-4': 2, '35-39': 1, '40-44': 1, '50-54': 1, '70-74': 3 };
  const bands = [...new Set([...Object.keys(population), ...Object.keys(deaths)])];
  return bands.map((band) => c('ICS', deaths[band] ?? 0, (population[band] ?? 0) * Y, band));
};

const mortality: Spec = {
  name: 'catalogue mortality: under 75, preventable, liver, alcohol-specific, registers, infants',
  input,
  cases: [
    ...cases(catalogued('premature-mortality-all-causes'), [
      ['under 75, all causes: deaths 1, 2, 5, 6, 7, 10 (12 died at 75)', 'ics', under75({ '0-4': 2, '30-34': 1, '50-54': 1, '60-64': 1, '70-74': 1 })],
      [
        'under 75 by place',
        'place',
        [
          c('calderdale', 0, Y, '0-4'), c('calderdale', 0, Y, '35-39'), c('calderdale', 0, Y, '40-44'), c('calderdale', 0, Y, '70-74'),
          c('leeds', 2, Y, '0-4'), c('leeds', 1, 0, '30-34'), c('leeds', 1, Y, '50-54'), c('leeds', 1, 0, '60-64'), c('leeds', 1, 2 * Y, '70-74'),
        ],
      ],
    ]),
    ...cases(catalogued('premature-mortality-preventable'), [['preventable: 1 (K703) and 7 (X45); not I219, P072, P369, G409', 'ics', under75({ '30-34': 1, '60-64': 1 })]]),
    ...cases(catalogued('premature-mortality-liver'), [['liver: 1 (K703); 4 (C220) was 84', 'ics', under75({ '60-64': 1 })]]),
    ...cases(catalogued('alcohol-specific-mortality'), [
      [
        'alcohol-specific, all ages: 1 (K703) and 7 (X45); population at M includes 4 (83)',
        'ics',
        [...under75({ '30-34': 1, '60-64': 1 }), c('ICS', 0, Y, '80-84')],
      ],
    ]),
    ...cases(catalogued('premature-mortality-smi'), [['SMI 18-74: death 2; population 2 and 3 (13 is on the register only after M)', 'ics', [c('ICS', 0, Y, '40-44'), c('ICS', 1, Y, '50-54')]]]),
    ...cases(catalogued('premature-mortality-learning-disability'), [['learning disability 18-74: death 10; population 9 and 10', 'ics', [c('ICS', 1, 2 * Y, '70-74')]]]),
    ...cases(catalogued('infant-mortality'), [
      ['infants: deaths 5 and 6; population under 1 at M: 5 and 11', 'ics', [c('ICS', 2, 2 * Y)]],
      ['infants by sex', 'sex', [c('F', 1, Y), c('M', 1, Y)]],
    ]),
  ],
};

/** The catalogue mortality specs. */
export const mortalitySpecs: readonly Spec[] = [mortality];
