import { useState, type FormEvent } from 'react';
import { ROLE_LABEL } from '@openphm/api-contract';
import { ACCOUNT_ROLES, PERSON_LEVEL_ROLES, type AccountRole } from '@openphm/core';
import { api, type AccountT, type DirectoryService, type Me, type RoleRequestT } from '../api.js';
import { ErrorText, Problem, useLoad } from '../components/common.js';

/** Roles whose grant waits for a second admin (the server decides; this only says so beforehand). */
const NEEDS_APPROVAL: readonly string[] = [...PERSON_LEVEL_ROLES, 'admin'];

const roleText = (role: AccountRole, neighbourhoodId: string | null) => `${ROLE_LABEL[role]}${neighbourhoodId ? ` (${neighbourhoodId})` : ''}`;
const when = (iso: string) => iso.replace('T', ' ').slice(0, 16);

/** A role, and a neighbourhood for the neighbourhood role. */
const RoleFields = ({
  id,
  role,
  neighbourhood,
  onRole,
  onNeighbourhood,
  neighbourhoods,
}: {
  id: string;
  role: string;
  neighbourhood: string;
  onRole: (r: string) => void;
  onNeighbourhood: (n: string) => void;
  neighbourhoods: readonly { id: string; name: string }[];
}) => (
  <>
    <label htmlFor={`${id}-role`}>Role</label>
    <select id={`${id}-role`} value={role} onChange={(e) => onRole(e.target.value)}>
      {ACCOUNT_ROLES.map((r) => (
        <option key={r} value={r}>
          {ROLE_LABEL[r]}
        </option>
      ))}
    </select>
    {role === 'neighbourhood' && (
      <>
        <label htmlFor={`${id}-neighbourhood`}>Neighbourhood</label>
        <select id={`${id}-neighbourhood`} value={neighbourhood} onChange={(e) => onNeighbourhood(e.target.value)} required>
          <option value="">Choose…</option>
          {neighbourhoods.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name}
            </option>
          ))}
        </select>
      </>
    )}
  </>
);

/** The names of services (the directory's, or the id of one no longer in it), for the accounts table. */
const serviceNames = (ids: readonly string[], directory: ReadonlyMap<string, DirectoryService>): string =>
  ids.map((id) => directory.get(id)?.name ?? id).join(', ');

/**
 * Which directory services a care professional works for: their service inbox, who is told of a
 * referral, and a care relationship with the people referred there. Picked from the directory
 * (inactive services marked), narrowed by typing.
 */
const ServicesEditor = ({
  account,
  directory,
  onSave,
  onCancel,
}: {
  account: AccountT;
  directory: readonly DirectoryService[];
  onSave: (serviceIds: string[]) => void;
  onCancel: () => void;
}) => {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(account.serviceIds));
  const [filter, setFilter] = useState('');
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = directory.filter((s) => chosen.has(s.id) || words.every((w) => `${s.name} ${s.organisation.name} ${s.id}`.toLowerCase().includes(w)));
  const toggle = (id: string) => setChosen((c) => (c.has(id) ? new Set([...c].filter((x) => x !== id)) : new Set([...c, id])));
  return (
    <fieldset className="form services-editor" data-testid={`services-editor-${account.id}`}>
      <legend>Services {account.email} works for</legend>
      <p className="note">Their service inbox holds these services' referrals (from every neighbourhood), and they may see the people referred to them. None: their inbox is their team's.</p>
      <label htmlFor={`services-filter-${account.id}`}>Find a service</label>
      <input id={`services-filter-${account.id}`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Name or organisation" />
      <ul className="checklist">
        {shown.map((s) => (
          <li key={s.id}>
            <label>
              <input type="checkbox" checked={chosen.has(s.id)} onChange={() => toggle(s.id)} /> {s.name}{' '}
              <span className="note">
                ({s.organisation.name}
                {s.status === 'inactive' ? ', inactive' : ''})
              </span>
            </label>
          </li>
        ))}
        {shown.length === 0 && <li className="note">No service matches.</li>}
      </ul>
      <button type="button" onClick={() => onSave([...chosen].sort())}>
        Save services
      </button>{' '}
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
    </fieldset>
  );
};

