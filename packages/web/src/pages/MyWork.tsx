/**
 * My work: what is new for me (notifications: tasks assigned to me, referrals to my service and
 * their decisions, notes on people I am key worker for, reviews that have come) and my tasks, with
 * the team's tasks nobody has taken. Care professionals only; every list is audited.
 */
import { useState } from 'react';
import type { Me } from '../api.js';
import { teamApi, type NotificationT } from '../team-api.js';
import { ErrorText, Problem, SelectField, Toolbar, useLoad } from '../components/common.js';
import { TaskTable } from '../components/team.js';

const Notifications = ({ onRead }: { onRead: () => void }) => {
  const [reload, setReload] = useState(0);
  const [unreadOnly, setUnreadOnly] = useState(true);
  const list = useLoad(`notifications:${unreadOnly}:${reload}`, () => teamApi.notifications(unreadOnly), true);
  const [error, setError] = useState<string | null>(null);
  const mark = async (ids: readonly number[] | 'all') => {
    setError(null);
    try {
      await teamApi.markRead(ids);
      setReload((n) => n + 1);
      onRead();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const items: readonly NotificationT[] = list.data?.notifications ?? [];
  return (
    <section className="panel" aria-labelledby="notifications-heading" data-testid="notifications">
      <h2 id="notifications-heading">What is new {list.data && <span className="badge">{list.data.unread} unread</span>}</h2>
      <Toolbar>
        <label>
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} /> Unread only
        </label>
        {list.data && list.data.unread > 0 && (
          <button type="button" className="secondary small" onClick={() => void mark('all')}>
            Mark all read
          </button>
        )}
      </Toolbar>
      <ErrorText message={error} />
      {list.error && <Problem error={list.error} />}
      {list.data && items.length === 0 && <p className="note">Nothing new.</p>}
      <ul className="notifications">
        {items.map((n) => (
          <li key={n.id} data-testid={`notification-${n.kind}`} className={n.readAt ? 'read' : 'unread'}>
            <span className="note">
              {n.kindLabel}, {new Date(n.createdAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}
            </span>
            <div>
              <a href={n.link} onClick={() => !n.readAt && void mark([n.id])}>
                {n.summary}
              </a>{' '}
              {!n.readAt && (
                <button type="button" className="secondary small" onClick={() => void mark([n.id])} aria-label={`Mark read: ${n.summary}`}>
                  Mark read
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
};

const STATUS = [
  { id: 'open', label: 'Open' },
  { id: 'done', label: 'Done' },
  { id: 'cancelled', label: 'Cancelled' },
  { id: 'all', label: 'All' },
];
const DUE = [
  { id: 'today', label: 'Overdue or due today' },
  { id: 'week', label: 'Due within the week' },
  { id: 'overdue', label: 'Overdue' },
];

export const MyWorkPage = ({ me, onNotificationsRead }: { me: Me; onNotificationsRead?: () => void }) => {
  const [status, setStatus] = useState('open');
  const [due, setDue] = useState('');
  const [reload, setReload] = useState(0);
  const refresh = () => setReload((n) => n + 1);
  const mine = useLoad(`my-tasks:${status}:${due}:${reload}`, () => teamApi.tasks({ assignee: 'me', status, due }), true);
  const unassigned = useLoad(`team-unassigned:${reload}`, () => teamApi.tasks({ assignee: 'unassigned' }), true);
  return (
    <section>
      <h1>My work</h1>
      <p className="lead">
        {me.user?.displayName}, {me.user?.neighbourhoodId} team.
      </p>
      <p className="notice" data-testid="audit-note">
        Access is audited: every list and change is recorded with your name.
      </p>
      <Notifications onRead={() => onNotificationsRead?.()} />
      <section className="panel" aria-labelledby="my-tasks-heading">
        <h2 id="my-tasks-heading">My tasks</h2>
        <div className="controls">
          <SelectField id="my-tasks-status" label="Show" value={status} onChange={setStatus} items={STATUS} inline />
          <SelectField id="my-tasks-due" label="Due" value={due} onChange={setDue} items={DUE} any="Any time" inline />
        </div>
        {mine.error && <Problem error={mine.error} />}
        {mine.data && <TaskTable tasks={mine.data.tasks} onChanged={refresh} testId="my-tasks" caption="Tasks assigned to me: soonest due first" />}
      </section>
      <section className="panel" aria-labelledby="team-tasks-heading">
        <h2 id="team-tasks-heading">The team’s unassigned tasks</h2>
        {unassigned.error && <Problem error={unassigned.error} />}
        {unassigned.data && <TaskTable tasks={unassigned.data.tasks} onChanged={refresh} testId="team-tasks" caption="Open tasks nobody has taken yet" />}
      </section>
    </section>
  );
};
