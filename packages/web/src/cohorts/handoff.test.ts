import { describe, expect, it } from 'vitest';
import type { CohortDefinition } from '../api.js';
import { builtWorklistDefinition, sendToWorklist, worklistHref, type DefinitionStore } from './handoff.js';

/** A session storage stand-in. */
const memoryStore = (): DefinitionStore & { items: Map<string, string> } => {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
};
const definition: CohortDefinition = { id: 'custom-cohort', version: 1, title: 'Carers', description: 'Built in the cohort builder', rule: { kind: 'flag', feature: 'carer' } };

describe('from the cohort builder to the worklist', () => {
  it.each<[boolean, string, string, string]>([
    [true, 'frail-65', '', '#/worklist?cohort=frail-65'],
    [true, 'frail-65', 'leeds-01', '#/worklist?cohort=frail-65&neighbourhood=leeds-01'],
    [false, 'frail-65', '', '#/worklist?custom=1'],
    [false, '', 'leeds 01', '#/worklist?custom=1&neighbourhood=leeds%2001'],
  ])('unchanged %s, stored %j, neighbourhood %j: %s', (unchanged, storedId, neighbourhood, href) => {
    expect(worklistHref({ unchanged, storedId }, neighbourhood)).toBe(href);
  });

  it('names an earlier version of a saved cohort; an edited one still goes as its definition', () => {
    expect(worklistHref({ unchanged: true, storedId: 'carers', version: 1 }, 'leeds-01')).toBe('#/worklist?cohort=carers&version=1&neighbourhood=leeds-01');
    expect(worklistHref({ unchanged: false, storedId: 'carers', version: 1 }, '')).toBe('#/worklist?custom=1');
  });

  it('passes an edited definition through this tab only', () => {
    const store = memoryStore();
    expect(builtWorklistDefinition(store)).toBeNull();
    sendToWorklist(definition, store);
    expect(builtWorklistDefinition(store)).toEqual(definition);
  });

  it.each<[string, DefinitionStore]>([
    ['not JSON', { getItem: () => '{not json', setItem: () => undefined }],
    ['storage refused', { getItem: () => { throw new Error('SecurityError'); }, setItem: () => undefined }],
  ])('reads nothing when the stored text is unusable (%s)', (_, store) => {
    expect(builtWorklistDefinition(store)).toBeNull();
  });
});
