/**
 * A person's record for their care team, in plain terms: who they are registered with, alerts, the
 * advance care plan, risk and what drives it, care gaps, conditions, medicines, carers, the care
 * and support plan, referrals, caseload episodes and the timeline of every event. Prints cleanly
 * (styles.css, @media print), and the care and support plan prints on its own for the person.
 *
 * Slots: `banner` (above everything: the person's identity, from the identity zone) and `panels`
 * (after the advance care plan: the team's tasks and notes about the person).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, type CareRecord, type Me } from '../api.js';
import { fmtDate } from '../format.js';
import { ReferralStatusBadge } from './care.js';
import { CarePlanSection } from './CarePlan.js';
import { TableHead, useLoad } from './common.js';
import { OverdueBadge } from './register.js';
import { AdvanceCarePlanSection } from './record/AdvanceCarePlan.js';
import { AlertsSection } from './record/Alerts.js';
import { TimelineSection } from './record/Timeline.js';

const pct = (p: number) => `${(p * 100).toFixed(p < 0.1 ? 1 : 0)}%`;

/** A section of the record with its heading (each prints as a block). */
export const RecordSection = ({ id, title, children, className }: { id: string; title: string; children: ReactNode; className?: string }) => (
  <section className={`record-section${className ? ` ${className}` : ''}`} aria-labelledby={`${id}-heading`} data-testid={`section-${id}`}>
    <h2 id={`${id}-heading`}>{title}</h2>
    {children}
  </section>
);

