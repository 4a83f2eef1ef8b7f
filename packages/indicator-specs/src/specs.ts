/**
 * The indicator spec suite: hand-made people and events with the counts every engine must return.
 * Each spec states one rule of docs/indicator-semantics.md; the comments give the arithmetic.
 * The specs live in specs/, one file per measure kind, with what they share in specs/common.ts.
 */
import { activitySpecs } from './specs/activity.js';
import { admissionSpecs } from './specs/admissions.js';
import type { Spec } from './specs/common.js';
import { coverageSpecs } from './specs/coverage.js';
import { endOfLifeSpecs } from './specs/end-of-life.js';
import { eventProportionSpecs } from './specs/event-proportion.js';
import { eventRateSpecs } from './specs/event-rate.js';
import { hasEventSpecs } from './specs/has-event.js';
import { lifeExpectancySpecs } from './specs/life-expectancy.js';
import { mortalitySpecs } from './specs/mortality.js';
import { observedExpectedSpecs } from './specs/observed-expected.js';
import { personProportionSpecs } from './specs/person-proportion.js';
import { preventionSpecs } from './specs/prevention.js';

export { indicator, type Spec, type SpecCase } from './specs/common.js';

/**
 * Every spec, in reading order: person-proportion, event-rate, event-proportion, life-expectancy,
 * observed-expected, the has-event predicate, then catalogue indicators' own (admissions, end of life,
 * coverage, mortality, activity, prevention and treatment).
 */
export const indicatorSpecs: readonly Spec[] = [
  ...personProportionSpecs, ...eventRateSpecs, ...eventProportionSpecs, ...lifeExpectancySpecs, ...observedExpectedSpecs,
  ...hasEventSpecs, ...admissionSpecs, ...endOfLifeSpecs, ...coverageSpecs, ...mortalitySpecs, ...activitySpecs,
  ...preventionSpecs,
];
