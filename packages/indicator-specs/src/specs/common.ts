/**
 * What every spec file shares: the Spec and SpecCase types, the indicator and cell builders, the
 * period the specs use and the codes they record.
 *
 * Unless a spec says otherwise the period is the financial year 2023/24:
 *   start 2023-04-01, end 2024-04-01 (exclusive), last day L = 2024-03-31, midpoint M = 2023-10-01,
 *   periodYears = 366 / 365.25 (Y below).
 */
import {
  CONDITIONS,
  findIndicator,
  OBSERVATION_CODES,
  financialYearPeriod,
  parseIndicatorDefinition,
  periodYears,
  type AggregateCell,
  type Breakdown,
  type IndicatorDefinition,
  type Measure,
  type Period,
} from '@openphm/core';
import type { SpecInput } from '../input.js';

export interface SpecCase {
  readonly name: string;
  readonly definition: IndicatorDefinition;
  readonly period: Period;
  readonly breakdown: Breakdown;
  /** The cells the engine must return (in any order; denominators compared to 1e-9). */
  readonly expected: readonly AggregateCell[];
}

export interface Spec {
  readonly name: string;
  readonly input: SpecInput;
  readonly cases: readonly SpecCase[];
}

/** A valid definition around a measure (the metadata does not matter to engines). */
export const indicator = (measure: Measure, id = 'spec-indicator'): IndicatorDefinition =>
  parseIndicatorDefinition(
    {
      id,
      version: 1,
      title: 'Spec indicator',
      definition: 'An indicator defined by the spec suite.',
      numeratorText: 'Numerator',
      denominatorText: 'Denominator',
      unit: measure.kind === 'life-expectancy' ? 'years' : '%',
      multiplier: measure.kind === 'life-expectancy' ? 1 : 100,
      polarity: 'no-judgement',
      dataSource: 'Spec data',
      periodYears: 1,
      ...(measure.kind === 'event-rate' && measure.standardisation === 'esp2013' ? { standardPopulation: 'ESP2013' } : {}),
      themes: ['spec'],
      measure,
    },
    `spec indicator ${id}`,
  );

/** A cell: group, numerator, denominator[, age band]. */
export const c = (group: string, numerator: number, denominator: number, ageBand?: string): AggregateCell =>
  ageBand === undefined ? { group, numerator, denominator } : { group, ageBand, numerator, denominator };

/** The period of every case that does not give its own. */
export const FY = financialYearPeriod(2023);
/** FY in years (366 / 365.25): event-rate and life-expectancy denominators are person-years. */
export const Y = periodYears(FY);

/** The condition's first code, or its i-th (a second code of the same codelist). */
export const code = (condition: keyof typeof CONDITIONS, i = 0): string => CONDITIONS[condition].codes[i]!.code;

// The codes the specs record; smoking statuses tie-break on same-day records by code as text.
export const HYPERTENSION = code('hypertension');
export const HYPERTENSION_ESSENTIAL = code('hypertension', 1);
export const DIABETES = code('diabetes');
export const ASTHMA = code('asthma');
export const DEMENTIA_ALZHEIMER = code('dementia', 1);
export const CURRENT = OBSERVATION_CODES.currentSmoker.code; // '77176002'
export const EX = OBSERVATION_CODES.exSmoker.code; // '8517006'
export const NEVER = OBSERVATION_CODES.neverSmoked.code; // '266919005'
export const SMOKING = [CURRENT, EX, NEVER];
export const BMI = OBSERVATION_CODES.bmi.code;
export const CARER = OBSERVATION_CODES.carer.code;

/** A catalogue indicator, run as the catalogue defines it (so a change to its codes shows in its specs). */
export const catalogued = (id: string): IndicatorDefinition => {
  const definition = findIndicator(id);
  if (!definition) throw new Error(`no catalogue indicator ${id}`);
  return definition;
};

/** The cases of one definition: [name, breakdown, expected cells, period (FY unless given)]. */
export const cases = (definition: IndicatorDefinition, list: readonly (readonly [name: string, breakdown: Breakdown, expected: readonly AggregateCell[], period?: Period])[]): SpecCase[] =>
  list.map(([name, breakdown, expected, period]) => ({ name, definition, breakdown, expected, period: period ?? FY }));
