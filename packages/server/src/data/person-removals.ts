/**
 * Deleted people's operational records (docs/decisions/0009-incremental-loads.md, "Deleted people's
 * operational records"). An incremental load (`phm import --incremental`, a FHIR feed's DELETE or a
 * Patient it now excludes) deletes people from the person-level database and records who, with its
 * data version, in the table deleted_person (so does a full build, for the people of the database it
 * replaces that it leaves out, carrying the rows already there: docs/decisions/0013-stable-person-ids.md);
 * it never writes the operational store, which a running server owns (one writer per store). The server
 * applies them itself:
 * - at start, and when it moves to a new data version (the first request after the file changed,
 *   before that request is answered: followRemovals below);
 * - commands that open the operational store without a server (`phm caseload import`, `phm referrals
 *   import`) do the same first.
 * Applying them closes what is open about each person, in one transaction per application, each change
 * with its history row as a user's would be (by `data load <version>`): active caseload episodes are
 * discharged with the outcome 'removed-from-data', active care plans closed, open referrals withdrawn,
 * open tasks cancelled, active alerts ended. Nothing is deleted: the records, their history, notes,
 * MDT agenda items, advance care plans, break-glass grants and the audit log are kept as records of
 * care given. The person is recorded once per data version in person_removal (append-only, with what
 * was closed) and the audit log gets one row per person (action person.removed-by-data-load). A
 * person a later load added again is not applied (readDeletedPeople leaves them out).
 */
import { readDeletedPeople } from '@openphm/store-duckdb';
import { closeRecordsOfRemovedPeople, type RemovalsApplied } from '../operational/person-removals.js';
import type { OperationalDb } from '../operational/db.js';
import type { PhmData } from './phm-data.js';

export { REMOVAL_AUDIT_ACTION, removalActor, type ClosedRecords, type RemovalsApplied } from '../operational/person-removals.js';

/** Applies the deletions of the data version `data` serves that the operational store has not applied yet (see the module comment). */
export const applyPersonRemovals = async (ops: OperationalDb, data: Pick<PhmData, 'lookup'>): Promise<RemovalsApplied> =>
  // On the lookup connections: never behind a long query (the background precomputation) on the main one.
  closeRecordsOfRemovedPeople(ops, await readDeletedPeople({ query: (sql, params) => data.lookup(sql, params) }));

/**
 * Follows the data versions for a server: `ensure()` applies the removals of the version on disk
 * once (a version whose application failed is tried again at the next call). Cheap when nothing
 * changed (a stat of the file).
 */
export const followRemovals = (
  ops: OperationalDb,
  data: Pick<PhmData, 'lookup' | 'version'>,
  report: { readonly applied: (result: RemovalsApplied, version: string) => void; readonly failed: (error: unknown) => void },
): { ensure: () => Promise<void> } => {
  let done: string | undefined;
  let running: { version: string; promise: Promise<void> } | undefined;
  const ensure = async (): Promise<void> => {
    const version = data.version();
    if (version === done) return;
    if (running?.version !== version) {
      const promise = (running?.promise ?? Promise.resolve()).then(async () => {
        try {
          const result = await applyPersonRemovals(ops, data);
          // What was applied belongs to the version read (the file may have changed again meanwhile: then the next call applies that one).
          done = version;
          if (result.people > 0) report.applied(result, version);
        } catch (error) {
          report.failed(error);
        }
      });
      running = { version, promise };
    }
    await running.promise;
  };
  return { ensure };
};