/** Accounts for administrators: list, create, disable and enable, change role, lift lock-outs; person-level and admin grants wait for a second admin. */
export const AccountsPage = ({ me }: { me: Me }) => {
  const [refresh, setRefresh] = useState(0);
  const view = useLoad(`accounts:${refresh}`, () => api.accounts(), true);
  const geography = useLoad('geography', () => api.geography());
  const neighbourhoods = geography.data?.neighbourhoods.map((n) => ({ id: n.id, name: n.name })) ?? [];
  const directory = useLoad('directory:all', () => api.directory({ inactive: 'true' }));
  const services = directory.data?.services ?? [];
  const serviceById = new Map(services.map((s) => [s.id, s]));
  const [editingServices, setEditingServices] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ email: '', displayName: '', password: '', role: 'board', neighbourhoodId: '' });
  const [editing, setEditing] = useState<{ id: number; role: string; neighbourhoodId: string } | null>(null);

  const act = async (what: () => Promise<string>) => {
    setError(null);
    setMessage(null);
    try {
      setMessage(await what());
      setRefresh((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const pendingText = (r: RoleRequestT) => `Request ${r.id}: ${r.email} as ${roleText(r.role, r.neighbourhoodId)} waits for a second admin's approval.`;

  const create = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const { neighbourhoodId, ...rest } = form;
      const result = await api.createAccount({ ...rest, ...(form.role === 'neighbourhood' ? { neighbourhoodId } : {}) });
      setForm({ email: '', displayName: '', password: '', role: 'board', neighbourhoodId: '' });
      return result.status === 'created' ? `Created ${result.account.email}.` : pendingText(result.request);
    });
  };
  const saveRole = (a: AccountT) => {
    if (!editing) return;
    void act(async () => {
      const result = await api.changeRole(a.id, editing.role, editing.role === 'neighbourhood' ? editing.neighbourhoodId : undefined);
      setEditing(null);
      return result.status === 'changed' ? `${a.email} is now ${roleText(result.account.role, result.account.neighbourhoodId)}.` : pendingText(result.request);
    });
  };

  const saveServices = (a: AccountT, serviceIds: string[]) =>
    void act(async () => {
      const saved = await api.setAccountServices(a.id, serviceIds);
      setEditingServices(null);
      return saved.serviceIds.length === 0
        ? `${saved.email} works for no service: their inbox is their team's.`
        : `${saved.email} works for ${serviceNames(saved.serviceIds, serviceById)}.`;
    });

  const data = view.data;
  const pending = data?.requests.filter((r) => r.status === 'pending') ?? [];
  const decided = data?.requests.filter((r) => r.status !== 'pending') ?? [];
  const lockoutOf = (email: string) => data?.lockouts.find((l) => l.kind === 'account' && l.key === email);

  return (
    <section>
      <h1>Accounts</h1>
      <p>
        Granting a role that sees person-level records (analyst, neighbourhood team) or administers accounts needs a second administrator: it waits below until another admin approves it. Every action here
        is in the audit log.
      </p>
      <p>
        <strong>Services</strong>: the directory services a care professional works for. Their service inbox holds those services' referrals, they are told when one arrives, and they may see the people
        referred there (a care relationship).
      </p>
      {message && (
        <p role="status" data-testid="accounts-message">
          {message}
        </p>
      )}
      <ErrorText message={error} />
      {view.error && <Problem error={view.error} />}

      <h2>Waiting for a second admin</h2>
      {pending.length === 0 ? (
        <p>Nothing is waiting.</p>
      ) : (
        <table data-testid="pending-requests">
          <thead>
            <tr>
              {['Request', 'Account', 'Role asked for', 'Asked by', 'When', ''].map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {pending.map((r) => {
              const own = r.requestedBy === me.user?.id;
              return (
                <tr key={r.id}>
                  <td>{r.id}</td>
                  <td>
                    {r.email} {r.kind === 'create' ? '(new)' : ''}
                  </td>
                  <td>{roleText(r.role, r.neighbourhoodId)}</td>
                  <td>{r.requestedByEmail}</td>
                  <td>{when(r.requestedAt)}</td>
                  <td>
                    {own ? (
                      <>
                        <span className="note">Another admin must approve this. </span>
                        <button type="button" className="secondary" onClick={() => act(async () => (await api.rejectRequest(r.id), `Withdrew request ${r.id}.`))}>
                          Withdraw
                        </button>
                      </>
                    ) : (
                      <>
                        <button type="button" onClick={() => act(async () => (await api.approveRequest(r.id), `Approved request ${r.id}: ${r.email} is ${roleText(r.role, r.neighbourhoodId)}.`))}>
                          Approve
                        </button>{' '}
                        <button type="button" className="secondary" onClick={() => act(async () => (await api.rejectRequest(r.id), `Rejected request ${r.id}.`))}>
                          Reject
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2>Accounts</h2>
      {data && (
        <table data-testid="accounts-table">
          <thead>
            <tr>
              {['Email', 'Name', 'Role', 'Services', 'Sign-in', 'Two-step', 'Status', ''].map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.accounts.map((a) => {
              const lock = lockoutOf(a.email);
              return (
                <tr key={a.id} data-email={a.email} className={a.disabled ? 'refused' : ''}>
                  <td>{a.email}</td>
                  <td>{a.displayName}</td>
                  <td>
                    {editing?.id === a.id ? (
                      <span className="form inline">
                        <RoleFields
                          id={`edit-${a.id}`}
                          role={editing.role}
                          neighbourhood={editing.neighbourhoodId}
                          onRole={(role) => setEditing({ ...editing, role })}
                          onNeighbourhood={(neighbourhoodId) => setEditing({ ...editing, neighbourhoodId })}
                          neighbourhoods={neighbourhoods}
                        />
                        <button type="button" onClick={() => saveRole(a)}>
                          {NEEDS_APPROVAL.includes(editing.role) || a.role === 'admin' ? 'Ask for approval' : 'Save role'}
                        </button>
                        <button type="button" className="secondary" onClick={() => setEditing(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      roleText(a.role, a.neighbourhoodId)
                    )}
                  </td>
                  <td data-testid="account-services">
                    {editingServices === a.id ? (
                      <ServicesEditor account={a} directory={services} onSave={(ids) => saveServices(a, ids)} onCancel={() => setEditingServices(null)} />
                    ) : a.role === 'neighbourhood' || a.serviceIds.length > 0 ? (
                      <>
                        {a.serviceIds.length === 0 ? <span className="note">None (the team's inbox)</span> : serviceNames(a.serviceIds, serviceById)}{' '}
                        {a.role === 'neighbourhood' ? (
                          <button type="button" className="secondary small" onClick={() => setEditingServices(a.id)} disabled={directory.data === undefined} aria-label={`Change the services ${a.email} works for`}>
                            Change services
                          </button>
                        ) : (
                          <button type="button" className="secondary small" onClick={() => saveServices(a, [])} aria-label={`Clear the services of ${a.email}`}>
                            Clear (not a care professional)
                          </button>
                        )}
                      </>
                    ) : (
                      <span className="note">–</span>
                    )}
                  </td>
                  <td>{a.signIn === 'local' ? 'Local' : 'Single sign-on'}</td>
                  <td>{a.totp ? 'TOTP' : a.signIn === 'local' ? 'none' : 'provider'}</td>
                  <td>{[a.disabled ? 'disabled' : 'active', a.locked ? 'locked out' : ''].filter(Boolean).join(', ')}</td>
                  <td>
                    {a.id !== me.user?.id && (
                      <button type="button" className="secondary" onClick={() => act(async () => `${(await api.setAccountDisabled(a.id, !a.disabled)).disabled ? 'Disabled' : 'Enabled'} ${a.email}.`)}>
                        {a.disabled ? 'Enable' : 'Disable'}
                      </button>
                    )}{' '}
                    {a.signIn === 'local' && editing?.id !== a.id && (
                      <button type="button" className="secondary" onClick={() => setEditing({ id: a.id, role: a.role, neighbourhoodId: a.neighbourhoodId ?? '' })}>
                        Change role
                      </button>
                    )}{' '}
                    {a.totp && (
                      <button type="button" className="secondary" onClick={() => act(async () => (await api.resetTotp(a.id), `Reset two-step log-in of ${a.email}.`))}>
                        Reset TOTP
                      </button>
                    )}{' '}
                    {lock && (
                      <button type="button" onClick={() => act(async () => (await api.liftLockout(lock.id), `Lifted the lock-out of ${a.email}.`))}>
                        Lift lock-out
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2>Lock-outs</h2>
      {data && data.lockouts.length === 0 ? (
        <p>No email or address is locked out.</p>
      ) : (
        <table data-testid="lockouts-table">
          <thead>
            <tr>
              {['Locked', 'Email or address', 'Failed log-ins', 'Since', ''].map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data?.lockouts.map((l) => (
              <tr key={l.id}>
                <td>{l.kind === 'account' ? 'Email' : 'Address'}</td>
                <td>{l.key}</td>
                <td>{l.failures}</td>
                <td>{when(l.lockedAt)}</td>
                <td>
                  <button type="button" onClick={() => act(async () => (await api.liftLockout(l.id), `Lifted the lock-out of ${l.key}.`))}>
                    Lift
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>New local account</h2>
      <form className="form" onSubmit={create} aria-label="New local account">
        <label htmlFor="new-email">Email</label>
        <input id="new-email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} required />
        <label htmlFor="new-name">Name</label>
        <input id="new-name" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} required />
        <label htmlFor="new-password">Password</label>
        <input id="new-password" type="password" autoComplete="new-password" minLength={10} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required />
        <RoleFields
          id="new"
          role={form.role}
          neighbourhood={form.neighbourhoodId}
          onRole={(role) => setForm({ ...form, role })}
          onNeighbourhood={(neighbourhoodId) => setForm({ ...form, neighbourhoodId })}
          neighbourhoods={neighbourhoods}
        />
        <p className="note">{NEEDS_APPROVAL.includes(form.role) ? 'This role needs a second admin: the account is created when another admin approves it.' : 'Created at once.'}</p>
        <button type="submit">{NEEDS_APPROVAL.includes(form.role) ? 'Ask for approval' : 'Create account'}</button>
      </form>

      {decided.length > 0 && (
        <>
          <h2>Decided requests</h2>
          <table data-testid="decided-requests">
            <thead>
              <tr>
                {['Request', 'Account', 'Role', 'Asked by', 'Decision', 'By', 'When'].map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {decided.map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td>
                  <td>{r.email}</td>
                  <td>{roleText(r.role, r.neighbourhoodId)}</td>
                  <td>{r.requestedByEmail}</td>
                  <td>
                    {r.status}
                    {r.reason ? `: ${r.reason}` : ''}
                  </td>
                  <td>{r.decidedByEmail}</td>
                  <td>{r.decidedAt ? when(r.decidedAt) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
};
