/**
 * Person documents: one compact document per person holding what the person-level routes read
 * from the analytical tables (the summary's record, the care record's subject, codes, medicines,
 * family, carer links and first timeline page, the practice's neighbourhoods for the care
 * relationship, the opt-outs for the purposes), built once per data version beside the database
 * (`<db>.people/`, decision 0012) so that a request reads one document instead of querying
 * twelve tables (1-2 ms of DuckDB CPU each on the full partnership).
 *
 * Built by streaming the people in ranges of person ids (every table is sorted by person_id, so
 * each range query reads only its row groups) with the same SQL as the one-person queries, grouped
 * by person: a document holds exactly what those queries answer at the store's day. A store
 * records the build id of the data it came from, the day, the timeline page size and a hash of the
 * SQL and the mapping code; `personReads` uses it only when all of them match and answers from
 * DuckDB otherwise (a stale or missing store is never served). Person-level, pseudonymous (no
 * identity): the folder is private (0700, files 0600), like the database.
 *
 * Layout: `manifest.json`, `index.bin` (the person ids, sorted, as 64-bit integers, then the
 * documents' offsets as 64-bit floats, one more than the people) and `docs.bin` (each document
 * JSON, deflated). Written into a temporary folder and swapped in whole.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync, chmodSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { inflateRawSync, deflateRawSync, constants as zlibConstants } from 'node:zlib';
import { optOutsApplying, type Purpose } from '@openphm/core';
import { buildIdOf } from './queries/fingerprints.js';
import {
  CONTACT_ORDER,
  RECENT_CONTACTS,
  activitySql,
  conditionKeysSql,
  personNeighbourhood,
  personRecord,
  personRecordOf,
  personRowSql,
  type PersonRecord,
} from './queries/person.js';
import {
  FIRST_DAY,
  LAST_DAY,
  TIMELINE_ORDER,
  allEventsSql,
  codeColumnsSql,
  codeOf,
  medicineColumnsSql,
  medicineOf,
  recordCarerLinks,
  recordCodes,
  recordFamily,
  recordMedicines,
  recordSubject,
  recordTimeline,
  subjectOf,
  subjectSql,
  timelinePageOf,
  type CarerLink,
  type FamilyLink,
  type IssuedMedicine,
  type RecordSubject,
  type RecordedCode,
  type TimelinePage,
  type TimelineQuery,
} from './queries/record.js';
import { personPractice, type PersonPractice } from './queries/relationship.js';
import { FULL_TERMS } from './phm/admission-model.js';
import { personFeaturesSql } from './phm/features.js';
import type { Queryable } from './queries/window.js';
import { daySql } from './sql.js';

/** Bump when the layout of the folder or of a document changes. */
export const PERSON_DOCS_FORMAT = 2;

/** Everything the person-level routes read about one person from the analytical tables, at the store's day. */
export interface PersonDoc {
  readonly subject: RecordSubject;
  /** personRecord's answer (the summary), whatever the purpose: `optOuts` say for which purposes it is left out. */
  readonly summary: PersonRecord;
  /** The kinds of opt-out the person holds (opt_out.kind), sorted. */
  readonly optOuts: readonly string[];
  readonly practice: PersonPractice;
  readonly codes: readonly RecordedCode[];
  readonly medicines: readonly IssuedMedicine[];
  readonly family: readonly FamilyLink[];
  readonly carerLinks: readonly CarerLink[];
  /** The timeline's first page, every kind, no dates (what the care record shows). */
  readonly timeline: TimelinePage;
  /**
   * The emergency admission model's term values (FULL_TERMS order) from the person's features at the day, as scorePerson
   * reads them from a features table; null when the person is not in the features (not resident on the day). The record's
   * score is these with the fitted coefficients (explainAdmissionScore), so a request asks DuckDB nothing for it.
   */
  readonly admissionTerms: readonly number[] | null;
}

export interface PersonDocsManifest {
  readonly format: number;
  /** meta.build_id of the data the documents were built from. */
  readonly buildId: string;
  /** The day the documents answer for (the data's last day, which the routes use). */
  readonly day: string;
  readonly timelinePageSize: number;
  /** A hash of the SQL and the code that made the documents: another version of them is never served. */
  readonly code: string;
  readonly people: number;
  /** Bytes of docs.bin. */
  readonly bytes: number;
  readonly builtAt: string;
  readonly seconds: number;
}

