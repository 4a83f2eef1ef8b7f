/**
 * A service's inbox: the referrals it receives, those waiting for a decision first. The service
 * accepts one, or declines it with a reason (a note when "other"), once; the referrer is told.
 * Care professionals only; every view and decision is audited.
 */
import { useState } from 'react';
import type { Me } from '../api.js';
import { teamApi, type InboxReferralT, type InboxResponseT } from '../team-api.js';
import { ErrorText, Options, PersonLink, Problem, SelectField, useSubmit } from '../components/common.js';
import { ReferralStatusBadge } from '../components/care.js';
import { saveOrConflict } from '../components/delivery.js';
import { RegisterTable, useRegister, type Column } from '../components/register.js';
import { fmtDate } from '../format.js';

const Decide = ({ r, data, onSaved, onConflict }: { r: InboxReferralT; data: InboxResponseT; onSaved: () => void; onConflict: (m: string) => void }) => {
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState(data.declineReasons[0]?.id ?? 'not-eligible');
  const [note, setNote] = useState('');
  const decide = (decision: 'accept' | 'decline') => async () => {
    if (await saveOrConflict(() => teamApi.decide(r.id, { decision, reason: decision === 'decline' ? reason : null, note, version: r.version }), onConflict)) onSaved();
  };
  const accept = useSubmit(decide('accept'));
  const decline = useSubmit(decide('decline'));
  if (r.decision) {
    return (
      <span data-testid={`decision-${r.id}`}>
        {r.decision.decision === 'accepted' ? 'Accepted' : `Declined: ${r.decision.reasonLabel ?? ''}`}
        {r.decision.note && ` (${r.decision.note})`}
        <div className="note">
          {r.decision.decidedBy}, {fmtDate(r.decision.decidedAt.slice(0, 10))}
        </div>
      </span>
    );
  }
  if (!r.awaitsDecision) return <span className="note">Decided elsewhere</span>;
  if (!declining) {
    return (
      <span className="toolbar">
        <button type="button" className="small" onClick={() => void accept.submit()} aria-label={`Accept the referral of person ${r.personId} to ${r.serviceName}`}>
          Accept
        </button>
        <button type="button" className="secondary small" onClick={() => setDeclining(true)} aria-label={`Decline the referral of person ${r.personId} to ${r.serviceName}`}>
          Decline
        </button>
        <ErrorText message={accept.error} />
      </span>
    );
  }
  return (
    <form className="form" onSubmit={decline.submit} data-testid={`decline-${r.id}`}>
      <label htmlFor={`decline-reason-${r.id}`}>Why</label>{' '}
      <select id={`decline-reason-${r.id}`} value={reason} onChange={(e) => setReason(e.target.value)}>
        <Options items={data.declineReasons} />
      </select>{' '}
      <label htmlFor={`decline-note-${r.id}`}>Note</label>{' '}
      <input id={`decline-note-${r.id}`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} required={reason === 'other'} />{' '}
      <button type="submit" className="small">
        Decline
      </button>{' '}
      <button type="button" className="secondary small" onClick={() => setDeclining(false)}>
        Cancel
      </button>
      <ErrorText message={decline.error} />
    </form>
  );
};

export const InboxPage = ({ me }: { me: Me }) => {
  const [show, setShow] = useState<'waiting' | 'decided' | 'all'>('waiting');
  const register = useRegister(`inbox:${show}`, () => teamApi.inbox(show));
  const { data, refresh, setConflict } = register;
  const columns: readonly Column<InboxReferralT>[] = [
    { heading: 'Person', header: true, cell: (r) => <PersonLink id={r.personId} /> },
    { heading: 'Service', cell: (r) => r.serviceName },
    { heading: 'Reason', cell: (r) => r.reasonLabel },
    { heading: 'Referred', cell: (r) => <>{fmtDate(r.referredAt.slice(0, 10))}<div className="note">{r.referredBy}</div></> },
    { heading: 'Status', cell: (r) => <ReferralStatusBadge status={r.status} label={r.statusLabel} /> },
    { heading: 'Decision', cell: (r) => data && <Decide r={r} data={data} onSaved={refresh} onConflict={setConflict} /> },
  ];
  return (
    <section>
      <h1>Service inbox</h1>
      <p className="lead">Referrals to the services of the {me.user?.neighbourhoodId} team: accept them, or decline with a reason. The person who referred is told.</p>
      <p className="notice" data-testid="audit-note">
        Access is audited: every view and decision is recorded with your name.
      </p>
      <div className="controls">
        <SelectField
          id="inbox-show"
          label="Show"
          value={show}
          onChange={(v) => setShow(v === 'decided' || v === 'all' ? v : 'waiting')}
          items={[
            { id: 'waiting', label: 'Waiting for a decision' },
            { id: 'decided', label: 'Decided' },
            { id: 'all', label: 'All' },
          ]}
        />
      </div>
      {register.conflictNotice('Reload the inbox')}
      {register.error && <Problem error={register.error} />}
      {data && (
        <>
          <p data-testid="inbox-count">
            {data.waiting} {data.waiting === 1 ? 'referral waits' : 'referrals wait'} for a decision.
          </p>
          {data.referrals.length === 0 ? (
            <p className="note">No referrals here.</p>
          ) : (
            <RegisterTable testId="inbox-table" caption="Waiting for a decision first, then the newest" columns={columns} rows={data.referrals} rowKey={(r) => r.id} rowTestId={(r) => `inbox-${r.personId}`} />
          )}
        </>
      )}
    </section>
  );
};
