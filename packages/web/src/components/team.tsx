/**
 * A team that works together (docs/care-teams.md): pieces the pages share. Raising a task and
 * referring (from a worklist row or the person page), a list of tasks with their actions, the
 * person page's Tasks and Notes panels, a caseload row's "Record review" and "Change key worker",
 * and the unread count of the navigation. Every call is to the care zone: person-level, audited.
 */
import { useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import { teamApi, type NewTask, type NoteT, type TaskT, type TeamMember } from '../team-api.js';
import { fmtDate } from '../format.js';
import { ErrorText, FormFooter, Options, PersonLink, Problem, TableHead, useLoad, useSubmit } from './common.js';
import { saveOrConflict } from './delivery.js';
import { OverdueBadge } from './register.js';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The members of the signed-in user's team (loaded once per page). */
export const useTeam = () => useLoad('care-team', teamApi.team);

/** A select of the team's members, "The team (unassigned)" first. */
export const AssigneeSelect = ({ id, value, onChange, members, label = 'Assign to' }: { id: string; value: number | null; onChange: (v: number | null) => void; members: readonly TeamMember[] | undefined; label?: string }) => (
  <>
    <label htmlFor={id}>{label}</label>
    <select id={id} value={value === null ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}>
      <option value="">The team (unassigned)</option>
      {members?.map((m) => (
        <option key={m.id} value={m.id}>
          {m.displayName}
        </option>
      ))}
    </select>
  </>
);

/** The form that raises a task on a person (from a worklist, a plan review, an MDT, or by hand). */
export const RaiseTaskForm = ({
  personId,
  source = 'manual',
  sourceRef = null,
  onRaised,
  onCancel,
}: {
  personId: string;
  source?: NewTask['source'];
  sourceRef?: string | null;
  onRaised: (task: TaskT) => void;
  onCancel?: () => void;
}) => {
  const team = useTeam();
  const [title, setTitle] = useState('');
  const [assigneeId, setAssigneeId] = useState<number | null>(null);
  const [due, setDue] = useState(day(7));
  const [detail, setDetail] = useState('');
  const { submit, error, busy } = useSubmit(async () => onRaised(await teamApi.raiseTask({ personId, title, detail, assigneeId, due: due || null, source, sourceRef })));
  const id = `task-${personId}`;
  return (
    <form className="form grid-form" onSubmit={submit} data-testid={`raise-task-${personId}`}>
      <label htmlFor={`${id}-title`}>Task</label>
      <input id={`${id}-title`} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} placeholder="e.g. Phone to arrange a home visit" />
      <AssigneeSelect id={`${id}-assignee`} value={assigneeId} onChange={setAssigneeId} members={team.data?.members} />
      <label htmlFor={`${id}-due`}>Due</label>
      <input id={`${id}-due`} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      <label htmlFor={`${id}-detail`}>Detail</label>
      <textarea id={`${id}-detail`} value={detail} onChange={(e) => setDetail(e.target.value)} maxLength={2000} rows={2} />
      <FormFooter submitLabel="Raise task" onCancel={onCancel} error={error} busy={busy} />
    </form>
  );
};

/** A "Raise task" button that opens the form in place; says so once raised. */
export const RaiseTaskButton = ({ personId, source, sourceRef, onRaised }: { personId: string; source?: NewTask['source']; sourceRef?: string | null; onRaised?: () => void }) => {
  const [open, setOpen] = useState(false);
  const [raised, setRaised] = useState<string | null>(null);
  if (open) {
    return <RaiseTaskForm personId={personId} source={source} sourceRef={sourceRef} onCancel={() => setOpen(false)} onRaised={(t) => (setRaised(t.title), setOpen(false), onRaised?.())} />;
  }
  return (
    <>
      <button type="button" className="secondary small" onClick={() => setOpen(true)} aria-label={`Raise a task for person ${personId}`}>
        Raise task
      </button>
      {raised && (
        <span className="ok" role="status">
          {' '}
          Task raised
        </span>
      )}
    </>
  );
};