/** The folder of a database's person documents: `<db>.people` beside it. */
export const personDocsDirOf = (dbFile: string): string => `${dbFile}.people`;

/** A hash of what makes a document: the SQL of every query, the function that joins their JSON and the one-person reads' mappings. */
export const personDocsCode = (day: string, pageSize: number): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        PERSON_DOCS_FORMAT,
        bulkSql(['0', '0'], day, pageSize),
        assemble.toString(),
        // The one-person reads' mappings: a document must answer as they do, so a change to them is a new document.
        ...[subjectOf, personRecordOf, codeOf, medicineOf, timelinePageOf].map((f) => f.toString()),
      ]).replaceAll(day, 'DAY'),
    )
    .digest('hex')
    .slice(0, 32);

/**
 * The queries of one range of people [lo, hi] (constants): each gives one row per person (pid) with
 * the JSON of one part of their document (`j`), made by DuckDB in the shape and key order of what
 * the one-person reads return (subjectOf, personRecordOf, codeOf, medicineOf, timelinePageOf and
 * the family, carer and practice reads), so that the build moves one string per person and part
 * out of DuckDB instead of every cell (the tests compare every read with the one-person queries').
 */
export const bulkSql = (between: readonly [string, string], day: string, pageSize: number) => {
  const [lo, hi] = between;
  const range = (column: string) => `${column} BETWEEN ${lo} AND ${hi}`;
  const d = daySql(day);
  const list = (struct: string, order: string) => `to_json(list(${struct} ORDER BY ${order}))::VARCHAR AS j`;
  // A JSON array of many structs in the order of a unique integer: each struct's JSON, sorted within the person's list (about three
  // times cheaper than an ordered aggregate of the structs, which sorts every row with its payload).
  const numbered = (struct: string, n: string) =>
    `'[' || array_to_string(list_transform(list_sort(list(struct_pack(n := ${n}, j := to_json(${struct})::VARCHAR))), x -> x.j), ',') || ']'`;
  return {
    subjects: `SELECT pid, practice_code AS practice, to_json(struct_pack(sex := sex, age := age, ethnicCategory := ethnic_category, isCarer := is_carer,
        registrationDate := registration_date, lsoaCode := lsoa_code, lsoaName := lsoa_name, neighbourhoodId := neighbourhood_id,
        neighbourhoodName := neighbourhood_name, place := place, imdDecile := imd_decile, practiceCode := practice_code, practiceName := practice_name,
        pcnCode := pcn_code, pcnName := pcn_name,
        death := CASE WHEN date_of_death IS NULL THEN NULL ELSE struct_pack(date := date_of_death, cause := coalesce(underlying_cause, ''), place := coalesce(place_of_death, 'other')) END
      ))::VARCHAR AS j FROM (${subjectSql(day, true)} WHERE ${range('p.person_id')}) ORDER BY pid`,
    summaries: `SELECT pid, to_json(struct_pack(sex := sex, age := age, ethnicCategory := ethnic_category, isCarer := is_carer, lsoaCode := lsoa_code,
        practiceCode := practice_code, neighbourhoodId := neighbourhood_id, place := place, imdDecile := imd_decile, died := died))::VARCHAR AS j
      FROM (${personRowSql(day, true)} WHERE ${range('p.person_id')}) ORDER BY pid`,
    conditions: `SELECT pid, ${list('struct_pack(key := key, since := since)', 'ord')} FROM (
        SELECT c.person_id AS pid, k.key, k.ord, strftime(min(c.event_date), '%Y') AS since
        FROM clinical_event c JOIN ${conditionKeysSql()} AS k(code, key, ord) ON k.code = c.snomed_code WHERE ${range('c.person_id')} GROUP BY c.person_id, k.key, k.ord
      ) GROUP BY pid ORDER BY pid`,
    contacts: `WITH c AS (
        SELECT pid, strftime(date, '%Y-%m-%d') AS day, kind, detail, row_number() OVER (PARTITION BY pid ORDER BY ${CONTACT_ORDER}) AS n, date > ${d} - INTERVAL 365 DAY AS last_year
        FROM (${activitySql({ between })}) WHERE date <= ${d}
      ),
      recent AS (SELECT pid, ${numbered('struct_pack(date := day, kind := kind, detail := detail)', 'n')} AS recent FROM c WHERE n <= ${RECENT_CONTACTS} GROUP BY pid),
      last_year AS (SELECT pid, ${list('struct_pack(kind := kind, count := n)', 'kind')} FROM (SELECT pid, kind, count(*)::INTEGER AS n FROM c WHERE last_year GROUP BY pid, kind) GROUP BY pid)
      SELECT pid, recent, j FROM recent LEFT JOIN last_year USING (pid) ORDER BY pid`,
    codes: `SELECT pid, ${list('struct_pack(code := code, first := first, last := last, count := n, latestValue := latest_value)', 'first, code')} FROM (
        SELECT person_id AS pid, ${codeColumnsSql(day)} FROM clinical_event WHERE ${range('person_id')} AND event_date <= ${d} GROUP BY person_id, snomed_code
      ) GROUP BY pid ORDER BY pid`,
    medicines: `SELECT pid, ${list('struct_pack(code := code, firstIssued := first, lastIssued := last, issues := n, issues12m := n12)', 'last DESC, code')} FROM (
        SELECT person_id AS pid, ${medicineColumnsSql(day)} FROM medication WHERE ${range('person_id')} AND issue_date <= ${d} GROUP BY person_id, bnf_code
      ) GROUP BY pid ORDER BY pid`,
    family: `SELECT pid, ${list('struct_pack(relation := relation, personId := id, birthDate := birth_date)', 'birth_date, id')} FROM (
        SELECT baby_person_id AS pid, 'mother' AS relation, mother_person_id::VARCHAR AS id, strftime(birth_date, '%Y-%m-%d') AS birth_date FROM birth WHERE ${range('baby_person_id')}
        UNION ALL SELECT mother_person_id, 'child', baby_person_id::VARCHAR, strftime(birth_date, '%Y-%m-%d') FROM birth
          WHERE ${range('mother_person_id')} AND baby_person_id IS DISTINCT FROM mother_person_id
      ) GROUP BY pid ORDER BY pid`,
    carerLinks: `SELECT pid, ${list('struct_pack(relation := relation, personId := id, since := since, until := until)', 'relation DESC, since, id')} FROM (
        SELECT carer_person_id AS pid, 'cares-for' AS relation, cared_for_person_id::VARCHAR AS id, strftime(start_date, '%Y-%m-%d') AS since,
               CASE WHEN end_date <= ${d} THEN strftime(end_date, '%Y-%m-%d') END AS until
        FROM carer_relationship WHERE ${range('carer_person_id')} AND start_date <= ${d}
        UNION ALL SELECT cared_for_person_id, 'cared-for-by', carer_person_id::VARCHAR, strftime(start_date, '%Y-%m-%d'),
               CASE WHEN end_date <= ${d} THEN strftime(end_date, '%Y-%m-%d') END
        FROM carer_relationship WHERE ${range('cared_for_person_id')} AND start_date <= ${d} AND carer_person_id IS DISTINCT FROM cared_for_person_id
      ) GROUP BY pid ORDER BY pid`,
    timeline: `WITH e AS MATERIALIZED (SELECT * FROM (${allEventsSql({ between })}) x WHERE date BETWEEN DATE '${FIRST_DAY}' AND DATE '${LAST_DAY}'),
      counts AS (SELECT pid, sum(n) AS total, list(struct_pack(kind := kind, count := n) ORDER BY k) AS counts FROM (
        SELECT pid, kind, k, count(*)::DOUBLE AS n FROM e GROUP BY pid, kind, k) GROUP BY pid),
      page AS (SELECT pid, ${numbered("struct_pack(date := strftime(date, '%Y-%m-%d'), kind := kind, code := code, a := a, b := b, n := n::DOUBLE)", 'rn')} AS events FROM (
        SELECT *, row_number() OVER (PARTITION BY pid ORDER BY ${TIMELINE_ORDER}) AS rn FROM e) WHERE rn <= ${pageSize} GROUP BY pid)
      SELECT pid, '{"total":' || to_json(total)::VARCHAR || ',"events":' || coalesce(events, '[]') || ',"counts":' || to_json(counts)::VARCHAR || '}' AS j
      FROM counts LEFT JOIN page USING (pid) ORDER BY pid`,
    optOuts: `SELECT pid, ${list('kind', 'kind')} FROM (SELECT DISTINCT person_id AS pid, kind FROM opt_out WHERE ${range('person_id')}) GROUP BY pid ORDER BY pid`,
    admission: `SELECT person_id AS pid, to_json([${FULL_TERMS.map((t) => `(${t.sql((c) => `f.${c}`)})::DOUBLE`).join(', ')}])::VARCHAR AS j
      FROM (${personFeaturesSql(day, { personIdRange: between })}) f ORDER BY pid`,
  };
};

