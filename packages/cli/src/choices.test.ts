/**
 * The option lists of choices.ts stand for lists kept in core and in the commands; the program
 * carries copies so that `--help` loads no more than commander. These checks keep them equal.
 */
import { describe, expect, it } from 'vitest';
import { BREAKDOWNS, DEFAULT_PLUS_GROUP_IDS, SECONDARY_PURPOSES, UserError } from '@openphm/core';
import { DEFAULT_SII_SIMULATIONS, ESP1976, ESP2013 } from '@openphm/core/stats';
import {
  BREAKDOWN_CHOICES,
  DEFAULT_PLUS,
  SECONDARY_PURPOSE_CHOICES,
  SII_DEFAULT_SIMULATIONS,
  STANDARD_POPULATION_NAMES,
  parseBreakdowns,
} from './choices.js';
import { STANDARD_POPULATIONS } from './commands/stats.js';

describe('option lists equal the lists they stand for', () => {
  it.each([
    ['breakdowns', BREAKDOWN_CHOICES, BREAKDOWNS],
    ['secondary purposes', SECONDARY_PURPOSE_CHOICES, SECONDARY_PURPOSES],
    ['default PLUS groups', DEFAULT_PLUS.split(','), DEFAULT_PLUS_GROUP_IDS],
  ] as const)('%s', (_, copy, original) => {
    expect([...copy]).toEqual([...original]);
  });

  it('standard populations and the SII default of simulations', () => {
    expect(STANDARD_POPULATION_NAMES.map((name) => STANDARD_POPULATIONS[name])).toEqual([ESP2013, ESP1976]);
    expect(SII_DEFAULT_SIMULATIONS).toBe(DEFAULT_SII_SIMULATIONS);
  });
});

describe('parseBreakdowns', () => {
  it.each([
    ['all', 'all'],
    ['place', ['place']],
    ['ics, imd-decile', ['ics', 'imd-decile']],
  ] as const)('%j', (text, expected) => {
    expect(parseBreakdowns(text)).toEqual(expected);
  });

  it('names an unknown breakdown and the ones there are', () => {
    expect(() => parseBreakdowns('place,ward')).toThrow(UserError);
    expect(() => parseBreakdowns('place,ward')).toThrow(/unknown breakdown 'ward': use ics, place, .*ethnic-group or 'all'/);
  });
});
