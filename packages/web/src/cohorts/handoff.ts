/**
 * Passing a cohort from the builder to the worklist page. A stored cohort that was not edited goes
 * by id in the address; an edited one cannot (a definition does not belong in a link that may be
 * shared or logged), so it goes in this tab's session storage and the address only says "custom".
 */
import type { CohortDefinition } from '../api.js';

const WORKLIST_DEFINITION = 'openphm.worklist.definition';

/** The part of the Web Storage API used here (sessionStorage in the browser; a stand-in in tests). */
export type DefinitionStore = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * The worklist page's address for a cohort: by id when it is the stored one (with `version` for an
 * earlier version of a saved cohort), else the one in session storage.
 */
export const worklistHref = (cohort: { readonly unchanged: boolean; readonly storedId: string; readonly version?: number | undefined }, neighbourhood: string): string => {
  const where = neighbourhood ? `&neighbourhood=${encodeURIComponent(neighbourhood)}` : '';
  const version = cohort.version !== undefined ? `&version=${cohort.version}` : '';
  return cohort.unchanged ? `#/worklist?cohort=${encodeURIComponent(cohort.storedId)}${version}${where}` : `#/worklist?custom=1${where}`;
};

/** Keeps the definition for the worklist page (this tab only). */
export const sendToWorklist = (definition: CohortDefinition, store: DefinitionStore = sessionStorage): void => store.setItem(WORKLIST_DEFINITION, JSON.stringify(definition));

/** The definition last sent from the cohort builder to the worklist page (this tab only), or null. */
export const builtWorklistDefinition = (store?: DefinitionStore): CohortDefinition | null => {
  try {
    // Inside the try: a browser that refuses storage throws on the very mention of sessionStorage.
    const text = (store ?? sessionStorage).getItem(WORKLIST_DEFINITION);
    return text ? (JSON.parse(text) as CohortDefinition) : null;
  } catch {
    return null;
  }
};
