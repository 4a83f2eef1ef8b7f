/**
 * Catalogue coverage indicators (person-proportion on the last day L = 2024-03-31): screening
 * within each programme's interval, flu vaccination in the season (from 1 September, 213 days back),
 * carers identified, smoking among people with SMI, and the registers added with them. The lookback
 * edges: 36 months from 2021-04-01, 3.5 years from 2020-10-01, 5.5 years from 2018-10-01, 30 months
 * from 2021-10-01, the season from 2023-09-01 (each day before is outside).
 */
import { CARE_GAP_RULES, CONDITIONS } from '@openphm/core';
import { CALDER_1, CALDER_2, LEEDS_1, LEEDS_2, specInput } from '../input.js';
import { ASTHMA, CARER, CURRENT, DIABETES, EX, HYPERTENSION, c, cases, catalogued, code, type Spec } from './common.js';

const done = (rule: string): string => CARE_GAP_RULES.find((r) => r.id === rule)!.codes[0]!;
const BREAST = done('breast-screening');
const CERVICAL = done('cervical-screening-25-49');
const BOWEL = done('bowel-screening');
const FLU = done('flu-vaccination');
const SCHIZOPHRENIA = code('smi');
const BIPOLAR = code('smi', 1);
const PALLIATIVE = CONDITIONS.palliative_care.codes[0]!.code;
const EPILEPSY = CONDITIONS.epilepsy.codes[0]!.code;
const NDH = CONDITIONS.non_diabetic_hyperglycaemia.codes[0]!.code;

const input = specInput({
  people: [
    [1, 'F', '1960-01-01', LEEDS_1], // 64
    [2, 'F', '1971-03-31', LEEDS_1], // 53 on L
    [3, 'F', '1953-04-01', LEEDS_2], // 70 on L (71 the day after)
    [4, 'F', '1953-03-31', LEEDS_2], // 71 on L
    [5, 'M', '1960-01-01', CALDER_1], // 64
    [6, 'F', '1990-01-01', CALDER_1], // 34
    [7, 'F', '1999-04-01', CALDER_2], // 24 on L (25 the day after)
    [8, 'F', '1974-06-01', LEEDS_1], // 49
    [9, 'M', '1950-01-01', LEEDS_2], // 74
    [10, 'F', '1940-01-01', CALDER_1], // 84
    [11, 'M', '1958-01-01', LEEDS_1], // 66
    [12, 'M', '1980-01-01', LEEDS_1], // 44, asthma
    [13, 'F', '1985-01-01', CALDER_1], // 39, diabetes
    [14, 'M', '1970-01-01', CALDER_2], // 54, carer
    [15, 'F', '2005-01-01', LEEDS_2], // 19, carer
    [16, 'M', '2008-04-01', LEEDS_1], // 15 on L, carer
    [17, 'M', '1975-01-01', LEEDS_2], // 49, hypertension (not a flu risk group)
    [18, 'F', '1980-01-01', LEEDS_1], // 44, SMI, ex-smoker now
    [19, 'M', '1975-01-01', CALDER_1], // 49, SMI (bipolar), smoker
    [20, 'M', '1985-01-01', LEEDS_2], // 39, SMI, no smoking status
  ],
  clinical: [
    [1, '2021-04-01', BREAST], // first day of the 36 months
    [1, '2018-10-01', CERVICAL], // first day of the 5.5 years
    [2, '2021-03-31', BREAST], // the day before the 36 months
    [2, '2018-09-30', CERVICAL], // the day before the 5.5 years
    [4, '2023-01-01', BREAST], // 71: not in the population
    [4, '2024-04-01', BOWEL], // after L
    [4, '2023-08-31', FLU], // the day before the season
    [5, '2021-10-01', BOWEL], // first day of the 30 months
    [5, '2022-01-01', NDH],
    [6, '2020-10-01', CERVICAL], // first day of the 3.5 years
    [7, '2023-01-01', CERVICAL], // 24: not in the population
    [8, '2020-09-30', CERVICAL], // the day before the 3.5 years
    [9, '2021-09-30', BOWEL], // the day before the 30 months
    [9, '2023-09-01', FLU], // first day of the season
    [10, '2023-03-31', FLU], // last season
    [10, '2024-01-01', PALLIATIVE],
    [3, '2024-04-01', PALLIATIVE], // after L
    [11, '2024-03-31', FLU], // on L
    [12, '2000-01-01', ASTHMA],
    [12, '2023-10-15', FLU],
    [12, '2019-01-01', EPILEPSY],
    [12, '2023-01-01', CURRENT], // not on the SMI register
    [13, '2010-01-01', DIABETES],
    [14, '2015-01-01', CARER],
    [14, '2023-11-01', FLU],
    [15, '2022-01-01', CARER],
    [16, '2023-01-01', CARER], // 15: not 16 yet
    [16, '2020-01-01', EPILEPSY], // 15: not an adult
    [17, '2010-01-01', HYPERTENSION],
    [17, '2023-10-01', FLU],
    [18, '2010-01-01', SCHIZOPHRENIA],
    [18, '2020-01-01', CURRENT],
    [18, '2023-06-01', EX], // latest: ex-smoker
    [19, '2015-01-01', BIPOLAR],
    [19, '2022-01-01', CURRENT],
    [20, '2012-01-01', SCHIZOPHRENIA],
  ],
});

