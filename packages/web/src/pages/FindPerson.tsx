/**
 * Find a person (#/find-person), for care professionals: by NHS number, or by family name and date
 * of birth (the start of the given name narrows it). The search is kept in the address, so Back
 * returns to the results. People the professional has a care relationship with are listed with who
 * they are and a link to their record; others are only "found, no care relationship: break glass to
 * view", with a link to the page where glass can be broken. Every search is audited.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, type Me } from '../api.js';
import { fmtDate } from '../format.js';
import { hashOf } from '../hash.js';
import { relationshipText } from '../components/IdentityBanner.js';
import { TableHead, useHashParams, useLoad } from '../components/common.js';
import { identityApi, type SearchBy } from '../identity-api.js';

type Mode = 'nhs' | 'name';

/** What the address asks for, or null when nothing has been searched yet. */
const searchOf = (p: URLSearchParams): SearchBy | null => {
  const nhs = p.get('nhs') ?? '';
  if (nhs.trim() !== '') return { nhsNumber: nhs };
  const familyName = p.get('family') ?? '';
  const dateOfBirth = p.get('dob') ?? '';
  if (familyName.trim() === '' && dateOfBirth === '') return null;
  const givenName = (p.get('given') ?? '').trim();
  return { familyName, dateOfBirth, ...(givenName !== '' ? { givenName } : {}) };
};

const Results = ({ by }: { by: SearchBy }) => {
  const loaded = useLoad(`care-search:${JSON.stringify(by)}`, () => identityApi.search(by));
  if (loaded.error) {
    const e = loaded.error;
    const fields = e instanceof ApiError ? e.message : 'the search failed';
    return (
      <p className="error" role="alert" data-testid="search-error">
        {fields}
      </p>
    );
  }
  const found = loaded.data;
  if (!found) return <p className="loading">Searching…</p>;
  if (found.results.length === 0) {
    return (
      <p data-testid="search-none" role="status">
        Nobody found. Check the NHS number, or the spelling of the family name and the date of birth.
      </p>
    );
  }
  return (
    <div data-testid="search-results">
      <p role="status">
        {found.results.length} {found.results.length === 1 ? 'person' : 'people'} found
        {found.truncated ? '; more matched than are listed: add the start of the given name' : ''}.
      </p>
      <table>
        <TableHead columns={['Name', 'NHS number', 'Born', 'Address', 'Care relationship', '']} />
        <tbody>
          {found.results.map((r) =>
            r.access === 'allowed' ? (
              <tr key={r.personId} data-testid="search-result" data-person-id={r.personId}>
                <td>
                  {r.identity.familyName.toUpperCase()}, {r.identity.givenName}
                </td>
                <td>{r.identity.nhsNumberFormatted}</td>
                <td>
                  {fmtDate(r.identity.dateOfBirth)} ({r.identity.age})
                </td>
                <td>{[r.identity.address.line1, r.identity.address.line2, r.identity.address.town, r.identity.address.postcode].filter((x) => x !== null && x !== '').join(', ')}</td>
                <td>{r.relationships.map(relationshipText).join('; ')}</td>
                <td>
                  <a href={hashOf('person', { id: r.personId })}>Open record</a>
                </td>
              </tr>
            ) : (
              <tr key={r.personId} data-testid="search-result-no-relationship" data-person-id={r.personId}>
                <td colSpan={5}>{r.message}</td>
                <td>
                  <a href={hashOf('person', { id: r.personId })}>Break glass…</a>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
};

export const FindPersonPage = ({ me }: { me: Me }) => {
  const params = useHashParams();
  const by = searchOf(params);
  const [mode, setMode] = useState<Mode>(params.get('family') || params.get('dob') ? 'name' : 'nhs');
  const [nhs, setNhs] = useState(params.get('nhs') ?? '');
  const [family, setFamily] = useState(params.get('family') ?? '');
  const [dob, setDob] = useState(params.get('dob') ?? '');
  const [given, setGiven] = useState(params.get('given') ?? '');
  // The form follows the address (Back, a shared link).
  const key = params.toString();
  useEffect(() => {
    setNhs(params.get('nhs') ?? '');
    setFamily(params.get('family') ?? '');
    setDob(params.get('dob') ?? '');
    setGiven(params.get('given') ?? '');
    if (params.get('family') || params.get('dob')) setMode('name');
    else if (params.get('nhs')) setMode('nhs');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    window.location.hash = mode === 'nhs' ? hashOf('find-person', { nhs: nhs.trim() }) : hashOf('find-person', { family: family.trim(), dob, given: given.trim() });
  };

  return (
    <section>
      <h1>Find a person</h1>
      <p>
        Find someone your team cares for by their NHS number, or by family name and date of birth. You see who they are only when you have a
        care relationship with them{me.user?.neighbourhoodId ? ` (registered with a practice of ${me.user.neighbourhoodId}, on its caseload, or referred to a service you work for)` : ''}.
        Every search is written to the audit log.
      </p>
      <fieldset className="form inline">
        <legend>Search by</legend>
        <label>
          <input type="radio" name="mode" checked={mode === 'nhs'} onChange={() => setMode('nhs')} /> NHS number
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'name'} onChange={() => setMode('name')} /> Name and date of birth
        </label>
      </fieldset>
      <form onSubmit={submit} className="form inline" aria-label="Find a person" data-testid="find-person-form">
        {mode === 'nhs' ? (
          <>
            <label htmlFor="find-nhs">NHS number</label>
            <input id="find-nhs" inputMode="numeric" autoComplete="off" placeholder="999 123 4567" value={nhs} onChange={(e) => setNhs(e.target.value)} required />
          </>
        ) : (
          <>
            <label htmlFor="find-family">Family name</label>
            <input id="find-family" autoComplete="off" value={family} onChange={(e) => setFamily(e.target.value)} required />
            <label htmlFor="find-dob">Date of birth</label>
            <input id="find-dob" type="date" value={dob} onChange={(e) => setDob(e.target.value)} required />
            <label htmlFor="find-given">Given name (optional)</label>
            <input id="find-given" autoComplete="off" value={given} onChange={(e) => setGiven(e.target.value)} />
          </>
        )}
        <button type="submit">Find</button>
      </form>
      {by !== null && <Results key={JSON.stringify(by)} by={by} />}
    </section>
  );
};