/** The JSON parts of one range's documents, by person id. */
interface ChunkJson {
  subjects: Map<string, { practice: string; j: string }>;
  summaries: Map<string, string>;
  conditions: Map<string, string>;
  contacts: Map<string, { recent: string; j: string | null }>;
  codes: Map<string, string>;
  medicines: Map<string, string>;
  family: Map<string, string>;
  carerLinks: Map<string, string>;
  timeline: Map<string, string>;
  optOuts: Map<string, string>;
  admission: Map<string, string>;
  /** Each practice's part (`practice`), by code. */
  practice: (code: string) => string;
}

const NO_TIMELINE = JSON.stringify({ total: 0, events: [], counts: [] } satisfies TimelinePage);

/** One person's document (JSON) from the parts of their range, in PersonDoc's key order; null when the range has no such person. */
const assemble = (id: string, parts: ChunkJson): string | null => {
  const s = parts.subjects.get(id);
  const summary = parts.summaries.get(id);
  if (s === undefined || summary === undefined) return null;
  const contacts = parts.contacts.get(id);
  return (
    `{"subject":${s.j},"summary":${summary.slice(0, -1)},"conditions":${parts.conditions.get(id) ?? '[]'},"recent":${contacts?.recent ?? '[]'},` +
    `"lastYear":${contacts?.j ?? '[]'}},"optOuts":${parts.optOuts.get(id) ?? '[]'},"practice":${parts.practice(s.practice)},` +
    `"codes":${parts.codes.get(id) ?? '[]'},"medicines":${parts.medicines.get(id) ?? '[]'},"family":${parts.family.get(id) ?? '[]'},` +
    `"carerLinks":${parts.carerLinks.get(id) ?? '[]'},"timeline":${parts.timeline.get(id) ?? NO_TIMELINE},"admissionTerms":${parts.admission.get(id) ?? 'null'}}`
  );
};

