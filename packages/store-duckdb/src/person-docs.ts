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
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync, chmodSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { inflateRawSync, deflateRawSync, constants as zlibConstants } from 'node:zlib';
import { optOutsApplying, type Purpose } from '@openphm/core';
import { buildIdOf } from './queries/fingerprints.js';
import {
  CONTACT_ORDER,
  RECENT_CONTACTS,
  activitySql,
  conditionCodesSql,
  personNeighbourhood,
  personRecord,
  personRecordOf,
  personRowSql,
  type ContactRow,
  type PersonRecord,
  type PersonRow,
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
  type CodeRow,
  type FamilyLink,
  type IssuedMedicine,
  type MedicineRow,
  type RecordSubject,
  type RecordedCode,
  type SubjectRow,
  type TimelinePage,
  type TimelineQuery,
  type TimelineRow,
} from './queries/record.js';
import { personPractice, type PersonPractice } from './queries/relationship.js';
import type { Queryable } from './queries/window.js';
import { daySql } from './sql.js';

/** Bump when the layout of the folder or of a document changes. */
export const PERSON_DOCS_FORMAT = 1;

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

/** A hash of what makes a document: the SQL of every query and the functions that map their rows. */
export const personDocsCode = (day: string, pageSize: number): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        PERSON_DOCS_FORMAT,
        bulkSql([ '0', '0' ], day, pageSize),
        subjectOf.toString(),
        personRecordOf.toString(),
        codeOf.toString(),
        medicineOf.toString(),
        timelinePageOf.toString(),
        assemble.toString(),
      ]).replaceAll(day, 'DAY'),
    )
    .digest('hex')
    .slice(0, 32);

/** The queries of one range of people [lo, hi] (constants), each row with its person as pid, ordered by pid. */
const bulkSql = (between: readonly [string, string], day: string, pageSize: number) => {
  const [lo, hi] = between;
  const range = (column: string) => `${column} BETWEEN ${lo} AND ${hi}`;
  const d = daySql(day);
  return {
    subjects: `${subjectSql(day, true)} WHERE ${range('p.person_id')} ORDER BY pid`,
    summaries: `${personRowSql(day, true)} WHERE ${range('p.person_id')} ORDER BY pid`,
    conditions: `SELECT person_id AS pid, snomed_code AS code, strftime(min(event_date), '%Y') AS first FROM clinical_event
       WHERE ${range('person_id')} AND snomed_code IN (${conditionCodesSql()}) GROUP BY person_id, snomed_code ORDER BY pid, code`,
    contacts: `SELECT pid, day AS date, kind, detail, n <= ${RECENT_CONTACTS} AS recent, last_year FROM (
        SELECT pid, strftime(date, '%Y-%m-%d') AS day, kind, detail, row_number() OVER (PARTITION BY pid ORDER BY ${CONTACT_ORDER}) AS n, date > ${d} - INTERVAL 365 DAY AS last_year
        FROM (${activitySql({ between })}) WHERE date <= ${d}
      ) WHERE n <= ${RECENT_CONTACTS} OR last_year ORDER BY pid, n`,
    codes: `SELECT person_id AS pid, ${codeColumnsSql(day)}
       FROM clinical_event WHERE ${range('person_id')} AND event_date <= ${d} GROUP BY person_id, snomed_code ORDER BY pid, first, code`,
    medicines: `SELECT person_id AS pid, ${medicineColumnsSql(day)}
       FROM medication WHERE ${range('person_id')} AND issue_date <= ${d} GROUP BY person_id, bnf_code ORDER BY pid, last DESC, code`,
    family: `SELECT pid, relation, id, birth_date FROM (
        SELECT baby_person_id AS pid, 'mother' AS relation, mother_person_id::VARCHAR AS id, strftime(birth_date, '%Y-%m-%d') AS birth_date FROM birth WHERE ${range('baby_person_id')}
        UNION ALL SELECT mother_person_id, 'child', baby_person_id::VARCHAR, strftime(birth_date, '%Y-%m-%d') FROM birth
          WHERE ${range('mother_person_id')} AND baby_person_id IS DISTINCT FROM mother_person_id
      ) ORDER BY pid, birth_date, id`,
    carerLinks: `SELECT pid, relation, id, since, until FROM (
        SELECT carer_person_id AS pid, 'cares-for' AS relation, cared_for_person_id::VARCHAR AS id, strftime(start_date, '%Y-%m-%d') AS since,
               CASE WHEN end_date <= ${d} THEN strftime(end_date, '%Y-%m-%d') END AS until
        FROM carer_relationship WHERE ${range('carer_person_id')} AND start_date <= ${d}
        UNION ALL SELECT cared_for_person_id, 'cared-for-by', carer_person_id::VARCHAR, strftime(start_date, '%Y-%m-%d'),
               CASE WHEN end_date <= ${d} THEN strftime(end_date, '%Y-%m-%d') END
        FROM carer_relationship WHERE ${range('cared_for_person_id')} AND start_date <= ${d} AND carer_person_id IS DISTINCT FROM cared_for_person_id
      ) ORDER BY pid, relation DESC, since, id`,
    timeline: `WITH e AS MATERIALIZED (SELECT * FROM (${allEventsSql({ between })}) x WHERE date BETWEEN DATE '${FIRST_DAY}' AND DATE '${LAST_DAY}'),
      page AS (SELECT *, row_number() OVER (PARTITION BY pid ORDER BY ${TIMELINE_ORDER}) AS rn FROM e)
      SELECT pid, 0 AS part, kind, k AS rn, NULL::VARCHAR AS date, NULL::VARCHAR AS code, NULL::VARCHAR AS a, NULL::VARCHAR AS b, count(*)::DOUBLE AS n FROM e GROUP BY pid, kind, k
      UNION ALL
      SELECT pid, 1, kind, rn, strftime(date, '%Y-%m-%d'), code, a, b, n FROM page WHERE rn <= ${pageSize}
      ORDER BY pid, part, rn`,
    optOuts: `SELECT person_id AS pid, kind FROM opt_out WHERE ${range('person_id')} ORDER BY pid, kind`,
  };
};

