/**
 * MDT meetings of the neighbourhood team: the meetings and a new one; one meeting (#/meetings?id=N)
 * with the people due for discussion (caseload reviews that have come, people newly at high risk),
 * its agenda, and for each person the outcome recorded once with its actions raised as tasks.
 * Care professionals only; every view and change of a meeting's agenda is audited.
 */
import { useState } from 'react';
import type { Me } from '../api.js';
import { teamApi, type AgendaItemT, type MeetingResponseT, type OutcomeTask, type TeamMember } from '../team-api.js';
import { ErrorText, FormFooter, PersonLink, Problem, TableHead, setHashParams, useHashParams, useLoad, useSubmit } from '../components/common.js';
import { AssigneeSelect } from '../components/team.js';
import { fmtDate } from '../format.js';

const NewMeeting = ({ onMade }: { onMade: (id: number) => void }) => {
  const [date, setDate] = useState(() => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
  const [title, setTitle] = useState('Weekly MDT');
  const { submit, error, busy } = useSubmit(async () => onMade((await teamApi.arrangeMeeting(date, title)).id));
  return (
    <form className="form grid-form" onSubmit={submit} data-testid="new-meeting">
      <label htmlFor="meeting-date">Date</label>
      <input id="meeting-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
      <label htmlFor="meeting-title">Title</label>
      <input id="meeting-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      <FormFooter submitLabel="Arrange meeting" error={error} busy={busy} />
    </form>
  );
};

const MeetingList = () => {
  const meetings = useLoad('meetings', teamApi.meetings);
  return (
    <>
      {meetings.error && <Problem error={meetings.error} />}
      {meetings.data &&
        (meetings.data.meetings.length === 0 ? (
          <p className="note">No meetings yet.</p>
        ) : (
          <table data-testid="meetings-table">
            <caption>The team’s meetings, the latest first</caption>
            <TableHead columns={['Date', 'Meeting', 'On the agenda', 'Discussed']} />
            <tbody>
              {meetings.data.meetings.map((m) => (
                <tr key={m.id}>
                  <td>{fmtDate(m.date)}</td>
                  <th scope="row">
                    <a href={`#/meetings?id=${m.id}`}>{m.title}</a>
                  </th>
                  <td className="num">{m.items}</td>
                  <td className="num">{m.discussed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <details className="panel">
        <summary>Arrange a meeting</summary>
        <NewMeeting onMade={(id) => setHashParams('meetings', { id: String(id) }, false)} />
      </details>
    </>
  );
};

const OutcomeForm = ({ meetingId, item, team, onSaved }: { meetingId: number; item: AgendaItemT; team: readonly TeamMember[]; onSaved: () => void }) => {
  const [outcome, setOutcome] = useState('');
  const [actions, setActions] = useState<OutcomeTask[]>([{ title: '', assigneeId: null, due: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) }]);
  const set = (i: number, change: Partial<OutcomeTask>) => setActions((a) => a.map((x, j) => (j === i ? { ...x, ...change } : x)));
  const { submit, error, busy } = useSubmit(async () => {
    await teamApi.recordOutcome(meetingId, item.id, outcome, actions.filter((a) => a.title.trim() !== '').map((a) => ({ ...a, due: a.due || null })));
    onSaved();
  });
  const id = `outcome-${item.id}`;
  return (
    <form className="form" onSubmit={submit} data-testid={`outcome-form-${item.personId}`}>
      <label htmlFor={id}>What the team decided</label>
      <textarea id={id} value={outcome} onChange={(e) => setOutcome(e.target.value)} required maxLength={2000} rows={2} />
      <fieldset>
        <legend>Actions (raised as tasks on person {item.personId})</legend>
        {actions.map((a, i) => (
          <div key={i} className="grid-form">
            <label htmlFor={`${id}-action-${i}`}>Action {i + 1}</label>
            <input id={`${id}-action-${i}`} value={a.title} onChange={(e) => set(i, { title: e.target.value })} maxLength={200} />
            <AssigneeSelect id={`${id}-assignee-${i}`} value={a.assigneeId} onChange={(v) => set(i, { assigneeId: v })} members={team} />
            <label htmlFor={`${id}-due-${i}`}>Due</label>
            <input id={`${id}-due-${i}`} type="date" value={a.due ?? ''} onChange={(e) => set(i, { due: e.target.value })} />
          </div>
        ))}
        {actions.length < 10 && (
          <button type="button" className="secondary small" onClick={() => setActions((a) => [...a, { title: '', assigneeId: null, due: null }])}>
            Add an action
          </button>
        )}
      </fieldset>
      <FormFooter submitLabel="Record outcome" error={error} busy={busy} />
    </form>
  );
};

const AddToAgenda = ({ meetingId, personId, reason: suggested, onAdded }: { meetingId: number; personId?: string; reason?: string; onAdded: () => void }) => {
  const [person, setPerson] = useState(personId ?? '');
  const [reason, setReason] = useState(suggested ?? '');
  const { submit, error, busy } = useSubmit(async () => {
    await teamApi.addToAgenda(meetingId, person.trim(), reason);
    onAdded();
  });
  if (personId) {
    return (
      <span>
        <button type="button" className="small" disabled={busy} onClick={() => void submit()} aria-label={`Add person ${personId} to the agenda`}>
          Add to agenda
        </button>
        <ErrorText message={error} />
      </span>
    );
  }
  return (
    <form className="form grid-form" onSubmit={submit} data-testid="agenda-add">
      <label htmlFor="agenda-person">Person id</label>
      <input id="agenda-person" inputMode="numeric" pattern="\d{1,18}" value={person} onChange={(e) => setPerson(e.target.value)} required />
      <label htmlFor="agenda-reason">Why</label>
      <input id="agenda-reason" value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />
      <FormFooter submitLabel="Add to agenda" error={error} busy={busy} />
    </form>
  );
};

const MeetingView = ({ id }: { id: number }) => {
  const [reload, setReload] = useState(0);
  const view = useLoad(`meeting:${id}:${reload}`, () => teamApi.meeting(id), true);
  const refresh = () => setReload((n) => n + 1);
  const data: MeetingResponseT | undefined = view.data;
  return (
    <>
      <p>
        <a href="#/meetings">All meetings</a>
      </p>
      {view.error && <Problem error={view.error} />}
      {data && (
        <>
          <h2 data-testid="meeting-title">
            {data.meeting.title}, {fmtDate(data.meeting.date)}
          </h2>
          <section className="panel" aria-labelledby="due-heading" data-testid="due-for-discussion">
            <h3 id="due-heading">Due for discussion</h3>
            <p className="note">Caseload reviews that have come, then people newly at high risk (the top of the “{data.highRiskCohort}” worklist who are not on the caseload).</p>
            {data.dueForDiscussion.length === 0 ? (
              <p className="note">Nobody else is due.</p>
            ) : (
              <table>
                <caption>Not yet on the agenda</caption>
                <TableHead columns={['Person', 'Why', '']} />
                <tbody>
                  {data.dueForDiscussion.map((c) => (
                    <tr key={c.personId} data-testid={`due-${c.personId}`}>
                      <th scope="row">
                        <PersonLink id={c.personId} />
                      </th>
                      <td>
                        {c.reasons.map((r) => r.label).join('; ')}
                        {c.reviewDate && ` (review date ${fmtDate(c.reviewDate)})`}
                      </td>
                      <td>
                        <AddToAgenda meetingId={id} personId={c.personId} reason={c.reasons.map((r) => r.label).join('; ')} onAdded={refresh} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="panel" aria-labelledby="agenda-heading" data-testid="agenda">
            <h3 id="agenda-heading">Agenda</h3>
            {data.agenda.length === 0 && <p className="note">Nobody on the agenda yet.</p>}
            <ol>
              {data.agenda.map((item) => (
                <li key={item.id} data-testid={`agenda-${item.personId}`}>
                  <strong>
                    Person <PersonLink id={item.personId} />
                  </strong>
                  : {item.reason}
                  {item.outcome === null ? (
                    <OutcomeForm meetingId={id} item={item} team={data.team} onSaved={refresh} />
                  ) : (
                    <div data-testid={`outcome-${item.personId}`}>
                      <p>
                        <strong>Outcome:</strong> {item.outcome} <span className="note">({item.outcomeBy})</span>
                      </p>
                      {item.tasks.length > 0 && (
                        <ul>
                          {item.tasks.map((t) => (
                            <li key={t.id}>
                              Task: {t.title}, {t.assigneeName ?? 'the team'}
                              {t.due && `, due ${fmtDate(t.due)}`} ({t.statusLabel.toLowerCase()})
                            </li>
                          ))}
                        </ul>
                      )}
                    </div>
                  )}
                </li>
              ))}
            </ol>
            <details>
              <summary>Add someone else</summary>
              <AddToAgenda meetingId={id} onAdded={refresh} />
            </details>
          </section>
        </>
      )}
    </>
  );
};

export const MeetingsPage = ({ me }: { me: Me }) => {
  const params = useHashParams();
  const id = Number(params.get('id'));
  return (
    <section>
      <h1>MDT meetings</h1>
      <p className="lead">The {me.user?.neighbourhoodId} team’s multidisciplinary meetings: who to discuss, what was decided, and the tasks that follow.</p>
      <p className="notice" data-testid="audit-note">
        Access is audited: every view of a meeting and every change to its agenda is recorded with your name.
      </p>
      {Number.isInteger(id) && id > 0 ? <MeetingView key={id} id={id} /> : <MeetingList />}
    </section>
  );
};