export interface BuildPersonDocsOptions {
  /** The day the documents answer for (the routes' reference date: the data's last day). */
  readonly day: string;
  /** The care record's timeline page size (core's TIMELINE_PAGE_SIZE). */
  readonly timelinePageSize: number;
  /** People per range (default 20,000). */
  readonly chunk?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops the build between ranges (the temporary folder is removed). */
  readonly signal?: AbortSignal;
}

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/**
 * Builds the person documents of the database `db` into `dir` (replaced whole when the build
 * finishes; a failed or stopped build leaves the old folder as it was). The database must have a
 * build id (meta.build_id), which the documents are tied to.
 */
export const buildPersonDocs = async (db: Queryable, dir: string, options: BuildPersonDocsOptions): Promise<PersonDocsManifest> => {
  const started = performance.now();
  const buildId = await buildIdOf(db);
  if (buildId === undefined) throw new Error('the database has no build id (meta.build_id): its person documents could not be tied to it');
  const chunk = options.chunk ?? 20_000;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  chmodSync(tmp, 0o700);
  const docsFd = openSync(`${tmp}/docs.bin`, 'w', 0o600);
  try {
    const ids = (await db.query<{ pid: number | bigint }>('SELECT person_id AS pid FROM person ORDER BY person_id')).map((r) => String(r.pid));
    const practiceRows = await db.query<{ code: string; name: string | null; neighbourhoods: string[] | null }>(
      `SELECT gp.practice_code AS code, gp.name, list(n.neighbourhood_id ORDER BY n.neighbourhood_id) FILTER (WHERE n.neighbourhood_id IS NOT NULL) AS neighbourhoods
       FROM geo_practice gp LEFT JOIN geo_neighbourhood n ON n.pcn_code = gp.pcn_code GROUP BY gp.practice_code, gp.name`,
    );
    const practiceJson = new Map(
      practiceRows.map((r) => [r.code, JSON.stringify({ code: r.code, name: r.name ?? r.code, neighbourhoodIds: r.neighbourhoods === null ? [] : [...r.neighbourhoods] })]),
    );
    const practice = (code: string): string => practiceJson.get(code) ?? JSON.stringify({ code, name: code, neighbourhoodIds: [] });
    /** The JSON parts of the people ids[from, from + chunk). */
    const fetchParts = async (from: number): Promise<ChunkJson> => {
      const part = ids.slice(from, from + chunk);
      const sql = bulkSql([`${part[0]}::BIGINT`, `${part[part.length - 1]}::BIGINT`], options.day, options.timelinePageSize);
      const byPid = <T extends { pid: number | bigint }, V>(rows: readonly T[], value: (r: T) => V): Map<string, V> => new Map(rows.map((r) => [String(r.pid), value(r)]));
      const one = (text: string) => db.query<{ pid: number | bigint; j: string }>(text).then((r) => byPid(r, (x) => x.j));
      const [subjects, summaries, conditions, contacts, codes, medicines, family, carerLinks, timeline, optOuts, admission] = await Promise.all([
        db.query<{ pid: number | bigint; practice: string; j: string }>(sql.subjects).then((r) => byPid(r, (x) => ({ practice: x.practice, j: x.j }))),
        one(sql.summaries),
        one(sql.conditions),
        db.query<{ pid: number | bigint; recent: string; j: string | null }>(sql.contacts).then((r) => byPid(r, (x) => ({ recent: x.recent, j: x.j }))),
        one(sql.codes),
        one(sql.medicines),
        one(sql.family),
        one(sql.carerLinks),
        one(sql.timeline),
        one(sql.optOuts),
        one(sql.admission),
      ]);
      return { subjects, summaries, conditions, contacts, codes, medicines, family, carerLinks, timeline, optOuts, admission, practice };
    };
    const written: bigint[] = [];
    const offsets: number[] = [0];
    let bytes = 0;
    // DuckDB makes the next range's parts (in its own threads) while this one's documents are compressed and written.
    let next: Promise<ChunkJson> | undefined = ids.length > 0 ? fetchParts(0) : undefined;
    try {
      for (let i = 0; i < ids.length; i += chunk) {
        const parts: ChunkJson = await next!;
        next = i + chunk < ids.length ? fetchParts(i + chunk) : undefined;
        if (options.signal?.aborted) throw new Error('the person documents build was stopped');
        const buffers: Buffer[] = [];
        for (const id of ids.slice(i, i + chunk)) {
          const doc = assemble(id, parts);
          if (doc === null) continue;
          const packed = packJson(doc);
          buffers.push(packed);
          bytes += packed.length;
          written.push(BigInt(id));
          offsets.push(bytes);
        }
        const all = Buffer.concat(buffers);
        let at = 0;
        while (at < all.length) at += writeSync(docsFd, all, at, all.length - at);
        options.onProgress?.(Math.min(ids.length, i + chunk), ids.length);
      }
    } finally {
      // A range still being fetched when the build fails or stops is waited for (its error is the build's first error's consequence).
      await next?.catch(() => undefined);
    }
    closeSync(docsFd);
    const index = Buffer.alloc(written.length * 8 + offsets.length * 8);
    const idView = new BigInt64Array(index.buffer, index.byteOffset, written.length);
    idView.set(written);
    new Float64Array(index.buffer, index.byteOffset + written.length * 8, offsets.length).set(offsets);
    writeFileSync(`${tmp}/index.bin`, index, { mode: 0o600 });
    const manifest: PersonDocsManifest = {
      format: PERSON_DOCS_FORMAT,
      buildId,
      day: options.day,
      timelinePageSize: options.timelinePageSize,
      code: personDocsCode(options.day, options.timelinePageSize),
      people: written.length,
      bytes,
      builtAt: new Date().toISOString(),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    writeFileSync(`${tmp}/manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    // Swap: the old folder aside, the new one in, the old one removed (a reader holding the old files keeps reading them).
    const old = `${dir}.old-${process.pid}`;
    if (isDirectory(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
    return manifest;
  } catch (e) {
    try {
      closeSync(docsFd);
    } catch {
      // already closed
    }
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
};

/** Documents kept after their read (see openPersonDocs). */
export const RECENT_DOCS = 64;

/** Freezes a parsed document and everything in it: a document held for the next read is shared, so no reader may change it. */
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};

const packJson = (json: string): Buffer => deflateRawSync(Buffer.from(json), { level: 1, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
const unpackDoc = (bytes: Buffer): PersonDoc => JSON.parse(inflateRawSync(bytes).toString('utf8')) as PersonDoc;

/** An open store of person documents. */
export interface PersonDocs {
  readonly dir: string;
  readonly manifest: PersonDocsManifest;
  /** The person's document, or null when the store has no such person. */
  get(personId: string): Promise<PersonDoc | null>;
  close(): Promise<void>;
}

const ManifestKeys = ['format', 'buildId', 'day', 'timelinePageSize', 'code', 'people', 'bytes'] as const;

export interface OpenPersonDocsOptions {
  /**
   * Freeze each document read (default true): one kept for the next read is shared, and freezing makes a reader that
   * changes it fail at once. A reader whose code never changes a document may skip the cost (about 20 µs a document).
   */
  readonly freeze?: boolean;
}

/**
 * Opens the person documents in `dir`, or null when there are none or they cannot be used (another
 * format, a half-written or altered folder: sizes that do not match the manifest).
 */
export const openPersonDocs = async (dir: string, options: OpenPersonDocsOptions = {}): Promise<PersonDocs | null> => {
  const freeze = options.freeze ?? true;
  let manifest: PersonDocsManifest;
  let index: Buffer;
  try {
    manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as PersonDocsManifest;
    if (ManifestKeys.some((k) => manifest[k] === undefined) || manifest.format !== PERSON_DOCS_FORMAT) return null;
    index = readFileSync(`${dir}/index.bin`);
    if (index.length !== manifest.people * 16 + 8 || statSync(`${dir}/docs.bin`).size !== manifest.bytes) return null;
  } catch {
    return null;
  }
  const n = manifest.people;
  const aligned = Buffer.alloc(index.length);
  index.copy(aligned);
  const ids = new BigInt64Array(aligned.buffer, aligned.byteOffset, n);
  const offsets = new Float64Array(aligned.buffer, aligned.byteOffset + n * 8, n + 1);
  if (offsets[n] !== manifest.bytes) return null;
  let handle: FileHandle | undefined = await open(`${dir}/docs.bin`, 'r');
  const find = (id: bigint): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  // The documents read last, frozen: a request reads its person twice (the route table's care relationship or residence
  // check, then the route), and the second read is then free. Below the access check and the audit, which every request
  // passes; too few to hold anyone for long (64 of millions), so a benchmark over many people measures reads, not a cache.
  const recent = new Map<string, PersonDoc>();
  return {
    dir,
    manifest,
    get: async (personId) => {
      const held = recent.get(personId);
      if (held !== undefined) {
        recent.delete(personId);
        recent.set(personId, held);
        return held;
      }
      if (!/^\d{1,18}$/.test(personId)) return null;
      const at = find(BigInt(personId));
      if (at < 0) return null;
      if (handle === undefined) throw new Error('the person documents are closed');
      const start = offsets[at]!;
      const length = offsets[at + 1]! - start;
      const buffer = Buffer.allocUnsafe(length);
      // A synchronous positioned read: a document is a few kilobytes, in the page cache once read, and fs/promises' read
      // costs about half a millisecond of the JavaScript thread a call in its promise and thread-pool hops.
      const bytesRead = readSync(handle.fd, buffer, 0, length, start);
      if (bytesRead !== length) throw new Error('a person document could not be read whole');
      const doc = freeze ? deepFreeze(unpackDoc(buffer)) : unpackDoc(buffer);
      recent.set(personId, doc);
      if (recent.size > RECENT_DOCS) recent.delete(recent.keys().next().value!);
      return doc;
    },
    close: async () => {
      recent.clear();
      const h = handle;
      handle = undefined;
      await h?.close();
    },
  };
};

/** Whether an open store answers for this data (its build id) and day, with this code. */
export const personDocsServe = (docs: PersonDocs, buildId: string | undefined, day: string, timelinePageSize: number): boolean =>
  buildId !== undefined &&
  docs.manifest.buildId === buildId &&
  docs.manifest.day === day &&
  docs.manifest.timelinePageSize === timelinePageSize &&
  docs.manifest.code === personDocsCode(day, timelinePageSize);

/** The one-person reads of the person-level routes (each as its store function answers it). */
export interface PersonReads {
  personNeighbourhood(personId: string): Promise<{ neighbourhoodId: string | null } | null>;
  personPractice(personId: string): Promise<{ readonly practice: PersonPractice } | null>;
  personRecord(personId: string, day: string, purpose: Purpose): Promise<PersonRecord | null>;
  recordSubject(personId: string, day: string): Promise<RecordSubject | null>;
  recordCodes(personId: string, day: string): Promise<RecordedCode[]>;
  recordMedicines(personId: string, day: string): Promise<IssuedMedicine[]>;
  recordFamily(personId: string): Promise<FamilyLink[]>;
  recordCarerLinks(personId: string, day: string): Promise<CarerLink[]>;
  recordTimeline(personId: string, q: TimelineQuery): Promise<TimelinePage>;
  /**
   * The emergency admission model's term values at `day` (PersonDoc.admissionTerms: null when the person is not in the
   * features), or undefined when these reads cannot say (DuckDB, or another day): then the caller scores from a features table.
   */
  admissionTerms(personId: string, day: string): Promise<readonly number[] | null | undefined>;
  /** Whether the answers come from person documents (false: DuckDB). */
  readonly fromDocs: boolean;
}

/**
 * The one-person reads, answered from the person documents when given (a store that
 * personDocsServe accepted, answering for `docs.manifest.day`) and the day asked for is theirs,
 * else by the store's queries on `db`. Documents are read once per reads object and person (make
 * one per request).
 */
export const personReads = (db: Queryable, docs?: PersonDocs | null): PersonReads => {
  if (docs === null || docs === undefined) {
    return {
      fromDocs: false,
      personNeighbourhood: (id) => personNeighbourhood(db, id),
      personPractice: (id) => personPractice(db, id),
      personRecord: (id, day, purpose) => personRecord(db, id, day, purpose),
      recordSubject: (id, day) => recordSubject(db, id, day),
      recordCodes: (id, day) => recordCodes(db, id, day),
      recordMedicines: (id, day) => recordMedicines(db, id, day),
      recordFamily: (id) => recordFamily(db, id),
      recordCarerLinks: (id, day) => recordCarerLinks(db, id, day),
      recordTimeline: (id, q) => recordTimeline(db, id, q),
      admissionTerms: async () => undefined,
    };
  }
  const read = new Map<string, Promise<PersonDoc | null>>();
  const doc = (id: string): Promise<PersonDoc | null> => {
    let p = read.get(id);
    if (p === undefined) read.set(id, (p = docs.get(id)));
    return p;
  };
  const day = docs.manifest.day;
  const firstPage = (q: TimelineQuery): boolean =>
    q.page === 1 && q.pageSize === docs.manifest.timelinePageSize && (q.kinds ?? []).length === 0 && q.from === undefined && q.to === undefined;
  return {
    fromDocs: true,
    personNeighbourhood: async (id) => {
      const d = await doc(id);
      return d === null ? null : { neighbourhoodId: d.summary.neighbourhoodId };
    },
    personPractice: async (id) => {
      const d = await doc(id);
      return d === null ? null : { practice: d.practice };
    },
    personRecord: async (id, at, purpose) => {
      if (at !== day) return personRecord(db, id, at, purpose);
      const d = await doc(id);
      if (d === null) return null;
      const applying = new Set<string>(optOutsApplying(purpose));
      return d.optOuts.some((k) => applying.has(k)) ? null : d.summary;
    },
    recordSubject: async (id, at) => (at !== day ? recordSubject(db, id, at) : ((await doc(id))?.subject ?? null)),
    recordCodes: async (id, at) => (at !== day ? recordCodes(db, id, at) : [...((await doc(id))?.codes ?? [])]),
    recordMedicines: async (id, at) => (at !== day ? recordMedicines(db, id, at) : [...((await doc(id))?.medicines ?? [])]),
    recordFamily: async (id) => [...((await doc(id))?.family ?? [])],
    recordCarerLinks: async (id, at) => (at !== day ? recordCarerLinks(db, id, at) : [...((await doc(id))?.carerLinks ?? [])]),
    recordTimeline: async (id, q) => {
      if (!firstPage(q)) return recordTimeline(db, id, q);
      const d = await doc(id);
      return d === null ? { total: 0, events: [], counts: [] } : d.timeline;
    },
    admissionTerms: async (id, at) => (at !== day ? undefined : ((await doc(id))?.admissionTerms ?? null)),
  };
};
