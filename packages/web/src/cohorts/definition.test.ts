import { describe, expect, it } from 'vitest';
import type { CohortDefinition } from '../api.js';
import { buildDefinition, choicesOf, defaultBreakdowns, toggled, type CohortChoices } from './definition.js';
import { initialRoot, rootOf } from './rule-tree.js';

const stored: CohortDefinition = {
  id: 'frail-65',
  version: 3,
  title: 'Frail people aged 65+',
  description: 'Moderate or severe frailty, aged 65 and over',
  rule: { kind: 'all', of: [{ kind: 'compare', feature: 'age', op: '>=', value: 65 }, { kind: 'compare', feature: 'efi', op: '>', value: 0.24 }] },
  area: { place: 'leeds' },
  imdQuintiles: [2, 1],
  segment: { segmentation: 'bridges-to-health', segments: ['frailty', 'dementia'] },
};
const LOOKBACK = 730;
const fromStored = (patch: Partial<CohortChoices> = {}): CohortChoices => ({ ...choicesOf(stored), ...patch });

describe('building a cohort definition', () => {
  it('keeps a stored cohort whose criteria are unchanged as it is (id, version, title, description)', () => {
    const built = buildDefinition(fromStored(), stored, LOOKBACK);
    expect(built.unchanged).toBe(true);
    expect(built.problem).toBeNull();
    expect(built.definition).toMatchObject({ id: 'frail-65', version: 3, title: 'Frail people aged 65+', description: stored.description, area: { place: 'leeds' }, imdQuintiles: [1, 2] });
  });

  it.each<[string, Partial<CohortChoices>, boolean]>([
    ['the quintiles ticked in another order', { quintiles: [1, 2] }, true],
    ['the segments ticked in another order', { segments: ['dementia', 'frailty'] }, true],
    ['a new title only', { title: 'My frail cohort' }, true],
    ['another quintile', { quintiles: [1, 2, 3] }, false],
    ['another place', { place: 'bradford' }, false],
    ['a neighbourhood', { neighbourhood: 'leeds-01' }, false],
    ['another segment', { segments: ['frailty'] }, false],
    ['no segmentation', { segmentation: '', segments: [] }, false],
    ['other criteria', { root: rootOf({ kind: 'flag', feature: 'carer' }) }, false],
  ])('is still the stored cohort after %s: %s', (_, patch, unchanged) => {
    expect(buildDefinition(fromStored(patch), stored, LOOKBACK).unchanged).toBe(unchanged);
  });

  it.each<[string, Partial<CohortChoices>, Partial<CohortDefinition>]>([
    ['an edited stored cohort is ad hoc and says it was edited', { quintiles: [1] }, { id: 'custom-cohort', version: 1, title: 'Frail people aged 65+ (edited)', description: 'Built in the cohort builder' }],
    ['an edited cohort with its own title keeps it', { quintiles: [1], title: '  Frail in Leeds  ' }, { id: 'custom-cohort', title: 'Frail in Leeds' }],
    ['a title too short to mean anything', { quintiles: [1], title: 'ab' }, { title: 'Custom cohort' }],
  ])('%s', (_, patch, expected) => {
    expect(buildDefinition(fromStored(patch), stored, LOOKBACK).definition).toMatchObject(expected);
  });

  const own: CohortChoices = { root: initialRoot(), title: 'Older people', place: '', neighbourhood: '', quintiles: [], segmentation: '', segments: [] };
  it.each<[string, Partial<CohortChoices>, Partial<CohortDefinition>]>([
    ['everywhere, every quintile, any segment', {}, { id: 'custom-cohort', version: 1, title: 'Older people', rule: { kind: 'compare', feature: 'age', op: '>=', value: 65 } }],
    ['in a place', { place: 'leeds' }, { area: { place: 'leeds' } }],
    ['in a neighbourhood', { neighbourhood: 'leeds-01' }, { area: { neighbourhoodId: 'leeds-01' } }],
    ['quintiles in order', { quintiles: [3, 1] }, { imdQuintiles: [1, 3] }],
    ['in segments', { segmentation: 'kirklees-four-groups', segments: ['high-need'] }, { segment: { segmentation: 'kirklees-four-groups', segments: ['high-need'] } }],
    ['no criteria at all is everyone', { root: rootOf({ kind: 'always' }) }, { rule: { kind: 'always' } }],
  ])('builds a cohort of your own: %s', (_, patch, expected) => {
    const built = buildDefinition({ ...own, ...patch }, undefined, LOOKBACK);
    expect(built.unchanged).toBe(false);
    expect(built.definition).toMatchObject(expected);
  });

  it('leaves out what is not chosen', () => {
    expect(Object.keys(buildDefinition(own, undefined, LOOKBACK).definition!).sort()).toEqual(['description', 'id', 'rule', 'title', 'version']);
  });

  it.each<[string, Partial<CohortChoices>, string]>([
    ['a segmentation without segments', { segmentation: 'bridges-to-health', segments: [] }, 'choose at least one segment, or no segmentation'],
    ['a rule without its number', { root: { key: 0, kind: 'all', children: [{ key: 1, kind: 'compare', feature: 'age', op: '>=', value: '' }] } }, 'enter a number for Age (years)'],
  ])('says why it cannot count %s', (_, patch, problem) => {
    expect(buildDefinition({ ...own, ...patch }, undefined, LOOKBACK)).toEqual({ definition: null, problem, unchanged: false });
  });

  it.each<[string, string | undefined, string]>([
    ['the cohort names none: anywhere', undefined, ''],
    ["the cohort names none: the team's own neighbourhood", 'leeds-07', 'leeds-07'],
  ])('opens a stored cohort in the form (%s)', (_, ownNeighbourhood, neighbourhood) => {
    const choices = choicesOf(stored, ownNeighbourhood);
    expect({ ...choices, root: undefined }).toEqual({ root: undefined, title: stored.title, place: 'leeds', neighbourhood, quintiles: [2, 1], segmentation: 'bridges-to-health', segments: ['frailty', 'dementia'] });
  });

  it.each<[{ place: string; neighbourhood: string }, string[], string[]]>([
    [{ place: '', neighbourhood: '' }, ['place', 'neighbourhood', 'imd-quintile', 'age-band', 'sex'], ['place', 'imd-quintile', 'age-band']],
    [{ place: 'leeds', neighbourhood: '' }, ['place', 'neighbourhood', 'imd-quintile', 'age-band', 'sex'], ['neighbourhood', 'imd-quintile', 'age-band']],
    [{ place: 'leeds', neighbourhood: 'leeds-01' }, ['place', 'neighbourhood', 'imd-quintile', 'age-band', 'sex'], ['imd-quintile', 'age-band', 'sex']],
    [{ place: '', neighbourhood: 'leeds-01' }, ['imd-quintile', 'sex'], ['imd-quintile', 'sex']],
  ])('breaks a count within %j down by default (of %j) by %j', (within, allowed, expected) => {
    expect(defaultBreakdowns(within, allowed)).toEqual(expected);
  });

  it.each<[readonly string[], string, boolean, number | undefined, string[]]>([
    [['a'], 'b', true, undefined, ['a', 'b']],
    [['a', 'b'], 'a', false, undefined, ['b']],
    [['a', 'b', 'c'], 'd', true, 3, ['b', 'c', 'd']],
    [[], 'a', false, undefined, []],
  ])('ticking %j: %s %s (at most %s) gives %j', (list, item, on, max, expected) => {
    expect(toggled(list, item, on, max)).toEqual(expected);
  });
});
