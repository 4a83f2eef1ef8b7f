/**
 * The result of a matched evaluation of an intervention (social prescribing referrals, a place on a
 * neighbourhood caseload): who could be evaluated, and per outcome the people matched, the change
 * before → after in them and in their comparators, the effect with its 95% interval, and what it
 * means in words. Also the naive before-and-after change, to show why the comparison matters.
 */
import { useState } from 'react';
import { api, type EvaluationResponse } from '../api.js';
import { Problem, fmtPublished, useLoad } from './common.js';

/** How the people and the intervention are named on the page. */
export interface EvaluationWords {
  /** e.g. "people referred" */
  readonly cases: string;
  /** e.g. "matched people who were not referred" */
  readonly comparators: string;
  /** e.g. "referral" */
  readonly event: string;
  /** e.g. "were referred outside those dates" */
  readonly outside: string;
  /** Column headings, e.g. "Matched referred", "Referred". */
  readonly matchedColumn: string;
  readonly caseColumn: string;
}

const fmt2 = (v: number | null) => (v === null ? '–' : v.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const signed = (v: number | null) => (v === null ? '–' : v.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' }));

/** What the effect means, in words, for a board paper. */
export const verdict = (o: EvaluationResponse['outcomes'][number], w: EvaluationWords): string => {
  if (o.withheld || o.effect === null || o.lower95 === null || o.upper95 === null) return 'Too few people to estimate (fewer than 10 matched).';
  if (o.upper95 < 0) return `Fewer ${o.label.toLowerCase()} than ${w.comparators}: the 95% interval is below zero.`;
  if (o.lower95 > 0) return `More ${o.label.toLowerCase()} than ${w.comparators}: the 95% interval is above zero.`;
  return `No clear difference from ${w.comparators}: the 95% interval includes zero.`;
};

/** The breakdowns effects can be shown by ('' for none). */
export const EVALUATION_BY = [
  { id: '', label: 'Everyone together' },
  { id: 'place', label: 'Place' },
  { id: 'imd-quintile', label: 'IMD quintile' },
  { id: 'sex', label: 'Sex' },
  { id: 'age-band', label: 'Age band' },
  { id: 'ethnic-group', label: 'Ethnic group' },
] as const;

export const EvaluationBySelect = ({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) => (
  <div className="field">
    <label htmlFor={id}>Effects by</label>{' '}
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      {EVALUATION_BY.map((b) => (
        <option key={b.id} value={b.id}>
          {b.label}
        </option>
      ))}
    </select>
  </div>
);

/** The effect in each group, one column per outcome: the estimate, its interval, and how many were matched. */
const GroupTable = ({ data }: { data: EvaluationResponse }) => (
  <div className="table-scroll">
    <table data-testid="evaluation-groups">
      <caption>
        Effect (95% CI) in each group ({EVALUATION_BY.find((b) => b.id === data.by)?.label} at the index date). With many groups and three outcomes, some intervals will exclude zero by chance: read
        them as questions to look into, not findings.
      </caption>
      <thead>
        <tr>
          <th scope="col">Group</th>
          {data.outcomes.map((o) => (
            <th scope="col" className="num" key={o.outcome}>
              {o.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.groups.map((g) => (
          <tr key={g.group}>
            <th scope="row">{g.label}</th>
            {g.outcomes.map((o) => (
              <td className="num" key={o.outcome}>
                {o.withheld || o.effect === null ? (
                  <span className="note">{o.matched === null ? 'too few matched' : `too few (${fmtPublished(o.matched)} matched)`}</span>
                ) : (
                  <>
                    <strong>{signed(o.effect)}</strong>
                    <div className="note">
                      {signed(o.lower95)} to {signed(o.upper95)} · {fmtPublished(o.matched)} matched
                    </div>
                  </>
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

export const EvaluationResult = ({ result, words }: { result: { data: EvaluationResponse | undefined; error: Error | undefined; loading: boolean }; words: EvaluationWords }) => {
  const data = result.data;
  return (
    <>
      {result.error && <Problem error={result.error} />}
      {result.loading && <p className="loading">Matching and counting…</p>}
      {data && (
        <>
          <p data-testid="evaluation-summary">
            {fmtPublished(data.cases)} of {fmtPublished(data.exposed)} {words.cases} could be evaluated ({words.event} between {data.evaluableIndexDates.first} and{' '}
            {data.evaluableIndexDates.last}, so that a year before and a year after lie in the data); {fmtPublished(data.excluded.outsideData)} {words.outside} and{' '}
            {fmtPublished(data.excluded.notEligible)} were children, newly registered or died during the two years.
            {data.outcomes[0] && ` ${fmtPublished(data.outcomes[0].matched)} of those evaluated had at least one matched comparator (people with rarer combinations of age, deprivation, place and past activity may have none).`}
          </p>
          <div className="table-scroll">
            <table data-testid="evaluation-table">
              <caption>
                Per person in the year before and the year after the {words.event}; the effect is the change in the {words.cases} minus their comparators' change
              </caption>
              <thead>
                <tr>
                  <th scope="col">Outcome</th>
                  <th scope="col" className="num">
                    {words.matchedColumn} (comparators)
                  </th>
                  <th scope="col" className="num">
                    {words.caseColumn}: before → after
                  </th>
                  <th scope="col" className="num">
                    Comparators: before → after
                  </th>
                  <th scope="col" className="num">
                    Effect (95% CI)
                  </th>
                  <th scope="col">What it means</th>
                </tr>
              </thead>
              <tbody>
                {data.outcomes.map((o) => (
                  <tr key={o.outcome}>
                    <th scope="row">{o.label}</th>
                    <td className="num">
                      {fmtPublished(o.matched)} ({fmtPublished(o.comparators)})
                    </td>
                    <td className="num">
                      {fmt2(o.caseBefore)} → {fmt2(o.caseAfter)}
                      {o.naiveChange !== null && <div className="note">before and after alone: {signed(o.naiveChange)}</div>}
                    </td>
                    <td className="num">
                      {fmt2(o.comparatorBefore)} → {fmt2(o.comparatorAfter)}
                    </td>
                    <td className="num">
                      <strong>{signed(o.effect)}</strong>
                      {o.lower95 !== null && o.upper95 !== null && <div className="note">{`${signed(o.lower95)} to ${signed(o.upper95)}`}</div>}
                    </td>
                    <td>{verdict(o, words)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.groups.length > 0 && <GroupTable data={data} />}
          <details>
            <summary>How this is worked out</summary>
            <p className="note">{data.method}</p>
          </details>
        </>
      )}
    </>
  );
};

const CASELOAD_WORDS: EvaluationWords = {
  cases: 'people taken on',
  comparators: 'matched people never on a caseload',
  event: 'day they were taken on',
  outside: 'were taken on outside those dates',
  matchedColumn: 'Matched taken on',
  caseColumn: 'Taken on',
};

/**
 * Did proactive care change outcomes? Everyone taken on (any neighbourhood), or, given the sources,
 * those from one source, against matched people never on a caseload.
 */
export const CaseloadEvaluation = ({ sources, heading = 'Did proactive care change outcomes?' }: { sources?: readonly { id: string; label: string }[]; heading?: string }) => {
  const [source, setSource] = useState('all');
  const [by, setBy] = useState('');
  const result = useLoad(`caseload-evaluation:${source}:${by}`, () => api.caseloadEvaluation(source, by));
  return (
    <section className="panel" aria-labelledby="caseload-evaluation-heading">
      <h2 id="caseload-evaluation-heading">{heading}</h2>
      <p className="note">Across every neighbourhood (published figures only): people taken onto a caseload compared with matched people who never were.</p>
      <div className="controls">
        {sources && (
          <div className="field">
            <label htmlFor="caseload-evaluation-source">People taken on</label>{' '}
            <select id="caseload-evaluation-source" value={source} onChange={(e) => setSource(e.target.value)}>
              <option value="all">Everyone taken on</option>
              {sources.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <EvaluationBySelect id="caseload-evaluation-by" value={by} onChange={setBy} />
      </div>
      <EvaluationResult result={result} words={CASELOAD_WORDS} />
    </section>
  );
};
