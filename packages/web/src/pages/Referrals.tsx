/**
 * Social prescribing referrals: the neighbourhood team's (those it made for people it has a care
 * relationship with, and those imported for its residents) or, for analysts, any neighbourhood's. Each referral moves along its path (referred, accepted, attending,
 * completed; or declined, did not attend, withdrawn) with the person's ONS4 wellbeing before and
 * after. Person-level: every view and change is audited, and the page says so.
 */
import { useState } from 'react';
import { api, type Me, type Ons4, type ReferralT, type ReferralsResponse } from '../api.js';
import { CsvButton, ErrorText, NeighbourhoodSelect, Noted, PersonLink, Problem, SelectField, Toolbar, useLoad, useSubmit } from '../components/common.js';
import { HistoryDetails } from '../components/history.js';
import { Ons4Inputs, ReferralStatusBadge } from '../components/care.js';
import { saveOrConflict } from '../components/delivery.js';
import { RegisterTable, useRegister, type Column } from '../components/register.js';
import { fmtOns4 } from '../format.js';

/** The statuses that ask for the person's wellbeing again (the follow-up score). */
const ASKS_AFTER = new Set(['attending', 'completed']);

const Progress = ({ r, data, onSaved, onConflict }: { r: ReferralT; data: ReferralsResponse; onSaved: () => void; onConflict: (m: string) => void }) => {
  const [to, setTo] = useState<string | null>(null);
  const [after, setAfter] = useState<Ons4 | null>(null);
  const asksAfter = to !== null && ASKS_AFTER.has(to);
  const { submit, error } = useSubmit(async () => {
    if (to === null) return;
    if (await saveOrConflict(() => api.updateReferral(r.id, { status: to, ...(asksAfter && after ? { wellbeingAfter: after } : {}), version: r.version }), onConflict)) onSaved();
  });
  const label = (id: string) => data.statuses.find((s) => s.id === id)?.label ?? id;
  if (r.nextStatuses.length === 0) return <span className="note">Closed</span>;
  if (to === null) {
    return (
      <div className="toolbar">
        {r.nextStatuses.map((s) => (
          <button key={s} type="button" className="secondary small" onClick={() => setTo(s)} aria-label={`Mark referral ${r.id} as ${label(s).toLowerCase()}`}>
            {label(s)}
          </button>
        ))}
      </div>
    );
  }
  return (
    <div className="panel" data-testid={`progress-${r.id}`}>
      <p>
        Mark as <strong>{label(to)}</strong>
      </p>
      {asksAfter && <Ons4Inputs value={after} onChange={setAfter} legend="Wellbeing now (follow-up)" />}
      <div className="toolbar">
        <button type="button" onClick={() => submit()}>
          Save
        </button>
        <button type="button" className="secondary" onClick={() => setTo(null)}>
          Cancel
        </button>
      </div>
      <ErrorText message={error} />
    </div>
  );
};

export const ReferralsPage = ({ me }: { me: Me }) => {
  const [status, setStatus] = useState('');
  const [neighbourhood, setNeighbourhood] = useState('');
  const [person, setPerson] = useState('');
  const analyst = me.role === 'analyst';
  const team = me.role === 'neighbourhood';
  const geography = useLoad('geography', api.geography);
  const register = useRegister(`referrals:${status}:${neighbourhood}:${person}`, () =>
    api.referrals({ status, neighbourhood: analyst ? neighbourhood : undefined, person: /^\d{1,18}$/.test(person) ? person : undefined }),
  );
  const { refresh, setConflict } = register;
  const data = register.data;
  const columns: readonly (Column<ReferralT> | false)[] = [
    {
      heading: 'Referral',
      header: true,
      cell: (r) => (
        <Noted
          note={
            <>
              {r.referredAt.slice(0, 10)}, {r.referredBy}
            </>
          }
        >
          {r.id}
        </Noted>
      ),
    },
    { heading: 'Person', cell: (r) => <Noted note={r.neighbourhoodId}><PersonLink id={r.personId} /></Noted> },
    { heading: 'Service and reason', cell: (r) => <Noted note={r.reasonLabel}>{r.serviceName}</Noted> },
    {
      heading: 'Status',
      cell: (r) => (
        <>
          <ReferralStatusBadge status={r.status} label={r.statusLabel} />
          <HistoryDetails loadKey={`referral-history:${r.id}`} load={() => api.referralHistory(r.id)} describe={(v) => String(v.status)} />
        </>
      ),
    },
    {
      heading: 'Wellbeing before → after',
      cell: (r) => (
        <>
          {fmtOns4(r.wellbeingBefore)} → {fmtOns4(r.wellbeingAfter)}
        </>
      ),
    },
    team && { heading: 'Record progress', cell: (r) => data && <Progress r={r} data={data} onSaved={refresh} onConflict={setConflict} /> },
  ];
  return (
    <>
      <h1>Social prescribing referrals</h1>
      <p className="lead">{team ? `Referrals of the ${me.user?.neighbourhoodId ?? 'neighbourhood'} team: record how each goes.` : 'Referrals in any neighbourhood (read only).'}</p>
      <p className="notice" data-testid="audit-note">
        Access is audited: every view of this list and every change is recorded with your name. Refer people from the <a href="#/directory">directory</a>.
      </p>
      <div className="controls">
        <SelectField id="referral-status" label="Status" value={status} onChange={setStatus} items={data?.statuses} any="Any" />
        {analyst && <NeighbourhoodSelect id="referral-neighbourhood" value={neighbourhood} onChange={setNeighbourhood} neighbourhoods={geography.data?.neighbourhoods} />}
        <div className="field">
          <label htmlFor="referral-person">Person id</label> <input id="referral-person" className="short" inputMode="numeric" value={person} onChange={(e) => setPerson(e.target.value.replace(/\D/g, ''))} />
        </div>
      </div>
      {register.conflictNotice('Reload the referrals')}
      {register.error && <Problem error={register.error} />}
      {register.loading && <p className="loading">Loading…</p>}
      {data && (
        <>
          <Toolbar>
            <p data-testid="referral-count">
              {data.referrals.length} referral{data.referrals.length === 1 ? '' : 's'}
            </p>
            <CsvButton
              filename={`referrals${data.neighbourhood ? `-${data.neighbourhood}` : ''}.csv`}
              columns={['id', 'person_id', 'neighbourhood', 'service', 'reason', 'status', 'referred_at', 'referred_by', 'wellbeing_before', 'wellbeing_after']}
              rows={() => data.referrals.map((r) => [r.id, r.personId, r.neighbourhoodId, r.serviceName, r.reasonLabel, r.statusLabel, r.referredAt, r.referredBy, fmtOns4(r.wellbeingBefore), fmtOns4(r.wellbeingAfter)])}
            />
          </Toolbar>
          <RegisterTable
            testId="referrals-table"
            caption="Newest first. Wellbeing: life satisfaction / worthwhile / happiness / anxiety (0-10)."
            columns={columns}
            rows={data.referrals}
            rowKey={(r) => r.id}
            rowTestId={(r) => `referral-${r.id}`}
          />
        </>
      )}
    </>
  );
};
