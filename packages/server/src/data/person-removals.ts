/**
 * Deleted people's operational records (docs/decisions/0009-incremental-loads.md, "Deleted people's
 * operational records"). An incremental load (`phm import --incremental`, a FHIR feed's DELETE or a
 * Patient it now excludes) deletes people from the person-level database and records who, with its
 * data version, in the table deleted_person; it never writes the operational store, which a running
 * server owns (one writer per store). The server applies them itself:
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
import { readDeletedPeople, type DeletedPerson } from '@openphm/store-duckdb';
import { writeAudit } from '../operational/audit.js';
import { withdrawReferralsOfRemovedPeople } from '../operational/care.js';
import { closeCareOfRemovedPeople } from '../operational/care-plans.js';
import { endAlertsOfRemovedPeople } from '../operational/advance-care.js';
import { cancelTasksOfRemovedPeople } from '../operational/tasks.js';
import type { OperationalDb } from '../operational/db.js';
import type { PhmData } from './phm-data.js';

/** What was closed about one person. */
export interface ClosedRecords {
  caseloadEpisodes: number;
  carePlans: number;
  referrals: number;
  tasks: number;
  alerts: number;
}

export interface RemovalsApplied {
  /** People applied now (already applied ones are not counted). */
  readonly people: number;
  readonly closed: Readonly<ClosedRecords>;
}

export const REMOVAL_AUDIT_ACTION = 'person.removed-by-data-load';

/** Who the changes are recorded as made by. */
export const removalActor = (buildId: string): string => `data load ${buildId}`;

const none = (): ClosedRecords => ({ caseloadEpisodes: 0, carePlans: 0, referrals: 0, tasks: 0, alerts: 0 });

/** Groups pending removals by data version, in the order given. */
const byVersion = (pending: readonly DeletedPerson[]): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const p of pending) (out.get(p.buildId) ?? out.set(p.buildId, []).get(p.buildId)!).push(p.personId);
  return out;
};

/** Applies the deletions of the data version `data` serves that the operational store has not applied yet (see the module comment). */
export const applyPersonRemovals = async (ops: OperationalDb, data: Pick<PhmData, 'lookup'>): Promise<RemovalsApplied> => {
  // On the lookup connections: never behind a long query (the background precomputation) on the main one.
  const deleted = await readDeletedPeople({ query: (sql, params) => data.lookup(sql, params) });
  const total = none();
  if (deleted.length === 0) return { people: 0, closed: total };
  return ops.transaction(async (tx) => {
    // Under a lock: two processes (or two versions in quick succession) apply each person once.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`openphm-person-removal-${ops.schema}`]);
    const ids = [...new Set(deleted.map((d) => d.personId))];
    const applied = new Set(
      (await tx.query<{ build_id: string; person_id: string }>("SELECT build_id, person_id::text AS person_id FROM person_removal WHERE person_id = ANY(string_to_array($1, ',')::bigint[])", [ids.join(',')])).map(
        (r) => `${r.build_id}/${r.person_id}`,
      ),
    );
    const pending = deleted.filter((d) => !applied.has(`${d.buildId}/${d.personId}`));
    let people = 0;
    for (const [buildId, personIds] of byVersion(pending)) {
      const by = removalActor(buildId);
      const closed = new Map<string, ClosedRecords>(personIds.map((id) => [id, none()]));
      const count = (rows: readonly { personId: string }[], kind: keyof ClosedRecords) => {
        for (const r of rows) {
          closed.get(r.personId)![kind]++;
          total[kind]++;
        }
      };
      const care = await closeCareOfRemovedPeople(tx, personIds, by);
      count(care.caseloadEpisodes, 'caseloadEpisodes');
      count(care.carePlans, 'carePlans');
      count(await withdrawReferralsOfRemovedPeople(tx, personIds, by), 'referrals');
      count(await cancelTasksOfRemovedPeople(tx, personIds, by), 'tasks');
      count(await endAlertsOfRemovedPeople(tx, personIds, by), 'alerts');
      for (const personId of personIds) {
        const c = closed.get(personId)!;
        await tx.query('INSERT INTO person_removal (build_id, person_id, closed) VALUES ($1, $2::bigint, $3::jsonb)', [buildId, personId, JSON.stringify(c)]);
        await writeAudit(tx, {
          userId: null,
          userEmail: null,
          role: 'admin',
          action: REMOVAL_AUDIT_ACTION,
          resource: `person:${personId}`,
          outcome: 'granted',
          status: 200,
          ip: null,
          detail: `data version ${buildId}: closed ${c.caseloadEpisodes} caseload episodes, ${c.carePlans} care plans, ${c.referrals} referrals, ${c.tasks} tasks, ${c.alerts} alerts`,
        });
        people++;
      }
    }
    return { people, closed: total };
  });
};

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
