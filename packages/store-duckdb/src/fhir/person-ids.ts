/**
 * Person ids kept across full FHIR imports (docs/fhir-import.md, "Person ids across full imports";
 * docs/decisions/0013-stable-person-ids.md). The operational store (caseload, care plans, referrals,
 * tasks, alerts, notes) names people by `person_id`; a full `phm import --fhir` over a database must
 * therefore give each person the id they had, and never give anyone an id another person had.
 *
 * What the database being replaced tells (readPreviousPeople): the Patients' source keys
 * (`fhir_source_key`, `Patient/id` hashed with its record key salt) and their ids, each stored person's
 * sex and date of birth, their NHS numbers (from the identity store beside it, when it belongs to the
 * same build: the identifiable zone, never copied into the pseudonymous database), and the largest id
 * ever given (people, keys and deleted_person, which keeps every person a load or a full build removed).
 *
 * The rule (assignPersonIds), for the Patients the import loads, in the order read:
 * 1. **Source key**: a Patient whose key (`Patient/<id>`, as the source sends it) is stored keeps the
 *    stored id when it is confirmed to be the same person: the same NHS number when both have one
 *    (birth details may then be corrected), else the same sex and date of birth. A key whose NHS
 *    number differs from the stored one names someone else (a database of another source whose ids
 *    collide, or a person given a new NHS number): wrongly attaching care records to a person is worse
 *    than closing them as removed from the data.
 * 2. **NHS number**: a Patient whose key is not stored (the source gave its Patients new ids) but whose
 *    NHS number is a stored person's, whose id no Patient kept by rule 1, keeps that id (the new key is
 *    stored with it).
 * 3. Anyone else is a **new person**: numbered after the largest id ever given, never reusing one.
 * People of the old database whose id no Patient kept are recorded as deleted by the build (build.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { META_TABLE } from '../ddl.js';
import { identityFileOf } from '../identity/store.js';
import { DELETED_PERSON_TABLE } from '../load-history.js';
import { RECORD_KEY_SALT_META } from '../record-keys.js';
import { literal } from '../sql.js';

/** What a full import needs to know of the database it replaces. */
export interface PreviousPeople {
  /** The stored person id of a Patient key (`Patient/x`), when stored. */
  readonly idOfKey: (key: string) => number | undefined;
  /** A stored person's sex, date of birth and NHS number (when the identity store holds one). */
  readonly person: (personId: number) => { readonly sex: string; readonly dateOfBirth: string; readonly nhsNumber?: string } | undefined;
  /** The stored person with this NHS number (the identity store of the same build). */
  readonly idOfNhsNumber: (nhsNumber: string) => number | undefined;
  /** The largest person id ever given in the database (its people, source keys and deleted people). */
  readonly highWater: number;
  /** People stored. */
  readonly people: number;
  /** Whether the database was built from FHIR (it has source keys). */
  readonly fromFhir: boolean;
  /** Whether NHS numbers were read (an identity store of the same build). */
  readonly nhsNumbers: boolean;
}

