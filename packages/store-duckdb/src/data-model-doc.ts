/**
 * Generates docs/data-model.md from the schema definitions (core's TABLES, the lookup tables in
 * ddl.ts and core's codelists), so the documentation cannot drift from the code.
 */
import {
  CARE_GAP_RULES,
  CODED_FRAILTY_DEFICITS,
  CONDITIONS,
  CONDITION_KEYS,
  ETHNIC_CATEGORIES,
  IDENTITY_TABLE,
  MEDICINES,
  OBSERVATION_CODES,
  OPT_OUTS_APPLYING,
  OPT_OUT_KINDS,
  OPT_OUT_LABEL,
  PERSON_LEVEL_USES,
  PURPOSES,
  PURPOSE_LABEL,
  TABLES,
  TABLE_NAMES,
  type ColumnCheck,
  type TableDefinition,
} from '@openphm/core';
import { AUX_TABLES, SCHEMA_VERSION, type AuxTableDefinition } from './ddl.js';
import { DELETES_SUFFIX, SOURCE_KEYS } from './incremental.js';
import { DELETED_PERSON_TABLE, LOAD_HISTORY_TABLE } from './load-history.js';
import { SQL_TYPES } from './sql.js';

/** Where the generated document lives, relative to the repository root. */
export const DATA_MODEL_DOC_PATH = 'docs/data-model.md';
export const REGENERATE_COMMAND = 'npx vitest run packages/store-duckdb/src/data-model-doc.test.ts -u';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string): string => `\`${text}\``;

const checkText = (check: ColumnCheck | undefined): string => {
  switch (check?.kind) {
    case undefined:
      return '';
    case 'enum':
      return `one of ${check.values.map(code).join(', ')}`;
    case 'range':
      return `${check.min} to ${check.max}`;
    case 'snomed':
      return 'SNOMED CT concept id';
    case 'icd10':
      return 'ICD-10 code, no dot';
    case 'bnf':
      return 'BNF code';
    case 'lsoa':
      return 'LSOA 2011 code in `geo_lsoa`';
    case 'practice':
      return 'ODS practice code in `geo_practice`';
    case 'person':
      return '`person_id` in `person`';
    case 'nhs-number':
      return 'NHS number, valid modulus 11';
    case 'postcode':
      return 'UK postcode';
    case 'as-person':
      return 'as in `person`';
  }
};

const personTable = (def: Omit<TableDefinition, 'name'> & { readonly name: string }): string[] => {
  const lines = [`### ${code(def.name)}`, '', def.description, '', `- **Source:** ${def.source}`];
  if (def.primaryKey) lines.push(`- **Primary key:** ${def.primaryKey.map(code).join(', ')} (unique)`);
  for (const key of def.uniqueKeys ?? []) lines.push(`- **Unique:** ${key.map(code).join(', ')}`);
  lines.push(`- **Row order:** ${def.orderBy.map(code).join(', ')}`);
  for (const check of def.rowChecks ?? []) {
    lines.push(`- **Row check:** ${code(check.sql)} (otherwise: ${code(check.field)} ${check.message})`);
  }
  lines.push('', '| Column | Type | Required | Check | Description |', '| --- | --- | --- | --- | --- |');
  for (const c of def.columns) {
    lines.push(`| ${code(c.name)} | ${SQL_TYPES[c.type]} | ${c.nullable ? 'no' : 'yes'} | ${cell(checkText(c.check))} | ${cell(c.description)} |`);
  }
  return [...lines, ''];
};

const auxTable = (def: AuxTableDefinition): string[] => [
  `### ${code(def.name)}`,
  '',
  def.description,
  '',
  `- **Source:** ${def.source}`,
  `- **Primary key:** ${def.primaryKey.map(code).join(', ')}`,
  '',
  '| Column | Type | Description |',
  '| --- | --- | --- |',
  ...def.columns.map((c) => `| ${code(c.name)} | ${SQL_TYPES[c.type]} | ${cell(c.description)} |`),
  '',
];

