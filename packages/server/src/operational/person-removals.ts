/**
 * The operational store's side of deleted people's records (docs/decisions/0009-incremental-loads.md;
 * who calls it and when: data/person-removals.ts). For people a data load deleted, in one transaction
 * under an advisory lock: what is open about each is closed (caseload episodes discharged
 * 'removed-from-data', care plans closed, referrals withdrawn, tasks cancelled, alerts ended, each with
 * its history row by `data load <version>`), the person is recorded once per data version in
 * person_removal (append-only, with what was closed), and the audit log gets a row per person. People
 * already recorded for that version are skipped. Nothing is deleted.
 */
import { writeAudit } from './audit.js';
import { withdrawReferralsOfRemovedPeople } from './care.js';
import { closeCareOfRemovedPeople } from './care-plans.js';
import { endAlertsOfRemovedPeople } from './advance-care.js';
import { cancelTasksOfRemovedPeople } from './tasks.js';
import type { OperationalDb } from './db.js';

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

/** A person a data load deleted, with the data version that deleted them. */
export interface RemovedPerson {
  readonly buildId: string;
  readonly personId: string;
}

export const REMOVAL_AUDIT_ACTION = 'person.removed-by-data-load';

/** Who the changes are recorded as made by. */
export const removalActor = (buildId: string): string => `data load ${buildId}`;

export const noneClosed = (): ClosedRecords => ({ caseloadEpisodes: 0, carePlans: 0, referrals: 0, tasks: 0, alerts: 0 });

/** Groups removals by data version, in the order given. */
const byVersion = (pending: readonly RemovedPerson[]): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const p of pending) (out.get(p.buildId) ?? out.set(p.buildId, []).get(p.buildId)!).push(p.personId);
  return out;
};

/** Applies the removals not applied before (see the module comment). */
export const closeRecordsOfRemovedPeople = async (ops: OperationalDb, removed: readonly RemovedPerson[]): Promise<RemovalsApplied> => {
  const total = noneClosed();
  if (removed.length === 0) return { people: 0, closed: total };
  return ops.transaction(async (tx) => {
    // Under a lock: two processes (or two versions in quick succession) apply each person once.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`openphm-person-removal-${ops.schema}`]);
    const ids = [...new Set(removed.map((d) => d.personId))];
    const applied = new Set(
      (await tx.query<{ build_id: string; person_id: string }>("SELECT build_id, person_id::text AS person_id FROM person_removal WHERE person_id = ANY(string_to_array($1, ',')::bigint[])", [ids.join(',')])).map(
        (r) => `${r.build_id}/${r.person_id}`,
      ),
    );
    const pending = removed.filter((d) => !applied.has(`${d.buildId}/${d.personId}`));
    let people = 0;
    for (const [buildId, personIds] of byVersion(pending)) {
      const by = removalActor(buildId);
      const closed = new Map<string, ClosedRecords>(personIds.map((id) => [id, noneClosed()]));
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
