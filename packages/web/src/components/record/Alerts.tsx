/**
 * Alerts on a person, first on the record: safeguarding, lone-worker risk, communication needs and
 * the like, with who raised them and when. The team raises one, moves its review date or ends it;
 * an alert is never deleted (its history stays).
 */
import { useState } from 'react';
import { api, type PersonAlert } from '../../api.js';
import { fmtDate } from '../../format.js';
import { FormFooter, Options, useSubmit } from '../common.js';
import { OverdueBadge } from '../register.js';

const KINDS = [
  { id: 'safeguarding', label: 'Safeguarding' },
  { id: 'lone-worker', label: 'Lone-worker risk' },
  { id: 'communication', label: 'Communication needs' },
  { id: 'access', label: 'Access to the home' },
  { id: 'infection', label: 'Infection control' },
  { id: 'other', label: 'Other' },
];

const RaiseAlertForm = ({ personId, today, onDone, onCancel }: { personId: string; today: string; onDone: () => void; onCancel: () => void }) => {
  const [kind, setKind] = useState('lone-worker');
  const [text, setText] = useState('');
  const [startsOn, setStartsOn] = useState(today);
  const [reviewOn, setReviewOn] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    await api.raiseAlert(personId, { kind, text, startsOn, reviewOn: reviewOn || null });
    onDone();
  });
  return (
    <form className="form grid-form no-print" onSubmit={submit} aria-label="Raise an alert">
      <label htmlFor="alert-kind">Kind of alert</label>
      <select id="alert-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
        <Options items={KINDS} />
      </select>
      <label htmlFor="alert-text">What a visitor or caller needs to know</label>
      <textarea id="alert-text" rows={2} value={text} onChange={(e) => setText(e.target.value)} required maxLength={500} />
      <label htmlFor="alert-starts">From</label>
      <input id="alert-starts" type="date" value={startsOn} onChange={(e) => setStartsOn(e.target.value)} required />
      <label htmlFor="alert-review">Review by (optional)</label>
      <input id="alert-review" type="date" value={reviewOn} onChange={(e) => setReviewOn(e.target.value)} />
      <FormFooter submitLabel="Raise the alert" onCancel={onCancel} error={error} busy={busy} />
    </form>
  );
};

const EndAlert = ({ personId, alert, onDone }: { personId: string; alert: PersonAlert; onDone: () => void }) => {
  const { submit, error, busy } = useSubmit(async () => {
    await api.changeAlert(personId, alert.id, { status: 'ended', version: alert.version });
    onDone();
  });
  return (
    <>
      <button type="button" className="secondary small no-print" disabled={busy} onClick={() => void submit()} aria-label={`End the alert: ${alert.kindLabel}`}>
        End
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </>
  );
};

export const AlertsSection = ({ personId, alerts, today, onChanged }: { personId: string; alerts: readonly PersonAlert[]; today: string; onChanged: () => void }) => {
  const [adding, setAdding] = useState(false);
  const [showEnded, setShowEnded] = useState(false);
  const current = alerts.filter((a) => a.status === 'active');
  const ended = alerts.filter((a) => a.status === 'ended');
  return (
    <div data-testid="record-alerts">
      {current.length === 0 ? (
        <p>No alerts.</p>
      ) : (
        <ul className="alerts">
          {current.map((a) => (
            <li key={a.id} className={a.inForce ? 'alert in-force' : 'alert'}>
              <strong>{a.kindLabel}:</strong> {a.text}{' '}
              <span className="note">
                {a.inForce ? `since ${fmtDate(a.startsOn)}` : `from ${fmtDate(a.startsOn)}`}; raised by {a.createdBy} on {fmtDate(a.createdAt.slice(0, 10))}
                {a.reviewOn ? `; review by ${fmtDate(a.reviewOn)}` : ''}
              </span>{' '}
              {a.reviewDue && <OverdueBadge label="Review due" />} <EndAlert personId={personId} alert={a} onDone={onChanged} />
            </li>
          ))}
        </ul>
      )}
      {ended.length > 0 && (
        <p className="no-print">
          <button type="button" className="secondary small" onClick={() => setShowEnded((x) => !x)} aria-expanded={showEnded}>
            {showEnded ? 'Hide' : 'Show'} {ended.length} ended {ended.length === 1 ? 'alert' : 'alerts'}
          </button>
        </p>
      )}
      {showEnded && (
        <ul className="note">
          {ended.map((a) => (
            <li key={a.id}>
              {a.kindLabel}: {a.text} (raised by {a.createdBy}, ended by {a.updatedBy} on {fmtDate(a.updatedAt.slice(0, 10))})
            </li>
          ))}
        </ul>
      )}
      {adding ? (
        <RaiseAlertForm personId={personId} today={today} onCancel={() => setAdding(false)} onDone={() => (setAdding(false), onChanged())} />
      ) : (
        <button type="button" className="secondary no-print" onClick={() => setAdding(true)}>
          Raise an alert
        </button>
      )}
    </div>
  );
};