const incrementalLoads = (): string[] => [
  '## Incremental loads',
  '',
  '`phm import --incremental DIR --db FILE [--window-end YYYY-MM-DD]` changes an existing database instead of replacing it: ' +
    'a month of events, people who changed, deaths, corrections (docs/decisions/0009-incremental-loads.md). The folder holds ' +
    'CSV files in the schema above, every one optional:',
  '',
  '- `<table>.csv` (or `<table>/*.csv`): rows to add or replace, by the table\'s **source key** (below). A stored row with the ' +
    'same key is replaced when the new row differs, and left alone when it is the same; a new key is added. Tables without source ' +
    'identifiers are keyed by the **whole row**: a row is added unless an identical row is stored (as many copies as the file ' +
    'holds), so loading the same month twice changes nothing.',
  `- \`<table>${DELETES_SUFFIX}.csv\`: rows to delete, with the source key's columns only (every column for a table keyed by the ` +
    'whole row; optional columns left out match empty values). **Deleting a person deletes everything about them**: every row ' +
    'naming them in any table, and their identity. Deleting what is not stored is not an error; deleting and adding one key in ' +
    'the same load is.',
  '- `identity.csv`: identities to add or replace (by `person_id`) in the identity store, checked as in a full import; a person ' +
    'whose date of birth or sex changes must come with their identity row. A database without an identity store takes none.',
  '- `--window-end` moves `meta.window_end` on (never back). Without it, a database that records a window has it moved on to the ' +
    'day after the load\'s last activity and back to its first (never shortened; a database without a window is not given one).',
  '',
  '| Table | Source key |',
  '| --- | --- |',
  ...TABLE_NAMES.map((t) => {
    const key = SOURCE_KEYS[t];
    return `| ${code(t)} | ${key.kind === 'row' ? 'the whole row' : key.columns.map(code).join(', ')} |`;
  }),
  '',
  'Every row is checked as in a full import, against the database as the load leaves it (people are applied first, then each ' +
    "table's deletions and rows in the order above), and the first problem is named by file, line and field. The load runs on a " +
    "copy of the database and its identity store in the run's private folder, in one transaction, and the copies are renamed over " +
    'the originals only when complete: a failed or killed load leaves both byte for byte as they were, and the version being ' +
    'served stays whole until the swap. A running `phm serve` switches to the new version at its next request. One load at a time ' +
    "(`X.duckdb.load.lock`). Each load is a new **data version**: a new `meta.build_id` (the identity store's the same), and rows in " +
    '`load_history` naming the version it was applied to and the rows inserted, updated and deleted in each table. New and changed ' +
    "people get their record key from the database's salt, so everyone keeps theirs. Rows a load adds are stored after the others " +
    '(queries never depend on the order). The identity store and the database are renamed into place with a journal ' +
    '(`X.duckdb.swap.json`): a process killed between the two renames is repaired by the next load or `phm serve` start, which ' +
    'completes the pair or puts the old identity store back.',
  '',
  'A load that deletes people records whom, with its data version, in `deleted_person` (as does a full build, for the people of the ' +
    'database it replaces that it leaves out: docs/decisions/0013-stable-person-ids.md); it never writes the operational store, ' +
    'which a running server owns. The server (at start, and before answering the first request on a new version), or `phm ' +
    'caseload import` / `phm referrals import` without one, closes what is open about them there: caseload episodes discharged ' +
    '(`removed-from-data`), care plans closed, referrals withdrawn, tasks cancelled, alerts ended, each with its history; nothing ' +
    'is deleted (decision 0009).',
  '',
  'A **FHIR feed** is applied the same way to a database built by `phm import --fhir`: `phm import --fhir PATH --incremental` maps ' +
    'the feed into these files (people and events upserted, a transaction Bundle `DELETE` of a Patient or an Encounter as deletions) ' +
    'and applies them by the same step. The table `fhir_source_key` (a hash of each Patient\'s and Encounter\'s `Type/id` with the ' +
    'record key salt, and the `person_id`, `attendance_id` or `spell_id` it became) lets a feed refer to people loaded before; ' +
    'the table `fhir_row_source` (for each row of a table keyed by the whole row: the hashed key of the resource it came from, ' +
    'the person and a hash of the row) lets a feed replace the rows of a resource it sends again, delete them by a `DELETE`, ' +
    'and change nothing when loaded twice (docs/fhir-import.md, "Incremental loads").',
  '',
];

