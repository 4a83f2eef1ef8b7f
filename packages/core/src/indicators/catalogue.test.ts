import { describe, expect, it } from 'vitest';
import { INDICATOR_CATALOGUE, findIndicator } from './catalogue.js';
import { parseIndicatorDefinition } from './definition.js';

describe('indicator catalogue', () => {
  it('has at least 20 indicators with unique ids, all valid', () => {
    expect(INDICATOR_CATALOGUE.length).toBeGreaterThanOrEqual(20);
    expect(new Set(INDICATOR_CATALOGUE.map((d) => d.id)).size).toBe(INDICATOR_CATALOGUE.length);
    for (const d of INDICATOR_CATALOGUE) expect(parseIndicatorDefinition(JSON.parse(JSON.stringify(d)))).toEqual(d);
  });

  it.each([
    'life-expectancy-birth-female', 'life-expectancy-birth-male', 'premature-mortality-cvd', 'premature-mortality-cancer', 'suicide-rate',
    'adult-obesity', 'adult-healthy-weight', 'smoking-prevalence', 'smoking-at-delivery', 'low-birth-weight-term', 'prevalence-diabetes',
    'multimorbidity-3-plus', 'emergency-admissions', 'ae-four-hours', 'emergency-readmission-30-days', 'care-home-admissions-65', 'dementia-diagnosis-rate',
    'self-harm-admissions', 'alcohol-specific-admissions', 'falls-admissions-65',
  ])('includes %s from the plans', (id) => {
    expect(findIndicator(id)).toBeDefined();
  });
});
