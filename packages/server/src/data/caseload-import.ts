/**
 * Importing caseload episodes recorded elsewhere first (docs/care-plans.md, "Importing episodes"):
 * the CSV is checked row by row against the residents in the data and the active caseload (core's
 * parseCaseloadImport), and either every new episode is stored, in one transaction, or none is. An
 * episode already stored (same person and day taken on) is not stored twice. Ended episodes are
 * stored as discharged with their outcome. The import is audited (counts only).
 */
import { UserError, parseCaseloadImport } from '@openphm/core';
import { writeAudit } from '../operational/audit.js';
import type { OperationalDb } from '../operational/db.js';
import { addToCaseload, listCaseload, updateCaseloadEntry } from '../operational/care-plans.js';
import type { ServeIo } from '../serve.js';
import { neighbourhoodsOf } from '@openphm/store-duckdb';
import { auditedFile, columnOf, describeProblems, importTableOf, runImport, type ImportCommandOptions } from './import-support.js';
import type { PhmData } from './phm-data.js';

export interface CaseloadImportResult {
  readonly rows: number;
  readonly imported: number;
  /** Already stored, or repeated in the file. */
  readonly alreadyPresent: number;
}

export const importCaseload = async (ops: OperationalDb, data: PhmData, file: string, text: string, options: { today: string; by: string }): Promise<CaseloadImportResult> => {
  const table = importTableOf(text, file, 'docs/care-plans.md');
  const neighbourhoodOf = await neighbourhoodsOf(data, columnOf(table, 'person_id'));
  const stored = await listCaseload(ops);
  const key = (personId: string, day: string) => `${personId}|${day}`;
  const seen = new Set(stored.map((e) => key(e.personId, e.addedAt.slice(0, 10))));
  // An active episode already stored that the file has too (same person and day: imported before) is not a second one.
  const days = columnOf(table, 'taken_on');
  const inFile = new Set(columnOf(table, 'person_id').map((p, i) => key(p, days[i] ?? '')));
  const active = new Set(stored.filter((e) => e.status === 'active' && !inFile.has(key(e.personId, e.addedAt.slice(0, 10)))).map((e) => e.personId));
  const { episodes, errors } = parseCaseloadImport(table, { today: options.today, neighbourhoodOf, active });
  if (errors.length > 0) throw new UserError(describeProblems(errors, file), 'invalid-input');
  const fresh = episodes.filter((e) => {
    const k = key(e.personId, e.takenOn);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  await ops.transaction(async (tx) => {
    for (const e of fresh) {
      const entry = await addToCaseload(
        tx,
        { personId: e.personId, neighbourhoodId: e.neighbourhoodId, source: e.source, cohortId: e.cohortId, keyWorker: e.keyWorker, nextReview: e.nextReview, addedAt: `${e.takenOn}T12:00:00Z` },
        options.by,
      );
      if (e.outcome !== null) await updateCaseloadEntry(tx, entry.id, { status: 'discharged', outcome: e.outcome, version: entry.version }, options.by);
    }
    await writeAudit(tx, {
      userId: null,
      userEmail: options.by,
      role: 'admin',
      action: 'caseload.import',
      resource: auditedFile(file),
      outcome: 'granted',
      status: 201,
      ip: null,
      detail: `${fresh.length} imported, ${episodes.length - fresh.length} already present`,
    });
  });
  return { rows: episodes.length, imported: fresh.length, alreadyPresent: episodes.length - fresh.length };
};

/** `phm caseload import FILE --db X --by EMAIL`. */
export const caseloadImportCommand = (options: ImportCommandOptions, io: ServeIo): Promise<CaseloadImportResult> =>
  runImport(options, io, async ({ ops, data, text, today, by }) => {
    const result = await importCaseload(ops, data, options.file, text, { today, by });
    io.stdout.write(`${options.file}: ${result.rows} episodes read, ${result.imported} imported, ${result.alreadyPresent} already present\n`);
    return result;
  });
