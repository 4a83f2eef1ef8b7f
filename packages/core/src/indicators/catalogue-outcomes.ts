/**
 * The rest of the outcomes framework the partnership's plans measure (../shared/context/partnership-plans.md;
 * issue 16): end of life, screening, immunisation, carers, avoidable and premature mortality,
 * children's and young people's admissions, ambulatory care sensitive admissions, discharge,
 * primary care, social care and best start. Every definition uses the measure kinds of
 * definition.ts on the documented schema; catalogue.ts validates them with the rest.
 */
import { OBSERVATION_CODES } from '../codelists/conditions.js';
import { CARE_GAP_RULES, FLU_RISK_CONDITIONS } from '../care/care-gaps.js';
import type { Breakdown, IndicatorDefinition, PersonPredicate, PersonScope } from './definition.js';
import {
  ALCOHOL_SPECIFIC_DEATH_CAUSES,
  ALCOHOL_SPECIFIC_DIAGNOSES,
  CHRONIC_ACSC_DIAGNOSES,
  DEMENTIA_CAUSES,
  LIVER_DISEASE_CAUSES,
  PREVENTABLE_CAUSES,
  SELF_HARM_CAUSES,
} from './cause-codes.js';

/** The codes a care-gap rule (core's care/care-gaps.ts) records being done: the same codes the worklists look for. */
const careGapCodes = (ruleId: string): string[] => {
  const rule = CARE_GAP_RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no care-gap rule ${ruleId}`);
  return [...rule.codes];
};
const FLU = careGapCodes('flu-vaccination');
const CARER = OBSERVATION_CODES.carer.code;
const SMOKING_CODES = [OBSERVATION_CODES.currentSmoker.code, OBSERVATION_CODES.exSmoker.code, OBSERVATION_CODES.neverSmoked.code];

/** Breakdowns of an indicator about one sex (every breakdown but sex). */
const NOT_BY_SEX: readonly Breakdown[] = ['ics', 'place', 'local-authority', 'neighbourhood', 'lsoa', 'imd-decile', 'imd-quintile', 'age-band', 'ethnic-group'];
/** Breakdowns of an indicator of few events a year (deaths, rare admissions): no LSOA. */
const NO_LSOA: readonly Breakdown[] = ['ics', 'place', 'local-authority', 'neighbourhood', 'imd-decile', 'imd-quintile', 'age-band', 'sex', 'ethnic-group'];

/** From 1 September to 31 March (213 days back from the last day of a financial year, leap or not): one flu season. */
const FLU_SEASON_DAYS = 213;

// ---------------------------------------------------------------------------------------------
// End of life: where people die.

const PLACE_DIFFERENCE = 'Fingertips (ONS) counts deaths registered in calendar years, with usual residence home, care home or religious establishment; here deaths in the period, at home or in a care home';

const placeOfDeath = (
  id: string,
  title: string,
  definition: string,
  numerator: { readonly text: string; readonly places: readonly string[] },
  denominator: { readonly text: string; readonly minAge?: number; readonly causes?: readonly string[] },
  polarity: IndicatorDefinition['polarity'],
  extra: Pick<IndicatorDefinition, 'fingertips' | 'reference'>,
): IndicatorDefinition => ({
  id,
  version: 1,
  title,
  definition,
  numeratorText: numerator.text,
  denominatorText: denominator.text,
  unit: '%',
  multiplier: 100,
  polarity,
  dataSource: 'ONS death registrations (place of death)',
  periodYears: 1,
  themes: ['end of life'],
  breakdowns: NO_LSOA,
  ...extra,
  measure: {
    kind: 'event-proportion',
    events: {
      table: 'death',
      dateColumn: 'date_of_death',
      ...(denominator.minAge === undefined ? {} : { minAge: denominator.minAge }),
      ...(denominator.causes === undefined ? {} : { filters: [{ column: 'underlying_cause', op: 'prefix' as const, values: [...denominator.causes] }] }),
    },
    numerator: { kind: 'filters', filters: [{ column: 'place_of_death', op: 'in', values: [...numerator.places] }] },
  },
});

// ---------------------------------------------------------------------------------------------
// Screening and vaccination coverage: people of an age (and sex) with the programme's code recorded
// within its interval, on the last day of the period (31 March for a financial year, as Fingertips).

const coverage = (options: {
  readonly id: string;
  readonly title: string;
  readonly definition: string;
  readonly numeratorText: string;
  readonly denominatorText: string;
  readonly codes: readonly string[];
  readonly lookbackDays: number;
  readonly minAge: number;
  readonly maxAge?: number;
  readonly sex?: 'F' | 'M';
  readonly where?: PersonPredicate;
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
  dataSource: 'GP clinical record (screening results and vaccinations as recorded by the practice)',
  periodYears: 1,
  themes: options.themes,
  reference: options.reference,
  ...(options.sex ? { breakdowns: NOT_BY_SEX } : {}),
  ...(options.fingertips ? { fingertips: options.fingertips } : {}),
  measure: {
    kind: 'person-proportion',
    population: {
      minAge: options.minAge,
      ...(options.maxAge === undefined ? {} : { maxAge: options.maxAge }),
      ...(options.sex ? { sex: options.sex } : {}),
      ...(options.where ? { where: options.where } : {}),
    },
    numerator: { kind: 'has-code', codes: [...options.codes], lookbackDays: options.lookbackDays },
  },
});

const SCREENING_DIFFERENCE = 'Fingertips (NHS England screening programmes) counts eligible registered patients on 31 March, leaving out those ceased from recall; here residents, with the test as recorded in the GP record, nobody ceased';

// ---------------------------------------------------------------------------------------------
// Mortality: directly standardised rates of deaths (ESP 2013, Dobson limits), pooled over 3 years.

const mortality = (options: {
  readonly id: string;
  readonly title: string;
  readonly definition: string;
  readonly numeratorText: string;
  readonly denominatorText: string;
  readonly causes?: readonly string[];
  readonly minAge?: number;
  readonly maxAge?: number;
  readonly where?: PersonPredicate;
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
  unit: 'per 100,000',
  multiplier: 100_000,
  polarity: 'lower-is-better',
  dataSource: 'ONS death registrations',
  periodYears: 3,
  standardPopulation: 'ESP2013',
  themes: options.themes,
  reference: options.reference,
  breakdowns: NO_LSOA,
  ...(options.fingertips ? { fingertips: options.fingertips } : {}),
  measure: {
    kind: 'event-rate',
    standardisation: 'esp2013',
    population: {
      ...(options.minAge === undefined ? {} : { minAge: options.minAge }),
      ...(options.maxAge === undefined ? {} : { maxAge: options.maxAge }),
      ...(options.where ? { where: options.where } : {}),
    },
    events: {
      table: 'death',
      dateColumn: 'date_of_death',
      ...(options.minAge === undefined ? {} : { minAge: options.minAge }),
      ...(options.maxAge === undefined ? {} : { maxAge: options.maxAge }),
      ...(options.causes ? { filters: [{ column: 'underlying_cause', op: 'prefix' as const, values: [...options.causes] }] } : {}),
    },
  },
});

const UNDER_75_DIFFERENCE = 'Fingertips (ONS) counts deaths registered in calendar years over ONS mid-year population estimates; here deaths in the period over the resident population of the linked record';

const premature = (id: string, title: string, prefixes: readonly string[] | undefined, text: string, extra: Pick<IndicatorDefinition, 'fingertips'> & { reference: string; themes?: readonly string[] }): IndicatorDefinition =>
  mortality({
    id,
    title,
    definition: `Directly age-standardised rate of deaths under 75 ${text} per 100,000 population under 75 (ESP 2013, Dobson limits), 3 years pooled.`,
    numeratorText: `Deaths under 75 ${text}${prefixes ? ` (underlying cause ICD-10 ${prefixes.join(', ')})` : ''}`,
    denominatorText: 'Population under 75 at the middle of the period × years',
    ...(prefixes ? { causes: prefixes } : {}),
    maxAge: 74,
    themes: extra.themes ?? ['mortality'],
    reference: extra.reference,
    ...(extra.fingertips ? { fingertips: extra.fingertips } : {}),
  });

/** Under 75 mortality of adults on a register (the life-expectancy gap ambitions). */
const registerMortality = (id: string, title: string, condition: 'smi' | 'learning_disability', label: string): IndicatorDefinition =>
  mortality({
    id,
    title,
    definition: `Directly age-standardised rate of deaths of adults aged 18-74 on the ${label} register per 100,000 adults aged 18-74 on that register (ESP 2013, Dobson limits), 3 years pooled. People are counted on the register at the middle of the period, in the numerator as in the denominator.`,
    numeratorText: `Deaths aged 18-74 of people on the ${label} register at the middle of the period`,
    denominatorText: `People aged 18-74 on the ${label} register at the middle of the period × years`,
    minAge: 18,
    maxAge: 74,
    where: { kind: 'on-register', condition },
    themes: ['mortality', 'inequalities', 'mental health'],
    reference: `WY&H ambition 2: a 10% smaller life-expectancy gap for people with mental illness, learning disability and/or autism${
      condition === 'smi' ? '; OHID Fingertips 91096 publishes the excess under 75 mortality of adults with SMI as a ratio to the whole population (not comparable: a ratio, not a rate)' : ''
    }`,
  });

// ---------------------------------------------------------------------------------------------
// Admissions and activity.

const admissionRate = (options: {
  readonly id: string;
  readonly title: string;
  readonly definition: string;
  readonly numeratorText: string;
  readonly denominatorText: string;
  readonly filters: NonNullable<Extract<IndicatorDefinition['measure'], { kind: 'event-rate' }>['events']['filters']>;
  readonly minAge?: number;
  readonly maxAge?: number;
  readonly standardisation: 'none' | 'esp2013';
  readonly periodYears?: number;
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
  unit: 'per 100,000',
  multiplier: 100_000,
  polarity: 'lower-is-better',
  dataSource: 'Secondary Uses Service admitted patient care',
  periodYears: options.periodYears ?? 1,
  ...(options.standardisation === 'esp2013' ? { standardPopulation: 'ESP2013' as const } : {}),
  themes: options.themes,
  reference: options.reference,
  ...(options.fingertips ? { fingertips: options.fingertips } : {}),
  measure: {
    kind: 'event-rate',
    standardisation: options.standardisation,
    population: { ...(options.minAge === undefined ? {} : { minAge: options.minAge }), ...(options.maxAge === undefined ? {} : { maxAge: options.maxAge }) },
    events: {
      table: 'hospital_spell',
      dateColumn: 'admission_date',
      ...(options.minAge === undefined ? {} : { minAge: options.minAge }),
      ...(options.maxAge === undefined ? {} : { maxAge: options.maxAge }),
      filters: options.filters,
    },
  },
});

const EMERGENCY = { column: 'admission_method', op: 'in', values: ['emergency'] } as const;

/** People of a scope with a mental health contact (of the services, or any) in the 365 days to the end of the period. */
const mentalHealthAccess = (options: {
  readonly id: string;
  readonly title: string;
  readonly definition: string;
  readonly numeratorText: string;
  readonly denominatorText: string;
  readonly population: PersonScope;
  readonly services?: readonly ('talking-therapies' | 'community-mental-health' | 'crisis' | 'inpatient' | 'memory-service' | 'learning-disability')[];
  readonly themes: readonly string[];
  readonly reference: string;
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
  dataSource: 'Mental Health Services Data Set and NHS Talking Therapies',
  periodYears: 1,
  themes: options.themes,
  reference: options.reference,
  measure: {
    kind: 'person-proportion',
    population: options.population,
    numerator: {
      kind: 'has-event',
      lookbackDays: 365,
      events: {
        table: 'mental_health_contact',
        dateColumn: 'contact_date',
        ...(options.services ? { filters: [{ column: 'service', op: 'in' as const, values: [...options.services] }] } : {}),
      },
    },
  },
});

export const OUTCOMES_FRAMEWORK: readonly IndicatorDefinition[] = [
  // End of life
  placeOfDeath(
    'deaths-usual-place-of-residence',
    'Deaths in usual place of residence',
    'Percentage of deaths (all ages) that took place at home or in a care home, the usual place of residence of most people who die.',
    { text: 'Deaths at home or in a care home', places: ['home', 'care_home'] },
    { text: 'All deaths in the period' },
    'higher-is-better',
    { reference: 'OHID End of Life Care profile (Fingertips 93476, not checked here: no public source naming it was found); NHS ambition: more people die in their preferred place', fingertips: { id: 93476, sex: 'Persons', age: 'All ages', difference: PLACE_DIFFERENCE } },
  ),
  placeOfDeath(
    'deaths-usual-place-of-residence-65',
    'Deaths in usual place of residence, 65 and over',
    'Percentage of deaths of people aged 65 and over that took place at home or in a care home.',
    { text: 'Deaths aged 65+ at home or in a care home', places: ['home', 'care_home'] },
    { text: 'Deaths aged 65+ in the period', minAge: 65 },
    'higher-is-better',
    { reference: 'OHID End of Life Care profile (Fingertips 92727)', fingertips: { id: 92727, sex: 'Persons', age: '65+ yrs', difference: PLACE_DIFFERENCE } },
  ),
  placeOfDeath(
    'deaths-in-hospital',
    'Deaths in hospital',
    'Percentage of deaths (all ages) that took place in hospital.',
    { text: 'Deaths in hospital', places: ['hospital'] },
    { text: 'All deaths in the period' },
    'lower-is-better',
    { reference: 'OHID End of Life Care profile (Fingertips 93474)', fingertips: { id: 93474, sex: 'Persons', age: 'All ages', difference: 'Fingertips (ONS) counts deaths registered in calendar years; here deaths in the period' } },
  ),
  placeOfDeath(
    'deaths-in-hospital-dementia-65',
    'Deaths in hospital of people with dementia, 65 and over',
    `Percentage of deaths of people aged 65 and over whose underlying cause is dementia (ICD-10 ${DEMENTIA_CAUSES.join(', ')}) that took place in hospital.`,
    { text: 'Deaths aged 65+ from dementia in hospital', places: ['hospital'] },
    { text: 'Deaths aged 65+ with underlying cause dementia in the period', minAge: 65, causes: DEMENTIA_CAUSES },
    'lower-is-better',
    {
      reference: 'OHID Dementia profile (Fingertips 91894)',
      fingertips: { id: 91894, sex: 'Persons', age: '65+ yrs', difference: 'Fingertips counts deaths with dementia mentioned anywhere on the death certificate; here deaths whose underlying cause is dementia, so fewer deaths' },
    },
  ),

  // Screening
  coverage({
    id: 'breast-screening-coverage',
    title: 'Breast screening coverage, women 53-70',
    definition: 'Percentage of women aged 53 to 70 with a breast screening test (mammogram) recorded in the last 36 months, on the last day of the period.',
    numeratorText: 'Women 53-70 with a breast screening test recorded in the last 36 months (1,096 days)',
    denominatorText: 'Resident women aged 53-70 at the end of the period',
    codes: careGapCodes('breast-screening'),
    lookbackDays: 1096,
    minAge: 53,
    maxAge: 70,
    sex: 'F',
    themes: ['screening', 'cancer'],
    reference: 'OHID PHOF C24a (Fingertips 94063); WY&H ambition 4: 1,000 more people diagnosed early',
    fingertips: { id: 94063, sex: 'Female', age: '53-70 yrs', difference: SCREENING_DIFFERENCE },
  }),
  coverage({
    id: 'cervical-screening-25-49',
    title: 'Cervical screening coverage, women 25-49',
    definition: 'Percentage of women aged 25 to 49 with a cervical screening test recorded in the last 3.5 years, on the last day of the period.',
    numeratorText: 'Women 25-49 with a cervical screening test recorded in the last 3.5 years (1,278 days)',
    denominatorText: 'Resident women aged 25-49 at the end of the period',
    codes: careGapCodes('cervical-screening-25-49'),
    lookbackDays: 1278,
    minAge: 25,
    maxAge: 49,
    sex: 'F',
    themes: ['screening', 'cancer'],
    reference: 'OHID PHOF C24b (Fingertips 93560)',
    fingertips: { id: 93560, sex: 'Female', age: '25-49 yrs', difference: SCREENING_DIFFERENCE },
  }),
  coverage({
    id: 'cervical-screening-50-64',
    title: 'Cervical screening coverage, women 50-64',
    definition: 'Percentage of women aged 50 to 64 with a cervical screening test recorded in the last 5.5 years, on the last day of the period.',
    numeratorText: 'Women 50-64 with a cervical screening test recorded in the last 5.5 years (2,009 days)',
    denominatorText: 'Resident women aged 50-64 at the end of the period',
    codes: careGapCodes('cervical-screening-50-64'),
    lookbackDays: 2009,
    minAge: 50,
    maxAge: 64,
    sex: 'F',
    themes: ['screening', 'cancer'],
    reference: 'OHID PHOF C24c (Fingertips 93561)',
    fingertips: { id: 93561, sex: 'Female', age: '50-64 yrs', difference: SCREENING_DIFFERENCE },
  }),
  coverage({
    id: 'bowel-screening-coverage',
    title: 'Bowel cancer screening coverage, 60-74',
    definition: 'Percentage of people aged 60 to 74 with a bowel cancer screening test (home test kit) recorded in the last 30 months, on the last day of the period.',
    numeratorText: 'People 60-74 with a bowel screening test recorded in the last 30 months (913 days)',
    denominatorText: 'Resident people aged 60-74 at the end of the period',
    codes: careGapCodes('bowel-screening'),
    lookbackDays: 913,
    minAge: 60,
    maxAge: 74,
    themes: ['screening', 'cancer'],
    reference: 'OHID PHOF C24d (Fingertips 91720); the programme now invites from 50, the published coverage is still 60-74',
    fingertips: { id: 91720, sex: 'Persons', age: '60-74 yrs', difference: SCREENING_DIFFERENCE },
  }),

  // Immunisation
  coverage({
    id: 'flu-vaccination-65',
    title: 'Flu vaccination coverage, 65 and over',
    definition: 'Percentage of people aged 65 and over (on the last day of the period, 31 March for a financial year) with a flu vaccination recorded in the season, from 1 September.',
    numeratorText: 'People 65+ with a flu vaccination recorded in the last 213 days (from 1 September)',
    denominatorText: 'Resident people aged 65+ at the end of the period',
    codes: FLU,
    lookbackDays: FLU_SEASON_DAYS,
    minAge: 65,
    themes: ['immunisation', 'prevention'],
    reference: 'OHID PHOF D05 (Fingertips 30314); UKHSA ambition 75%',
    fingertips: { id: 30314, sex: 'Persons', age: '65+ yrs', difference: 'Fingertips (UKHSA ImmForm) counts registered patients vaccinated 1 September to the end of February; here residents vaccinated 1 September to 31 March' },
  }),
  coverage({
    id: 'flu-vaccination-at-risk',
    title: 'Flu vaccination coverage, clinical risk groups 18-64',
    definition: `Percentage of people aged 18 to 64 on a clinical risk register for flu (${FLU_RISK_CONDITIONS.join(', ').replace(/_/g, ' ')}) with a flu vaccination recorded in the season, from 1 September.`,
    numeratorText: 'People 18-64 in a risk group with a flu vaccination recorded in the last 213 days',
    denominatorText: 'Resident people aged 18-64 on a flu risk register at the end of the period',
    codes: FLU,
    lookbackDays: FLU_SEASON_DAYS,
    minAge: 18,
    maxAge: 64,
    where: { kind: 'any', of: FLU_RISK_CONDITIONS.map((condition) => ({ kind: 'on-register' as const, condition })) },
    themes: ['immunisation', 'prevention', 'long-term conditions'],
    reference: 'UKHSA Green Book chapter 19; OHID Fingertips 30315 publishes 6 months to 64 years in all Green Book risk groups (not compared: wider ages and groups)',
  }),
  coverage({
    id: 'flu-vaccination-carers',
    title: 'Flu vaccination coverage, unpaid carers 18-64',
    definition: 'Percentage of people aged 18 to 64 recorded as unpaid carers with a flu vaccination recorded in the season, from 1 September.',
    numeratorText: 'Carers 18-64 with a flu vaccination recorded in the last 213 days',
    denominatorText: "Resident people aged 18-64 recorded as carers (SNOMED CT 224484003) at the end of the period",
    codes: FLU,
    lookbackDays: FLU_SEASON_DAYS,
    minAge: 18,
    maxAge: 64,
    where: { kind: 'has-code', codes: [CARER] },
    themes: ['immunisation', 'carers'],
    reference: 'UKHSA annual flu letter: unpaid carers are eligible',
  }),

  // Carers
  {
    id: 'carers-identified',
    version: 1,
    title: 'Unpaid carers identified in the GP record, 16 and over',
    definition: 'Percentage of people aged 16 and over recorded in the GP record as an unpaid carer (SNOMED CT 224484003 "Patient is a carer"), on the last day of the period.',
    numeratorText: 'People 16+ with a carer code recorded',
    denominatorText: 'Resident people aged 16+ at the end of the period',
    unit: '%',
    multiplier: 100,
    polarity: 'higher-is-better',
    dataSource: 'GP clinical record',
    periodYears: 1,
    themes: ['carers'],
    reference: 'WY&H: 260,000 unpaid carers; Kirklees: 60,525. Identifying carers is the first step to support (NHS Long Term Plan)',
    fingertips: {
      id: 352,
      sex: 'Persons',
      age: '16+ yrs',
      difference: 'Fingertips (GP Patient Survey) is the share of respondents who say they look after someone; here people recorded as carers by their practice, so far fewer: the gap is the carers not yet identified',
    },
    measure: { kind: 'person-proportion', population: { minAge: 16 }, numerator: { kind: 'has-code', codes: [CARER] } },
  },

  // Mortality
  premature('premature-mortality-all-causes', 'Under 75 mortality from all causes', undefined, 'from all causes', {
    reference: 'OHID Fingertips 108 (Mortality profile)',
    fingertips: { id: 108, sex: 'Persons', age: '<75 yrs', difference: UNDER_75_DIFFERENCE },
  }),
  premature('premature-mortality-preventable', 'Under 75 mortality from causes considered preventable', PREVENTABLE_CAUSES, 'from causes considered wholly preventable', {
    reference: 'OHID PHOF E01 (Fingertips 93721); ONS avoidable mortality (2019 definition)',
    fingertips: {
      id: 93721,
      sex: 'Persons',
      age: '<75 yrs',
      difference: `${UNDER_75_DIFFERENCE}. ONS counts half of each death from the causes it splits between preventable and treatable (ischaemic heart disease, stroke, diabetes...); here only the causes it counts wholly as preventable, so the rate is lower`,
    },
  }),
  premature('premature-mortality-liver', 'Under 75 mortality from liver disease', LIVER_DISEASE_CAUSES, 'from liver disease', {
    themes: ['mortality', 'alcohol'],
    reference: 'OHID PHOF E06 / Liver disease profile (Fingertips 40801, not checked here: no public source naming it was found)',
    fingertips: { id: 40801, sex: 'Persons', age: '<75 yrs', difference: UNDER_75_DIFFERENCE },
  }),
  registerMortality('premature-mortality-smi', 'Under 75 mortality in adults with serious mental illness', 'smi', 'serious mental illness (SMI)'),
  registerMortality('premature-mortality-learning-disability', 'Under 75 mortality in adults with a learning disability', 'learning_disability', 'learning disability'),
  mortality({
    id: 'alcohol-specific-mortality',
    title: 'Alcohol-specific mortality',
    definition: `Directly age-standardised rate of deaths whose underlying cause is wholly attributable to alcohol (ICD-10 ${ALCOHOL_SPECIFIC_DEATH_CAUSES.join(', ')}) per 100,000 population (ESP 2013, Dobson limits), 3 years pooled.`,
    numeratorText: 'Deaths with an alcohol-specific underlying cause',
    denominatorText: 'Population at the middle of the period × years',
    causes: ALCOHOL_SPECIFIC_DEATH_CAUSES,
    themes: ['alcohol', 'mortality'],
    reference: 'OHID Local Alcohol Profiles (Fingertips 91380)',
    fingertips: { id: 91380, sex: 'Persons', age: 'All ages', difference: 'Fingertips (ONS) counts deaths registered in calendar years; here deaths in the period' },
  }),
  {
    id: 'infant-mortality',
    version: 1,
    title: 'Infant mortality',
    definition: 'Deaths of infants under 1 year per 1,000 children under 1 (crude, Byar\'s limits), 3 years pooled.',
    numeratorText: 'Deaths under 1 year of age',
    denominatorText: 'Children under 1 at the middle of the period × years',
    unit: 'per 1,000',
    multiplier: 1000,
    polarity: 'lower-is-better',
    dataSource: 'ONS death registrations linked to births',
    periodYears: 3,
    themes: ['best start', 'mortality'],
    reference: 'WY&H ambition 7: stillbirths, neonatal deaths and brain injuries -50% by 2025; OHID Fingertips 92196 publishes deaths per 1,000 live births (not compared: a different denominator)',
    breakdowns: ['ics', 'place', 'local-authority', 'imd-decile', 'imd-quintile', 'sex', 'ethnic-group'],
    measure: { kind: 'event-rate', standardisation: 'none', population: { maxAge: 0 }, events: { table: 'death', dateColumn: 'date_of_death', maxAge: 0 } },
  },

  // Admissions
  admissionRate({
    id: 'self-harm-admissions-10-24',
    title: 'Hospital admissions for self-harm, 10-24',
    definition: 'Directly age-standardised rate of emergency admissions (spells) of people aged 10 to 24 whose external cause is intentional self-harm (ICD-10 X60-X84) per 100,000 population aged 10-24 (ESP 2013, Dobson limits).',
    numeratorText: 'Emergency admissions (spells) aged 10-24 with external cause X60-X84',
    denominatorText: 'Population aged 10-24 at the middle of the period × years',
    filters: [EMERGENCY, { column: 'external_cause', op: 'prefix', values: SELF_HARM_CAUSES }],
    minAge: 10,
    maxAge: 24,
    standardisation: 'esp2013',
    themes: ['mental health', 'children and young people'],
    reference: 'OHID Children and young people\'s mental health profile (Fingertips 90813)',
    fingertips: { id: 90813, sex: 'Persons', age: '10-24 yrs', difference: 'Fingertips counts finished admission episodes with X60-X84 in any diagnosis field; here spells whose external cause is X60-X84' },
  }),
  admissionRate({
    id: 'alcohol-specific-admissions-under-18',
    title: 'Admissions for alcohol-specific conditions, under 18',
    definition: `Admissions (spells, any method) of people under 18 whose primary diagnosis is wholly attributable to alcohol (ICD-10 ${ALCOHOL_SPECIFIC_DIAGNOSES.join(', ')}) per 100,000 population under 18 (crude, Byar's limits), 3 years pooled.`,
    numeratorText: 'Admissions (spells) under 18 with an alcohol-specific primary diagnosis',
    denominatorText: 'Population under 18 at the middle of the period × years',
    filters: [{ column: 'primary_diagnosis', op: 'prefix', values: ALCOHOL_SPECIFIC_DIAGNOSES }],
    maxAge: 17,
    standardisation: 'none',
    periodYears: 3,
    themes: ['alcohol', 'children and young people'],
    reference: 'OHID Local Alcohol Profiles (Fingertips 92904)',
    fingertips: { id: 92904, sex: 'Persons', age: '<18 yrs', difference: 'Fingertips counts admission episodes with an alcohol-specific code in any diagnosis field; here spells with an alcohol-specific primary diagnosis' },
  }),
  admissionRate({
    id: 'emergency-admissions-acsc-chronic',
    title: 'Emergency admissions for chronic ambulatory care sensitive conditions',
    definition: `Directly age-standardised rate of emergency admissions (spells) whose primary diagnosis is a chronic ambulatory care sensitive condition (ICD-10 ${CHRONIC_ACSC_DIAGNOSES.join(', ')}), conditions that good primary and community care should keep out of hospital, per 100,000 population (ESP 2013, Dobson limits).`,
    numeratorText: 'Emergency admissions (spells) with a chronic ACSC primary diagnosis',
    denominatorText: 'Population at the middle of the period × years',
    filters: [EMERGENCY, { column: 'primary_diagnosis', op: 'prefix', values: CHRONIC_ACSC_DIAGNOSES }],
    standardisation: 'esp2013',
    themes: ['urgent care', 'long-term conditions'],
    reference: 'NHS Outcomes Framework 2.3i (unplanned hospitalisation for chronic ACSCs; published indirectly standardised, not compared)',
  }),
  admissionRate({
    id: 'emergency-admissions-65',
    title: 'Emergency hospital admissions, 65 and over',
    definition: 'Directly age-standardised rate of emergency admissions (spells) of people aged 65 and over per 100,000 population aged 65+ (ESP 2013, Dobson limits).',
    numeratorText: 'Emergency admissions (spells) aged 65+',
    denominatorText: 'Population aged 65+ at the middle of the period × years',
    filters: [EMERGENCY],
    minAge: 65,
    standardisation: 'esp2013',
    themes: ['urgent care', 'independence', 'frailty'],
    reference: 'Leeds and Kirklees frailty programmes; NHS Oversight Framework',
  }),
  {
    id: 'ae-attendances-under-5',
    version: 1,
    title: 'A&E attendances, under 5',
    definition: 'A&E attendances (all department types) of children aged 0 to 4 per 1,000 children aged 0-4 per year (crude, Byar\'s limits).',
    numeratorText: 'A&E attendances aged 0-4',
    denominatorText: 'Children aged 0-4 at the middle of the period × years',
    unit: 'per 1,000',
    multiplier: 1000,
    polarity: 'lower-is-better',
    dataSource: 'Emergency Care Data Set',
    periodYears: 1,
    themes: ['urgent care', 'best start', 'children and young people'],
    reference: 'OHID Child and maternal health profile (Fingertips 93930)',
    fingertips: { id: 93930, sex: 'Persons', age: '0-4 yrs', difference: 'Fingertips (HES A&E / ECDS) divides by ONS mid-year estimates; here by the resident population of the linked record' },
    breakdowns: ['ics', 'place', 'local-authority', 'neighbourhood', 'imd-decile', 'imd-quintile', 'sex', 'ethnic-group'],
    measure: { kind: 'event-rate', standardisation: 'none', population: { maxAge: 4 }, events: { table: 'ae_attendance', dateColumn: 'arrival_time', maxAge: 4 } },
  },
  {
    id: 'discharge-to-usual-residence',
    version: 1,
    title: 'Emergency admissions discharged to usual place of residence',
    definition:
      'Percentage of emergency admissions (spells) discharged alive in the period that were discharged home or to a care home (a care home resident\'s usual residence; the record does not tell a return from a new placement), rather than to another hospital.',
    numeratorText: 'Emergency spells discharged home or to a care home',
    denominatorText: 'Emergency spells discharged alive in the period',
    unit: '%',
    multiplier: 100,
    polarity: 'higher-is-better',
    dataSource: 'Secondary Uses Service admitted patient care',
    periodYears: 1,
    themes: ['urgent care', 'independence', 'discharge'],
    reference: 'NHS England discharge metrics (discharge to usual place of residence); Better Care Fund metric',
    measure: {
      kind: 'event-proportion',
      events: {
        table: 'hospital_spell',
        dateColumn: 'discharge_date',
        filters: [EMERGENCY, { column: 'discharge_destination', op: 'in', values: ['home', 'care_home', 'other_hospital'] }],
      },
      numerator: { kind: 'filters', filters: [{ column: 'discharge_destination', op: 'in', values: ['home', 'care_home'] }] },
    },
  },

  // Primary care
  {
    id: 'gp-appointments-per-head',
    version: 1,
    title: 'GP practice appointments per person',
    definition: 'Attended appointments in general practice (any staff, any mode) per person per year (crude, Byar\'s limits).',
    numeratorText: 'Attended GP practice appointments in the period',
    denominatorText: 'Population at the middle of the period × years',
    unit: 'per person per year',
    multiplier: 1,
    polarity: 'no-judgement',
    dataSource: 'GP appointments data',
    periodYears: 1,
    themes: ['primary care'],
    reference: 'Kirklees: 8,744 GP appointments on an average day; NHS England Appointments in General Practice',
    measure: { kind: 'event-rate', standardisation: 'none', population: {}, events: { table: 'gp_appointment', dateColumn: 'appointment_date' } },
  },
  {
    id: 'gp-appointments-face-to-face',
    version: 1,
    title: 'GP practice appointments face to face',
    definition: 'Percentage of attended appointments in general practice that were face to face (in the practice or a home visit).',
    numeratorText: 'Attended appointments face to face or at home',
    denominatorText: 'Attended GP practice appointments in the period',
    unit: '%',
    multiplier: 100,
    polarity: 'no-judgement',
    dataSource: 'GP appointments data',
    periodYears: 1,
    themes: ['primary care'],
    reference: 'NHS England Appointments in General Practice (appointment mode)',
    measure: {
      kind: 'event-proportion',
      events: { table: 'gp_appointment', dateColumn: 'appointment_date' },
      numerator: { kind: 'filters', filters: [{ column: 'mode', op: 'in', values: ['face-to-face', 'home-visit'] }] },
    },
  },
  {
    id: 'smoking-prevalence-smi',
    version: 1,
    title: 'Smoking prevalence in adults with serious mental illness',
    definition: 'Percentage of adults (18+) on the serious mental illness register with a smoking status recorded whose latest status is current smoker.',
    numeratorText: 'Adults on the SMI register whose latest smoking status is current smoker',
    denominatorText: 'Adults 18+ on the SMI register with any smoking status recorded',
    unit: '%',
    multiplier: 100,
    polarity: 'lower-is-better',
    dataSource: 'GP clinical record',
    periodYears: 1,
    themes: ['smoking', 'mental health', 'inequalities'],
    reference: 'WY&H ambition 2 (life-expectancy gap for people with mental illness); NHS Long Term Plan: smoking cessation for people with SMI',
    measure: {
      kind: 'person-proportion',
      population: { minAge: 18, where: { kind: 'all', of: [{ kind: 'on-register', condition: 'smi' }, { kind: 'has-code', codes: SMOKING_CODES }] } },
      numerator: { kind: 'latest-code-in', among: SMOKING_CODES, is: [OBSERVATION_CODES.currentSmoker.code] },
    },
  },

  // Mental health access: people with a contact with services in the 365 days to the end of the period.
  mentalHealthAccess({
    id: 'cyp-mental-health-access',
    title: "Children and young people in contact with mental health services",
    definition:
      'Percentage of children and young people aged 0 to 17 (on the last day of the period) with at least one contact with NHS-funded mental health services (any service) in the 365 days to that day.',
    numeratorText: 'People 0-17 with a mental health contact in the last 365 days',
    denominatorText: 'Resident people aged 0-17 at the end of the period',
    population: { maxAge: 17 },
    themes: ['mental health', 'children and young people'],
    reference: 'NHS Long Term Plan: CYP accessing NHS-funded mental health services (MHSDS, at least one contact in 12 months)',
  }),
  mentalHealthAccess({
    id: 'talking-therapies-access',
    title: 'Adults in contact with NHS Talking Therapies',
    definition: 'Percentage of adults aged 18 and over (on the last day of the period) with at least one NHS Talking Therapies contact in the 365 days to that day.',
    numeratorText: 'Adults 18+ with a talking therapies contact in the last 365 days',
    denominatorText: 'Resident adults aged 18+ at the end of the period',
    population: { minAge: 18 },
    services: ['talking-therapies'],
    themes: ['mental health'],
    reference: 'NHS Talking Therapies access ambition (NHS Long Term Plan); Kirklees: 1 in 3 adults has a mental health condition',
  }),
  mentalHealthAccess({
    id: 'smi-community-mental-health-contact',
    title: 'Adults with serious mental illness in contact with community mental health services',
    definition:
      'Percentage of adults aged 18 and over on the serious mental illness register (on the last day of the period) with at least one contact with community mental health services in the 365 days to that day.',
    numeratorText: 'Adults on the SMI register with a community mental health contact in the last 365 days',
    denominatorText: 'Resident adults aged 18+ on the SMI register at the end of the period',
    population: { minAge: 18, where: { kind: 'on-register', condition: 'smi' } },
    services: ['community-mental-health'],
    themes: ['mental health', 'inequalities'],
    reference: 'NHS Long Term Plan: adults with SMI receiving care from community mental health services',
  }),

  // Best start
  {
    id: 'premature-births',
    version: 1,
    title: 'Premature births (under 37 weeks)',
    definition: 'Percentage of live births born before 37 completed weeks of gestation.',
    numeratorText: 'Live births under 37 weeks',
    denominatorText: 'Live births in the period',
    unit: '%',
    multiplier: 100,
    polarity: 'lower-is-better',
    dataSource: 'Maternity Services Data Set / birth registrations',
    periodYears: 1,
    themes: ['best start'],
    reference: 'WY&H ambition 7 (stillbirths, neonatal deaths and brain injuries); OHID Child and maternal health profile (premature births)',
    breakdowns: ['ics', 'place', 'local-authority', 'neighbourhood', 'imd-decile', 'imd-quintile', 'ethnic-group'],
    measure: {
      kind: 'event-proportion',
      events: { table: 'birth', dateColumn: 'birth_date', personColumn: 'mother_person_id' },
      numerator: { kind: 'filters', filters: [{ column: 'gestation_weeks', op: 'between', max: 36 }] },
    },
  },

  // Social care
  {
    id: 'reablement-starts-65',
    version: 1,
    title: 'Reablement started, 65 and over',
    definition: 'Short-term reablement services started for people aged 65 and over per 100,000 population aged 65+ per year (crude, Byar\'s limits).',
    numeratorText: 'Reablement starts aged 65+ in the period',
    denominatorText: 'Population aged 65+ at the middle of the period × years',
    unit: 'per 100,000',
    multiplier: 100_000,
    polarity: 'no-judgement',
    dataSource: 'Adult social care client level data',
    periodYears: 1,
    themes: ['independence', 'social care'],
    reference: 'ASCOF 2B (reablement); Better Care Fund',
    measure: {
      kind: 'event-rate',
      standardisation: 'none',
      population: { minAge: 65 },
      events: { table: 'social_care_event', dateColumn: 'event_date', minAge: 65, filters: [{ column: 'event_type', op: 'in', values: ['reablement-start'] }] },
    },
  },
  {
    id: 'social-care-requests-65',
    version: 1,
    title: 'Requests for adult social care support, 65 and over',
    definition: 'New requests for adult social care support from people aged 65 and over per 100,000 population aged 65+ per year (crude, Byar\'s limits).',
    numeratorText: 'Requests for support aged 65+ in the period',
    denominatorText: 'Population aged 65+ at the middle of the period × years',
    unit: 'per 100,000',
    multiplier: 100_000,
    polarity: 'no-judgement',
    dataSource: 'Adult social care client level data',
    periodYears: 1,
    themes: ['independence', 'social care'],
    reference: 'Adult social care client level data (requests for support); ASCOF',
    measure: {
      kind: 'event-rate',
      standardisation: 'none',
      population: { minAge: 65 },
      events: { table: 'social_care_event', dateColumn: 'event_date', minAge: 65, filters: [{ column: 'event_type', op: 'in', values: ['request'] }] },
    },
  },
];
