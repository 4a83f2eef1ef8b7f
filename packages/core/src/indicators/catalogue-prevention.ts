/**
 * Treatment to target, early diagnosis, immunisation and the NHS Health Check: the outcomes the
 * partnership's plans measure (../shared/context/partnership-plans.md; issue 16) from measurements
 * and vaccinations in the GP record (OBSERVATION_CODES: blood pressure, HbA1c, tumour stage,
 * pneumococcal, 6-in-1 and MMR vaccinations, NHS Health Checks), and winter deaths. Every definition uses the measure
 * kinds of definition.ts on the documented schema; catalogue.ts validates them with the rest.
 */
import { OBSERVATION_CODES, type ConditionKey } from '../codelists/conditions.js';
import { MEDICINES } from '../codelists/medicines.js';
import type { IndicatorDefinition, PersonPredicate, PersonScope } from './definition.js';

const YEAR_DAYS = 365;
const FIVE_YEARS = 1826;

/**
 * The registers that make someone ineligible for an NHS Health Check (already under care for
 * cardiovascular risk: NHS Health Check best practice guidance). The generator's health checks
 * (synth OUTCOME_RECORDS.healthCheck.excludedRegisters) leave out the same registers.
 */
export const HEALTH_CHECK_EXCLUDED_REGISTERS: readonly ConditionKey[] = [
  'hypertension', 'diabetes', 'chd', 'stroke', 'heart_failure', 'atrial_fibrillation', 'peripheral_arterial_disease', 'ckd',
];

const onRegister = (condition: ConditionKey): PersonPredicate => ({ kind: 'on-register', condition });

/** The latest systolic and the latest diastolic reading in the last 12 months at or below the limits (whole mmHg, as recorded). */
const bloodPressureAtMost = (systolic: number, diastolic: number): PersonPredicate => ({
  kind: 'all',
  of: [
    { kind: 'latest-value-in', code: OBSERVATION_CODES.systolicBp.code, max: systolic + 1, lookbackDays: YEAR_DAYS },
    { kind: 'latest-value-in', code: OBSERVATION_CODES.diastolicBp.code, max: diastolic + 1, lookbackDays: YEAR_DAYS },
  ],
});

const proportion = (options: {
  readonly id: string;
  readonly title: string;
  readonly definition: string;
  readonly numeratorText: string;
  readonly denominatorText: string;
  readonly dataSource: string;
  readonly population: PersonScope;
  readonly numerator: PersonPredicate;
  readonly themes: readonly string[];
  readonly reference: string;
  readonly fingertips?: IndicatorDefinition['fingertips'];
}): IndicatorDefinition => ({
  id: options.id,
  version: 1,
  title: options.title,
  definition: options.definition,
  numeratorText: options.numeratorText,
  denominatorText: options.denominatorText,
  unit: '%',
  multiplier: 100,
  polarity: 'higher-is-better',
  dataSource: options.dataSource,
  periodYears: 1,
  themes: options.themes,
  reference: options.reference,
  ...(options.fingertips ? { fingertips: options.fingertips } : {}),
  measure: { kind: 'person-proportion', population: options.population, numerator: options.numerator },
});

const CHILDHOOD_DIFFERENCE = 'COVER (UKHSA) counts children registered with a GP who reached the birthday in the year, vaccinated by that birthday; here resident children of that age on the last day, vaccinated by that day';

/** Children of one age on the last day of the period with a vaccination recorded at any time before. */
const childhoodVaccination = (id: string, title: string, age: number, code: string, vaccine: string, reference: string): IndicatorDefinition =>
  proportion({
    id,
    title,
    definition: `Percentage of children aged ${age} on the last day of the period (their ${age === 1 ? 'first' : age === 2 ? 'second' : 'fifth'} birthday in the year before) with ${vaccine} recorded. ${CHILDHOOD_DIFFERENCE}.`,
    numeratorText: `Children aged ${age} with ${vaccine} recorded`,
    denominatorText: `Resident children aged ${age} at the end of the period`,
    dataSource: 'GP clinical record (vaccinations as recorded by the practice); published from the COVER programme (UKHSA)',
    population: { minAge: age, maxAge: age },
    numerator: { kind: 'has-code', codes: [code] },
    themes: ['immunisation', 'children and young people', 'best start'],
    reference,
  });