/** The form that refers a person to a service of the directory open to link-worker referrals in the team's neighbourhood. */
export const ReferForm = ({ personId, neighbourhoodId, onReferred, onCancel }: { personId: string; neighbourhoodId: string; onReferred: (serviceName: string) => void; onCancel?: () => void }) => {
  const directory = useLoad(`refer-directory:${neighbourhoodId}`, () => api.directory({ neighbourhood: neighbourhoodId, linkWorker: 'true' }));
  const [serviceId, setServiceId] = useState('');
  const [reason, setReason] = useState('');
  const services = directory.data?.services ?? [];
  const chosen = serviceId || services[0]?.id || '';
  const why = reason || directory.data?.referralReasons[0]?.id || '';
  const { submit, error, busy } = useSubmit(async () => {
    const made = await api.createReferral({ personId, serviceId: chosen, reason: why, wellbeingBefore: null });
    onReferred(made.serviceName);
  });
  const id = `refer-${personId}`;
  if (directory.error) return <Problem error={directory.error} />;
  if (!directory.data) return <p className="loading">Loading the directory…</p>;
  if (services.length === 0) return <p className="note">No service in the directory takes link-worker referrals in {neighbourhoodId}.</p>;
  return (
    <form className="form grid-form" onSubmit={submit} data-testid={`refer-${personId}`}>
      <label htmlFor={`${id}-service`}>Service</label>
      <select id={`${id}-service`} value={chosen} onChange={(e) => setServiceId(e.target.value)}>
        <Options items={services} label={(s) => `${s.name} (${s.organisation.name})`} />
      </select>
      <label htmlFor={`${id}-reason`}>Reason</label>
      <select id={`${id}-reason`} value={why} onChange={(e) => setReason(e.target.value)}>
        <Options items={directory.data.referralReasons} />
      </select>
      <FormFooter submitLabel="Refer" onCancel={onCancel} error={error} busy={busy} />
    </form>
  );
};

/**
 * A "Refer" button that opens the referral form in place; says where once referred. Offered only where the referral is allowed:
 * within a care relationship with the person (the person page's record, a worklist row's careRelationships), as the server requires.
 */
export const ReferButton = ({ personId, neighbourhoodId, onReferred }: { personId: string; neighbourhoodId: string; onReferred?: () => void }) => {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  if (open) return <ReferForm personId={personId} neighbourhoodId={neighbourhoodId} onCancel={() => setOpen(false)} onReferred={(name) => (setDone(name), setOpen(false), onReferred?.())} />;
  return (
    <>
      <button type="button" className="secondary small" onClick={() => setOpen(true)} aria-label={`Refer person ${personId} to a service`}>
        Refer
      </button>
      {done && (
        <span className="ok" role="status">
          {' '}
          Referred to {done}
        </span>
      )}
    </>
  );
};

const DUE_BADGE: Record<string, string | undefined> = { overdue: 'Overdue', 'due-today': 'Due today' };

