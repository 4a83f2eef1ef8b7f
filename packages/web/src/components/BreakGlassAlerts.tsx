/**
 * Break-glass alerts for admins (the Audit log page): every grant a care professional made to see a
 * record without a care relationship, newest first, with their reason, live ones marked. The
 * person is the pseudonymous id only (admins never see who it is); "Their access" filters the audit
 * log to that person, to review what was looked at.
 */
import { useState } from 'react';
import { identityApi } from '../identity-api.js';
import { Problem, TableHead, useLoad } from './common.js';

const when = (iso: string) => iso.replace('T', ' ').slice(0, 16);

export const BreakGlassAlerts = ({ onPerson }: { onPerson: (personId: string) => void }) => {
  const [refresh, setRefresh] = useState(0);
  const alerts = useLoad(`break-glass:${refresh}`, () => identityApi.alerts());
  const live = alerts.data?.alerts.filter((a) => a.live).length ?? 0;
  return (
    <section className="panel" aria-labelledby="break-glass-alerts" data-testid="break-glass-alerts">
      <h2 id="break-glass-alerts">
        Break-glass alerts{' '}
        {live > 0 && (
          <span className="badge warning" title="grants still running">
            {live} live
          </span>
        )}
      </h2>
      <p>
        Care professionals who opened a record without a care relationship, with the reason they gave (each grant lasts four hours). Review
        each one: the person's audit trail shows what was looked at.
      </p>
      {alerts.error && <Problem error={alerts.error} />}
      {alerts.data &&
        (alerts.data.alerts.length === 0 ? (
          <p>No one has broken glass.</p>
        ) : (
          <table>
            <TableHead columns={['When (UTC)', 'Who', 'Neighbourhood', 'Person', 'Reason', 'Until', '']} />
            <tbody>
              {alerts.data.alerts.map((a) => (
                <tr key={a.id} className={a.live ? 'refused' : ''} data-testid="break-glass-alert">
                  <td>{when(a.grantedAt)}</td>
                  <td>{a.userEmail}</td>
                  <td>{a.neighbourhoodId ?? ''}</td>
                  <td>{a.personId}</td>
                  <td>{a.reason}</td>
                  <td>
                    {when(a.expiresAt)}
                    {a.live ? ' (live)' : ''}
                  </td>
                  <td>
                    <button type="button" className="secondary" onClick={() => onPerson(a.personId)}>
                      Their access
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <button type="button" className="secondary" onClick={() => setRefresh((n) => n + 1)}>
        Refresh alerts
      </button>
    </section>
  );
};
