import { describe, expect, it } from 'vitest';
import type { CohortDefinition } from '../api.js';
import { bySource, cohortLabel, saveInput, sharingLabel, type ListedCohort } from './saved.js';

const def: CohortDefinition = { id: 'custom-cohort', version: 1, title: 'x', description: 'y', rule: { kind: 'flag', feature: 'carer' } };
const listed = (id: string, source: 'file' | 'saved'): ListedCohort => ({ ...def, id, source }) as ListedCohort;

describe('saved cohorts in the builder', () => {
  it('names who a cohort is shared with, by the role saving it', () => {
    expect(sharingLabel('private', 'analyst')).toBe('Only me');
    expect(sharingLabel('team', 'analyst')).toBe('Analysts (my team)');
    expect(sharingLabel('team', 'neighbourhood')).toBe('My neighbourhood team');
    expect(sharingLabel('everyone', 'neighbourhood')).toBe('Everyone who uses cohorts');
  });

  it('splits the list by source', () => {
    expect(bySource([listed('a', 'file'), listed('b', 'saved'), listed('c', 'file')])).toEqual({ files: [listed('a', 'file'), listed('c', 'file')], saved: [listed('b', 'saved')] });
  });

  it.each<[string, Pick<ListedCohort, 'title' | 'source' | 'saved'>, string]>([
    ['a cohort file: its title', { title: 'Frail 65+', source: 'file' }, 'Frail 65+'],
    ['one saved by me', { title: 'Carers 70+', source: 'saved', saved: { owner: 'analyst@demo', sharing: 'team', mine: true, updatedAt: '2026-01-01T00:00:00Z' } }, 'Carers 70+ (saved)'],
    ['one shared with me', { title: 'Carers 70+', source: 'saved', saved: { owner: 'lead@demo', sharing: 'everyone', mine: false, updatedAt: '2026-01-01T00:00:00Z' } }, 'Carers 70+ (saved by lead@demo)'],
  ])('labels %s in a list of cohorts to use', (_what, cohort, label) => {
    expect(cohortLabel(cohort)).toBe(label);
  });

  it('sends a name, a description (one made up when none is given) and the definition; says what is missing', () => {
    expect(saveInput('  Carers ', '', def)).toEqual({ title: 'Carers', description: 'Saved from the cohort builder: Carers', definition: def });
    expect(saveInput('Carers', 'For the carers strategy', def)).toMatchObject({ description: 'For the carers strategy' });
    expect(saveInput('Ca', '', def)).toBe('give the cohort a name of 3 characters or more');
    expect(saveInput('Carers', '', null)).toBe('fix the criteria first');
  });
});