type WithPid<T> = T & { pid: number | bigint };

/** Rows grouped by person (rows come ordered by pid). */
const byPerson = <T extends { pid: number | bigint }>(rows: readonly T[]): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const id = String(r.pid);
    const list = out.get(id);
    if (list === undefined) out.set(id, [r]);
    else list.push(r);
  }
  return out;
};

interface ChunkRows {
  subjects: Map<string, WithPid<SubjectRow>[]>;
  summaries: Map<string, WithPid<PersonRow>[]>;
  conditions: Map<string, WithPid<{ code: string; first: string }>[]>;
  contacts: Map<string, WithPid<ContactRow>[]>;
  codes: Map<string, WithPid<CodeRow>[]>;
  medicines: Map<string, WithPid<MedicineRow>[]>;
  family: Map<string, WithPid<{ relation: FamilyLink['relation']; id: string; birth_date: string }>[]>;
  carerLinks: Map<string, WithPid<{ relation: CarerLink['relation']; id: string; since: string; until: string | null }>[]>;
  timeline: Map<string, WithPid<TimelineRow>[]>;
  optOuts: Map<string, WithPid<{ kind: string }>[]>;
  practices: ReadonlyMap<string, { name: string | null; neighbourhoods: string[] | null }>;
}

/** One person's document from the rows of their range (as the one-person functions map the same rows). */
const assemble = (id: string, rows: ChunkRows): PersonDoc | null => {
  const s = rows.subjects.get(id)?.[0];
  const p = rows.summaries.get(id)?.[0];
  if (s === undefined || p === undefined) return null;
  const practice = rows.practices.get(s.practice_code);
  return {
    subject: subjectOf(s),
    summary: personRecordOf(p, rows.conditions.get(id) ?? [], rows.contacts.get(id) ?? []),
    optOuts: [...new Set((rows.optOuts.get(id) ?? []).map((r) => r.kind))],
    practice: { code: s.practice_code, name: practice?.name ?? s.practice_code, neighbourhoodIds: practice?.neighbourhoods ?? [] },
    codes: (rows.codes.get(id) ?? []).map(codeOf),
    medicines: (rows.medicines.get(id) ?? []).map(medicineOf),
    family: (rows.family.get(id) ?? []).map((r) => ({ relation: r.relation, personId: r.id, birthDate: r.birth_date })),
    carerLinks: (rows.carerLinks.get(id) ?? []).map((r) => ({ relation: r.relation, personId: r.id, since: r.since, until: r.until })),
    timeline: timelinePageOf(rows.timeline.get(id) ?? [], []),
  };
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
    const practices = new Map(practiceRows.map((r) => [r.code, { name: r.name, neighbourhoods: r.neighbourhoods === null ? null : [...r.neighbourhoods] }]));
    const written: bigint[] = [];
    const offsets: number[] = [0];
    let bytes = 0;
    for (let i = 0; i < ids.length; i += chunk) {
      if (options.signal?.aborted) throw new Error('the person documents build was stopped');
      const part = ids.slice(i, i + chunk);
      const sql = bulkSql([`${part[0]}::BIGINT`, `${part[part.length - 1]}::BIGINT`], options.day, options.timelinePageSize);
      const q = <T extends object>(text: string) => db.query<WithPid<T>>(text).then((r) => byPerson(r));
      const [subjects, summaries, conditions, contacts, codes, medicines, family, carerLinks, timeline, optOuts] = await Promise.all([
        q<SubjectRow>(sql.subjects),
        q<PersonRow>(sql.summaries),
        q<{ code: string; first: string }>(sql.conditions),
        q<ContactRow>(sql.contacts),
        q<CodeRow>(sql.codes),
        q<MedicineRow>(sql.medicines),
        q<{ relation: FamilyLink['relation']; id: string; birth_date: string }>(sql.family),
        q<{ relation: CarerLink['relation']; id: string; since: string; until: string | null }>(sql.carerLinks),
        q<TimelineRow>(sql.timeline),
        q<{ kind: string }>(sql.optOuts),
      ]);
      const rows: ChunkRows = { subjects, summaries, conditions, contacts, codes, medicines, family, carerLinks, timeline, optOuts, practices };
      const buffers: Buffer[] = [];
      for (const id of part) {
        const doc = assemble(id, rows);
        if (doc === null) continue;
        const packed = packDoc(doc);
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

const packDoc = (doc: PersonDoc): Buffer => deflateRawSync(Buffer.from(JSON.stringify(doc)), { level: 1, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
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

/**
 * Opens the person documents in `dir`, or null when there are none or they cannot be used (another
 * format, a half-written or altered folder: sizes that do not match the manifest).
 */
export const openPersonDocs = async (dir: string): Promise<PersonDocs | null> => {
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
  return {
    dir,
    manifest,
    get: async (personId) => {
      if (!/^\d{1,18}$/.test(personId)) return null;
      const at = find(BigInt(personId));
      if (at < 0) return null;
      if (handle === undefined) throw new Error('the person documents are closed');
      const start = offsets[at]!;
      const length = offsets[at + 1]! - start;
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, start);
      if (bytesRead !== length) throw new Error('a person document could not be read whole');
      return unpackDoc(buffer);
    },
    close: async () => {
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
  };
};
