/** Record keys of given people, for counts made outside the store (referrals, caseload) that must be published. */
import { UserError } from '@openphm/core';
import type { PhmDatabase } from '../database.js';

/** person_id → record key, for the ids that are in the person table (unknown ids are left out). */
export const recordKeysOf = async (db: PhmDatabase, personIds: Iterable<string>): Promise<Map<string, number>> => {
  const ids = [...new Set(personIds)];
  for (const id of ids) if (!/^\d{1,18}$/.test(id)) throw new UserError(`'${id}' is not a person id`, 'invalid-input');
  const out = new Map<string, number>();
  if (ids.length === 0) return out;
  const values = ids.map((id) => `(${id}::BIGINT)`).join(', ');
  const rows = await db.query<{ id: string; k: number }>(`SELECT p.person_id::VARCHAR AS id, p.record_key AS k FROM person p JOIN (VALUES ${values}) v(person_id) ON v.person_id = p.person_id`);
  for (const r of rows) out.set(String(r.id), Number(r.k));
  return out;
};
