/**
 * `phm import --fhir PATH --incremental` end to end with the built `phm`: a generated partnership
 * exported as FHIR (`phm export --fhir`) and split by date into the FHIR of the months before
 * 1 March 2026 and the feed of March (new Patients and their resources, Patients who changed sent
 * again, half of those with new activity sent again and half not, spells, stays and carer relationships as they were before and as they ended, a DELETE of
 * a Patient and of an Encounter in a transaction Bundle). Base + feed equals a full import of the
 * same data (the export less what the feed deletes): every table (people, attendances and spells
 * compared by their FHIR ids, the only ids the two loads share), every identity, the data window
 * and the indicator catalogue.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES, TABLE_NAMES } from '@openphm/core';
import { FHIR_SOURCE_KEY_TABLE, identityFileOf, openDatabase, openIdentityStore, readLoadHistory } from '@openphm/store-duckdb';
import { phmRunner } from '../test-support.js';

const { dir, phm, cleanup } = phmRunner('fhir-incremental');
afterAll(cleanup);

const CUT = '2026-03-01';
const SALT = 'fhir-incremental-cli-test-salt-1';
const TIMEOUT = 900_000;

type Resource = { resourceType: string; id: string; [k: string]: unknown };

const readNdjson = (folder: string, name: string): Resource[] =>
  readFileSync(join(folder, name), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Resource);
const writeNdjson = (folder: string, name: string, resources: readonly Resource[]) => {
  if (resources.length > 0) writeFileSync(join(folder, name), `${resources.map((r) => JSON.stringify(r)).join('\n')}\n`);
};

/** The day a resource happened (undefined for those without one). */
const dayOf = (r: Resource): string | undefined => {
  const o = r as Record<string, Record<string, string> | string | undefined>;
  const v =
    r.resourceType === 'Encounter' || r.resourceType === 'EpisodeOfCare' || r.resourceType === 'RelatedPerson'
      ? (o.period as Record<string, string> | undefined)?.start
      : r.resourceType === 'Observation'
        ? (o.effectiveDateTime as string | undefined)
        : r.resourceType === 'MedicationRequest'
          ? (o.authoredOn as string | undefined)
          : r.resourceType === 'Appointment'
            ? (o.start as string | undefined)
            : r.resourceType === 'Consent'
              ? (o.dateTime as string | undefined)
              : undefined;
  return typeof v === 'string' ? v.slice(0, 10) : undefined;
};
const patientsOf = (r: Resource): string[] => [...JSON.stringify(r).matchAll(/"reference":"Patient\/([^"]+)"/g)].map((m) => m[1]!);

/**
 * Splits the export into base/ (before CUT), feed/ (from CUT, with the Patients it concerns) and
 * whole/ (the export less what the feed deletes). Returns the ids deleted.
 */
