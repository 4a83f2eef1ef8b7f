/**
 * Importing caseload episodes recorded elsewhere first (docs/care-plans.md, "Importing episodes"):
 * the CSV is checked row by row against the residents in the data and the active caseload (core's
 * parseCaseloadImport), and either every new episode is stored, in one transaction, or none is. An
 * episode already stored (same person and day taken on) is not stored twice. Ended episodes are
 * stored as discharged with their outcome. The import is audited (counts only).
 */
import { UserError, parseCaseloadImport } from '@openphm/core';
import type { OperationalDb } from '../operational/db.js';
import { addToCaseload, listCaseload, updateCaseloadEntry } from '../operational/care-plans.js';
import { neighbourhoodsOf } from '@openphm/store-duckdb';
import { columnOf, describeProblems, importCommand, importTableOf, storeNewRecords, type ImportResult } from './import-support.js';
import type { PhmData } from './phm-data.js';

export type CaseloadImportResult = ImportResult;

const key = (personId: string, day: string) => `${personId}|${day}`;

export const importCaseload = async (ops: OperationalDb, data: PhmData, file: string, text: string, options: { today: string; by: string }): Promise<CaseloadImportResult> => {
  const table = importTableOf(text, file, 'docs/care-plans.md');
  const neighbourhoodOf = await neighbourhoodsOf(data, columnOf(table, 'person_id'));
  const stored = await listCaseload(ops);
  // An active episode already stored that the file has too (same person and day: imported before) is not a second one.
  const days = columnOf(table, 'taken_on');
  const inFile = new Set(columnOf(table, 'person_id').map((p, i) => key(p, days[i] ?? '')));
  const active = new Set(stored.filter((e) => e.status === 'active' && !inFile.has(key(e.personId, e.addedAt.slice(0, 10)))).map((e) => e.personId));
  const { episodes, errors } = parseCaseloadImport(table, { today: options.today, neighbourhoodOf, active });
  if (errors.length > 0) throw new UserError(describeProblems(errors, file), 'invalid-input');
  return storeNewRecords(ops, {
    records: episodes,
    present: stored.map((e) => key(e.personId, e.addedAt.slice(0, 10))),
    keyOf: (e) => key(e.personId, e.takenOn),
    store: async (tx, e) => {
      const entry = await addToCaseload(
        tx,
        { personId: e.personId, neighbourhoodId: e.neighbourhoodId, source: e.source, cohortId: e.cohortId, keyWorker: e.keyWorker, nextReview: e.nextReview, addedAt: `${e.takenOn}T12:00:00Z` },
        options.by,
      );
      if (e.outcome !== null) await updateCaseloadEntry(tx, entry.id, { status: 'discharged', outcome: e.outcome, version: entry.version }, options.by);
    },
    audit: { action: 'caseload.import', by: options.by, file },
  });
};

/** `phm caseload import FILE --db X --by EMAIL`. */
export const caseloadImportCommand = importCommand('episodes', importCaseload);