export const PREVENTION_AND_TREATMENT: readonly IndicatorDefinition[] = [
  // Treated to target (QOF; CVDPREVENT)
  proportion({
    id: 'hypertension-treated-to-target-under-80',
    title: 'Hypertension treated to target, under 80',
    definition:
      'Percentage of people aged 79 or under on the hypertension register (on the last day of the period) whose latest blood pressure reading in the 12 months to that day is 140/90 mmHg or less (systolic and diastolic each the latest recorded; whole mmHg). People with no reading in the 12 months are in the denominator only, as in QOF before personalised care adjustments.',
    numeratorText: 'People under 80 on the hypertension register whose latest blood pressure in the last 12 months is ≤140/90 mmHg',
    denominatorText: 'Resident people aged 79 or under on the hypertension register at the end of the period',
    dataSource: 'GP clinical record (blood pressure readings)',
    population: { maxAge: 79, where: onRegister('hypertension') },
    numerator: bloodPressureAtMost(140, 90),
    themes: ['long-term conditions', 'prevention'],
    reference: 'QOF HYP008; CVDPREVENT (hypertension treated to target, age appropriate); NHS ambition: 80% of people with hypertension treated to target by 2025',
  }),
  proportion({
    id: 'hypertension-treated-to-target-80-plus',
    title: 'Hypertension treated to target, 80 and over',
    definition:
      'Percentage of people aged 80 or over on the hypertension register (on the last day of the period) whose latest blood pressure reading in the 12 months to that day is 150/90 mmHg or less (whole mmHg). People with no reading in the 12 months are in the denominator only.',
    numeratorText: 'People 80+ on the hypertension register whose latest blood pressure in the last 12 months is ≤150/90 mmHg',
    denominatorText: 'Resident people aged 80+ on the hypertension register at the end of the period',
    dataSource: 'GP clinical record (blood pressure readings)',
    population: { minAge: 80, where: onRegister('hypertension') },
    numerator: bloodPressureAtMost(150, 90),
    themes: ['long-term conditions', 'prevention'],
    reference: 'QOF HYP009; CVDPREVENT (hypertension treated to target, age appropriate)',
  }),
  proportion({
    id: 'diabetes-hba1c-58',
    title: 'Diabetes: HbA1c 58 mmol/mol or less',
    definition:
      'Percentage of people on the diabetes register (on the last day of the period) whose latest HbA1c (IFCC, mmol/mol) in the 12 months to that day is 58 or less (whole mmol/mol). People with no HbA1c in the 12 months are in the denominator only. The first of the National Diabetes Audit\'s three treatment targets (all three: diabetes-three-treatment-targets).',
    numeratorText: 'People on the diabetes register whose latest HbA1c in the last 12 months is ≤58 mmol/mol',
    denominatorText: 'Resident people on the diabetes register at the end of the period',
    dataSource: 'GP clinical record (HbA1c results)',
    population: { where: onRegister('diabetes') },
    numerator: { kind: 'latest-value-in', code: OBSERVATION_CODES.hba1c.code, max: 59, lookbackDays: YEAR_DAYS },
    themes: ['long-term conditions'],
    reference: 'QOF DM006/DM020 (IFCC-HbA1c ≤58 mmol/mol in the preceding 12 months); National Diabetes Audit treatment target 1',
  }),

  proportion({
    id: 'diabetes-three-treatment-targets',
    title: 'Diabetes: all three treatment targets',
    definition:
      'Percentage of people on the diabetes register (on the last day of the period) who meet all three of the National Diabetes Audit\'s treatment targets in the 12 months to that day: the latest HbA1c 58 mmol/mol or less, the latest blood pressure 140/80 mmHg or less, and a statin (lipid-regulating drug, BNF 2.12) issued. The audit asks statins of people 40 and over or with cardiovascular disease; here of everyone on the register.',
    numeratorText: 'People on the diabetes register with HbA1c ≤58 mmol/mol, blood pressure ≤140/80 mmHg (latest in 12 months) and a statin issued in 12 months',
    denominatorText: 'Resident people on the diabetes register at the end of the period',
    dataSource: 'GP clinical record (HbA1c, blood pressure) and prescribing',
    population: { where: onRegister('diabetes') },
    numerator: {
      kind: 'all',
      of: [
        { kind: 'latest-value-in', code: OBSERVATION_CODES.hba1c.code, max: 59, lookbackDays: YEAR_DAYS },
        bloodPressureAtMost(140, 80),
        { kind: 'has-event', lookbackDays: YEAR_DAYS, events: { table: 'medication', dateColumn: 'issue_date', filters: [{ column: 'bnf_code', op: 'prefix', values: [MEDICINES.lipidRegulating.code] }] } },
      ],
    },
    themes: ['long-term conditions'],
    reference: 'National Diabetes Audit: all three treatment targets (HbA1c ≤58 mmol/mol, blood pressure ≤140/80 mmHg, statins); NHS Long Term Plan diabetes ambitions',
  }),

  // Early diagnosis of cancer
  {
    id: 'cancer-diagnosed-early',
    version: 1,
    title: 'Cancers diagnosed at stage 1 or 2',
    definition:
      'Percentage of new cancers diagnosed in the period (the stage recorded at diagnosis) that were at stage 1 or 2. Cancers recorded as not staged are in the denominator, as Fingertips counts cancers of unknown stage.',
    numeratorText: 'New cancers diagnosed in the period at stage 1 or 2',
    denominatorText: 'New cancers diagnosed in the period (stage recorded, or recorded as not staged)',
    unit: '%',
    multiplier: 100,
    polarity: 'higher-is-better',
    dataSource: 'National Cancer Registration (stage at diagnosis); here the stage in the GP record',
    periodYears: 1,
    themes: ['cancer'],
    reference: 'NHS Long Term Plan: 75% of cancers diagnosed at stage 1 or 2 by 2028; OHID Fingertips 93671 (from the Fingertips site, not checked here)',
    fingertips: {
      id: 93671,
      sex: 'Persons',
      age: 'All ages',
      difference: 'Fingertips (National Disease Registration Service) counts registered cancers of the stageable sites diagnosed in calendar years; here every cancer register diagnosis in the period with its stage record',
    },
    breakdowns: ['ics', 'place', 'local-authority', 'neighbourhood', 'imd-decile', 'imd-quintile', 'age-band', 'sex', 'ethnic-group'],
    measure: {
      kind: 'event-proportion',
      events: { table: 'clinical_event', dateColumn: 'event_date', filters: [{ column: 'snomed_code', op: 'in', values: [OBSERVATION_CODES.tumourStage.code] }] },
      numerator: { kind: 'filters', filters: [{ column: 'numeric_value', op: 'between', min: 1, max: 2 }] },
    },
  },

  // Immunisation
  proportion({
    id: 'pneumococcal-vaccination-65',
    title: 'Pneumococcal vaccination (PPV), 65 and over',
    definition: 'Percentage of people aged 65 and over on the last day of the period who have had the pneumococcal polysaccharide vaccine at any time (recorded in the GP record).',
    numeratorText: 'People 65+ with a pneumococcal vaccination recorded',
    denominatorText: 'Resident people aged 65+ at the end of the period',
    dataSource: 'GP clinical record (vaccinations as recorded by the practice)',
    population: { minAge: 65 },
    numerator: { kind: 'has-code', codes: [OBSERVATION_CODES.pneumococcalVaccination.code] },
    themes: ['immunisation', 'prevention'],
    reference: 'PHOF D06c; UKHSA pneumococcal polysaccharide vaccine coverage; OHID Fingertips 30313 (from the Fingertips site, not checked here)',
    fingertips: { id: 30313, sex: 'Persons', age: '65+ yrs', difference: 'Fingertips (UKHSA) counts GP-registered patients 65+ vaccinated at any time by 31 March; here resident people' },
  }),
  childhoodVaccination(
    'dtap-ipv-hib-vaccination-1',
    'DTaP/IPV/Hib/HepB (6-in-1) vaccination, 1 year old',
    1,
    OBSERVATION_CODES.sixInOneThird.code,
    'the third dose of the 6-in-1 vaccine',
    'PHOF D03a population vaccination coverage, Dtap/IPV/Hib (1 year old); UKHSA COVER; Fingertips id not checked here',
  ),
  childhoodVaccination(
    'mmr-vaccination-one-dose-2',
    'MMR vaccination, one dose, 2 years old',
    2,
    OBSERVATION_CODES.mmrFirst.code,
    'a first dose of MMR',
    'PHOF D03d population vaccination coverage, MMR for one dose (2 years old): England 89.3% in 2022/23 (../shared/data/benchmarks, no Fingertips id there)',
  ),
  childhoodVaccination(
    'mmr-vaccination-two-doses-5',
    'MMR vaccination, two doses, 5 years old',
    5,
    OBSERVATION_CODES.mmrSecond.code,
    'a second dose of MMR',
    'PHOF D03j population vaccination coverage, MMR for two doses (5 years old): England 84.5% in 2022/23 (../shared/data/benchmarks, no Fingertips id there); WHO target 95%',
  ),

  // Winter mortality
  {
    id: 'winter-deaths-share',
    version: 1,
    title: 'Deaths in winter (December to March)',
    definition:
      'Percentage of the deaths of a financial year (April to March) that occurred in its four winter months, December to March (all ages). With no winter excess the four months would hold about a third of the deaths (121 of 365 days, 33.2%). The ONS excess winter mortality index, which compares December-March with the average of the four months before and the four after, is close to 2p / (1 − p) − 1 for a share p (37% gives about 17%).',
    numeratorText: 'Deaths in December to March of the period',
    denominatorText: 'All deaths in the period',
    unit: '%',
    multiplier: 100,
    polarity: 'lower-is-better',
    dataSource: 'ONS death registrations (date of death)',
    periodYears: 1,
    themes: ['mortality', 'independence'],
    reference: 'ONS excess winter mortality; OHID Fingertips 90641 (excess winter deaths index, from the Fingertips site, not checked here): not compared, an index over August-July years',
    breakdowns: ['ics', 'place', 'local-authority', 'imd-decile', 'imd-quintile', 'age-band', 'sex'],
    measure: {
      kind: 'event-proportion',
      events: { table: 'death', dateColumn: 'date_of_death' },
      numerator: { kind: 'filters', filters: [{ column: 'date_of_death', op: 'month-in', values: [12, 1, 2, 3] }] },
    },
  },

  // NHS Health Check
  proportion({
    id: 'nhs-health-check-received',
    title: 'NHS Health Checks received, eligible people 40-74',
    definition: `Percentage of people aged 40 to 74 on the last day of the period, on none of the registers that make someone ineligible (${HEALTH_CHECK_EXCLUDED_REGISTERS.join(', ').replace(/_/g, ' ')}), with an NHS Health Check recorded in the five years to that day.`,
    numeratorText: 'Eligible people 40-74 with an NHS Health Check in the last five years',
    denominatorText: 'Resident people aged 40-74 on none of the excluding registers at the end of the period',
    dataSource: 'GP clinical record (NHS Health Checks recorded by the practice or the provider)',
    population: { minAge: 40, maxAge: 74, where: { kind: 'not', predicate: { kind: 'any', of: HEALTH_CHECK_EXCLUDED_REGISTERS.map(onRegister) } } },
    numerator: { kind: 'has-code', codes: [OBSERVATION_CODES.healthCheck.code], lookbackDays: FIVE_YEARS },
    themes: ['prevention'],
    reference: 'OHID NHS Health Check profile: cumulative percentage of the eligible population aged 40-74 who received an NHS Health Check (Fingertips 91113, with 91112 those offered; from the Fingertips site, not checked here)',
  }),
];
