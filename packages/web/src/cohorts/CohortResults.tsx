/**
 * The cohort builder's results: the disclosure-controlled total (or why it is withheld), the way to
 * the neighbourhood worklist, downloads, one panel per breakdown and the rules counts follow.
 */
import type { CohortCountResponse, CohortDefinition, CohortsResponse } from '../api.js';
import { CsvButton, ErrorText, Problem, SuppressionNote, Toolbar } from '../components/common.js';
import { Breakdown } from './Breakdown.js';
import { COUNT_COLUMNS, countCsvRows } from './count-csv.js';
import { sendToWorklist } from './handoff.js';
import type { CountState } from './useCohortCount.js';

/** The total, or [c] and why it is withheld. */
const Total = ({ total, date }: { total: CohortCountResponse['total']; date: string }) => {
  const withheld = total.suppressed || total.people === null;
  return (
    <>
      <p className="big" data-testid="cohort-total">
        {total.suppressed || total.people === null ? (
          <>
            <strong>[c]</strong> withheld
          </>
        ) : (
          <strong>{total.people.toLocaleString('en-GB')}</strong>
        )}{' '}
        <span className="note">people on {date}</span>
      </p>
      {withheld && (
        <p className="note" data-testid="cohort-total-note">
          Not shown, to protect confidentiality: {total.note || 'a small number'}.
        </p>
      )}
    </>
  );
};

/** The limits the server puts on ad-hoc counts, in words, so that a withheld figure is not a surprise. */
const BuilderRules = ({ limits }: { limits: NonNullable<CohortsResponse['limits']> }) => (
  <p className="note" data-testid="builder-rules">
    The cohort builder&rsquo;s rules, so that counts cannot be unpicked: none and fewer than {limits.minimumCount} people both show as [c]; a cohort of
    fewer than {limits.minimumCohort} is not counted, nor a group of fewer than {limits.minimumGroup}; ages in steps of {limits.ageStep} years; at
    most {limits.maxClauses} conditions. A count that differs by fewer than 10 people from one you were shown before is withheld, and repeated
    near-identical queries pause counting for {limits.pauseMinutes} minutes (recorded in the audit log).
  </p>
);

export const CohortResults = ({
  count,
  problem,
  definition,
  worklistHref,
  file,
  limits,
}: {
  count: CountState;
  problem: string | null;
  definition: CohortDefinition | null;
  worklistHref: string;
  file: string;
  limits: CohortsResponse['limits'];
}) => (
  <div className="cohort-results" aria-live="polite" aria-busy={count.loading}>
    <div className="panel">
      <h2>People in the cohort</h2>
      <ErrorText message={problem && <>To count, {problem}.</>} />
      {count.error && <Problem error={count.error} />}
      {count.data && <Total total={count.data.total} date={count.data.date} />}
      <p className="note" data-testid="count-status">
        {count.loading ? 'Updating…' : count.data ? 'Up to date.' : ''}
      </p>
      <Toolbar>
        <a className="button" href={worklistHref} onClick={() => definition && sendToWorklist(definition)}>
          Neighbourhood worklist for this cohort
        </a>
        {count.data && <CsvButton filename={`${file}.csv`} columns={COUNT_COLUMNS} rows={() => countCsvRows(count.data!)} label="Download all counts (CSV)" />}
      </Toolbar>
    </div>
    {count.data?.breakdowns.map((b) => (
      <Breakdown key={b.by} b={b} file={file} />
    ))}
    {count.data && <SuppressionNote rule={count.data.disclosure.rule} />}
    {limits && <BuilderRules limits={limits} />}
  </div>
);