/** A task's status buttons: done or cancelled while open, reopen when done (with the version read; a stale one is refused and says so). */
const TaskActions = ({ task, onChanged }: { task: TaskT; onChanged: () => void }) => {
  const [error, setError] = useState<string | null>(null);
  const move = async (status: 'open' | 'done' | 'cancelled') => {
    setError(null);
    try {
      await saveOrConflict(() => teamApi.changeTask(task.id, { status, version: task.version }), (m) => setError(`${m}`));
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const LABEL = { open: 'Reopen', done: 'Done', cancelled: 'Cancel task' } as const;
  return (
    <span className="toolbar">
      {task.nextStatuses.map((s) => (
        <button key={s} type="button" className={s === 'done' ? 'small' : 'secondary small'} onClick={() => void move(s)} aria-label={`${LABEL[s]}: ${task.title} (person ${task.personId})`}>
          {LABEL[s]}
        </button>
      ))}
      <ErrorText message={error} />
    </span>
  );
};

/** A list of tasks: what, for whom, whose, when due, where from, and their actions. */
export const TaskTable = ({ tasks, onChanged, showPerson = true, testId = 'task-table', caption }: { tasks: readonly TaskT[]; onChanged: () => void; showPerson?: boolean; testId?: string; caption: string }) =>
  tasks.length === 0 ? (
    <p className="note" data-testid={`${testId}-empty`}>
      No tasks.
    </p>
  ) : (
    <div className="table-scroll">
      <table data-testid={testId}>
        <caption>{caption}</caption>
        <TableHead columns={['Task', showPerson && 'Person', 'Assigned to', 'Due', 'From', 'Status']} />
        <tbody>
          {tasks.map((t) => (
            <tr key={t.id} data-testid={`task-${t.id}`}>
              <th scope="row">
                {t.title}
                {t.detail && <div className="note">{t.detail}</div>}
              </th>
              {showPerson && (
                <td>
                  <PersonLink id={t.personId} />
                </td>
              )}
              <td>{t.assigneeName ?? 'The team'}</td>
              <td>
                {t.due ? fmtDate(t.due) : '–'} {DUE_BADGE[t.dueState] && <OverdueBadge label={DUE_BADGE[t.dueState]!} />}
              </td>
              <td>
                <a href={t.link}>{t.sourceLabel}</a>
              </td>
              <td>
                {t.statusLabel} <TaskActions task={t} onChanged={onChanged} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

/** The person page's Tasks panel: the person's open tasks (or all), raise one. */
export const TasksPanel = ({ personId }: { personId: string }) => {
  const [reload, setReload] = useState(0);
  const [all, setAll] = useState(false);
  const tasks = useLoad(`person-tasks:${personId}:${all}:${reload}`, () => teamApi.personTasks(personId, all ? 'all' : 'open'), true);
  const refresh = () => setReload((n) => n + 1);
  return (
    <section className="panel" aria-labelledby={`tasks-${personId}`} data-testid="tasks-panel">
      <h3 id={`tasks-${personId}`}>Tasks</h3>
      {tasks.error && <Problem error={tasks.error} />}
      {tasks.data && <TaskTable tasks={tasks.data.tasks} onChanged={refresh} showPerson={false} testId="person-tasks" caption={all ? 'Every task for this person' : 'Open tasks for this person'} />}
      <label>
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Show done and cancelled tasks too
      </label>
      <div>
        <RaiseTaskButton personId={personId} onRaised={refresh} />
      </div>
    </section>
  );
};

const NoteItem = ({ note, onCorrect }: { note: NoteT; onCorrect: (n: NoteT) => void }) => (
  <li data-testid={`note-${note.id}`} className={note.correctedBy !== null ? 'corrected' : undefined}>
    <div className="note">
      {note.author}, {new Date(note.createdAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}
      {note.corrects !== null && ` (corrects note ${note.corrects})`}
    </div>
    {note.correctedBy !== null ? (
      <p>
        <s>{note.text}</s> <span className="note">Corrected by note {note.correctedBy}.</span>
      </p>
    ) : (
      <p className="pre-line">{note.text}</p>
    )}
    {note.correctedBy === null && (
      <button type="button" className="secondary small" onClick={() => onCorrect(note)} aria-label={`Correct note ${note.id}`}>
        Correct
      </button>
    )}
  </li>
);

/** The person page's Notes panel: the team's notes on the person, newest first; add one, or correct one by a new note. */
export const NotesPanel = ({ personId }: { personId: string }) => {
  const [reload, setReload] = useState(0);
  const notes = useLoad(`person-notes:${personId}:${reload}`, () => teamApi.notes(personId), true);
  const [text, setText] = useState('');
  const [corrects, setCorrects] = useState<NoteT | null>(null);
  const { submit, error, busy } = useSubmit(async () => {
    await teamApi.addNote(personId, text, corrects?.id ?? null);
    setText('');
    setCorrects(null);
    setReload((n) => n + 1);
  });
  return (
    <section className="panel" aria-labelledby={`notes-${personId}`} data-testid="notes-panel">
      <h3 id={`notes-${personId}`}>Notes</h3>
      <p className="note">For the team caring for this person. Notes are never changed or deleted: correct one with a new note.</p>
      <form className="form" onSubmit={submit}>
        <label htmlFor={`note-text-${personId}`}>{corrects ? `Correction of note ${corrects.id}` : 'New note'}</label>
        <textarea id={`note-text-${personId}`} value={text} onChange={(e) => setText(e.target.value)} required maxLength={4000} rows={3} />
        <FormFooter submitLabel={corrects ? 'Add correction' : 'Add note'} onCancel={corrects ? () => setCorrects(null) : undefined} error={error} busy={busy} />
      </form>
      {notes.error && <Problem error={notes.error} />}
      {notes.data &&
        (notes.data.notes.length === 0 ? (
          <p className="note">No notes yet.</p>
        ) : (
          <ul className="notes" data-testid="person-notes">
            {notes.data.notes.map((n) => (
              <NoteItem key={n.id} note={n} onCorrect={(x) => (setCorrects(x), setText(x.text))} />
            ))}
          </ul>
        ))}
    </section>
  );
};

/** An active caseload episode as its row actions need it. */
interface Episode {
  readonly id: number;
  readonly personId: string;
  readonly keyWorker: string;
  readonly version: number;
  readonly reviewDue: boolean;
}

/** "Record review" on a caseload row: when, what was decided, when next (suggested by the outcome); the review is then no longer due. */
export const RecordReview = ({ entry, onSaved, onConflict, today }: { entry: Episode; onSaved: () => void; onConflict: (m: string) => void; today: string }) => {
  const [open, setOpen] = useState(false);
  const reviews = useLoad(open ? `reviews:${entry.id}` : 'reviews:closed', () => (open ? teamApi.reviews(entry.id) : Promise.resolve(null)));
  const outcomes = reviews.data?.outcomes ?? [];
  const [outcome, setOutcome] = useState('continue');
  const [reviewedOn, setReviewedOn] = useState(today);
  const [note, setNote] = useState('');
  const suggested = (() => {
    const days = outcomes.find((o) => o.id === outcome)?.nextInDays ?? 91;
    return new Date(Date.parse(`${reviewedOn}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  })();
  const [nextReview, setNextReview] = useState<string | null>(null);
  const { submit, error, busy } = useSubmit(async () => {
    if (await saveOrConflict(() => teamApi.recordReview(entry.id, { reviewedOn, outcome, note, nextReview: nextReview ?? suggested, version: entry.version }), onConflict)) {
      setOpen(false);
      onSaved();
    }
  });
  if (!open) {
    return (
      <button type="button" className={entry.reviewDue ? 'small' : 'secondary small'} onClick={() => setOpen(true)} aria-label={`Record a review of person ${entry.personId}`}>
        Record review
      </button>
    );
  }
  const id = `review-${entry.id}`;
  return (
    <form className="form grid-form" onSubmit={submit} data-testid={`record-review-${entry.personId}`}>
      <label htmlFor={`${id}-on`}>Reviewed on</label>
      <input id={`${id}-on`} type="date" value={reviewedOn} max={today} onChange={(e) => setReviewedOn(e.target.value)} required />
      <label htmlFor={`${id}-outcome`}>Outcome</label>
      <select id={`${id}-outcome`} value={outcome} onChange={(e) => (setOutcome(e.target.value), setNextReview(null))}>
        <Options items={outcomes.length ? outcomes : [{ id: 'continue', label: 'Continue as planned', nextInDays: 91 }]} />
      </select>
      <label htmlFor={`${id}-next`}>Next review</label>
      <input id={`${id}-next`} type="date" value={nextReview ?? suggested} onChange={(e) => setNextReview(e.target.value)} required />
      <label htmlFor={`${id}-note`}>Note</label>
      <textarea id={`${id}-note`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={2} />
      <FormFooter submitLabel="Save review" onCancel={() => setOpen(false)} error={error} busy={busy} />
      {reviews.data && reviews.data.reviews.length > 0 && (
        <p className="note">
          Last review {fmtDate(reviews.data.reviews[0]!.reviewedOn)} by {reviews.data.reviews[0]!.reviewedBy}: {reviews.data.reviews[0]!.outcomeLabel}.
        </p>
      )}
    </form>
  );
};

/** "Change key worker" on a caseload row: a team member (or a named worker without an account) and why; the change is kept. */
export const ChangeKeyWorker = ({ entry, onSaved, onConflict }: { entry: Episode; onSaved: () => void; onConflict: (m: string) => void }) => {
  const [open, setOpen] = useState(false);
  const team = useLoad(open ? 'care-team' : 'care-team:closed', () => (open ? teamApi.team() : Promise.resolve(null)));
  const [userId, setUserId] = useState<number | null>(null);
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const members = team.data?.members ?? [];
  const { submit, error, busy } = useSubmit(async () => {
    const keyWorker = userId === null ? name.trim() : (members.find((m) => m.id === userId)?.displayName ?? name.trim());
    if (await saveOrConflict(() => teamApi.changeKeyWorker(entry.id, { keyWorker, keyWorkerUserId: userId, reason, version: entry.version }), onConflict)) {
      setOpen(false);
      onSaved();
    }
  });
  if (!open) {
    return (
      <button type="button" className="secondary small" onClick={() => setOpen(true)} aria-label={`Change the key worker of person ${entry.personId}`}>
        Change key worker
      </button>
    );
  }
  const id = `keyworker-${entry.id}`;
  return (
    <form className="form grid-form" onSubmit={submit} data-testid={`change-key-worker-${entry.personId}`}>
      <AssigneeSelect id={`${id}-member`} label="New key worker" value={userId} onChange={setUserId} members={members} />
      {userId === null && (
        <>
          <label htmlFor={`${id}-name`}>Name (no account)</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </>
      )}
      <label htmlFor={`${id}-reason`}>Why</label>
      <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={500} />
      <FormFooter submitLabel="Change key worker" onCancel={() => setOpen(false)} error={error} busy={busy} />
      <p className="note">Now: {entry.keyWorker}</p>
    </form>
  );
};

/** How many of the signed-in care professional's notifications are unread, polled every minute (no person-level rows). */
export const useUnreadCount = (enabled: boolean, refreshKey: unknown = null): number | null => {
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    if (!enabled) return setUnread(null);
    let live = true;
    const read = () =>
      teamApi.unreadCount().then(
        (r) => live && setUnread(r.unread),
        (err: unknown) => live && err instanceof ApiError && err.status === 401 && setUnread(null),
      );
    void read();
    const timer = setInterval(() => void read(), 60_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [enabled, refreshKey]);
  return unread;
};

/** The person page's team work, for care professionals: refer, the Tasks panel and the Notes panel. */
export const PersonTeamWork = ({ personId, neighbourhoodId }: { personId: string; neighbourhoodId: string }) => (
  <div data-testid="person-team-work">
    <div className="toolbar">
      <ReferButton personId={personId} neighbourhoodId={neighbourhoodId} />
    </div>
    <TasksPanel personId={personId} />
    <NotesPanel personId={personId} />
  </div>
);

/** A worklist row's actions for care professionals: raise a task (from this worklist) and refer. */
export const WorklistRowActions = ({ personId, cohortId, neighbourhoodId }: { personId: string; cohortId: string; neighbourhoodId: string }) => (
  <span className="row-actions">
    <RaiseTaskButton personId={personId} source={/^[a-z0-9]+(-[a-z0-9]+)*$/.test(cohortId) ? 'worklist' : 'manual'} sourceRef={/^[a-z0-9]+(-[a-z0-9]+)*$/.test(cohortId) ? cohortId : null} />{' '}
    <ReferButton personId={personId} neighbourhoodId={neighbourhoodId} />
  </span>
);
