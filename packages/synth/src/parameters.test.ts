import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONDITION_KEYS } from '@openphm/core';
import * as ethnicity from './ethnicity.js';
import * as parameters from './parameters.js';

const doc = readFileSync(new URL('../../../docs/synthetic-data.md', import.meta.url), 'utf8');

describe('docs/synthetic-data.md', () => {
  const exported = { ...parameters, ...ethnicity } as Record<string, unknown>;
  const names = Object.keys(exported).filter((k) => /^[A-Z_]+$/.test(k) && typeof exported[k] === 'object');

  it.each(names)('documents %s and each of its parameters', (name) => {
    expect(doc, name).toContain(`\`${name}\``);
    const value = exported[name] as Record<string, unknown>;
    if (Array.isArray(value) || name === 'CONDITION_PARAMETERS' || name === 'ETHNICITY_BY_LAD' || name === 'CONCENTRATION') return;
    for (const key of Object.keys(value)) expect(doc, `${name}.${key}`).toContain(key);
  });

  it('documents every condition and the fields of its parameters', () => {
    for (const key of CONDITION_KEYS) expect(doc).toContain(key);
    for (const field of Object.keys(parameters.CONDITION_PARAMETERS.diabetes)) expect(doc).toContain(`\`${field}\``);
  });
});

describe('parameters', () => {
  it('has prevalence for every age band and plausible ratios', () => {
    for (const [key, p] of Object.entries(parameters.CONDITION_PARAMETERS)) {
      expect(p.prevalence, key).toHaveLength(parameters.AGE_BAND_LOWER.length);
      for (const v of p.prevalence) expect(v).toBeGreaterThanOrEqual(0);
      expect(p.depRatio).toBeGreaterThan(0.5);
      expect(p.depRatio).toBeLessThan(5);
    }
  });

  it.each([
    [0, 0], [15, 0], [16, 1], [34, 1], [35, 2], [64, 4], [65, 5], [84, 6], [85, 7], [104, 7],
  ])('age %d is in prevalence band %d', (age, band) => {
    expect(parameters.ageBandIndex(age)).toBe(band);
  });
});
