/**
 * The indicator spec suite: hand-made people and events with the counts every engine must return.
 * Each spec states one rule of docs/indicator-semantics.md; the comments give the arithmetic.
 * The specs live in specs/, one file per measure kind, with what they share in specs/common.ts.
 */
import { admissionSpecs } from './specs/admissions.js';
import type { Spec } from './specs/common.js';
import { eventProportionSpecs } from './specs/event-proportion.js';
import { eventRateSpecs } from './specs/event-rate.js';
import { lifeExpectancySpecs } from './specs/life-expectancy.js';
import { observedExpectedSpecs } from './specs/observed-expected.js';
import { personProportionSpecs } from './specs/person-proportion.js';

export { indicator, type Spec, type SpecCase } from './specs/common.js';

/** Every spec, in reading order: person-proportion, event-rate, event-proportion, life-expectancy, observed-expected, then catalogue indicators' own (admissions). */
export const indicatorSpecs: readonly Spec[] = [...personProportionSpecs, ...eventRateSpecs, ...eventProportionSpecs, ...lifeExpectancySpecs, ...observedExpectedSpecs, ...admissionSpecs];