const rows = async (connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> => (await connection.runAndReadAll(sql)).getRowObjectsJS();

const hasTable = async (connection: DuckDBConnection, database: string, table: string): Promise<boolean> =>
  Number(
    (await rows(connection, `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = ${literal(database)} AND schema_name = 'main' AND table_name = ${literal(table)}`))[0]?.n ?? 0,
  ) > 0;

/**
 * Reads the people of the OpenPHM database at `dbFile` (read-only), or undefined when there is no such
 * file or it is not an OpenPHM database with a person table (then there is nobody to keep).
 */
export const readPreviousPeople = async (dbFile: string, config: Record<string, string> = {}): Promise<PreviousPeople | undefined> => {
  if (!existsSync(dbFile)) return undefined;
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(dbFile, { ...config, access_mode: 'READ_ONLY' });
  } catch {
    return undefined;
  }
  const connection = await instance.connect();
  try {
    const db = String((await rows(connection, 'SELECT current_database() AS d'))[0]?.d);
    if (!(await hasTable(connection, db, META_TABLE.name)) || !(await hasTable(connection, db, 'person'))) return undefined;
    const meta = new Map((await rows(connection, `SELECT key, value FROM ${META_TABLE.name}`)).map((r) => [String(r.key), String(r.value)]));
    const salt = meta.get(RECORD_KEY_SALT_META) ?? '';
    const fromFhir = await hasTable(connection, db, 'fhir_source_key');
    const deleted = (await hasTable(connection, db, DELETED_PERSON_TABLE.name)) ? `, (SELECT coalesce(max(person_id), 0) FROM ${DELETED_PERSON_TABLE.name})` : '';
    const keyMax = fromFhir ? ", (SELECT coalesce(max(id), 0) FROM fhir_source_key WHERE target = 'person')" : '';
    const highWater = Number((await rows(connection, `SELECT greatest((SELECT coalesce(max(person_id), 0) FROM person)${keyMax}${deleted}) AS m`))[0]?.m ?? 0);
    // NHS numbers from the identity store, only when it belongs to this build (as the server shows identities).
    let nhsNumbers = false;
    const identityFile = identityFileOf(dbFile);
    if (existsSync(identityFile)) {
      try {
        await connection.run(`ATTACH ${literal(identityFile)} AS previous_identity (READ_ONLY)`);
        const [buildOf] = await rows(connection, "SELECT value FROM previous_identity.meta WHERE key = 'build_id'");
        nhsNumbers = buildOf !== undefined && String(buildOf.value) === meta.get('build_id');
        if (!nhsNumbers) await connection.run('DETACH previous_identity');
      } catch {
        // Not a readable identity store: no NHS numbers to match by (the source keys still are).
        await connection.run('DETACH DATABASE IF EXISTS previous_identity');
      }
    }
    // One row per person (and source key), streamed chunk by chunk into columns: a few hundred bytes a person in all (decision 0013, Consequences).
    const result = await connection.stream(
      `SELECT p.person_id::DOUBLE AS id, p.sex, strftime(p.date_of_birth, '%Y-%m-%d') AS dob, ${nhsNumbers ? 'i.nhs_number' : 'NULL::VARCHAR'} AS nhs, ` +
        `${fromFhir ? 'k.resource' : 'NULL::VARCHAR'} AS resource FROM person p` +
        (fromFhir ? " LEFT JOIN (SELECT resource, id FROM fhir_source_key WHERE target = 'person') k ON k.id = p.person_id" : '') +
        (nhsNumbers ? ' LEFT JOIN previous_identity.identity i ON i.person_id = p.person_id' : ''),
    );
    const sexes: string[] = [];
    const dobs: string[] = [];
    const nhss: (string | null)[] = [];
    const rowOf = new Map<number, number>();
    const byKey = new Map<string, number>();
    const byNhs = new Map<string, number>();
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const [ids, sex, dob, nhs, resource] = chunk.getColumns() as [number[], string[], string[], (string | null)[], (string | null)[]];
      for (let r = 0; r < chunk.rowCount; r++) {
        const id = ids[r]!;
        rowOf.set(id, sexes.length);
        sexes.push(sex[r]!);
        dobs.push(dob[r]!);
        nhss.push(nhs[r] ?? null);
        if (resource[r] != null) byKey.set(resource[r]!, id);
        if (nhs[r] != null) byNhs.set(nhs[r]!, id);
      }
    }
    if (nhsNumbers) await connection.run('DETACH previous_identity');
    const people = {
      get: (id: number) => {
        const r = rowOf.get(id);
        if (r === undefined) return undefined;
        const nhs = nhss[r];
        return { sex: sexes[r]!, dateOfBirth: dobs[r]!, ...(nhs != null ? { nhsNumber: nhs } : {}) };
      },
      size: rowOf.size,
    };
    const hash = (key: string) => createHash('sha256').update(`${salt}:${key}`, 'utf8').digest('hex');
    return {
      idOfKey: (key) => byKey.get(hash(key)),
      person: (id) => people.get(id),
      idOfNhsNumber: (nhs) => byNhs.get(nhs),
      highWater,
      people: people.size,
      fromFhir,
      nhsNumbers,
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
};

/** A Patient the import loads: its key, and what confirms who they are. */
export interface LoadedPatient {
  readonly key: string;
  readonly sex: 'F' | 'M';
  readonly dateOfBirth: string;
  readonly nhsNumber?: string;
}

/** How the import's people got their ids (the report's `personIds`). */
export interface PersonIdCounts {
  /** Kept by their source key. */
  readonly keptBySourceKey: number;
  /** Kept by their NHS number (their Patient's id had changed). */
  readonly keptByNhsNumber: number;
  /** New people, numbered after the largest id ever given. */
  readonly new: number;
  /** Patients whose key was stored for someone with another NHS number and other birth details: not taken for that person. */
  readonly sourceKeyNotConfirmed: number;
  /** People of the database replaced that no Patient kept (recorded as deleted by the build). */
  readonly notKept: number;
}

/**
 * Whether a stored person and a Patient are the same person (see the module comment, rule 1): the
 * same NHS number when both have one (two different NHS numbers never confirm, whatever the birth
 * details: a new NHS number, after an adoption or a merged record, is not followed by the old care
 * records, which are closed and kept instead), else the same sex and date of birth.
 */
const confirmed = (stored: { sex: string; dateOfBirth: string; nhsNumber?: string }, patient: LoadedPatient): boolean =>
  stored.nhsNumber !== undefined && patient.nhsNumber !== undefined
    ? stored.nhsNumber === patient.nhsNumber
    : stored.sex === patient.sex && stored.dateOfBirth === patient.dateOfBirth;

/**
 * Each loaded Patient's person id by the rule of the module comment: kept by source key (confirmed),
 * else by NHS number, else new after the largest id ever given. `patients` in the order read (new people
 * are numbered in that order).
 */
export const assignPersonIds = (patients: readonly LoadedPatient[], previous: PreviousPeople): { readonly ids: Map<string, number>; readonly counts: PersonIdCounts } => {
  const ids = new Map<string, number>();
  const taken = new Set<number>();
  let keptBySourceKey = 0;
  let keptByNhsNumber = 0;
  let sourceKeyNotConfirmed = 0;
  for (const p of patients) {
    const id = previous.idOfKey(p.key);
    if (id === undefined) continue;
    const stored = previous.person(id);
    if (stored === undefined || taken.has(id)) continue;
    if (!confirmed(stored, p)) {
      sourceKeyNotConfirmed++;
      continue;
    }
    ids.set(p.key, id);
    taken.add(id);
    keptBySourceKey++;
  }
  for (const p of patients) {
    if (ids.has(p.key) || p.nhsNumber === undefined) continue;
    const id = previous.idOfNhsNumber(p.nhsNumber);
    if (id === undefined || taken.has(id)) continue;
    ids.set(p.key, id);
    taken.add(id);
    keptByNhsNumber++;
  }
  let next = previous.highWater;
  let fresh = 0;
  for (const p of patients) {
    if (ids.has(p.key)) continue;
    ids.set(p.key, ++next);
    fresh++;
  }
  return { ids, counts: { keptBySourceKey, keptByNhsNumber, new: fresh, sourceKeyNotConfirmed, notKept: previous.people - taken.size } };
};
