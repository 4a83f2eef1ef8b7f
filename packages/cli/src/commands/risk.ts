/**
 * `phm risk`: risk stratification at a date — eFI categories, long-term condition counts, the
 * multimorbidity score, Core20PLUS5 groups and bands of predicted emergency admission risk — by
 * breakdown, disclosure-controlled; optionally writes the admission model's card.
 */
import { basename, relative, resolve } from 'node:path';
import {
  DISCLOSURE_NOTE,
  NO_DISCLOSURE_CONTROL,
  NO_DISCLOSURE_NOTE,
  ensurePersonFeatures,
  fitAdmissionModel,
  openDatabase,
  parseBreakdownList,
  plusGroupsById,
  predictionSql,
  publishRiskSummary,
  renderModelCard,
  riskSummary,
  type AdmissionModelReport,
} from '@openphm/store-duckdb';
import { UserError, leftOutStatement, publishCount, sumKeyed, type Figure, type SecondaryPurpose } from '@openphm/core';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { referenceDateOf, toCsv, writeOutput, type OutputFormat } from './output.js';

export interface RiskCommandOptions {
  readonly db: string;
  readonly date?: string;
  readonly by: string;
  /** Comma-separated PLUS group ids. */
  readonly plus: string;
  /** Fit the emergency admission model and count people by predicted risk band (default true). */
  readonly model: boolean;
  readonly modelCard?: string;
  /** Why the model is fitted (default research): opt-outs leave people out of fitting and testing. */
  readonly purpose?: SecondaryPurpose;
  readonly format: OutputFormat;
  readonly out?: string;
  readonly quiet?: boolean;
  /** false: exact counts (--no-disclosure-control). Default true. */
  readonly disclosureControl?: boolean;
}

export const riskCommand = async (options: RiskCommandOptions, io: CliIo): Promise<AdmissionModelReport | undefined> => {
  const breakdowns = parseBreakdownList(options.by);
  if (breakdowns.length === 0) throw new UserError('--by needs at least one breakdown');
  const plusGroups = plusGroupsById(options.plus.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  if (options.modelCard && !options.model) throw new UserError('--model-card needs the model: leave out --no-model');
  const policy = options.disclosureControl === false ? NO_DISCLOSURE_CONTROL : undefined;
  const note = policy ? NO_DISCLOSURE_NOTE : DISCLOSURE_NOTE;
  const progress = createProgress(io.stderr, options.quiet);
  const dbPath = resolve(io.cwd, options.db);
  const db = await openDatabase(dbPath, { readOnly: true });
  try {
    const date = await referenceDateOf(db, options.date);
    let report: AdmissionModelReport | undefined;
    let leftOut: Figure = null;
    if (options.model) {
      report = await fitAdmissionModel(db, {
        ...(options.purpose ? { purpose: options.purpose } : {}),
        onProgress: (step, done, total) => {
          progress.step(`Admission model: ${step}`, total);
          progress.update(done, total);
        },
      });
      progress.done();
      // Who the model was not fitted or tested on: the two samples are disjoint halves of the people.
      leftOut = publishCount(sumKeyed([report.training.leftOut, report.test.leftOut]), policy);
      if (!options.quiet) {
        io.stderr.write(
          `Emergency admission model: C-statistic ${report.full.test.cStatistic.toFixed(3)} (age and sex only ${report.baseline.test.cStatistic.toFixed(3)}), ` +
            `fitted at ${report.trainDate}, tested on the other half at ${report.testDate}\n` +
            `${leftOutStatement(report.purpose, leftOut)}\n`,
        );
      }
      if (options.modelCard) {
        const card = renderModelCard(report, { command: `phm risk --db ${basename(options.db)} --model-card ${relative(io.cwd, resolve(io.cwd, options.modelCard)) || options.modelCard}` });
        writeOutput(io, card, options.modelCard);
      }
    }
    progress.step(`Risk stratification at ${date}`, 2);
    progress.update(0);
    await ensurePersonFeatures(db, date);
    progress.update(1);
    const summary = await riskSummary(db, date, breakdowns, { plusGroups, ...(report ? { riskSql: predictionSql(report.full.fitted) } : {}) });
    progress.update(2);
    progress.done();
    const rows = publishRiskSummary(summary, policy).map((r) => ({
      date,
      breakdown: r.breakdown,
      group: r.group,
      measure: r.measure,
      category: r.category,
      people: r.people,
      group_people: r.groupPeople,
      share: r.share,
      suppressed: r.suppressed,
      note: r.note,
    }));
    if (options.format === 'json') {
      const model = report
        ? {
            trainDate: report.trainDate,
            testDate: report.testDate,
            cStatistic: report.full.test.cStatistic,
            baselineCStatistic: report.baseline.test.cStatistic,
            purpose: report.purpose,
            leftOut,
            optOuts: leftOutStatement(report.purpose, leftOut),
          }
        : null;
      writeOutput(io, `${JSON.stringify({ date, population: publishCount({ n: summary.population, key: summary.populationKey }, policy), plusGroups: plusGroups.map((g) => g.id), model, disclosure: note, rows: rows.map(({ date: _d, ...rest }) => rest) }, null, 2)}\n`, options.out);
    } else writeOutput(io, toCsv(rows), options.out);
    return report;
  } finally {
    progress.done();
    db.close();
  }
};