/** Prints the page; with `only`, just the part the body class selects (styles.css), e.g. the care plan for the person. */
const printPage = (only?: string) => {
  if (only) document.body.classList.add(only);
  const done = () => {
    if (only) document.body.classList.remove(only);
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
  // Browsers that print without blocking still send afterprint; those that do not are covered by the next print.
};

const Risk = ({ risk }: { risk: CareRecord['risk'] }) => {
  const f = risk.frailty;
  const a = risk.admission;
  return (
    <div className="risk-grid" data-testid="record-risk">
      <div>
        <h3>Frailty (electronic Frailty Index)</h3>
        <p>
          <strong>
            eFI {f.efi.toFixed(2)}: {f.category}
          </strong>{' '}
          ({f.deficits.length} of {f.of} deficits)
        </p>
        {f.deficits.length > 0 && (
          <ul>
            {f.deficits.map((d) => (
              <li key={d.key}>
                {d.label} <span className="note">({d.evidence})</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <h3>Emergency admission in the next 12 months</h3>
        {a.available ? (
          <>
            <p data-testid="admission-risk">
              <strong>{pct(a.probability)}</strong> (band {a.band}; the average person {pct(a.averageProbability)})
            </p>
            {a.drivers.length > 0 && (
              <table className="compact">
                <caption>What drives it, most first</caption>
                <TableHead columns={['What', 'This person', 'Effect']} />
                <tbody>
                  {a.drivers.map((d) => (
                    <tr key={d.label}>
                      <td>{d.label}</td>
                      <td>{d.value}</td>
                      <td>
                        {d.direction === 'raises' ? 'raises' : 'lowers'} it ×{Math.exp(Math.abs(d.effect)).toFixed(1)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="note">{a.note}</p>
          </>
        ) : (
          <p className="note" data-testid="admission-risk">
            {a.reason}
          </p>
        )}
      </div>
    </div>
  );
};

const CareGaps = ({ gaps }: { gaps: CareRecord['careGaps'] }) =>
  gaps.length === 0 ? (
    <p>No reviews, vaccinations or screening apply.</p>
  ) : (
    <ul data-testid="record-care-gaps">
      {gaps.map((g) => (
        <li key={g.ruleId}>
          <strong>{g.label}</strong>: {g.status === 'due' ? <OverdueBadge label="Due" /> : g.status === 'up-to-date' ? 'up to date' : 'out of season'} {g.summary}
        </li>
      ))}
    </ul>
  );

const Problems = ({ r }: { r: CareRecord }) => (
  <>
    {r.conditions.length === 0 ? (
      <p>No long-term conditions recorded.</p>
    ) : (
      <table data-testid="record-conditions">
        <TableHead columns={['Condition', 'Since', 'Recorded as']} />
        <tbody>
          {r.conditions.map((c) => (
            <tr key={c.key}>
              <td>{c.label}</td>
              <td>{fmtDate(c.onset)}</td>
              <td>{c.code.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    {r.otherProblems.length > 0 && (
      <>
        <h3>Other problems recorded</h3>
        <ul>
          {r.otherProblems.map((p) => (
            <li key={p.code.code}>
              {p.code.text} <span className="note">(first {fmtDate(p.first)}{p.last !== p.first ? `, last ${fmtDate(p.last)}` : ''})</span>
            </li>
          ))}
        </ul>
      </>
    )}
    <p>
      Smoking: {r.observations.smoking ? `${r.observations.smoking.status} (${fmtDate(r.observations.smoking.date)})` : 'not recorded'}. BMI:{' '}
      {r.observations.bmi ? `${r.observations.bmi.value} (${fmtDate(r.observations.bmi.date)})` : 'not recorded in the data'}.
    </p>
  </>
);

const Medicines = ({ m }: { m: CareRecord['medicines'] }) => (
  <>
    <h3>Current (issued in the last {m.currentDays} days)</h3>
    {m.current.length === 0 ? (
      <p>None.</p>
    ) : (
      <table data-testid="record-medicines">
        <TableHead columns={['Medicine', 'Last issued', 'Issues in 12 months', 'First issued']} />
        <tbody>
          {m.current.map((x) => (
            <tr key={x.code.code}>
              <td>{x.code.text}</td>
              <td>{fmtDate(x.lastIssued)}</td>
              <td className="num">{x.issues12m}</td>
              <td>{fmtDate(x.firstIssued)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    {m.past.length > 0 && (
      <details>
        <summary>Past medicines ({m.past.length})</summary>
        <ul>
          {m.past.map((x) => (
            <li key={x.code.code}>
              {x.code.text}, last issued {fmtDate(x.lastIssued)}
            </li>
          ))}
        </ul>
      </details>
    )}
    <p className="note">From prescribing by BNF section (medicine group), not the dose or the product.</p>
  </>
);

export const CareRecordView = ({ personId, me, banner, panels }: { personId: string; me: Me; banner?: ReactNode; panels?: ReactNode }) => {
  const [reload, setReload] = useState(0);
  const loaded = useLoad(`record:${personId}:${reload}`, () => api.careRecord(personId), true);
  const refresh = () => setReload((n) => n + 1);
  // The page's title names the person shown (so the tab and Back say whose record it is).
  useEffect(() => {
    document.title = `Person ${personId} · OpenPHM`;
  }, [personId]);
  if (loaded.error && !loaded.data) {
    const e = loaded.error;
    return (
      <p className="error" role="alert" data-testid="person-error">
        {e instanceof ApiError ? `${e.status === 403 ? 'Not allowed' : e.status === 404 ? 'Not found' : 'Error'}: ${e.message}` : 'The record could not be read.'}
      </p>
    );
  }
  const r = loaded.data;
  if (!r) return <p className="loading">Loading the record of person {personId}…</p>;
  const episode = r.caseload.find((e) => e.status === 'active');
  const plan = r.carePlan.plan;
  const p = r.person;
  return (
    <article className="record" data-testid="person" data-person-id={r.personId} aria-label={`Record of person ${r.personId}`}>
      {banner}
      <header className="record-head">
        <h2>Person {r.personId}</h2>
        <p>
          {p.sex}, {p.age}
          {p.died ? `, died ${fmtDate(p.died.date)} ${p.died.place} (${p.died.cause.text})` : ''}. {p.ethnicity}.{p.isCarer ? ' An unpaid carer.' : ''}
        </p>
        <dl className="grid">
          <dt>Registered with</dt>
          <dd>
            {p.registeredWith.practice}
            {p.registeredWith.pcn ? `, ${p.registeredWith.pcn}` : ''}, since {fmtDate(p.registeredWith.since)}
          </dd>
          <dt>Lives in</dt>
          <dd>
            {p.residence.neighbourhood ?? 'no neighbourhood'} ({p.residence.neighbourhoodId ?? '–'}), {p.residence.lsoaName ?? p.residence.lsoaCode}
            {p.residence.imdDecile !== null ? `, IMD decile ${p.residence.imdDecile}` : ''}
          </dd>
        </dl>
        <p data-testid="person-caseload">
          {episode ? `On the neighbourhood caseload: key worker ${episode.keyWorker}, next review ${episode.nextReview}.` : 'Not on the neighbourhood caseload.'}{' '}
          {plan ? `Care and support plan: ${plan.status}, review by ${plan.reviewDate}.` : r.carePlan.unavailable ? 'Care and support plan: not shared with you.' : 'No care and support plan.'}
        </p>
        <p className="note">
          The record as of {fmtDate(r.referenceDate)} (the last day of the data). Every read is written to the audit log.
        </p>
        <div className="toolbar no-print">
          <button type="button" className="secondary" onClick={() => printPage()}>
            Print the record
          </button>
          <button type="button" className="secondary" onClick={() => printPage('print-care-plan')} disabled={!plan}>
            Print the care plan for the person
          </button>
        </div>
      </header>

      <RecordSection id="alerts" title="Alerts">
        <AlertsSection personId={r.personId} alerts={r.alerts} today={r.today} onChanged={refresh} />
      </RecordSection>
      <RecordSection id="acp" title="Advance care plan and end-of-life preferences">
        <AdvanceCarePlanSection personId={r.personId} plan={r.advanceCarePlan} today={r.today} onChanged={refresh} />
      </RecordSection>
      {panels}
      <RecordSection id="risk" title="Frailty and risk">
        <Risk risk={r.risk} />
      </RecordSection>
      <RecordSection id="care-gaps" title="Care gaps">
        <CareGaps gaps={r.careGaps} />
        <p className="note">Reviews, vaccinations and screening due on {fmtDate(r.referenceDate)}, from the codes in the record (exceptions a practice records are not known here).</p>
      </RecordSection>
      <RecordSection id="conditions" title="Conditions">
        <Problems r={r} />
      </RecordSection>
      <RecordSection id="medicines" title="Medicines">
        <Medicines m={r.medicines} />
      </RecordSection>
      <RecordSection id="carers" title="Carers and family">
        <p>
          {r.carers.isCarer ? `An unpaid carer${r.carers.carerRecorded ? ` (recorded ${fmtDate(r.carers.carerRecorded)})` : ''}. ` : ''}
          {r.carers.hasCaregiverRecorded ? `Has a caregiver (recorded ${fmtDate(r.carers.hasCaregiverRecorded)}). ` : ''}
          {r.carers.note ?? ''}
        </p>
        {/* The other person by pseudonymous id only: their record (and who they are) opens only through your own care relationship with them. */}
        {([['Cares for', r.carers.caresFor], ['Cared for by', r.carers.caredForBy]] as const).map(([label, links]) =>
          links.length === 0 ? null : (
            <div key={label}>
              <h3>{label}</h3>
              <ul>
                {links.map((l) => (
                  <li key={`${l.personId}-${l.since}`}>
                    <a href={`#/person?id=${l.personId}`}>person {l.personId}</a> (since {fmtDate(l.since)}
                    {l.until ? `, until ${fmtDate(l.until)}` : ''})
                  </li>
                ))}
              </ul>
            </div>
          ),
        )}
        {r.carers.family.length > 0 && (
          <ul>
            {r.carers.family.map((f) => (
              <li key={f.personId}>
                {f.relation === 'mother' ? 'Mother' : 'Child'}: <a href={`#/person?id=${f.personId}`}>person {f.personId}</a> (born {fmtDate(f.birthDate)})
              </li>
            ))}
          </ul>
        )}
      </RecordSection>
      <RecordSection id="care-plan" title="Care and support plan" className="plan-section">
        <div className="print-only plan-print-head">
          <h2>My care and support plan</h2>
          <p>
            Made with {me.user?.displayName ?? 'your care team'}. Printed {fmtDate(new Date().toISOString().slice(0, 10))}.
          </p>
        </div>
        {r.carePlan.unavailable ? <p className="notice">{r.carePlan.unavailable}</p> : <CarePlanSection personId={r.personId} onChanged={refresh} />}
      </RecordSection>
      <RecordSection id="referrals" title="Referrals">
        {r.referrals.length === 0 ? (
          <p>No referrals.</p>
        ) : (
          <ul data-testid="person-referrals">
            {r.referrals.map((x) => (
              <li key={x.id}>
                {x.serviceName} ({x.reasonLabel}): <ReferralStatusBadge status={x.status} label={x.statusLabel} /> referred {fmtDate(x.referredAt.slice(0, 10))} by {x.referredBy}
              </li>
            ))}
          </ul>
        )}
      </RecordSection>
      <RecordSection id="caseload" title="Caseload episodes">
        {r.caseload.length === 0 ? (
          <p>Never on a neighbourhood caseload.</p>
        ) : (
          <ul data-testid="record-caseload">
            {r.caseload.map((e) => (
              <li key={e.entryId}>
                {e.status === 'active' ? 'Active' : `Discharged: ${e.outcomeLabel ?? ''}`}. {e.sourceLabel}; key worker {e.keyWorker}; taken on {fmtDate(e.addedAt.slice(0, 10))}
                {e.status === 'active' ? `; next review ${fmtDate(e.nextReview)}` : ''} {e.reviewDue && <OverdueBadge label="Review due" />}
              </li>
            ))}
          </ul>
        )}
      </RecordSection>
      <RecordSection id="timeline" title="Timeline">
        <TimelineSection personId={r.personId} first={r.timeline} />
      </RecordSection>
    </article>
  );
};