const coverage: Spec = {
  name: 'catalogue coverage: screening, flu vaccination, carers, smoking with SMI, registers',
  input,
  cases: [
    ...cases(catalogued('breast-screening-coverage'), [
      ['breast: women 53-70 are 1, 2, 3; 1 screened on the first day of the 36 months', 'ics', [c('ICS', 1, 3)]],
      ['breast by IMD decile', 'imd-decile', [c('1', 1, 2), c('4', 0, 1)]],
    ]),
    ...cases(catalogued('cervical-screening-25-49'), [
      ['cervical 25-49: women 6, 8, 13, 18; 6 on the first day of the 3.5 years, 8 the day before', 'ics', [c('ICS', 1, 4)]],
      ['cervical 25-49 by place', 'place', [c('calderdale', 1, 2), c('leeds', 0, 2)]],
    ]),
    ...cases(catalogued('cervical-screening-50-64'), [['cervical 50-64: women 1, 2; 1 on the first day of the 5.5 years', 'ics', [c('ICS', 1, 2)]]]),
    ...cases(catalogued('bowel-screening-coverage'), [
      ['bowel 60-74: 1, 3, 4, 5, 9, 11; 5 on the first day of the 30 months, 9 the day before, 4 after L', 'ics', [c('ICS', 1, 6)]],
      ['bowel by sex', 'sex', [c('F', 0, 3), c('M', 1, 3)]],
    ]),
    ...cases(catalogued('flu-vaccination-65'), [
      ['flu 65+: 3, 4, 9, 10, 11; 9 on 1 September, 11 on L; 4 the day before the season, 10 last season', 'ics', [c('ICS', 2, 5)]],
      ['flu 65+ by age band', 'age-band', [c('65-74', 2, 4), c('75-84', 0, 1)]],
    ]),
    ...cases(catalogued('flu-vaccination-at-risk'), [
      ['flu at risk: 12 (asthma, vaccinated), 13 (diabetes), 18, 19, 20 (SMI); 17 (hypertension) is not a risk group', 'ics', [c('ICS', 1, 5)]],
      ['flu at risk by place', 'place', [c('calderdale', 0, 2), c('leeds', 1, 3)]],
    ]),
    ...cases(catalogued('flu-vaccination-carers'), [['flu carers 18-64: 14 (vaccinated) and 15; 16 is 15', 'ics', [c('ICS', 1, 2)]]]),
    ...cases(catalogued('carers-identified'), [
      ['carers 16+: 14 and 15 of the 19 people aged 16+ (16 is 15)', 'ics', [c('ICS', 2, 19)]],
      ['carers by sex', 'sex', [c('F', 1, 11), c('M', 1, 8)]],
    ]),
    ...cases(catalogued('smoking-prevalence-smi'), [['smoking with SMI: 18 (now ex) and 19 (smoker); 20 has no status, 12 is not on the register', 'ics', [c('ICS', 1, 2)]]]),
    ...cases(catalogued('prevalence-palliative-care'), [['palliative care: 10 of all 20 (3 is added after L)', 'ics', [c('ICS', 1, 20)]]]),
    ...cases(catalogued('prevalence-epilepsy'), [['epilepsy 18+: 12 of 19 adults (16 is 15)', 'ics', [c('ICS', 1, 19)]]]),
    ...cases(catalogued('prevalence-non-diabetic-hyperglycaemia'), [['non-diabetic hyperglycaemia 18+: 5 of 19 adults', 'ics', [c('ICS', 1, 19)]]]),
  ],
};

/** The catalogue coverage specs. */
export const coverageSpecs: readonly Spec[] = [coverage];
