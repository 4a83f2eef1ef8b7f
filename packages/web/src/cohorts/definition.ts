/**
 * From what is chosen in the cohort builder (rule tree, area, IMD quintiles, segments, title) to a
 * cohort definition for the API, and back from a stored cohort. A stored cohort whose criteria are
 * unchanged keeps its id and version; any edit makes an ad-hoc cohort. Pure, and unit-tested.
 */
import type { CohortDefinition } from '../api.js';
import { rootOf, toRule, type GroupNode } from './rule-tree.js';

/** Everything the builder's form holds ('' for "any" in the selects). */
export interface CohortChoices {
  readonly root: GroupNode;
  readonly title: string;
  readonly place: string;
  readonly neighbourhood: string;
  readonly quintiles: readonly number[];
  readonly segmentation: string;
  readonly segments: readonly string[];
}

/** The definition to count, or the problem that stops it; `unchanged` when it is still the stored cohort. */
export interface BuiltCohort {
  readonly definition: CohortDefinition | null;
  readonly problem: string | null;
  readonly unchanged: boolean;
}

/** Ids and quintiles compared as sets: the order they were ticked in does not make a new cohort. */
const sameSet = <T extends string | number>(a: readonly T[], b: readonly T[]): boolean => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** The form's choices for a stored cohort; a neighbourhood team stays in its own neighbourhood unless the cohort names one. */
export const choicesOf = (c: CohortDefinition, ownNeighbourhood?: string): CohortChoices => ({
  root: rootOf(c.rule),
  title: c.title,
  place: c.area?.place ?? '',
  neighbourhood: c.area?.neighbourhoodId ?? ownNeighbourhood ?? '',
  quintiles: [...(c.imdQuintiles ?? [])],
  segmentation: c.segment?.segmentation ?? '',
  segments: [...(c.segment?.segments ?? [])],
});

/** The title of a built cohort: the one typed (3 characters or more), marked as edited when it would pass for the stored cohort's. */
const titleOf = (typed: string, stored: CohortDefinition | undefined, unchanged: boolean): string => {
  const name = typed.trim().length >= 3 ? typed.trim() : 'Custom cohort';
  return unchanged || name !== stored?.title ? name : `${name} (edited)`;
};

/** The definition the builder counts, from its choices, the stored cohort it started from (if any) and the features' event lookback. */
export const buildDefinition = (choices: CohortChoices, stored: CohortDefinition | undefined, lookbackDays: number): BuiltCohort => {
  const { root, place, neighbourhood, quintiles, segmentation, segments } = choices;
  const rule = toRule(root, lookbackDays);
  if (typeof rule === 'string') return { definition: null, problem: rule, unchanged: false };
  if (segmentation && segments.length === 0) return { definition: null, problem: 'choose at least one segment, or no segmentation', unchanged: false };
  const area = place || neighbourhood ? { ...(place ? { place } : {}), ...(neighbourhood ? { neighbourhoodId: neighbourhood } : {}) } : undefined;
  const unchanged =
    stored !== undefined &&
    JSON.stringify(toRule(rootOf(stored.rule), lookbackDays)) === JSON.stringify(rule) &&
    (stored.area?.place ?? '') === place &&
    (stored.area?.neighbourhoodId ?? '') === neighbourhood &&
    sameSet(stored.imdQuintiles ?? [], quintiles) &&
    (stored.segment?.segmentation ?? '') === segmentation &&
    sameSet(stored.segment?.segments ?? [], segments);
  const definition: CohortDefinition = {
    id: unchanged ? stored.id : 'custom-cohort',
    version: unchanged ? stored.version : 1,
    title: titleOf(choices.title, stored, unchanged),
    description: unchanged ? stored.description : 'Built in the cohort builder',
    rule: rule ?? { kind: 'always' },
    ...(area ? { area } : {}),
    ...(quintiles.length ? { imdQuintiles: [...quintiles].sort() } : {}),
    ...(segmentation ? { segment: { segmentation, segments } } : {}),
  };
  return { definition, problem: null, unchanged };
};

/**
 * The breakdowns shown until someone picks their own: within a neighbourhood, its make-up; within
 * a place, its neighbourhoods; otherwise the places. Only those the role may use.
 */
export const defaultBreakdowns = (within: { readonly place: string; readonly neighbourhood: string }, allowed: readonly string[]): string[] =>
  (within.neighbourhood ? ['imd-quintile', 'age-band', 'sex'] : within.place ? ['neighbourhood', 'imd-quintile', 'age-band'] : ['place', 'imd-quintile', 'age-band']).filter((b) => allowed.includes(b));

/** The most breakdowns one count asks for (the oldest choice gives way). */
export const MAX_BREAKDOWNS = 6;

/** A list with `item` ticked or not; with `max`, only the most recent `max` ticks are kept. */
export const toggled = <T>(list: readonly T[], item: T, on: boolean, max = Infinity): T[] => (on ? [...list, item].slice(-max) : list.filter((x) => x !== item));