const codelists = (): string[] => {
  const lines = [
    '## Codelists',
    '',
    'Long-term condition registers: a person is on a register from the earliest `clinical_event.event_date` carrying any code in its list.',
    '',
    '| Condition | QOF register | SNOMED CT codes |',
    '| --- | --- | --- |',
  ];
  for (const key of CONDITION_KEYS) {
    const c = CONDITIONS[key];
    lines.push(`| ${cell(c.label)} | ${c.qofRegister ?? ''} | ${c.codes.map((x) => `${code(x.code)} ${cell(x.term)}`).join('; ')} |`);
  }
  lines.push('', 'Observations recorded in `clinical_event` (BMI, blood pressure in mmHg, HbA1c in mmol/mol and tumour stage 1-4 in `numeric_value`; a stage record without a value is a cancer not staged):', '', '| Code | Term |', '| --- | --- |');
  for (const o of Object.values(OBSERVATION_CODES)) lines.push(`| ${code(o.code)} | ${cell(o.term)} |`);
  // The codes each care-gap rule looks for, once per label (cervical screening is two rules with one code).
  const careGapCodes = new Map<string, Set<string>>();
  for (const r of CARE_GAP_RULES) for (const c of r.codes) careGapCodes.set(r.label, (careGapCodes.get(r.label) ?? new Set()).add(c));
  lines.push(
    '',
    `Reviews, vaccinations and screening tests are recorded in \`clinical_event\` with the codes core's care-gap rules look for (\`CARE_GAP_RULES\`, docs/care-teams.md): ${[...careGapCodes].map(([label, codes]) => `${label} (${[...codes].map(code).join(' or ')})`).join('; ')}. The synthetic generator records them being done, at published coverage, so that some of the people each rule is for are up to date and others are due (docs/synthetic-data.md).`,
  );
  lines.push(
    '',
    'Electronic Frailty Index deficits with their own codes (the other deficits are condition registers above, or polypharmacy from prescribing):',
    '',
    '| Deficit | SNOMED CT codes |',
    '| --- | --- |',
  );
  for (const d of CODED_FRAILTY_DEFICITS) lines.push(`| ${cell(d.label)} | ${d.source.codes.map((x) => `${code(x.code)} ${cell(x.term)}`).join('; ')} |`);
  lines.push('', 'Medicines, by BNF section (a prescription belongs to a section when its `bnf_code` starts with the section code):', '', '| BNF code | Medicines |', '| --- | --- |');
  for (const m of Object.values(MEDICINES)) lines.push(`| ${code(m.code)} | ${cell(m.label)} |`);
  return [...lines, ''];
};

const optOuts = (): string[] => [
  '## Opt-outs',
  '',
  'People who opted out of the use of their data beyond their own care are in the `opt_out` table: one row per person and ' +
    'kind of opt-out in effect when the extract was taken. It is a table of its own, not columns on `person`, because that is ' +
    'how real extracts arrive: the two opt-outs come from different places, at different times, and change independently of ' +
    'demographics.',
  '',
  '- **Type 1** (`type-1`): recorded by the GP practice as SNOMED CT `827241000000103` "Dissent from secondary use of general ' +
    'practitioner patient identifiable data" (withdrawn by `827261000000102`). Take each patient\'s latest of the two codes from ' +
    'the GP extract; a row for each patient whose latest is the opt-out, with the code\'s date as `recorded_date`.',
  '- **National data opt-out** (`national`): held by NHS England. A data controller sends NHS numbers to the Check for ' +
    'National Data Opt-outs service (MESH) and gets back those without an opt-out; the others get a row, pseudonymised like ' +
    'every other table, with `recorded_date` empty (the service does not say when). Check again before every load: ' +
    'opt-outs change every day.',
  '- People without a row have not opted out. A file with only `person_id,kind` is accepted (the date is optional), and an ' +
    'extract without `opt_out.csv` means nobody has opted out: leave it out only when that is true.',
  '- Links between two people (`carer_relationship`: a carer and the person they care for) are held whoever has opted out, ' +
    'like every other row. A link says something about both people, so a use for planning or research leaves it out when an ' +
    'opt-out applies to either of them (core\'s `linkIncludedFor`; the store\'s `carerLinksFor`); a care team sees it for direct care, as everything else (each end only as the record allows: docs/care-teams.md).',
  '',
  'Which opt-outs leave a person out of which use (core\'s `OPT_OUTS_APPLYING`; docs/security.md, "Opt-outs and purposes", says why):',
  '',
  `| Purpose | ${OPT_OUT_KINDS.map((k) => cell(OPT_OUT_LABEL[k])).join(' | ')} |`,
  `| --- | ${OPT_OUT_KINDS.map(() => '---').join(' | ')} |`,
  ...PURPOSES.map((p) => `| ${PURPOSE_LABEL[p]} | ${OPT_OUT_KINDS.map((k) => (OPT_OUTS_APPLYING[p].includes(k) ? 'left out' : 'included')).join(' | ')} |`),
  '',
  '| Use of person-level data | Purpose |',
  '| --- | --- |',
  ...Object.values(PERSON_LEVEL_USES).map((u) => `| ${cell(u.what)} | ${PURPOSE_LABEL[u.purpose]} |`),
  '| Aggregates through the publication module (indicators, dashboards, segment, risk and cohort counts, scorecards) | anonymised statistics: everyone counted |',
  '',
];

