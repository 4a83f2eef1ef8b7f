import { describe, expect, it } from 'vitest';
import { CONDITION_KEYS } from '../codelists/conditions.js';
import { FLAG_FEATURES, NUMERIC_FEATURES, frailtyCategory, type FlagFeature, type NumericFeature, type PersonFeatures } from './features.js';
import { BRIDGES_TO_HEALTH_SEGMENTATION, KIRKLEES_SEGMENTATION, assignSegment, parseSegmentation, ruleUsesEvents, segmentationUsesEvents, type FeatureRule } from './segments.js';

/** A person with everything zero/false except what is given. */
const person = (numeric: Partial<Record<NumericFeature, number>> = {}, flags: FlagFeature[] = []): PersonFeatures => {
  const conditionCount = flags.filter((f) => f.startsWith('condition:')).length;
  return {
    personId: 1, sex: 'F', ethnicGroup: 'White', lsoaCode: 'E01000001', place: 'leeds', neighbourhoodId: 'leeds-01',
    numeric: { ...Object.fromEntries(NUMERIC_FEATURES.map((f) => [f, 0])), age: 50, conditionCount, ...numeric } as Record<NumericFeature, number>,
    flags: Object.fromEntries(FLAG_FEATURES.map((f) => [f, flags.includes(f)])) as Record<FlagFeature, boolean>,
  };
};

describe('Kirklees four groups', () => {
  it.each<[string, PersonFeatures, string]>([
    ['no conditions, no activity', person(), 'living-well'],
    ['hypertension only', person({}, ['condition:hypertension']), 'independent'],
    ['two conditions', person({}, ['condition:hypertension', 'condition:asthma']), 'independent'],
    ['three conditions', person({}, ['condition:hypertension', 'condition:asthma', 'condition:ckd']), 'complex'],
    ['moderate frailty, one condition', person({ efi: 0.25 }, ['condition:hypertension']), 'complex'],
    ['eFI exactly 0.24 is mild, not complex', person({ efi: 0.24 }, ['condition:hypertension']), 'independent'],
    ['learning disability', person({}, ['condition:learning_disability']), 'complex'],
    ['care home resident', person({}, ['careHomeResident']), 'complex'],
    ['an emergency admission wins over complex', person({ emergencyAdmissions12m: 1 }, ['condition:hypertension', 'condition:asthma', 'condition:ckd']), 'acute-urgent'],
    ['two A&E attendances are not enough', person({ aeAttendances12m: 2 }), 'living-well'],
    ['three A&E attendances', person({ aeAttendances12m: 3 }), 'acute-urgent'],
  ])('%s → %s', (_, features, segment) => {
    expect(assignSegment(KIRKLEES_SEGMENTATION, features)).toBe(segment);
  });
});

describe('Bridges to Health', () => {
  it.each<[string, PersonFeatures, string]>([
    ['healthy adult', person(), 'healthy'],
    ['newborn', person({ age: 0 }, ['birth12m']), 'maternal-infant'],
    ['A&E visit, no conditions', person({ aeAttendances12m: 1 }), 'acutely-ill'],
    ['diabetes', person({}, ['condition:diabetes']), 'chronic-conditions'],
    ['serious mental illness', person({}, ['condition:smi']), 'stable-disability'],
    ['cancer with an emergency admission', person({ emergencyAdmissions12m: 1 }, ['condition:cancer']), 'short-decline'],
    ['heart failure with an admission', person({ emergencyAdmissions12m: 2 }, ['condition:heart_failure']), 'limited-reserve'],
    ['COPD, stable and fit', person({ efi: 0.1 }, ['condition:copd']), 'chronic-conditions'],
    ['dementia', person({}, ['condition:dementia', 'condition:heart_failure']), 'frailty'],
    ['severe frailty', person({ efi: 0.4 }), 'frailty'],
  ])('%s → %s', (_, features, segment) => {
    expect(assignSegment(BRIDGES_TO_HEALTH_SEGMENTATION, features)).toBe(segment);
  });
});

describe('segmentation definitions', () => {
  it('assign every condition flag a name the rules can use', () => {
    for (const k of CONDITION_KEYS) expect(FLAG_FEATURES).toContain(`condition:${k}`);
  });
  it.each([
    [{ ...KIRKLEES_SEGMENTATION, segments: KIRKLEES_SEGMENTATION.segments.slice(0, 3) }, "the last segment ('independent') must have rule { kind: 'always' }"],
    [{ ...KIRKLEES_SEGMENTATION, segments: [KIRKLEES_SEGMENTATION.segments[0], ...KIRKLEES_SEGMENTATION.segments] }, "segment id 'acute-urgent' appears twice"],
    [{ ...KIRKLEES_SEGMENTATION, segments: [{ id: 'x', label: 'X', description: 'bad feature', rule: { kind: 'compare', feature: 'height', op: '>', value: 1 } }, KIRKLEES_SEGMENTATION.segments[3]] }, 'segments.0.rule'],
  ])('rejects a bad definition', (input, message) => {
    expect(() => parseSegmentation(input, 'seg.json')).toThrow(message);
  });
  it.each([[0, 'fit'], [0.12, 'fit'], [0.13, 'mild'], [0.24, 'mild'], [0.25, 'moderate'], [0.36, 'moderate'], [0.37, 'severe']])('eFI %d is %s', (efi, cat) => {
    expect(frailtyCategory(efi)).toBe(cat);
  });
});

describe('which rules read the dated event lists', () => {
  const events: FeatureRule = { kind: 'events', event: 'aeAttendance', atLeast: 3, withinDays: 365 };
  const flag: FeatureRule = { kind: 'flag', feature: 'carer' };
  it.each<[string, FeatureRule, boolean]>([
    ['an events rule', events, true],
    ['a flag', flag, false],
    ['always', { kind: 'always' }, false],
    ['diagnosed (a date per condition, not a list)', { kind: 'diagnosed', condition: 'dementia', withinDays: 365 }, false],
    ['events inside all', { kind: 'all', of: [flag, events] }, true],
    ['events inside any', { kind: 'any', of: [flag, { kind: 'compare', feature: 'age', op: '>=', value: 65 }] }, false],
    ['events under not, inside any', { kind: 'any', of: [flag, { kind: 'not', rule: events }] }, true],
  ])('%s', (_name, rule, expected) => {
    expect(ruleUsesEvents(rule)).toBe(expected);
  });

  it('the built-in segmentations read none (so the features made at start have no lists)', () => {
    expect(segmentationUsesEvents(KIRKLEES_SEGMENTATION)).toBe(false);
    expect(segmentationUsesEvents(BRIDGES_TO_HEALTH_SEGMENTATION)).toBe(false);
  });
});
