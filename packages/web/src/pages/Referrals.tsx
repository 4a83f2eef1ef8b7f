/**
 * Social prescribing referrals: the neighbourhood team's caseload (its own residents only) or, for
 * analysts, any neighbourhood's. Each referral moves along its path (referred, accepted, attending,
 * completed; or declined, did not attend, withdrawn) with the person's ONS4 wellbeing before and
 * after. Person-level: every view and change is audited, and the page says so.
 */
import { useState } from 'react';
import { api, type Me, type Ons4, type ReferralT, type ReferralsResponse } from '../api.js';
import { CsvButton, NeighbourhoodSelect, Problem, Toolbar, useLoad } from '../components/common.js';
import { HistoryDetails } from '../components/history.js';
import { Ons4Inputs, ReferralStatusBadge } from '../components/care.js';
import { ConflictNotice, saveOrConflict } from '../components/delivery.js';

const fmtOns4 = (w: Ons4 | null) => (w ? `${w.lifeSatisfaction} / ${w.worthwhile} / ${w.happiness} / ${w.anxiety}` : '–');

const Progress = ({ r, data, onSaved, onConflict }: { r: ReferralT; data: ReferralsResponse; onSaved: () => void; onConflict: (m: string) => void }) => {
  const [to, setTo] = useState<string | null>(null);
  const [after, setAfter] = useState<Ons4 | null>(null);
  const [error, setError] = useState<string | null>(null);
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
  const asksAfter = to === 'attending' || to === 'completed';
  const save = async () => {
    setError(null);
    try {
      if (await saveOrConflict(() => api.updateReferral(r.id, { status: to, ...(asksAfter && after ? { wellbeingAfter: after } : {}), version: r.version }), onConflict)) onSaved();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="panel" data-testid={`progress-${r.id}`}>
      <p>
        Mark as <strong>{label(to)}</strong>
      </p>
      {asksAfter && <Ons4Inputs value={after} onChange={setAfter} legend="Wellbeing now (follow-up)" />}
      <div className="toolbar">
        <button type="button" onClick={save}>
          Save
        </button>
        <button type="button" className="secondary" onClick={() => setTo(null)}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
};

export const ReferralsPage = ({ me }: { me: Me }) => {
  const [status, setStatus] = useState('');
  const [neighbourhood, setNeighbourhood] = useState('');
  const [person, setPerson] = useState('');
  const [reload, setReload] = useState(0);
  const [conflict, setConflict] = useState<string | null>(null);
  const analyst = me.role === 'analyst';
  const geography = useLoad('geography', api.geography);
  const list = useLoad(`referrals:${status}:${neighbourhood}:${person}:${reload}`, () => api.referrals({ status, neighbourhood: analyst ? neighbourhood : undefined, person: /^\d{1,18}$/.test(person) ? person : undefined }));
  const refresh = () => setReload((n) => n + 1);
  const data = list.data;
  return (
    <>
      <h1>Social prescribing referrals</h1>
      <p className="lead">
        {me.role === 'neighbourhood' ? `Referrals for residents of ${me.user?.neighbourhoodId ?? 'your neighbourhood'}: record how each goes.` : 'Referrals in any neighbourhood (read only).'}
      </p>
      <p className="notice" data-testid="audit-note">
        Access is audited: every view of this list and every change is recorded with your name. Refer people from the <a href="#/directory">directory</a>.
      </p>
      <div className="controls">
        <div className="field">
          <label htmlFor="referral-status">Status</label>{' '}
          <select id="referral-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any</option>
            {data?.statuses.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        {analyst && <NeighbourhoodSelect id="referral-neighbourhood" value={neighbourhood} onChange={setNeighbourhood} neighbourhoods={geography.data?.neighbourhoods} />}
        <div className="field">
          <label htmlFor="referral-person">Person id</label> <input id="referral-person" className="short" inputMode="numeric" value={person} onChange={(e) => setPerson(e.target.value.replace(/\D/g, ''))} />
        </div>
      </div>
      {conflict && <ConflictNotice message={conflict} reloadLabel="Reload the referrals" onReload={() => (setConflict(null), refresh())} />}
      {list.error && <Problem error={list.error} />}
      {list.loading && <p className="loading">Loading…</p>}
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
          <div className="table-scroll">
            <table data-testid="referrals-table">
              <caption>Newest first. Wellbeing: life satisfaction / worthwhile / happiness / anxiety (0-10).</caption>
              <thead>
                <tr>
                  <th scope="col">Referral</th>
                  <th scope="col">Person</th>
                  <th scope="col">Service and reason</th>
                  <th scope="col">Status</th>
                  <th scope="col">Wellbeing before → after</th>
                  {me.role === 'neighbourhood' && <th scope="col">Record progress</th>}
                </tr>
              </thead>
              <tbody>
                {data.referrals.map((r) => (
                  <tr key={r.id} data-testid={`referral-${r.id}`}>
                    <th scope="row">
                      {r.id}
                      <div className="note">
                        {r.referredAt.slice(0, 10)}, {r.referredBy}
                      </div>
                    </th>
                    <td>
                      <a href={`#/person?id=${encodeURIComponent(r.personId)}`}>{r.personId}</a>
                      <div className="note">{r.neighbourhoodId}</div>
                    </td>
                    <td>
                      {r.serviceName}
                      <div className="note">{r.reasonLabel}</div>
                    </td>
                    <td>
                      <ReferralStatusBadge status={r.status} label={r.statusLabel} />
                      <HistoryDetails loadKey={`referral-history:${r.id}`} load={() => api.referralHistory(r.id)} describe={(v) => String(v.status)} />
                    </td>
                    <td>
                      {fmtOns4(r.wellbeingBefore)} → {fmtOns4(r.wellbeingAfter)}
                    </td>
                    {me.role === 'neighbourhood' && (
                      <td>
                        <Progress r={r} data={data} onSaved={refresh} onConflict={setConflict} />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
};
