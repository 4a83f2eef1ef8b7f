/**
 * The `phm` command line. Errors are mapped to exit codes in one place (core's exitCodeFor):
 * 1 internal, 2 usage, 3 invalid input data, 4 not found, 5 conflict, 6 access.
 */
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { UserError } from '@openphm/core/errors';
import { DEFAULT_PLUS, OUTPUT_FORMATS, SECONDARY_PURPOSE_CHOICES, parseBreakdowns, type OutputFormat } from './choices.js';
import { defaultDb, parsePositiveInt, parseSize } from './options.js';
import { addStatsCommand } from './stats-cli.js';
import { newProgram, optionParser, runProgram } from './run.js';
import type { CliIo } from './io.js';

type SecondaryPurpose = (typeof SECONDARY_PURPOSE_CHOICES)[number];

/*
 * Every command's code is imported by its action, when it runs: building the program (and printing
 * any --help) loads commander and the option lists only, not DuckDB, the server, the generator or
 * core's index (docs/benchmarks.md, "phm start-up").
 */
const generate = () => import('./commands/generate.js');
const imports = () => import('./commands/import.js');
const info = () => import('./commands/info.js');
const indicatorCommands = () => import('./commands/indicators.js');
const server = () => import('@openphm/server');

const wrap = optionParser;