const split = (full: string): { patient: string; encounter: string } => {
  for (const d of ['base', 'feed', 'whole']) mkdirSync(join(dir, d));
  const patients = readNdjson(full, 'Patient.ndjson');
  const newPatients = new Set(patients.filter((p) => String(p.birthDate) >= CUT).map((p) => p.id));
  // The Patient deleted by the feed: one of the base's, alive, with an A&E attendance or none; and an Encounter (A&E) of another.
  const encounters = readNdjson(full, 'Encounter.ndjson');
  const emergency = encounters.filter((e) => (e.class as { code: string }).code === 'EMER' && dayOf(e)! < CUT);
  const deletedEncounter = emergency[0]!;
  const deletedPatient = patients.find((p) => !newPatients.has(p.id) && p.deceasedDateTime === undefined && p.link === undefined && !patientsOf(deletedEncounter).includes(p.id))!.id;
  // One who moved in March: sent again with their new address (their home's LSOA is another's).
  const lsoaOf = (p: Resource) => JSON.stringify(p.address).match(/"valueCode":"(E\d+)"/)?.[1];
  const mover = patients.find((p) => !newPatients.has(p.id) && p.id !== deletedPatient && p.deceasedDateTime === undefined)!;
  const donor = patients.find((p) => lsoaOf(p) !== undefined && lsoaOf(p) !== lsoaOf(mover))!;
  const moved: Resource = { ...mover, address: donor.address };
  const resent = new Set<string>([mover.id]);
  // Sent again only when they changed, or half of those with new activity (by the last digit of their id).
  const oddId = (id: string) => id.charCodeAt(id.length - 1) % 2 === 1;
  // One carer whose carer code first comes in the feed, their Patient not sent again (their row must change all the same).
  const quiet = (id: string) => {
    const p = patients.find((x) => x.id === id);
    return p !== undefined && oddId(id) && !newPatients.has(id) && id !== deletedPatient && id !== mover.id && p.deceasedDateTime === undefined && p.link === undefined;
  };
  const carerCode = readNdjson(full, 'Observation.ndjson').find((o) => JSON.stringify(o.code).includes('"224484003"') && patientsOf(o).every(quiet))!;
  const base = new Map<string, Resource[]>();
  const feed = new Map<string, Resource[]>();
  const whole = new Map<string, Resource[]>();
  const add = (m: Map<string, Resource[]>, file: string, r: Resource) => (m.get(file) ?? m.set(file, []).get(file)!).push(r);
  const feedRelated = new Set<string>();
  for (const file of readdirSync(full).sort()) {
    if (file === 'Patient.ndjson') continue;
    for (const r of readNdjson(full, file)) {
      const people = patientsOf(r);
      const deleted = people.includes(deletedPatient) || (r.resourceType === 'Encounter' && r.id === deletedEncounter.id);
      if (!deleted) add(whole, file, r);
      if (r.resourceType === 'Organization' || r.resourceType === 'PractitionerRole') {
        // Reference data: in both (the feed's Encounters name their providers and staff).
        add(base, file, r);
        add(feed, file, r);
        continue;
      }
      const day = dayOf(r);
      const end = (r.period as { end?: string } | undefined)?.end;
      if (r.resourceType === 'Observation' && r.id === carerCode.id) {
        add(feed, file, r);
        continue;
      }
      if (deleted) {
        // Stored by the base; the feed withdraws it (and sends nothing more about them).
        if (day === undefined || day < CUT) add(base, file, r);
      } else if (people.some((p) => newPatients.has(p)) || (day !== undefined && day >= CUT)) {
        add(feed, file, r);
        for (const p of people) if (!newPatients.has(p)) resent.add(p);
        if (r.resourceType === 'RelatedPerson') feedRelated.add(`RelatedPerson/${r.id}`);
      } else if (end !== undefined && end.slice(0, 10) >= CUT && r.resourceType !== 'Encounter') {
        // A stay or carer relationship still going on 1 March: the base has it open, the feed brings its end (an update by key).
        const { end: _end, ...period } = r.period as Record<string, string>;
        add(base, file, { ...r, period });
        add(feed, file, r);
      } else if (r.resourceType === 'Encounter' && end !== undefined && end.slice(0, 10) >= CUT && (r.class as { code: string }).code === 'IMP') {
        // In hospital on 1 March: the base has the admission, the feed sends the Encounter again with its discharge (the same spell).
        add(base, file, { ...r, period: { start: (r.period as { start: string }).start } });
        add(feed, file, r);
      } else add(base, file, r);
    }
  }
  const basePatients: Resource[] = [];
  const feedPatients: Resource[] = [];
  for (const p of patients) {
    if (p.id !== deletedPatient) add(whole, 'Patient.ndjson', p.id === mover.id ? moved : p);
    const links = ((p.link as { other: { reference: string } }[] | undefined) ?? []).map((l) => l.other.reference);
    if (newPatients.has(p.id)) {
      feedPatients.push(p);
      continue;
    }
    // As the base knew them: not yet dead.
    const died = typeof p.deceasedDateTime === 'string' && p.deceasedDateTime >= CUT;
    const { deceasedDateTime: _d, ...alive } = p;
    basePatients.push(died ? alive : p);
    // Sent again when the feed concerns them: their activity, their death, a new mother or carer link.
    // Half of those with activity in March only are sent again (a feed may or may not resend a Patient with new events).
    const active = resent.has(p.id) && (p.id === mover.id || !oddId(p.id));
    if (p.id !== deletedPatient && (active || died || links.some((l) => feedRelated.has(l)))) feedPatients.push(p.id === mover.id ? moved : p);
  }
  base.set('Patient.ndjson', basePatients);
  feed.set('Patient.ndjson', feedPatients);
  for (const [folder, files] of [['base', base], ['feed', feed], ['whole', whole]] as const) {
    for (const [file, resources] of files) writeNdjson(join(dir, folder), file, resources);
  }
  writeFileSync(
    join(dir, 'feed', 'withdrawn.json'),
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'DELETE', url: `Patient/${deletedPatient}` } },
        { request: { method: 'DELETE', url: `Encounter/${deletedEncounter.id}` } },
      ],
    }),
  );
  return { patient: deletedPatient, encounter: deletedEncounter.id };
};

