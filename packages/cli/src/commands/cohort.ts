/**
 * `phm cohort run FILE|ID`: a cohort definition (a JSON file, or a cohort saved in the app, read from
 * the operational store read-only; docs/cohorts.md) run at a date: members counted by breakdown with
 * disclosure control, optionally a pseudonymous worklist for one neighbourhood and an impact view of
 * activity by neighbourhood. A worklist written out is an export for planning or research: people
 * whose opt-outs apply are left out, and the output says how many.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError, leftOutStatement, parseCohortDefinition, type CohortDefinition, type SecondaryPurpose } from '@openphm/core';
import { DISCLOSURE_NOTE, NO_DISCLOSURE_CONTROL, NO_DISCLOSURE_NOTE, openDatabase, parseBreakdownList, runCohort } from '@openphm/store-duckdb';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { readJsonFile, referenceDateOf, toCsv, writeOutput, type OutputFormat } from './output.js';

export interface CohortCommandOptions {
  /** A cohort definition file, or the id of a cohort saved in the app. */
  readonly file: string;
  /** A saved cohort's version (default its latest); for a file, its one version. */
  readonly version?: number;
  /** The operational store's PGlite folder (default: next to the database; PHM_DATABASE_URL for PostgreSQL). */
  readonly operationalDir?: string;
  readonly db: string;
  readonly date?: string;
  /** Comma-separated breakdowns (default 'place,neighbourhood'). */
  readonly by: string;
  readonly worklist?: string;
  /** Why the worklist is exported (default planning): opt-outs apply. */
  readonly purpose?: SecondaryPurpose;
  readonly impact?: boolean;
  readonly format: OutputFormat;
  readonly out?: string;
  readonly quiet?: boolean;
  readonly disclosureControl?: boolean;
}

export const WORKLIST_NOTE =
  'Worklist: pseudonymous person_id only (no names or NHS numbers); re-identification for direct care needs access control in the server.';

/** Reads and validates a cohort definition file; errors name the file. */
export const loadCohortDefinition = (file: string, cwd: string): CohortDefinition => {
  const input = readJsonFile(file, cwd, 'cohort definition');
  return parseCohortDefinition(input, file);
};

/** A file when the argument names one (a path, *.json, or an existing file); else the id of a saved cohort. */
export const isCohortFile = (arg: string, cwd: string): boolean => arg.endsWith('.json') || /[\\/]/.test(arg) || existsSync(resolve(cwd, arg));

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The definition to run: the file's, or the saved cohort's (saying whose, which version, and how it is shared). */
export const resolveCohort = async (options: Pick<CohortCommandOptions, 'file' | 'version' | 'operationalDir' | 'db' | 'quiet'>, io: CliIo): Promise<CohortDefinition> => {
  const arg = options.file;
  if (isCohortFile(arg, io.cwd)) {
    const cohort = loadCohortDefinition(arg, io.cwd);
    if (options.version !== undefined && options.version !== cohort.version) throw new UserError(`${arg} is version ${cohort.version} of cohort ${cohort.id}; a file keeps one version (--version is for saved cohorts)`, 'not-found');
    return cohort;
  }
  if (!SLUG.test(arg)) throw new UserError(`'${arg}' is neither a cohort file nor a saved cohort's id (lower-case words joined by hyphens)`, 'not-found');
  const { readSavedCohort } = await import('@openphm/server');
  try {
    const saved = await readSavedCohort({ db: options.db, id: arg, ...(options.version !== undefined ? { version: options.version } : {}), ...(options.operationalDir ? { operationalDir: options.operationalDir } : {}) }, io);
    if (!options.quiet) {
      const which = saved.definition.version === saved.latestVersion ? `version ${saved.definition.version}, its latest` : `version ${saved.definition.version} of ${saved.latestVersion}`;
      io.stderr.write(`Saved cohort ${arg}, ${which}: saved by ${saved.owner}, shared ${saved.sharing === 'private' ? 'with its owner only' : saved.sharing === 'team' ? "with the owner's team" : 'with everyone who uses cohorts'}\n`);
    }
    return saved.definition;
  } catch (error) {
    // A cohort file of that id in cohorts/: the user meant the file.
    const file = join('cohorts', `${arg}.json`);
    if (error instanceof UserError && error.kind === 'not-found' && existsSync(resolve(io.cwd, file))) throw new UserError(`${error.message}: to run the cohort file, give its path (${file})`, 'not-found', { cause: error });
    throw error;
  }
};

