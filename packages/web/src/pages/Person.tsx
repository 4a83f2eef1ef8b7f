/**
 * The person page (#/person?id=…): always the person in the address. Looking someone up, following
 * a link or pressing Back changes the address, and the page shows that person (a page per person:
 * nothing of the previous one stays on screen, and a late answer for them is dropped).
 * Neighbourhood teams read the record in plain terms (components/CareRecord.tsx); analysts the
 * pseudonymous summary. Every look-up, allowed or refused, is written to the audit log.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ReferralStatusBadge } from '../components/care.js';
import { CareRecordView } from '../components/CareRecord.js';
import { useIdentityZone } from '../components/IdentityBanner.js';
import { PersonTeamWork } from '../components/team.js';
import { api, ApiError, type Me } from '../api.js';
import { TableHead, useHashParams, useLoad } from '../components/common.js';
import { hashOf } from '../hash.js';

const PERSON_ID = /^\d{1,18}$/;

/** The pseudonymous summary an analyst sees (GET /api/people/:id; audited). */
const PersonSummaryView = ({ personId }: { personId: string }) => {
  const loaded = useLoad(`person:${personId}`, () => api.person(personId));
  if (loaded.error) {
    const err = loaded.error;
    return (
      <p className="error" role="alert" data-testid="person-error">
        {err instanceof ApiError ? `${err.status === 403 ? 'Not allowed' : err.status === 404 ? 'Not found' : 'Error'}: ${err.message}` : 'look-up failed'}
      </p>
    );
  }
  const person = loaded.data;
  if (!person) return <p className="loading">Looking up person {personId}…</p>;
  return (
    <div className="panel" data-testid="person" data-person-id={person.personId}>
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
  );
};

export const PersonPage = ({ me }: { me: Me }) => {
  // The person shown is the one in the address, always (look-ups, links and Back all change it).
  const id = (useHashParams().get('id') ?? '').trim();
  const [typed, setTyped] = useState(id);
  useEffect(() => setTyped(id), [id]);
  const team = me.role === 'neighbourhood';
  // Who the person is (the identifiable zone): the banner, or the break-glass dialog without a care relationship.
  const identity = useIdentityZone(team && PERSON_ID.test(id) ? id : null);

  const lookUp = (e: FormEvent) => {
    e.preventDefault();
    // A new history entry: Back returns to the person before.
    window.location.hash = hashOf('person', { id: typed.trim() });
  };

  return (
    <section>
      <div className="person-lookup no-print">
        <h1>{team ? 'Person record' : 'Person look-up'}</h1>
        <p>
          {team
            ? 'The record of a person your team cares for, in plain terms.'
            : 'Pseudonymous records only: no names, NHS numbers or addresses are held.'}{' '}
          Every look-up, allowed or refused, is written to the audit log.
          {team
            ? ' You can read the records of people you have a care relationship with (registered with a practice of your neighbourhood, on your team’s caseload, or referred to your service); anyone else only by breaking glass, with a reason.'
            : ''}
        </p>
        <form onSubmit={lookUp} className="form inline">
          <label htmlFor="person-id">Person id</label>
          <input id="person-id" inputMode="numeric" value={typed} onChange={(e) => setTyped(e.target.value)} required />
          <button type="submit">Look up</button>
        </form>
      </div>
      {id !== '' && !PERSON_ID.test(id) && (
        <p className="error" role="alert" data-testid="person-error">
          Not a person id: {id.slice(0, 40)} (a person id is digits only).
        </p>
      )}
      {PERSON_ID.test(id) &&
        (team ? (
          <>
            {identity.gate}
            <CareRecordView
              key={`${id}:${identity.grants}`}
              personId={id}
              me={me}
              banner={identity.banner}
              // The team's panels about the person: refer, tasks and notes (components/team.tsx), after the advance care plan.
              panels={<PersonTeamWork personId={id} neighbourhoodId={me.user?.neighbourhoodId ?? ''} />}
            />
          </>
        ) : (
          <PersonSummaryView key={id} personId={id} />
        ))}
    </section>
  );
};
