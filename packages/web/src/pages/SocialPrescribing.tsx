/**
 * Who social prescribing reaches, and what it changes: adults referred per 1,000 residents by
 * deprivation, ethnic group, age, sex, place or neighbourhood (95% intervals, compared with the area
 * as a whole), referrals by status, and the mean change in ONS4 wellbeing. Disclosure-controlled
 * aggregates, for staff and board members.
 */
import { useRef, useState } from 'react';
import { api, type ReachResponse } from '../api.js';
import { CiBarChart } from '../components/charts.js';
import { CsvButton, PngButton, Problem, SuppressionNote, Toolbar, fmtPublished, useLoad } from '../components/common.js';
import { ReferralStatusBadge } from '../components/care.js';
import { EvaluationBySelect, EvaluationResult, type EvaluationWords } from '../components/evaluation.js';

const BY: readonly { id: string; label: string }[] = [
  { id: 'imd-quintile', label: 'IMD quintile' },
  { id: 'ethnic-group', label: 'Ethnic group' },
  { id: 'age-band', label: 'Age band' },
  { id: 'sex', label: 'Sex' },
  { id: 'place', label: 'Place' },
  { id: 'neighbourhood', label: 'Neighbourhood' },
];

const fmtRate = (v: number | null) => (v === null ? '[c]' : v.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
const COMPARISON_TEXT: Record<string, string> = { higher: 'Higher', similar: 'Similar', lower: 'Lower', 'not-compared': 'Not compared' };

const Reach = ({ data }: { data: ReachResponse }) => {
  const chart = useRef<SVGSVGElement>(null);
  const byLabel = BY.find((b) => b.id === data.by)?.label ?? data.by;
  return (
    <>
      <p data-testid="reach-overall">
        {fmtPublished(data.overall.referred)} adults referred of {fmtPublished(data.overall.adults)}: <strong>{fmtRate(data.overall.rate)} per 1,000</strong>
        {data.overall.lower95 !== null && data.overall.upper95 !== null ? ` (95% CI ${fmtRate(data.overall.lower95)} to ${fmtRate(data.overall.upper95)})` : ''}.
      </p>
      <CiBarChart
        ref={chart}
        rows={data.rows.map((r) => ({ label: r.groupLabel, value: r.rate, lower: r.lower95, upper: r.upper95, comparison: r.comparison }))}
        title={`Adults referred per 1,000, by ${/^[A-Z]{2}/.test(byLabel) ? byLabel : byLabel.toLowerCase()}`}
        unit="per 1,000 adults"
        benchmark={data.overall.rate}
        benchmarkName="all adults in the area"
      />
      <Toolbar>
        <PngButton target={() => chart.current} filename={`social-prescribing-reach-${data.by}.png`} />
        <CsvButton
          filename={`social-prescribing-reach-${data.by}.csv`}
          columns={['group', 'adults_referred', 'adults', 'rate_per_1000', 'lower_95', 'upper_95', 'compared_with_area', 'note']}
          rows={() => data.rows.map((r) => [r.groupLabel, r.referred ?? '[c]', r.adults ?? '[c]', r.rate ?? '', r.lower95 ?? '', r.upper95 ?? '', r.comparison, r.note])}
        />
      </Toolbar>
      <table data-testid="reach-table">
        <caption>Adults referred (distinct people) per 1,000 adult residents, with 95% confidence intervals</caption>
        <thead>
          <tr>
            <th scope="col">{byLabel}</th>
            <th scope="col" className="num">Referred</th>
            <th scope="col" className="num">Adults</th>
            <th scope="col" className="num">Per 1,000</th>
            <th scope="col" className="num">95% CI</th>
            <th scope="col">Compared with the area</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r) => (
            <tr key={r.group}>
              <th scope="row">{r.groupLabel}</th>
              <td className="num">{fmtPublished(r.referred, r.suppressed)}</td>
              <td className="num">{fmtPublished(r.adults)}</td>
              <td className="num">{fmtRate(r.rate)}</td>
              <td className="num">{r.lower95 !== null && r.upper95 !== null ? `${fmtRate(r.lower95)} to ${fmtRate(r.upper95)}` : '–'}</td>
              <td>{COMPARISON_TEXT[r.comparison]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <SuppressionNote rule={data.disclosure.rule} />
    </>
  );
};

const REFERRAL_WORDS: EvaluationWords = {
  cases: 'people referred',
  comparators: 'matched people who were not referred',
  event: 'referral',
  outside: 'were referred outside those dates',
  matchedColumn: 'Matched referred',
  caseColumn: 'Referred',
};

const Evaluation = () => {
  const [population, setPopulation] = useState<'all' | 'took-part'>('all');
  const [by, setBy] = useState('');
  const result = useLoad(`evaluation:${population}:${by}`, () => api.evaluation(population, by));
  return (
    <section className="panel" aria-labelledby="evaluation-heading">
      <h2 id="evaluation-heading">Did it change outcomes?</h2>
      <div className="controls">
        <div className="field">
          <label htmlFor="evaluation-population">People referred</label>{' '}
          <select id="evaluation-population" value={population} onChange={(e) => setPopulation(e.target.value as 'all' | 'took-part')}>
            <option value="all">Everyone referred (intention to treat)</option>
            <option value="took-part">Only people who attended or completed</option>
          </select>
        </div>
        <EvaluationBySelect id="evaluation-by" value={by} onChange={setBy} />
      </div>
      <EvaluationResult result={result} words={REFERRAL_WORDS} />
    </section>
  );
};

export const SocialPrescribingPage = () => {
  const [by, setBy] = useState('imd-quintile');
  const [place, setPlace] = useState('');
  const geography = useLoad('geography', api.geography);
  const reach = useLoad(`reach:${by}:${place}`, () => api.reach(by, place || undefined));
  const data = reach.data;
  return (
    <>
      <h1>Social prescribing: reach and outcomes</h1>
      <p className="lead">Does social prescribing reach the people who need it, and does it help? Published figures only.</p>
      <div className="controls">
        <div className="field">
          <label htmlFor="reach-by">Break down by</label>{' '}
          <select id="reach-by" value={by} onChange={(e) => setBy(e.target.value)}>
            {BY.map((b) => (
              <option key={b.id} value={b.id}>
                {b.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="reach-place">Area</label>{' '}
          <select id="reach-place" value={place} onChange={(e) => setPlace(e.target.value)}>
            <option value="">The whole partnership</option>
            {geography.data?.places.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {reach.error && <Problem error={reach.error} />}
      {reach.loading && <p className="loading">Counting…</p>}
      {data && (
        <>
          <section className="panel" aria-labelledby="reach-heading">
            <h2 id="reach-heading">Who is referred</h2>
            <Reach data={data} />
          </section>
          <section className="panel" aria-labelledby="outcomes-heading">
            <h2 id="outcomes-heading">What happens next</h2>
            <ul className="legend" data-testid="reach-statuses">
              {data.statuses.map((s) => (
                <li key={s.status}>
                  <ReferralStatusBadge status={s.status} label={s.label} /> {fmtPublished(s.referrals)}
                </li>
              ))}
            </ul>
            <table data-testid="wellbeing-table">
              <caption>Change in ONS4 personal wellbeing (0-10) among people with a score before and after; 95% confidence intervals</caption>
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  <th scope="col" className="num">People</th>
                  <th scope="col" className="num">Mean change</th>
                  <th scope="col" className="num">95% CI</th>
                  <th scope="col">Better when</th>
                </tr>
              </thead>
              <tbody>
                {data.wellbeing.map((w) => (
                  <tr key={w.item}>
                    <th scope="row">{w.label}</th>
                    <td className="num">{fmtPublished(w.people)}</td>
                    <td className="num">{w.meanChange === null ? 'withheld' : w.meanChange.toLocaleString('en-GB', { signDisplay: 'always', maximumFractionDigits: 2 })}</td>
                    <td className="num">{w.lower95 !== null && w.upper95 !== null ? `${w.lower95.toFixed(2)} to ${w.upper95.toFixed(2)}` : '–'}</td>
                    <td>{w.higherIsBetter ? 'higher' : 'lower'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="note">
              A change is only shown for 10 or more people. A before-and-after change in the people referred is not proof that the referral caused it: people often
              come for help at a low point and would improve anyway (regression to the mean). Compare like with like before drawing conclusions.
            </p>
          </section>
          <Evaluation />
        </>
      )}
    </>
  );
};
