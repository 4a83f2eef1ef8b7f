/**
 * Caseload episodes recorded elsewhere first (a practice or community system, a team spreadsheet),
 * checked row by row before any is stored: what `phm caseload import` reads. One row per episode:
 * who, where they came from (with the cohort for a worklist), key worker, the day they were taken
 * on, the next review, and for an episode that has ended, its outcome. A person has at most one
 * active episode. Every problem names the file, the line and the field. Pure: the caller says where
 * each person lives, which people already have an active episode, and what today is.
 */
import type { InputError } from '../errors/errors.js';
import { isIsoDay, readImportTable, residentOf, type ImportTable } from './import-table.js';
import { CASELOAD_SOURCES, DISCHARGE_OUTCOMES, type CaseloadSource, type ChosenDischargeOutcome } from './plans.js';

export const CASELOAD_IMPORT_REQUIRED = ['person_id', 'source', 'key_worker', 'taken_on', 'next_review'] as const;
export const CASELOAD_IMPORT_OPTIONAL = ['cohort_id', 'outcome'] as const;

export interface ImportedEpisode {
  readonly line: number;
  readonly personId: string;
  readonly neighbourhoodId: string;
  readonly source: CaseloadSource;
  readonly cohortId: string | null;
  readonly keyWorker: string;
  /** ISO day. */
  readonly takenOn: string;
  readonly nextReview: string;
  /** Null: still active. */
  readonly outcome: ChosenDischargeOutcome | null;
}

export interface CaseloadImportContext {
  readonly today: string;
  readonly neighbourhoodOf: ReadonlyMap<string, string>;
  /** People with an active episode already stored. */
  readonly active: ReadonlySet<string>;
}

const SOURCES = new Set<string>(CASELOAD_SOURCES.map((s) => s.id));
const OUTCOMES = new Set<string>(DISCHARGE_OUTCOMES.map((o) => o.id));

export const parseCaseloadImport = (table: ImportTable, ctx: CaseloadImportContext, limit = 20): { episodes: ImportedEpisode[]; errors: InputError[] } => {
  const activeInFile = new Map<string, number>();
  const { items, errors } = readImportTable(
    table,
    { required: CASELOAD_IMPORT_REQUIRED, optional: CASELOAD_IMPORT_OPTIONAL },
    (row): ImportedEpisode => {
      const { get, problem, line } = row;
      const { personId, neighbourhoodId } = residentOf(row, ctx.neighbourhoodOf);
      const source = get('source');
      if (!SOURCES.has(source)) problem('source', `'${source}' is not a source (${[...SOURCES].join(', ')})`);
      const cohortId = get('cohort_id');
      if (source === 'worklist' && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(cohortId)) problem('cohort_id', 'name the cohort the worklist came from (its id)');
      if (source !== 'worklist' && cohortId !== '') problem('cohort_id', 'a cohort is named only for people found on a worklist');
      const keyWorker = get('key_worker');
      if (keyWorker === '' || keyWorker.length > 200) problem('key_worker', 'the key worker (a name or role, up to 200 characters)');
      const takenOn = get('taken_on');
      if (!isIsoDay(takenOn)) problem('taken_on', `'${takenOn}' is not a date (YYYY-MM-DD)`);
      else if (takenOn > ctx.today) problem('taken_on', `${takenOn} is after today (${ctx.today})`);
      const nextReview = get('next_review');
      if (!isIsoDay(nextReview)) problem('next_review', `'${nextReview}' is not a date (YYYY-MM-DD)`);
      const outcome = get('outcome');
      if (outcome !== '' && !OUTCOMES.has(outcome)) problem('outcome', `'${outcome}' is not an outcome (${[...OUTCOMES].join(', ')}; leave it empty while the person is on the caseload)`);
      if (outcome === '' && /^\d{1,18}$/.test(personId)) {
        if (ctx.active.has(personId)) problem('person_id', `person ${personId} is already on the caseload (one active episode per person)`);
        else if (activeInFile.has(personId)) problem('person_id', `person ${personId} has another active episode on line ${activeInFile.get(personId)}`);
        else activeInFile.set(personId, line);
      }
      return {
        line,
        personId,
        neighbourhoodId,
        source: source as CaseloadSource,
        cohortId: cohortId === '' ? null : cohortId,
        keyWorker,
        takenOn,
        nextReview,
        outcome: outcome === '' ? null : (outcome as ChosenDischargeOutcome),
      };
    },
    limit,
  );
  return { episodes: items, errors };
};