/** The full markdown text of docs/data-model.md. */
export const renderDataModel = (): string => {
  const lines: string[] = [
    '# OpenPHM data model',
    '',
    `<!-- Generated from packages/core/src/schema/tables.ts and packages/store-duckdb/src/ddl.ts by packages/store-duckdb/src/data-model-doc.ts. Do not edit by hand: regenerate with \`${REGENERATE_COMMAND}\`. -->`,
    '',
    'OpenPHM holds person-level records in one embedded DuckDB database file. Every person-level table is keyed by a ' +
      'pseudonymous `person_id`: no names, NHS numbers, addresses or postcodes are ever held. The same tables are produced by ' +
      'the synthetic generator (`phm generate`) and by importing real extracts as CSV files, and the same ' +
      `checks apply to both. Schema version: ${SCHEMA_VERSION}.`,
    '',
    '`phm import DIR [--window-start YYYY-MM-DD] [--window-end YYYY-MM-DD]` records the window of time the data cover in the meta ' +
      'table (`window_start`, `window_end` = the first day after the data): as given, else from the first day to the day after the ' +
      'last day of activity in the files (appointments, A&E attendances, admissions, prescriptions, community, mental health and ' +
      'social care contacts, deaths; not coded events, which carry diagnoses recorded years before; `window_from = activity`), ' +
      'as the FHIR import does (docs/fhir-import.md, "Data window").',
    '',
    'A full import over a database keeps the extract\'s `person_id`s as given: the extract must give each person the same id from ' +
      'one extract to the next and never give an id to someone else, as the operational store (care plans, caseload, referrals, ' +
      'tasks) names people by it. The people of the database replaced that it leaves out are recorded as deleted (`deleted_person`, ' +
      'with the new data version; the rows already there are carried) and their open operational records closed, as for an ' +
      'incremental load\'s deletions. An import that keeps none of the database\'s people, or more than half of whose shared ids ' +
      'name someone of another sex or date of birth (a renumbered extract), is refused unless `--replace-people` ' +
      '(docs/decisions/0013-stable-person-ids.md).',
    '',
    '## Codes',
    '',
    '- **SNOMED CT**: concept ids, 6 to 18 digits with a valid Verhoeff check digit (e.g. `195967001` asthma).',
    '- **ICD-10**: as NHS England data sets store it: a letter, two digits and an optional fourth character, **without the dot** ' +
      '(e.g. `I219`, `X70`; not `I21.9`).',
    '- **BNF**: the British National Formulary code of the presentation, or a prefix of at least the 4-digit section ' +
      '(e.g. `0302` inhaled corticosteroids, `0603020T0` prednisolone).',
    '- **Ethnic category**: the NHS Data Dictionary ethnic category code (2001 census categories):',
    '',
    '  | Code | Category | Group |',
    '  | --- | --- | --- |',
    ...Object.entries(ETHNIC_CATEGORIES).map(([k, v]) => `  | ${code(k)} | ${cell(v.label)} | ${v.group} |`),
    '',
    '- **LSOA**: 2011 lower-layer super output area codes (`E01` and six digits). A person\'s LSOA must be one of the ' +
      'partnership\'s (`geo_lsoa`); a well-formed code from elsewhere is reported as an unknown LSOA.',
    '- **ODS codes**: GP practices are a letter and five digits (e.g. `B86001`) and must be in `geo_practice`; primary care ' +
      'networks are `U` and five digits.',
    '',
    '## Importing CSV files',
    '',
    '- One directory holds the extract. Each table is either one file `<table>.csv` or a directory `<table>/` of part files ' +
      '`*.csv` (read in file-name order; each has its own header row). `person` is required; any other table may be left out ' +
      'and is then empty. Other `.csv` files are an error (a misspelt table name would otherwise be silently empty).',
    '- Files are UTF-8, comma-separated, with a header row naming the columns (in any order). Fields may be quoted with `"` ' +
      '(RFC 4180; a quote inside a quoted field is doubled). Blank lines are skipped. Fields should not contain line breaks.',
    '- Every required column must be in the header; optional (nullable) columns may be left out. Unknown or repeated ' +
      'columns are an error.',
    '- An empty field is a missing value (NULL), allowed only in optional columns.',
    '- Dates are `YYYY-MM-DD`; timestamps `YYYY-MM-DD HH:MM:SS` (local time; a `T` may replace the space); booleans `true` ' +
      'or `false` (any case); whole numbers are digits with an optional minus sign; decimal numbers use `.`.',
    '- Values are then checked: allowed values, ranges, code formats (SNOMED CT, ICD-10 and BNF), LSOAs and practices ' +
      'in the partnership, unique primary keys, every `person_id` present in `person`, and the row checks listed below.',
    '- The first problem (earliest file, then earliest line) stops the import, with the file (relative to the import ' +
      'directory), the line number (the header is line 1) and the field, for example ' +
      "`ae_attendance.csv, line 7, field 'departure_time': '2022-01-01 09:00:00' is before arrival_time '2022-01-01 10:00:00'`. " +
      'An existing database is left unchanged.',
    '- Rows are stored sorted by each table\'s row order, so the same input always gives the same database.',
    '- The build adds one column that is never imported: `person.record_key`, each person\'s record key (0-255) for ' +
      'cell-key perturbation (docs/disclosure-control.md), the first byte of MD5 of the salt in `meta.record_key_salt`, `:` and ' +
      'the `person_id`. A database built again over an existing one keeps its salt, so the same people keep the same keys; ' +
      '`PHM_RECORD_KEY_SALT` sets it for `phm import`, and generated data take it from the seed. Record keys and the salt ' +
      'are never published.',
    '',
    ...incrementalLoads(),
    '## Person-level tables',
    '',
    ...TABLE_NAMES.flatMap((name) => personTable(TABLES[name])),
    ...optOuts(),
    '## Identity (a store of its own)',
    '',
    'Who each person is (name, NHS number, date of birth, address, telephone) is held apart from everything above, in its own ' +
      'DuckDB file next to the database (`X.identity.duckdb` beside `X.duckdb`), whose `meta.build_id` equals the database\'s, ' +
      'so the server can tell the two belong together. Only the care zone reads it, for people a care professional has a ' +
      'legitimate relationship with (docs/security.md, "Identity model"); analysis and everything published never do. ' +
      '`phm generate` writes synthetic identities (docs/synthetic-data.md); `phm import` reads an optional `identity.csv` (or ' +
      '`identity/*.csv`) beside the other files, checked like them, with every `person_id` in `person` and the date of birth and ' +
      'sex as there. Without one, any identity store next to the database is removed, as it belongs to the people the ' +
      'database held before. The store keeps the rows sorted by NHS number, with indexes on `person_id`, the NHS number and the ' +
      'family name with the date of birth (searched without regard to case or accents).',
    '',
    ...personTable(IDENTITY_TABLE),
    '## Lookup tables',
    '',
    'Built from the partnership geography, not imported.',
    '',
    ...AUX_TABLES.flatMap(auxTable),
    ...auxTable(LOAD_HISTORY_TABLE),
    ...auxTable(DELETED_PERSON_TABLE),
    ...codelists(),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
};
