/**
 * Catalogue admission indicators that select spells by diagnosis and external cause: emergency
 * admissions for intentional self-harm (external cause X60-X84), admissions for alcohol-specific
 * conditions (primary diagnosis, any admission method) and emergency admissions due to falls at 65
 * and over (external cause W00-W19). The catalogue's own definitions are run, so a change to a code
 * list shows here. Period FY (2023/24), midpoint M = 2023-10-01; every cell is split by ESP band.
 */
import { findIndicator, type IndicatorDefinition } from '@openphm/core';
import { CALDER_1, LEEDS_1, LEEDS_2, OUTSIDE, specInput } from '../input.js';
import { Y, c, cases, type Spec } from './common.js';

const catalogued = (id: string): IndicatorDefinition => {
  const definition = findIndicator(id);
  if (!definition) throw new Error(`no catalogue indicator ${id}`);
  return definition;
};

const input = specInput({
  people: [
    [1, 'F', '2005-06-01', LEEDS_1], // 18 at M (15-19); 17 at her first admission
    [2, 'M', '1990-01-01', CALDER_1], // 33 at M (30-34)
    [3, 'F', '1950-01-01', LEEDS_1], // 73 at M (70-74); 74 from 2024-01-01
    [4, 'M', '1958-12-01', LEEDS_2], // 64 at M (not in the 65+ population), 65 at his fall in January
    [5, 'F', '1935-01-01', CALDER_1], // 88 at M (85-89)
    [6, 'F', '1980-01-01', OUTSIDE], // never counted
  ],
  spells: [
    // Self-harm
    [1, 1, '2023-05-01', '2023-05-02', 'emergency', 'home', 'T391', 'X60'], // counted (17: 15-19)
    [2, 1, '2023-09-01', '2023-09-01', 'emergency', 'home', 'S518', 'X78'], // counted (18)
    [3, 2, '2023-07-01', '2023-07-03', 'emergency', 'home', 'T424', 'X84'], // counted: X84 is the last code
    [4, 2, '2023-08-01', '2023-08-02', 'emergency', 'home', 'T424', 'X85'], // assault by drugs: not self-harm
    [5, 2, '2023-08-15', '2023-08-15', 'elective', 'home', 'T424', 'X61'], // not an emergency
    [6, 1, '2023-03-31', '2023-04-02', 'emergency', 'home', 'T391', 'X60'], // admitted before the period
    [7, 6, '2023-06-01', '2023-06-02', 'emergency', 'home', 'T391', 'X61'], // lives outside the partnership
    [8, 3, '2024-01-10', '2024-01-11', 'emergency', 'home', 'T424', 'Y11'], // undetermined intent: not self-harm
    [9, 3, '2024-02-01', '2024-02-02', 'emergency', 'home', 'T424'], // no external cause
    [24, 99, '2023-06-01', '2023-06-02', 'emergency', 'home', 'T391', 'X60'], // not in the person table
    // Falls
    [10, 3, '2023-11-01', '2023-11-05', 'emergency', 'home', 'S720', 'W19'], // counted (73: 70-74)
    [11, 4, '2024-01-15', '2024-01-20', 'emergency', 'home', 'S525', 'W01'], // counted (65 at the admission: 65-69)
    [12, 5, '2023-12-24', '2024-01-02', 'emergency', 'care_home', 'S720', 'W18'], // counted (88)
    [13, 5, '2024-02-01', '2024-02-03', 'emergency', 'home', 'S720', 'W20'], // struck by an object: not a fall
    [14, 5, '2024-03-01', '2024-03-04', 'elective', 'home', 'S720', 'W19'], // not an emergency
    [15, 2, '2023-06-01', '2023-06-01', 'emergency', 'home', 'S525', 'W10'], // 33: under 65
    [16, 5, '2024-03-20', '2024-03-29', 'emergency', 'died', 'S720', 'W00'], // counted: W00 is the first code (89)
    // Alcohol-specific (primary diagnosis, any admission method)
    [17, 2, '2023-10-05', '2023-10-05', 'elective', 'home', 'K703'], // counted (33)
    [18, 2, '2023-11-05', '2023-11-07', 'emergency', 'home', 'F102'], // counted (33)
    [19, 3, '2023-12-05', '2023-12-09', 'emergency', 'home', 'K746'], // cirrhosis not specified as alcoholic: not counted
    [20, 1, '2024-01-05', '2024-01-06', 'emergency', 'home', 'T510', 'X45'], // counted (18)
    [21, 2, '2024-02-10', '2024-02-12', 'emergency', 'home', 'K859'], // acute pancreatitis, unspecified: not counted
    [22, 3, '2024-02-11', '2024-02-14', 'emergency', 'home', 'K852'], // alcohol-induced acute pancreatitis: counted (74)
  ],
});

const admissions: Spec = {
  name: 'catalogue admissions: self-harm and falls by external cause, alcohol-specific by primary diagnosis',
  input,
  cases: [
    ...cases(catalogued('self-harm-admissions'), [
      [
        'self-harm: spells 1, 2, 3; population 1-5 at M by ESP band',
        'ics',
        [c('ICS', 2, Y, '15-19'), c('ICS', 1, Y, '30-34'), c('ICS', 0, Y, '60-64'), c('ICS', 0, Y, '70-74'), c('ICS', 0, Y, '85-89')],
      ],
      ['self-harm by sex', 'sex', [c('F', 2, Y, '15-19'), c('F', 0, Y, '70-74'), c('F', 0, Y, '85-89'), c('M', 1, Y, '30-34'), c('M', 0, Y, '60-64')]],
    ]),
    ...cases(catalogued('falls-admissions-65'), [
      ['falls 65+: spells 10, 11, 12, 16; population 3 and 5 (4 is 64 at M: his fall counts, he does not)', 'ics', [c('ICS', 1, 0, '65-69'), c('ICS', 1, Y, '70-74'), c('ICS', 2, Y, '85-89')]],
      ['falls 65+ by place', 'place', [c('calderdale', 2, Y, '85-89'), c('leeds', 1, 0, '65-69'), c('leeds', 1, Y, '70-74')]],
    ]),
    ...cases(catalogued('alcohol-specific-admissions'), [
      [
        'alcohol-specific: spells 17, 18, 20, 22 (elective too)',
        'ics',
        [c('ICS', 1, Y, '15-19'), c('ICS', 2, Y, '30-34'), c('ICS', 0, Y, '60-64'), c('ICS', 1, Y, '70-74'), c('ICS', 0, Y, '85-89')],
      ],
      ['alcohol-specific by place', 'place', [c('calderdale', 2, Y, '30-34'), c('calderdale', 0, Y, '85-89'), c('leeds', 1, Y, '15-19'), c('leeds', 0, Y, '60-64'), c('leeds', 1, Y, '70-74')]],
    ]),
  ],
};

/** The catalogue admission specs. */
export const admissionSpecs: readonly Spec[] = [admissions];
