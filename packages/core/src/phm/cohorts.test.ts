import { describe, expect, it } from 'vitest';
import { cohortUsesEvents, parseCohortDefinition } from './cohorts.js';

const valid = {
  id: 'frail-65',
  version: 1,
  title: 'Frail 65+',
  description: 'Aged 65+ with moderate or severe frailty.',
  rule: { kind: 'all', of: [{ kind: 'compare', feature: 'age', op: '>=', value: 65 }, { kind: 'compare', feature: 'efi', op: '>', value: 0.24 }] },
};

describe('parseCohortDefinition', () => {
  it('accepts a valid definition with optional area, quintiles and date', () => {
    const c = parseCohortDefinition({ ...valid, referenceDate: '2024-03-31', area: { place: 'leeds' }, imdQuintiles: [1, 2] }, 'x.json');
    expect(c.id).toBe('frail-65');
    expect(c.area).toEqual({ place: 'leeds' });
  });

  it('names the file and the field in errors', () => {
    expect(() => parseCohortDefinition({ ...valid, rule: { kind: 'compare', feature: 'height', op: '>=', value: 1 } }, 'cohorts/bad.json')).toThrow(/cohorts\/bad\.json: rule\.feature/);
    expect(() => parseCohortDefinition({ ...valid, version: 0 }, 'v.json')).toThrow(/v\.json: version/);
    expect(() => parseCohortDefinition({ ...valid, imdQuintiles: [6] }, 'q.json')).toThrow(/q\.json: imdQuintiles\.0/);
    expect(() => parseCohortDefinition({ ...valid, imdQuintiles: [1, 1] }, 'd.json')).toThrow(/d\.json: imdQuintiles/);
    expect(() => parseCohortDefinition({ ...valid, colour: 'red' }, 'e.json')).toThrow(/e\.json: \(root\)/);
    expect(() => parseCohortDefinition({ ...valid, segment: { segmentation: 'nope', segments: ['x'] } }, 's.json')).toThrow(/s\.json: segment\.segmentation: unknown segmentation 'nope'/);
    expect(() => parseCohortDefinition({ ...valid, segment: { segmentation: 'kirklees-four-groups', segments: ['x'] } }, 's.json')).toThrow(/s\.json: segment\.segments: 'x'/);
  });

  it('accepts the dated rule kinds and new features, and rejects out-of-range windows', () => {
    const rule = {
      kind: 'all',
      of: [
        { kind: 'diagnosed', condition: 'diabetes', withinDays: 365 },
        { kind: 'events', event: 'emergencyAdmission', atLeast: 2, withinDays: 730 },
        { kind: 'compare', feature: 'multimorbidityScore', op: '>=', value: 4 },
        { kind: 'flag', feature: 'core20' },
        { kind: 'flag', feature: 'exSmoker' },
      ],
    };
    expect(parseCohortDefinition({ ...valid, rule }, 'x.json').rule).toEqual(rule);
    expect(() => parseCohortDefinition({ ...valid, rule: { kind: 'events', event: 'gpAppointment', atLeast: 1, withinDays: 731 } }, 'w.json')).toThrow(/w\.json: rule\.withinDays/);
    expect(() => parseCohortDefinition({ ...valid, rule: { kind: 'events', event: 'sneeze', atLeast: 1, withinDays: 30 } }, 'k.json')).toThrow(/k\.json: rule\.event/);
    expect(() => parseCohortDefinition({ ...valid, rule: { kind: 'events', event: 'gpAppointment', atLeast: 0.5, withinDays: 30 } }, 'a.json')).toThrow(/a\.json: rule\.atLeast/);
    expect(() => parseCohortDefinition({ ...valid, rule: { kind: 'diagnosed', condition: 'gout', withinDays: 30 } }, 'c.json')).toThrow(/c\.json: rule\.condition/);
  });
});

describe('cohortUsesEvents', () => {
  it('is true when the rule reads the dated event lists, false otherwise (a segment restriction included)', () => {
    expect(cohortUsesEvents(parseCohortDefinition(valid))).toBe(false);
    expect(cohortUsesEvents(parseCohortDefinition({ ...valid, segment: { segmentation: 'kirklees-four-groups', segments: ['complex'] } }))).toBe(false);
    const events = { kind: 'events', event: 'emergencyAdmission', atLeast: 1, withinDays: 365 };
    expect(cohortUsesEvents(parseCohortDefinition({ ...valid, rule: { kind: 'all', of: [valid.rule, events] } }))).toBe(true);
  });
});
