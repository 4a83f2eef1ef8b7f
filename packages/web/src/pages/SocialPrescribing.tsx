/**
 * Who social prescribing reaches, and what it changes: adults referred per 1,000 residents by
 * deprivation, ethnic group, age, sex, place or neighbourhood (95% intervals, compared with the area
 * as a whole), referrals by status, and the mean change in ONS4 wellbeing. Disclosure-controlled
 * aggregates, for staff and board members.
 */
import { useRef, useState } from 'react';
import { api, type ReachResponse } from '../api.js';
import { breakdownLabel, breakdownOptions, breakdownPhrase } from '../breakdowns.js';
import { CiBarChart } from '../components/charts.js';
import { CsvButton, PngButton, Problem, SelectField, SuppressionNote, TableHead, Toolbar, num, useLoad } from '../components/common.js';
import { ReferralStatusBadge } from '../components/care.js';
import { EvaluationPanel, type EvaluationWords } from '../components/evaluation.js';
import { fmtFixed, fmtPublished } from '../format.js';

const BY = breakdownOptions(['imd-quintile', 'ethnic-group', 'age-band', 'sex', 'place', 'neighbourhood']);

const fmtRate = (v: number | null) => (v === null ? '[c]' : fmtFixed(v, 1));
const COMPARISON_TEXT: Record<string, string> = { higher: 'Higher', similar: 'Similar', lower: 'Lower', 'not-compared': 'Not compared' };

const Reach = ({ data }: { data: ReachResponse }) => {
  const chart = useRef<SVGSVGElement>(null);
  const byLabel = breakdownLabel(data.by);
  return (
    <>
      <p data-testid="reach-overall">
        {fmtPublished(data.overall.referred)} adults referred of {fmtPublished(data.overall.adults)}: <strong>{fmtRate(data.overall.rate)} per 1,000</strong>
        {data.overall.lower95 !== null && data.overall.upper95 !== null ? ` (95% CI ${fmtRate(data.overall.lower95)} to ${fmtRate(data.overall.upper95)})` : ''}.
      </p>
      <CiBarChart
        ref={chart}
        rows={data.rows.map((r) => ({ label: r.groupLabel, value: r.rate, lower: r.lower95, upper: r.upper95, comparison: r.comparison }))}
        title={`Adults referred per 1,000, by ${breakdownPhrase(data.by)}`}
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
        <TableHead columns={[byLabel, num('Referred'), num('Adults'), num('Per 1,000'), num('95% CI'), 'Compared with the area']} />
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

const POPULATIONS = [
  { id: 'all', label: 'Everyone referred (intention to treat)' },
  { id: 'took-part', label: 'Only people who attended or completed' },
] as const;
type Population = (typeof POPULATIONS)[number]['id'];

const Evaluation = () => {
  const [population, setPopulation] = useState<Population>('all');
  return (
    <EvaluationPanel
      id="evaluation"
      heading="Did it change outcomes?"
      choice={<SelectField id="evaluation-population" label="People referred" value={population} onChange={(v) => setPopulation(v as Population)} items={POPULATIONS} />}
      words={REFERRAL_WORDS}
      loadKey={`evaluation:${population}`}
      load={(by) => api.evaluation(population, by)}
    />
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
        <SelectField id="reach-by" label="Break down by" value={by} onChange={setBy} items={BY} />
        <SelectField id="reach-place" label="Area" value={place} onChange={setPlace} items={geography.data?.places} optionLabel={(p) => p.name} any="The whole partnership" />
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
              <TableHead columns={['Measure', num('People'), num('Mean change'), num('95% CI'), 'Better when']} />
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