/** The SQL of a table's rows with every person, attendance and spell id replaced by the (hashed) FHIR id it came from. */
const canonicalSql = (table: string): string => {
  const def = TABLES[table as keyof typeof TABLES];
  const target: Record<string, string> = { attendance_id: 'ae_attendance', spell_id: 'hospital_spell' };
  const joins: string[] = [];
  const columns = def.columns.map((c, i) => {
    const t = c.check?.kind === 'person' || c.check?.kind === 'as-person' || c.name === 'person_id' ? 'person' : target[c.name];
    if (t === undefined) return `x.${c.name}::VARCHAR`;
    joins.push(`LEFT JOIN ${FHIR_SOURCE_KEY_TABLE} k${i} ON k${i}.target = '${t}' AND k${i}.id = x.${c.name}`);
    return `coalesce(k${i}.resource, 'missing ' || x.${c.name}::VARCHAR)`;
  });
  return `SELECT concat_ws('|', ${columns.join(', ')}) AS r FROM ${table} x ${joins.join(' ')}`;
};

const contents = async (file: string): Promise<{ tables: Record<string, string>; counts: Record<string, number>; window: string[] }> => {
  const db = await openDatabase(file);
  try {
    const tables: Record<string, string> = {};
    const counts: Record<string, number> = {};
    for (const t of TABLE_NAMES) {
      const [row] = await db.query<{ h: string | null; n: number }>(`SELECT md5(string_agg(r, '\n' ORDER BY r)) AS h, count(*)::INTEGER AS n FROM (${canonicalSql(t)})`);
      tables[t] = row?.h ?? '';
      counts[t] = row?.n ?? 0;
    }
    const window = (await db.query<{ value: string }>("SELECT value FROM meta WHERE key IN ('window_start', 'window_end') ORDER BY key")).map((r) => r.value);
    return { tables, counts, window };
  } finally {
    db.close();
  }
};

