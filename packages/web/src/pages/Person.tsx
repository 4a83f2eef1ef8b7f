import { useEffect, useState, type FormEvent } from 'react';
import { ReferralStatusBadge } from '../components/care.js';
import { CarePlanSection } from '../components/CarePlan.js';
import { api, ApiError, type Me, type PersonSummaryT } from '../api.js';
import { TableHead, hashParams } from '../components/common.js';

export const PersonPage = ({ me }: { me: Me }) => {
  const [id, setId] = useState(() => hashParams().get('id') ?? '');
  const [person, setPerson] = useState<PersonSummaryT | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (personId: string) => {
    setPerson(null);
    setError(null);
    try {
      setPerson(await api.person(personId));
    } catch (err) {
      setError(err instanceof ApiError ? `${err.status === 403 ? 'Not allowed' : err.status === 404 ? 'Not found' : 'Error'}: ${err.message}` : 'look-up failed');
    }
  };
  /** After the care plan changes: the summary again, without clearing the page (an audited look-up like any other). */
  const refreshSummary = async (personId: string) => {
    try {
      setPerson(await api.person(personId));
    } catch {
      // The plan was saved; the summary line stays as it was until the next look-up.
    }
  };
  const lookUp = (e: FormEvent) => {
    e.preventDefault();
    void run(id.trim());
  };
  // Opened from a worklist (#/person?id=...): look the person up straight away (audited like any look-up).
  useEffect(() => {
    const initial = hashParams().get('id');
    if (initial && /^\d{1,18}$/.test(initial)) void run(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <section>
      <h1>Person look-up</h1>
      <p>
        Pseudonymous records only: no names, NHS numbers or addresses are held. Every look-up, allowed or refused, is written to the audit log.
        {me.user?.neighbourhoodId && ` You can see residents of neighbourhood ${me.user.neighbourhoodId} only.`}
      </p>
      <form onSubmit={lookUp} className="form inline">
        <label htmlFor="person-id">Person id</label>
        <input id="person-id" inputMode="numeric" value={id} onChange={(e) => setId(e.target.value)} required />
        <button type="submit">Look up</button>
      </form>
      {error && (
        <p className="error" role="alert" data-testid="person-error">
          {error}
        </p>
      )}
      {person && (
        <div className="panel" data-testid="person">
          <h2>Person {person.personId}</h2>
          <dl className="grid">
            <dt>Sex</dt>
            <dd>{person.demographics.sex === 'F' ? 'Female' : 'Male'}</dd>
            <dt>Age</dt>
            <dd>
              {person.demographics.age} ({person.demographics.ageBand}){person.demographics.died ? `, died ${person.demographics.died}` : ''}
            </dd>
            <dt>Ethnic group</dt>
            <dd>{person.demographics.ethnicGroup}</dd>
            <dt>Carer</dt>
            <dd>{person.demographics.isCarer ? 'Yes' : 'No'}</dd>
            <dt>Lives in</dt>
            <dd>
              LSOA {person.residence.lsoaCode}, neighbourhood {person.residence.neighbourhoodId}, {person.residence.place} (IMD decile {person.residence.imdDecile})
            </dd>
            <dt>Practice</dt>
            <dd>{person.practiceCode}</dd>
          </dl>
          <h3>Long-term conditions</h3>
          {person.conditions.length === 0 ? (
            <p>None recorded.</p>
          ) : (
            <ul>
              {person.conditions.map((c) => (
                <li key={c.key}>
                  {c.label} (since {c.since})
                </li>
              ))}
            </ul>
          )}
          <h3>Activity in the last 12 months of the data</h3>
          {person.activityLast12Months.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul>
              {person.activityLast12Months.map((a) => (
                <li key={a.kind}>
                  {a.kind}: {a.count}
                </li>
              ))}
            </ul>
          )}
          <h3>Care coordination</h3>
          <p data-testid="person-caseload">
            {person.caseload ? `On the neighbourhood caseload: key worker ${person.caseload.keyWorker}, next review ${person.caseload.nextReview}.` : 'Not on the neighbourhood caseload.'}{' '}
            {person.carePlan ? `Care and support plan: ${person.carePlan.status}, review by ${person.carePlan.reviewDate}.` : 'No care and support plan.'}
          </p>
          {me.role === 'neighbourhood' && (
            <>
              <h3>Care and support plan</h3>
              <CarePlanSection personId={person.personId} onChanged={() => void refreshSummary(person.personId)} />
            </>
          )}
          <h3>Social prescribing</h3>
          {person.socialPrescribing.length === 0 ? (
            <p>No referrals.</p>
          ) : (
            <ul data-testid="person-referrals">
              {person.socialPrescribing.map((r) => (
                <li key={r.id}>
                  {r.serviceName} ({r.reasonLabel}): <ReferralStatusBadge status={r.status} label={r.statusLabel} /> referred {r.referredAt.slice(0, 10)} by {r.referredBy}
                </li>
              ))}
            </ul>
          )}
          <h3>Recent activity</h3>
          <table>
            <TableHead columns={['Date', 'What', 'Detail']} />
            <tbody>
              {person.recentActivity.map((a, i) => (
                <tr key={i}>
                  <td>{a.date}</td>
                  <td>{a.kind}</td>
                  <td>{a.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};