export const buildProgram = (io: CliIo): Command => {
  const program = newProgram(io)
    .description('OpenPHM: population health management for an Integrated Care System (synthetic West Yorkshire & Harrogate)')
    .version('0.1.0');

  const dbOption = () => new Option('--db <file>', 'DuckDB database file').default(defaultDb(io.env));
  const dataOption = () => new Option('--data <dir>', 'shared reference data folder (default: $PHM_SHARED_DATA or ../shared/data)');
  const portOption = () =>
    new Option('--port <n>', 'port to listen on (0 = any free port)').default(8080).argParser(
      wrap((v: string) => {
        if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new UserError(`--port must be a number from 0 to 65535, got '${v}'`);
        return Number(v);
      }),
    );

  program
    .command('generate')
    .description('generate a synthetic partnership and load it into a new database (replaces the old one only on success)')
    .addOption(new Option('--size <people>', "people alive at the start: e.g. 5000, 50k, 2.7m or 'full'").default(100_000, '100k').argParser(wrap(parseSize)))
    .option('--seed <text>', 'seed: the same seed gives the same database', 'openphm')
    .addOption(dbOption())
    .addOption(new Option('--workers <n>', 'worker threads (default: up to 4, one per core)').argParser(wrap(parsePositiveInt('--workers'))))
    .option('--window-start <date>', 'first day of the five-year window (YYYY-MM-DD)', '2021-04-01')
    .addOption(new Option('--years <n>', 'length of the window in years').default(5).argParser(wrap(parsePositiveInt('--years'))))
    .option('--keep-csv <dir>', 'keep the generated CSV files in this folder')
    .option('--memory-limit <size>', "DuckDB memory limit while loading, e.g. '4GB' (spills to disk beyond it)", '2.5GB')
    .addOption(dataOption())
    .option('-q, --quiet', 'no progress output')
    .action(async (o: { size: number; seed: string; db: string; workers?: number; windowStart: string; years: number; keepCsv?: string; data?: string; quiet?: boolean; memoryLimit: string }) => {
      await (await generate()).generateCommand(
        {
          size: o.size, seed: o.seed, db: o.db, windowStart: o.windowStart, years: o.years, memoryLimit: o.memoryLimit,
          ...(o.workers ? { workers: o.workers } : {}), ...(o.keepCsv ? { keepCsv: o.keepCsv } : {}), ...(o.data ? { dataDir: o.data } : {}), ...(o.quiet ? { quiet: true } : {}),
        },
        io,
      );
    });

  program
    .command('import')
    .description('load real extracts: a folder of CSV files in the documented schema (docs/data-model.md), or FHIR R4 Bundles and Bulk FHIR NDJSON with --fhir (docs/fhir-import.md); bad input is rejected and the existing database kept')
    .argument('[dir]', 'folder with person.csv and any other table files (or folders of part files)')
    .option('--fhir <path>', 'import FHIR R4 instead: a Bundle (*.json), a Bulk FHIR file (*.ndjson) or a folder of them')
    .option('--synthetic-residence', 'with --fhir, for synthetic data from generators outside England (Synthea) only: people without a partnership postcode or practice are given one, chosen from their id')
    .option('--report <file>', 'with --fhir: where to write the import report as JSON (default: next to the database, <db>.fhir-import.json)')
    .option('--incremental [dir]', 'change the database instead of replacing it: <table>.csv rows added or replaced by source key, <table>.deletes.csv rows deleted, identity.csv (docs/data-model.md, "Incremental loads"); with --fhir and no folder: apply the FHIR feed to a database built from FHIR (docs/fhir-import.md, "Incremental loads")')
    .option('--window-start <date>', 'the first day of the data (YYYY-MM-DD; default: the first day of activity in the files); not with --incremental DIR')
    .option('--window-end <date>', 'the end of the data window (first day after the data, YYYY-MM-DD; default: the day after the last activity in the files; an incremental load moves it on, never back)')
    .option(
      '--replace-people',
      'a full import that keeps none of the people of the database it replaces (or whose ids name other people, or with an operational store beside a missing database) is refused unless given: the people not kept are recorded as deleted and their open operational records closed (docs/fhir-import.md, "Person ids across full imports")',
    )
    .addOption(dbOption())
    .option('--memory-limit <size>', "DuckDB memory limit while loading, e.g. '4GB' (spills to disk beyond it)", '2.5GB')
    .addOption(dataOption())
    .option('-q, --quiet', 'no progress output')
    .action(async (dir: string | undefined, o: { db: string; data?: string; quiet?: boolean; memoryLimit: string; fhir?: string; syntheticResidence?: boolean; report?: string; incremental?: string | boolean; windowStart?: string; windowEnd?: string; replacePeople?: boolean }) => {
      const common = { db: o.db, memoryLimit: o.memoryLimit, ...(o.data ? { dataDir: o.data } : {}), ...(o.quiet ? { quiet: true } : {}) };
      const window = { ...(o.windowStart ? { windowStart: o.windowStart } : {}), ...(o.windowEnd ? { windowEnd: o.windowEnd } : {}) };
      if (o.fhir !== undefined) {
        if (dir !== undefined || typeof o.incremental === 'string') throw new UserError('give either a CSV folder or --fhir PATH, not both', 'usage');
        await (await imports()).importFhirCommand(
          { path: o.fhir, ...common, ...window, incremental: o.incremental === true, syntheticResidence: o.syntheticResidence === true, ...(o.report ? { report: o.report } : {}), ...(o.replacePeople ? { replacePeople: true } : {}) },
          io,
        );
        return;
      }
      if (o.incremental !== undefined) {
        if (o.replacePeople) throw new UserError('--replace-people goes with a full import (a CSV folder or --fhir without --incremental)', 'usage');
        if (o.windowStart !== undefined) throw new UserError('--window-start goes with a full import (a CSV folder or --fhir) or --fhir --incremental: a CSV load moves the start back to its own activity', 'usage');
        if (typeof o.incremental !== 'string') throw new UserError('--incremental needs a folder of CSV files, or --fhir PATH', 'usage');
        if (dir !== undefined) throw new UserError('give one of a CSV folder, --fhir PATH or --incremental DIR', 'usage');
        await (await imports()).importIncrementalCommand({ dir: o.incremental, ...common, ...(o.windowEnd ? { windowEnd: o.windowEnd } : {}) }, io);
        return;
      }
      if (dir === undefined) throw new UserError('phm import needs a folder of CSV files, or --fhir PATH', 'usage');
      if (o.syntheticResidence || o.report) throw new UserError('--synthetic-residence and --report go with --fhir', 'usage');
      await (await imports()).importCommand({ dir, db: o.db, memoryLimit: o.memoryLimit, ...window, ...(o.data ? { dataDir: o.data } : {}), ...(o.quiet ? { quiet: true } : {}), ...(o.replacePeople ? { replacePeople: true } : {}) }, io);
    });

  program
    .command('export')
    .description('write the person-level data as FHIR R4 Bulk FHIR NDJSON (one file a resource type) that phm import --fhir reads back (docs/fhir-api.md#round-trip); identifiable when the database has identities; a new folder, written whole or not at all')
    .requiredOption('--fhir <dir>', 'the folder to write (new, or empty)')
    .addOption(dbOption())
    .option('-q, --quiet', 'no progress output')
    .action(async (o: { fhir: string; db: string; quiet?: boolean }) => {
      await (await import('./commands/export-fhir.js')).exportFhirCommand({ out: o.fhir, db: o.db, ...(o.quiet ? { quiet: true } : {}) }, io);
    });

  program
    .command('info')
    .description('people by place, neighbourhood and IMD decile, and rows per table')
    .addOption(dbOption())
    .option('--json', 'machine-readable output')
    .action(async (o: { db: string; json?: boolean }) => {
      await (await info()).infoCommand({ db: o.db, json: o.json === true }, io);
    });

  const indicators = program.command('indicators').description('the outcome indicator catalogue: list it, or compute it on a database with public-health statistics and disclosure control');
  indicators
    .command('list')
    .description('list the indicators (id, title, unit, period)')
    .option('--json', 'full definitions as JSON')
    .action(async (o: { json?: boolean }) => (await indicatorCommands()).indicatorsListCommand(io, o.json ? 'json' : 'table'));
  indicators
    .command('run')
    .description('compute indicators by breakdown; every published figure passes disclosure control')
    .argument('[ids...]', 'indicator ids (default: the whole catalogue)')
    .addOption(dbOption())
    .addOption(new Option('--by <breakdowns>', "comma-separated: ics, place, local-authority, neighbourhood, lsoa, imd-decile, imd-quintile, age-band, sex, ethnic-group, or 'all'").default(['ics', 'place'], 'ics,place').argParser(wrap(parseBreakdowns)))
    .addOption(new Option('--year <start>', 'start year of the last financial year of the period (default: the last full year of the data)').argParser(wrap(parsePositiveInt('--year'))))
    .option('--trend', 'one result per financial year of the data')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--no-disclosure-control', 'publish unprotected figures (analysts only; never for publication)')
    .option('-q, --quiet', 'no progress output')
    .action(async (ids: string[], o: { db: string; by: ReturnType<typeof parseBreakdowns>; year?: number; trend?: boolean; format: 'csv' | 'json'; out?: string; disclosureControl: boolean; quiet?: boolean }) => {
      await (await indicatorCommands()).indicatorsRunCommand(
        {
          db: o.db, ids, breakdowns: o.by, format: o.format, noDisclosureControl: !o.disclosureControl,
          ...(o.year ? { year: o.year } : {}), ...(o.trend ? { trend: true } : {}), ...(o.out ? { out: o.out } : {}), ...(o.quiet ? { quiet: true } : {}),
        },
        io,
      );
    });

  addStatsCommand(program, io);

  program
    .command('demo')
    .description('build the demo partnership (100,000 people, seed "demo") into data/demo.duckdb, describe it, and serve the web app on it')
    .addOption(new Option('--size <people>', 'people alive at the start').default(100_000, '100k').argParser(wrap(parseSize)))
    .option('--db <file>', 'database file', 'data/demo.duckdb')
    .addOption(dataOption())
    .addOption(portOption())
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--no-serve', 'build and describe the demo only, do not start the server')
    .action(async (o: { size: number; db: string; data?: string; port: number; host: string; serve: boolean }) => {
      // A demo already served: say so before spending a minute generating a database it would refuse to serve.
      if (o.serve) (await import('./commands/served.js')).refuseIfServed(resolve(io.cwd, o.db));
      await (await generate()).generateCommand({ size: o.size, seed: 'demo', db: o.db, ...(o.data ? { dataDir: o.data } : {}) }, io);
      await (await info()).infoCommand({ db: o.db, json: false }, io);
      if (o.serve) await (await server()).serveCommand({ db: o.db, port: o.port, host: o.host, demo: true, ...(o.data ? { dataDir: o.data } : {}) }, io);
    });

  program
    .command('serve')
    .description('serve the web app and API (http://127.0.0.1:8080/ by default) on a database; users and audit in PGlite next to it, or PostgreSQL when PHM_DATABASE_URL is set')
    .addOption(dbOption())
    .addOption(portOption())
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--operational <dir>', 'PGlite folder for users, sessions and audit (default: next to the database)')
    .addOption(dataOption())
    .action(async (o: { db: string; port: number; host: string; operational?: string; data?: string }) => {
      await (await server()).serveCommand(
        { db: o.db, port: o.port, host: o.host, ...(o.operational ? { operationalDir: o.operational } : {}), ...(o.data ? { dataDir: o.data } : {}) },
        io,
      );
    });

  program
    .command('segment')
    .description('segment everyone resident at a date (docs/segmentation.md): counts and shares by breakdown, or movement over the year to the date; disclosure-controlled')
    .addOption(dbOption())
    .option('--segmentation <id|file.json>', 'kirklees-four-groups, bridges-to-health, or a JSON definition file', 'kirklees-four-groups')
    .option('--date <date>', 'reference date YYYY-MM-DD (default: the last day of the database window)')
    .option('--by <breakdowns>', "comma-separated: ics, place, local-authority, neighbourhood, lsoa, imd-decile, imd-quintile, age-band, sex, ethnic-group, or 'all'; cross two with ':' (age-band:imd-quintile)", 'ics')
    .option('--transitions', 'movement between segments from a year before the date to the date (born and died included)')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('csv'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--no-disclosure-control', 'publish exact counts (analysts only; never for publication)')
    .option('-q, --quiet', 'no progress output')
    .action(async (o: { db: string; segmentation: string; date?: string; by: string; transitions?: boolean; format: OutputFormat; out?: string; disclosureControl: boolean; quiet?: boolean }) => {
      await (await import('./commands/segment.js')).segmentCommand(
        { db: o.db, segmentation: o.segmentation, by: o.by, format: o.format, disclosureControl: o.disclosureControl, ...(o.date ? { date: o.date } : {}), ...(o.transitions ? { transitions: true } : {}), ...(o.out ? { out: o.out } : {}), ...(o.quiet ? { quiet: true } : {}) },
        io,
      );
    });

  const cohort = program.command('cohort').description('cohort definitions (docs/cohorts.md): run one at a date');
  cohort
    .command('run')
    .description('members of a cohort definition by breakdown (disclosure-controlled), a pseudonymous worklist for one neighbourhood, or the impact view by neighbourhood')
    .argument('<cohort>', 'a cohort definition JSON file (see cohorts/), or the id of a cohort saved in the app (read from the operational store, read-only)')
    .addOption(dbOption())
    .addOption(new Option('--cohort-version <n>', "a saved cohort's version (default: its latest)").argParser(wrap(parsePositiveInt('--cohort-version'))))
    .option('--operational <dir>', 'for a saved cohort: PGlite folder of the operational store (default: next to the database; PHM_DATABASE_URL for PostgreSQL)')
    .option('--date <date>', "reference date YYYY-MM-DD (default: the definition's referenceDate, else the last day of the database window)")
    .option('--by <breakdowns>', "comma-separated breakdowns as for 'phm segment'", 'place,neighbourhood')
    .option('--worklist <neighbourhood>', 'list the members in this neighbourhood (pseudonymous person_id, age band, sex, key features), leaving out people whose opt-outs apply to --purpose')
    .addOption(new Option('--purpose <purpose>', "why the worklist is exported: people with a national data opt-out or a type 1 opt-out are left out, and counted (direct care is the server's, for a neighbourhood team)").choices(SECONDARY_PURPOSE_CHOICES).default('planning'))
    .option('--impact', 'per neighbourhood: cohort size, A&E attendances, emergency bed days and GP appointments (totals and per person)')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('csv'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--no-disclosure-control', 'publish exact counts (analysts only; never for publication)')
    .option('-q, --quiet', 'no progress output')
    .action(async (file: string, o: { db: string; cohortVersion?: number; operational?: string; date?: string; by: string; worklist?: string; purpose: SecondaryPurpose; impact?: boolean; format: OutputFormat; out?: string; disclosureControl: boolean; quiet?: boolean }) => {
      await (await import('./commands/cohort.js')).cohortCommand(
        { file, db: o.db, by: o.by, format: o.format, disclosureControl: o.disclosureControl, purpose: o.purpose, ...(o.cohortVersion !== undefined ? { version: o.cohortVersion } : {}), ...(o.operational ? { operationalDir: o.operational } : {}), ...(o.date ? { date: o.date } : {}), ...(o.worklist !== undefined ? { worklist: o.worklist } : {}), ...(o.impact ? { impact: true } : {}), ...(o.out ? { out: o.out } : {}), ...(o.quiet ? { quiet: true } : {}) },
        io,
      );
    });

  const plan = program.command('plan').description('strategies boards hold (docs/delivery.md)');
  plan
    .command('check')
    .description('check strategy files before they are loaded: fields, indicators, ids (default: every plans/*.json here); exit 3 if any is invalid')
    .argument('[files...]', 'strategy JSON files')
    .action(async (files: string[]) => (await import('./commands/plan.js')).planCheckCommand({ files }, io));
  plan
    .command('export')
    .description("write a strategy, as stored (made or changed in the app), as its plan file: the same file the scorecard's 'plan file (JSON)' link gives; read-only, written whole or not at all")
    .requiredOption('--strategy <id>', 'the strategy id')
    .addOption(new Option('--strategy-version <n>', 'the version (default: the latest)').argParser(wrap(parsePositiveInt('--strategy-version'))))
    .option('--out <file>', 'the plan file to write, e.g. plans/<id>.json (default: standard output)')
    .addOption(dbOption())
    .option('--operational <dir>', 'PGlite folder of the operational store (default: next to the database; PHM_DATABASE_URL for PostgreSQL)')
    .action(async (o: { strategy: string; strategyVersion?: number; out?: string; db: string; operational?: string }) => {
      await (await server()).planExportCommand(
        { strategy: o.strategy, db: o.db, ...(o.strategyVersion !== undefined ? { version: o.strategyVersion } : {}), ...(o.out ? { out: o.out } : {}), ...(o.operational ? { operationalDir: o.operational } : {}) },
        io,
      );
    });

  const referrals = program.command('referrals').description('social prescribing referrals (docs/social-prescribing.md)');
  referrals
    .command('import')
    .description(
      'import referrals recorded elsewhere first from a CSV (person_id, service_id, reason, status, referred_on, referred_by, optional ONS4 wellbeing_before_* and wellbeing_after_*): every row checked, all stored or none; referrals already stored are skipped; exit 3 naming the line and field of each problem',
    )
    .argument('<file>', 'CSV file')
    .addOption(dbOption())
    .requiredOption('--by <email>', 'your e-mail address, recorded in the audit log')
    .option('--operational <dir>', 'PGlite folder of the operational store (default: next to the database; PHM_DATABASE_URL for PostgreSQL)')
    .action(async (file: string, o: { db: string; by: string; operational?: string }) => {
      await (await server()).referralImportCommand({ file, db: o.db, by: o.by, ...(o.operational ? { operationalDir: o.operational } : {}) }, io);
    });

  const caseload = program.command('caseload').description('neighbourhood caseloads (docs/care-plans.md)');
  caseload
    .command('import')
    .description(
      'import caseload episodes recorded elsewhere first from a CSV (person_id, source, key_worker, taken_on, next_review, optional cohort_id and outcome): every row checked, all stored or none; episodes already stored are skipped; exit 3 naming the line and field of each problem',
    )
    .argument('<file>', 'CSV file')
    .addOption(dbOption())
    .requiredOption('--by <email>', 'your e-mail address, recorded in the audit log')
    .option('--operational <dir>', 'PGlite folder of the operational store (default: next to the database; PHM_DATABASE_URL for PostgreSQL)')
    .action(async (file: string, o: { db: string; by: string; operational?: string }) => {
      await (await server()).caseloadImportCommand({ file, db: o.db, by: o.by, ...(o.operational ? { operationalDir: o.operational } : {}) }, io);
    });

  const benchmarks = program.command('benchmarks').description('comparator values published elsewhere, e.g. England from OHID Fingertips (docs/statistics.md#comparison-with-england)');
  benchmarks
    .command('import')
    .description(
      "import a set of benchmark values from a Fingertips download (Indicator ID, Area Code, Sex, Age, Time period, Value, Lower/Upper CI 95.0 limit, Count, Denominator; other columns ignored) or the shared extract's snake_case header: every row checked, the set with this label replaced whole or not at all; exit 3 naming the line and field of each problem, 5 when a running server owns the store",
    )
    .argument('<file>', 'CSV file')
    .requiredOption('--label <label>', "the set's name, shown beside every value (a set of the same name is replaced), e.g. 'England (OHID Fingertips)'")
    .addOption(dbOption())
    .option('--by <email>', 'your e-mail address, recorded in the audit log')
    .option('--operational <dir>', 'PGlite folder of the operational store (default: next to the database; PHM_DATABASE_URL for PostgreSQL)')
    .action(async (file: string, o: { label: string; db: string; by?: string; operational?: string }) => {
      await (await server()).benchmarkImportCommand({ file, label: o.label, db: o.db, ...(o.by ? { by: o.by } : {}), ...(o.operational ? { operationalDir: o.operational } : {}) }, io);
    });

  const audit = program.command('audit').description('the audit log of the operational store (docs/security.md#audit)');
  audit
    .command('verify')
    .description("check the audit log's hash chain: exit 3 naming the first row changed, removed or slipped in; prints the last row's hash to keep elsewhere")
    .addOption(dbOption())
    .option('--operational <dir>', 'PGlite folder of the operational store (default: next to the database; PHM_DATABASE_URL for PostgreSQL)')
    .action(async (o: { db: string; operational?: string }) => {
      await (await server()).auditVerifyCommand({ db: o.db, ...(o.operational ? { operationalDir: o.operational } : {}) }, io);
    });

  program
    .command('risk')
    .description('risk stratification at a date: eFI categories, conditions, multimorbidity score, Core20PLUS5 and predicted emergency admission risk, by breakdown; disclosure-controlled')
    .addOption(dbOption())
    .option('--date <date>', 'reference date YYYY-MM-DD (default: the last day of the database window)')
    .option('--by <breakdowns>', "comma-separated breakdowns as for 'phm segment'", 'ics')
    .option('--plus <groups>', 'Core20PLUS5 PLUS groups: learning-disability, smi, carers, ethnic-minority, autism, care-home', DEFAULT_PLUS)
    .option('--no-model', 'skip the emergency admission model (no risk bands)')
    .option('--model-card <file>', 'write the emergency admission model card (markdown), e.g. docs/models/emergency-admission.md')
    .addOption(new Option('--purpose <purpose>', 'why the model is fitted: people with a national data opt-out or a type 1 opt-out are left out of fitting and testing, and counted (the risk counts themselves are aggregates and count everyone)').choices(SECONDARY_PURPOSE_CHOICES).default('research'))
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('csv'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--no-disclosure-control', 'publish exact counts (analysts only; never for publication)')
    .option('-q, --quiet', 'no progress output')
    .action(async (o: { db: string; date?: string; by: string; plus: string; model: boolean; modelCard?: string; purpose: SecondaryPurpose; format: OutputFormat; out?: string; disclosureControl: boolean; quiet?: boolean }) => {
      await (await import('./commands/risk.js')).riskCommand(
        { db: o.db, by: o.by, plus: o.plus, model: o.model, purpose: o.purpose, format: o.format, disclosureControl: o.disclosureControl, ...(o.date ? { date: o.date } : {}), ...(o.modelCard ? { modelCard: o.modelCard } : {}), ...(o.out ? { out: o.out } : {}), ...(o.quiet ? { quiet: true } : {}) },
        io,
      );
    });

  return program;
};

/** Runs the CLI and returns the process exit code (never throws). */
export const runCli = (argv: readonly string[], io: CliIo): Promise<number> => runProgram(buildProgram(io), argv, io);

