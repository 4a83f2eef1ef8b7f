/**
 * The result of a matched evaluation of an intervention (social prescribing referrals, a place on a
 * neighbourhood caseload): who could be evaluated, and per outcome the people matched, the change
 * before → after in them and in their comparators, the effect with its 95% interval, and what it
 * means in words. Also the naive before-and-after change, to show why the comparison matters.
 */
import { useState, type ReactNode } from 'react';
import { api, type EvaluationResponse } from '../api.js';
import { breakdownOptions } from '../breakdowns.js';
import { fmtFixed, fmtPublished, fmtSigned } from '../format.js';
import { Problem, SelectField, TableHead, num, useLoad, type Loaded, type Option } from './common.js';

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

const fmt2 = (v: number | null) => fmtFixed(v, 2);

/** What the effect means, in words, for a board paper. */
export const verdict = (o: EvaluationResponse['outcomes'][number], w: EvaluationWords): string => {
  if (o.withheld || o.effect === null || o.lower95 === null || o.upper95 === null) return 'Too few people to estimate (fewer than 10 matched).';
  if (o.upper95 < 0) return `Fewer ${o.label.toLowerCase()} than ${w.comparators}: the 95% interval is below zero.`;
  if (o.lower95 > 0) return `More ${o.label.toLowerCase()} than ${w.comparators}: the 95% interval is above zero.`;
  return `No clear difference from ${w.comparators}: the 95% interval includes zero.`;
};

/** The breakdowns effects can be shown by ('' for none). */
export const EVALUATION_BY: readonly Option[] = [{ id: '', label: 'Everyone together' }, ...breakdownOptions(['place', 'imd-quintile', 'sex', 'age-band', 'ethnic-group'])];

export const EvaluationBySelect = ({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) => (
  <SelectField id={id} label="Effects by" value={value} onChange={onChange} items={EVALUATION_BY} />
);

/** The effect in each group, one column per outcome: the estimate, its interval, and how many were matched. */
const GroupTable = ({ data }: { data: EvaluationResponse }) => (
  <div className="table-scroll">
    <table data-testid="evaluation-groups">
      <caption>
        Effect (95% CI) in each group ({EVALUATION_BY.find((b) => b.id === data.by)?.label} at the index date). With many groups and three outcomes, some intervals will exclude zero by chance: read
        them as questions to look into, not findings.
      </caption>
      <TableHead columns={['Group', ...data.outcomes.map((o) => num(o.label, o.outcome))]} />
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
                    <strong>{fmtSigned(o.effect)}</strong>
                    <div className="note">
                      {fmtSigned(o.lower95)} to {fmtSigned(o.upper95)} · {fmtPublished(o.matched)} matched
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

export const EvaluationResult = ({ result, words }: { result: Loaded<EvaluationResponse>; words: EvaluationWords }) => {
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
              <TableHead columns={['Outcome', num(`${words.matchedColumn} (comparators)`), num(`${words.caseColumn}: before → after`), num('Comparators: before → after'), num('Effect (95% CI)'), 'What it means']} />
              <tbody>
                {data.outcomes.map((o) => (
                  <tr key={o.outcome}>
                    <th scope="row">{o.label}</th>
                    <td className="num">
                      {fmtPublished(o.matched)} ({fmtPublished(o.comparators)})
                    </td>
                    <td className="num">
                      {fmt2(o.caseBefore)} → {fmt2(o.caseAfter)}
                      {o.naiveChange !== null && <div className="note">before and after alone: {fmtSigned(o.naiveChange)}</div>}
                    </td>
                    <td className="num">
                      {fmt2(o.comparatorBefore)} → {fmt2(o.comparatorAfter)}
                    </td>
                    <td className="num">
                      <strong>{fmtSigned(o.effect)}</strong>
                      {o.lower95 !== null && o.upper95 !== null && <div className="note">{`${fmtSigned(o.lower95)} to ${fmtSigned(o.upper95)}`}</div>}
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
 * A matched evaluation with its controls: who counts as the cases (`choice`, e.g. everyone referred
 * or only those who took part) and the groups effects are shown by. `id` prefixes the heading's and
 * the select's ids; `loadKey` names the cases chosen, so each choice is loaded (and cached) apart.
 */
export const EvaluationPanel = ({ id, heading, note, choice, words, loadKey, load }: { id: string; heading: string; note?: ReactNode; choice: ReactNode; words: EvaluationWords; loadKey: string; load: (by: string) => Promise<EvaluationResponse> }) => {
  const [by, setBy] = useState('');
  const result = useLoad(`${loadKey}:${by}`, () => load(by));
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      {note}
      <div className="controls">
        {choice}
        <EvaluationBySelect id={`${id}-by`} value={by} onChange={setBy} />
      </div>
      <EvaluationResult result={result} words={words} />
    </section>
  );
};

/**
 * Did proactive care change outcomes? Everyone taken on (any neighbourhood), or, given the sources,
 * those from one source, against matched people never on a caseload.
 */
export const CaseloadEvaluation = ({ sources, heading = 'Did proactive care change outcomes?' }: { sources?: readonly { id: string; label: string }[]; heading?: string }) => {
  const [source, setSource] = useState('all');
  return (
    <EvaluationPanel
      id="caseload-evaluation"
      heading={heading}
      note={<p className="note">Across every neighbourhood (published figures only): people taken onto a caseload compared with matched people who never were.</p>}
      choice={sources && <SelectField id="caseload-evaluation-source" label="People taken on" value={source} onChange={setSource} items={[{ id: 'all', label: 'Everyone taken on' }, ...sources]} />}
      words={CASELOAD_WORDS}
      loadKey={`caseload-evaluation:${source}`}
      load={(by) => api.caseloadEvaluation(source, by)}
    />
  );
};