export const cohortCommand = async (options: CohortCommandOptions, io: CliIo): Promise<void> => {
  const cohort = await resolveCohort(options, io);
  const breakdowns = parseBreakdownList(options.by);
  if (breakdowns.length === 0) throw new UserError('--by needs at least one breakdown');
  const policy = options.disclosureControl === false ? NO_DISCLOSURE_CONTROL : undefined;
  const note = policy ? NO_DISCLOSURE_NOTE : DISCLOSURE_NOTE;
  const progress = createProgress(io.stderr, options.quiet);
  const db = await openDatabase(resolve(io.cwd, options.db), { readOnly: true });
  try {
    const date = await referenceDateOf(db, options.date ?? cohort.referenceDate);
    progress.step(`Cohort ${cohort.id} at ${date}`, 1);
    progress.update(0);
    const result = await runCohort(db, cohort, {
      referenceDate: date,
      breakdowns,
      ...(options.worklist !== undefined ? { worklist: { neighbourhoodId: options.worklist, purpose: options.purpose ?? 'planning' } } : {}),
      ...(options.impact ? { impact: true } : {}),
      ...(policy ? { policy } : {}),
    });
    progress.update(1);
    progress.done();
    const meta = { cohort: cohort.id, version: cohort.version, date };
    if (options.format === 'json') {
      writeOutput(
        io,
        `${JSON.stringify(
          {
            ...meta,
            title: cohort.title,
            disclosure: note,
            counts: result.counts,
            ...(result.impact ? { impact: result.impact } : {}),
            ...(result.worklist ? { worklistNote: WORKLIST_NOTE, worklist: result.worklist } : {}),
            ...(result.worklistPurpose ? { worklistPurpose: { ...result.worklistPurpose, optOuts: leftOutStatement(result.worklistPurpose.purpose, result.worklistPurpose.leftOut) } } : {}),
          },
          null,
          2,
        )}\n`,
        options.out,
      );
      return;
    }
    // CSV: one table; the worklist, else the impact view, else the counts.
    if (result.worklist) {
      writeOutput(
        io,
        toCsv(
          result.worklist.map((w) => ({
            ...meta,
            neighbourhood: options.worklist ?? '',
            person_id: w.personId,
            age_band: w.ageBand,
            sex: w.sex,
            condition_count: w.conditionCount,
            efi: w.efi,
            emergency_admissions_12m: w.emergencyAdmissions12m,
            ae_attendances_12m: w.aeAttendances12m,
          })),
        ),
        options.out,
      );
      if (result.worklistPurpose) io.stderr.write(`${leftOutStatement(result.worklistPurpose.purpose, result.worklistPurpose.leftOut)}\n`);
      if (result.worklist.length === 0) io.stderr.write(`No members of ${cohort.id} in neighbourhood ${options.worklist ?? ''}.\n`);
      return;
    }
    if (result.impact) {
      writeOutput(
        io,
        toCsv(
          result.impact.map((i) => ({
            ...meta,
            place: i.place,
            neighbourhood: i.neighbourhoodId,
            people: i.people,
            ae_attendances_12m: i.aeAttendances12m.total,
            ae_attendances_per_person: i.aeAttendances12m.perPerson,
            emergency_bed_days_12m: i.emergencyBedDays12m.total,
            emergency_bed_days_per_person: i.emergencyBedDays12m.perPerson,
            gp_appointments_12m: i.gpAppointments12m.total,
            gp_appointments_per_person: i.gpAppointments12m.perPerson,
            suppressed: i.suppressed,
            note: i.note,
          })),
        ),
        options.out,
      );
      return;
    }
    writeOutput(
      io,
      toCsv(result.counts.map((c) => ({ ...meta, breakdown: c.breakdown, group: c.group, people: c.people, group_people: c.groupPeople, share: c.share, suppressed: c.suppressed, note: c.note }))),
      options.out,
    );
  } finally {
    db.close();
  }
};
