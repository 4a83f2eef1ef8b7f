/**
 * Who the person is, for their care professional (the identifiable zone): the identity banner at
 * the top of the person page (name, NHS number, date of birth and age, address, telephone, GP
 * practice, and the care relationship that allows it), and, when there is no relationship, the
 * break-glass dialog: a stated reason opens the record for four hours, audited and shown to an
 * admin. GET /api/care/people/:personId and POST …/break-glass; both audited by the server.
 */
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api.js';
import { fmtDate } from '../format.js';
import { identityApi, type CarePerson } from '../identity-api.js';
import { useLoad } from './common.js';
import './identity.css';

const REASON_MIN = 10;

const time = (iso: string): string => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

/** The relationship in words, for the banner (a break-glass grant says until when). */
export const relationshipText = (r: CarePerson['relationships'][number]): string => (r.until ? `${r.detail} (until ${time(r.until)})` : r.detail);

/** The banner: everything a professional needs to phone, visit or match the person to the GP system. */
export const IdentityBanner = ({ person }: { person: CarePerson }) => {
  const id = person.identity;
  const glass = person.relationships.some((r) => r.kind === 'break-glass');
  return (
    <section className={`identity-banner${glass ? ' break-glass' : ''}`} aria-label="Who this is" data-testid="identity-banner">
      {id === null ? (
        <p>No identity is held for this person (the database has no identity store).</p>
      ) : (
        <>
          <h2 className="identity-name">
            {id.familyName.toUpperCase()}, {id.givenName}
          </h2>
          <dl className="identity-facts">
            <dt>NHS number</dt>
            <dd data-testid="identity-nhs-number">{id.nhsNumberFormatted}</dd>
            <dt>Born</dt>
            <dd>
              {fmtDate(id.dateOfBirth)} ({id.age} years), {id.sex === 'F' ? 'female' : 'male'}
            </dd>
            <dt>Address</dt>
            <dd>{[id.address.line1, id.address.line2, id.address.town, id.address.postcode].filter((x) => x !== null && x !== '').join(', ')}</dd>
            <dt>Telephone</dt>
            <dd>{id.phone ?? 'none recorded'}</dd>
            <dt>GP practice</dt>
            <dd>{person.practice ? `${person.practice.name} (${person.practice.code})` : 'not known'}</dd>
          </dl>
        </>
      )}
      <p className="identity-relationship" data-testid="identity-relationship">
        {glass ? <strong>Break glass: </strong> : 'Care relationship: '}
        {person.relationships.map(relationshipText).join('; ')}
      </p>
    </section>
  );
};

/**
 * Break glass for one person: a button opening the dialog that asks why (at least 10 characters);
 * once granted (four hours, audited, an admin's alert), `onGranted`. `label` names the button for
 * assistive technology where several are on a page (a worklist); `small` for a table row.
 */
export const BreakGlassButton = ({ personId, onGranted, label, small = false }: { personId: string; onGranted: () => void; label?: string; small?: boolean }) => {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = () => {
    setProblem(null);
    if (typeof dialog.current?.showModal === 'function') dialog.current.showModal();
    else dialog.current?.setAttribute('open', '');
  };
  const close = () => dialog.current?.close();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length < REASON_MIN) return setProblem(`Say why, in at least ${REASON_MIN} characters.`);
    setBusy(true);
    try {
      await identityApi.breakGlass(personId, reason.trim());
      close();
      onGranted();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : 'breaking glass failed');
    } finally {
      setBusy(false);
    }
  };
  const id = `break-glass-${personId}`;
  return (
    <>
      <button type="button" className={small ? 'danger small' : 'danger'} onClick={open} {...(label ? { 'aria-label': label } : {})}>
        Break glass…
      </button>
      <dialog ref={dialog} aria-labelledby={`${id}-title`} className="dialog">
        <form onSubmit={submit} className="form">
          <h2 id={`${id}-title`}>Break glass</h2>
          <p>
            You are about to see the record of person {personId}, with whom you have no care relationship, and to act for them. This is audited and an
            administrator will review it.
          </p>
          <label htmlFor={`${id}-reason`}>Why do you need this record?</label>
          <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={3} aria-describedby={`${id}-hint`} required />
          <p id={`${id}-hint`} className="note">
            At least {REASON_MIN} characters. Kept in the audit log and shown to the administrators.
          </p>
          {problem && (
            <p className="error" role="alert">
              {problem}
            </p>
          )}
          <div className="buttons">
            <button type="submit" className="danger" disabled={busy}>
              See the record for four hours
            </button>{' '}
            <button type="button" className="secondary" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
};

/** The break-glass notice of the person page: why there is no record, and the button to break glass. */
export const BreakGlassDialog = ({ personId, onGranted }: { personId: string; onGranted: () => void }) => (
  <div className="notice break-glass-notice" role="alert" data-testid="no-relationship">
    <p>
      <strong>You have no care relationship with this person.</strong> Their name, NHS number and record are shown only to professionals
      who care for them: registered with a practice of your neighbourhood, on your caseload, or referred to a service you work for.
    </p>
    <p>
      In an emergency, or when you are about to take on their care, you may break glass: state why, and you can see the record for four hours.
      Your reason is recorded in the audit log and shown to the administrators.
    </p>
    <BreakGlassButton personId={personId} onGranted={onGranted} />
  </div>
);

/**
 * The identity zone of the person page, for care professionals: the banner for the record's slot,
 * and what goes above the record (the break-glass dialog when there is no relationship). `grants`
 * changes when glass is broken, so the page loads the record again. Null personId: nothing (not a
 * care professional, or no person asked for).
 */
export const useIdentityZone = (personId: string | null): { readonly banner: ReactNode; readonly gate: ReactNode; readonly grants: number } => {
  const [grants, setGrants] = useState(0);
  const loaded = useLoad(`care-person:${personId ?? ''}:${grants}`, () => (personId === null ? Promise.resolve(null) : identityApi.person(personId)));
  if (personId === null) return { banner: null, gate: null, grants };
  const error = loaded.error;
  const refused = error instanceof ApiError && error.status === 403;
  const banner = loaded.data ? <IdentityBanner person={loaded.data} /> : null;
  const gate = refused ? (
    <BreakGlassDialog key={personId} personId={personId} onGranted={() => setGrants((n) => n + 1)} />
  ) : error && !(error instanceof ApiError && error.status === 404) ? (
    <p className="error" role="alert">
      Who this is could not be shown: {error.message}
    </p>
  ) : null;
  return { banner, gate, grants };
};