const identities = async (file: string): Promise<unknown[]> => {
  const db = await openDatabase(file);
  const [{ value }] = (await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'build_id'")) as [{ value: string }];
  db.close();
  const store = (await openIdentityStore(identityFileOf(file), value))!;
  try {
    return await store.query('SELECT * EXCLUDE (person_id) FROM identity ORDER BY nhs_number');
  } finally {
    store.close();
  }
};

const INDICATOR_ARGS = ['indicators', 'run', '--by', 'ics,place,imd-quintile,sex', '--no-disclosure-control', '--format', 'json', '-q'];

describe('phm import --fhir --incremental', () => {
  let deleted: { patient: string; encounter: string };
  beforeAll(async () => {
    process.env.PHM_RECORD_KEY_SALT = SALT;
    const g = await phm('generate', '--size', '600', '--seed', 'fhir-incremental', '--db', 'generated.duckdb', '-q');
    expect(g.code, g.stderr).toBe(0);
    const e = await phm('export', '--fhir', 'full', '--db', 'generated.duckdb', '-q');
    expect(e.code, e.stderr).toBe(0);
    deleted = split(join(dir, 'full'));
    for (const [folder, db] of [['whole', 'whole.duckdb'], ['base', 'base.duckdb']]) {
      const r = await phm('import', '--fhir', folder!, '--db', db!, '-q');
      expect(r.code, r.stderr).toBe(0);
    }
  }, TIMEOUT);
  afterAll(() => {
    delete process.env.PHM_RECORD_KEY_SALT;
  });

  it('records the data window a FHIR import covers: from the first to the day after the last activity', async () => {
    const db = await openDatabase(join(dir, 'whole.duckdb'));
    const meta = Object.fromEntries((await db.query<{ key: string; value: string }>('SELECT key, value FROM meta')).map((r) => [r.key, r.value]));
    const [span] = await db.query<{ first: string; last: string }>(
      "SELECT min(d)::VARCHAR AS first, (max(d) + INTERVAL 1 DAY)::DATE::VARCHAR AS last FROM (SELECT appointment_date AS d FROM gp_appointment UNION ALL SELECT admission_date FROM hospital_spell UNION ALL SELECT arrival_time::DATE FROM ae_attendance UNION ALL SELECT issue_date FROM medication UNION ALL SELECT date_of_death FROM death UNION ALL SELECT appointment_date FROM outpatient_appointment UNION ALL SELECT contact_date FROM community_contact UNION ALL SELECT contact_date FROM mental_health_contact UNION ALL SELECT event_date FROM social_care_event)",
    );
    db.close();
    expect(meta).toMatchObject({ window_start: span!.first, window_end: span!.last, window_from: 'fhir-activity' });
    const info = await phm('info', '--db', 'whole.duckdb');
    expect(info.stdout).toContain(`window ${span!.first} to ${span!.last} (exclusive)`);
  });

  it('applies the feed to the base: every table, identity, the window and the indicator catalogue equal a full import of the same data', async () => {
    const r = await phm('import', '--fhir', 'feed', '--incremental', '--db', 'base.duckdb', '-q');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Loaded FHIR from .*feed into .*base\.duckdb in [\d.]+s: data version \S+ \(after \S+\)/);
    expect(r.stdout).toMatch(/Deletions: Encounter: deleted 1, Patient: deleted 1/);
    expect(r.stdout).toMatch(/person\s+[\d,]+\s+[\d,]+\s+1\n/);
    // People whose Patient was not sent again, made carers or re-registered by the feed's resources alone.
    const report = JSON.parse(readFileSync(join(dir, 'base.duckdb.fhir-import.json'), 'utf8')) as { defaults: Record<string, number>; deletions: Record<string, number> };
    expect(report.defaults['person.updated-without-its-patient']).toBeGreaterThan(0);
    expect(report.deletions).toEqual({ 'Encounter: deleted': 1, 'Patient: deleted': 1 });

    const [after, whole] = await Promise.all([contents(join(dir, 'base.duckdb')), contents(join(dir, 'whole.duckdb'))]);
    expect(after.counts).toEqual(whole.counts);
    expect(after.tables).toEqual(whole.tables);
    expect(after.window).toEqual(whole.window);
    expect(await identities(join(dir, 'base.duckdb'))).toEqual(await identities(join(dir, 'whole.duckdb')));

    const [incremental, rebuilt] = await Promise.all([phm(...INDICATOR_ARGS, '--db', 'base.duckdb'), phm(...INDICATOR_ARGS, '--db', 'whole.duckdb')]);
    expect(incremental.code, incremental.stderr).toBe(0);
    expect(JSON.parse(incremental.stdout).length).toBeGreaterThan(500);
    expect(incremental.stdout).toBe(rebuilt.stdout);

    const db = await openDatabase(join(dir, 'base.duckdb'));
    try {
      const history = await readLoadHistory(db);
      expect(history.map((h) => h.kind)).toEqual(['full', 'incremental']);
      expect(history[1]!.parentBuildId).toBe(history[0]!.buildId);
      expect(history[1]!.source).toBe('import fhir-r4');
      expect(history[1]!.changes.person!.inserted).toBeGreaterThan(0);
      // The one who moved, and the carer whose Patient was not sent again.
      expect(history[1]!.changes.person!.updated).toBe(2);
      expect(history[1]!.changes.death!.inserted).toBeGreaterThan(0);
      expect(history[1]!.changes.hospital_spell!.updated + history[1]!.changes.care_home_stay!.updated).toBeGreaterThan(0);
      expect(history[1]!.changes.ae_attendance!.deleted).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    expect(deleted.patient).not.toBe('');
  }, TIMEOUT);

  it('refuses a feed with a precise error and leaves the database as it was: a DELETE that names no resource, a reference to nobody', async () => {
    const before = readFileSync(join(dir, 'whole.duckdb'));
    mkdirSync(join(dir, 'bad-delete'));
    writeFileSync(join(dir, 'bad-delete', 'delete.json'), JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: 'Observation' } }] }));
    const d = await phm('import', '--fhir', 'bad-delete', '--incremental', '--db', 'whole.duckdb', '-q');
    expect(d.code).toBe(3);
    expect(d.stderr).toContain("delete.json, line 1 (entry 0), Bundle.entry[0].request.url: 'Observation' is not a Type/id to delete");
    mkdirSync(join(dir, 'bad'));
    writeFileSync(
      join(dir, 'bad', 'Observation.ndjson'),
      `${JSON.stringify({ resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003' }] }, subject: { reference: 'Patient/nobody' }, effectiveDateTime: '2026-03-02' })}\n`,
    );
    const r = await phm('import', '--fhir', 'bad', '--incremental', '--db', 'whole.duckdb', '-q');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Observation.ndjson, line 1, resource o1, Observation.subject.reference: refers to Patient/nobody, which is not in the files read');
    expect(r.stderr).toContain('Nothing was stored');
    expect(readFileSync(join(dir, 'whole.duckdb')).equals(before)).toBe(true);
    // A database not built from FHIR has no source keys to apply a feed to.
    const csv = await phm('import', '--fhir', 'feed', '--incremental', '--db', 'generated.duckdb', '-q');
    expect(csv.code).toBe(3);
    expect(csv.stderr).toContain('was not built from FHIR');
  }, TIMEOUT);
});
