/**
 * The directory of community services: what exists, for whom, where and when. Open to everyone
 * (the plans ask that "staff and public can see what exists"); care professionals refer people they
 * have a care relationship with from it (anyone else only after breaking glass on their record). Search by words, category, place and age; each entry says how to get in touch and who
 * may refer. Also published as an Open Referral UK feed (/api/oruk).
 */
import { useState } from 'react';
import { api, ApiError, type DirectoryService, type Me, type Ons4 } from '../api.js';
import { CsvButton, Options, Problem, SelectField, Toolbar, useHashParams, useLoad, setHashParams } from '../components/common.js';
import { Ons4Inputs } from '../components/care.js';
import { fmtDate } from '../format.js';

const ReferForm = ({ service, reasons, onDone }: { service: DirectoryService; reasons: readonly { id: string; label: string }[]; onDone: () => void }) => {
  const [personId, setPersonId] = useState('');
  const [reason, setReason] = useState(reasons[0]?.id ?? 'other');
  const [before, setBefore] = useState<Ons4 | null>(null);
  // A refusal for want of a care relationship names the person, whose record offers breaking glass.
  const [message, setMessage] = useState<{ ok: boolean; text: string; noRelationship?: string } | null>(null);
  const id = `refer-${service.id}`;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setMessage(null);
    const who = personId.trim();
    try {
      const r = await api.createReferral({ personId: who, serviceId: service.id, reason, wellbeingBefore: before });
      setMessage({ ok: true, text: `Referral ${r.id} made: person ${r.personId} to ${r.serviceName}.` });
      setPersonId('');
      setBefore(null);
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message, ...(err instanceof ApiError && err.status === 403 ? { noRelationship: who } : {}) });
    }
  };
  return (
    <form className="form grid-form" onSubmit={submit} data-testid="refer-form" aria-label={`Refer someone to ${service.name}`}>
      <label htmlFor={`${id}-person`}>Person id</label>
      <input id={`${id}-person`} inputMode="numeric" value={personId} onChange={(e) => setPersonId(e.target.value)} required pattern="\d{1,18}" title="the pseudonymous person id (digits)" aria-describedby={`${id}-who`} />
      <p className="note span" id={`${id}-who`}>
        You can refer people you have a care relationship with: registered with a practice of your neighbourhood, on your team’s caseload, or referred to a service you work for. Anyone else only after breaking glass on their record, with a reason.
      </p>
      <label htmlFor={`${id}-reason`}>Reason</label>
      <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)}>
        <Options items={reasons} />
      </select>
      <div className="span">
        <Ons4Inputs value={before} onChange={setBefore} legend="Wellbeing now (before the referral)" />
      </div>
      <div className="toolbar">
        <button type="submit">Make the referral</button>
        <button type="button" className="secondary" onClick={onDone}>
          Close
        </button>
      </div>
      {message && (
        <p className={message.ok ? 'ok span' : 'error span'} role={message.ok ? 'status' : 'alert'} data-testid="refer-message">
          {message.text}
          {message.noRelationship && (
            <>
              {' '}
              <a href={`#/person?id=${encodeURIComponent(message.noRelationship)}`}>Open the record of person {message.noRelationship}</a>
            </>
          )}
        </p>
      )}
    </form>
  );
};

const ServiceCard = ({ s, canRefer, reasons }: { s: DirectoryService; canRefer: boolean; reasons: readonly { id: string; label: string }[] }) => {
  const [referring, setReferring] = useState(false);
  const ages = s.eligibility.minAge !== undefined || s.eligibility.maxAge !== undefined ? `Ages ${s.eligibility.minAge ?? 0}${s.eligibility.maxAge !== undefined ? `-${s.eligibility.maxAge}` : '+'}` : 'All ages';
  return (
    <article className="panel service" data-testid={`service-${s.id}`} aria-labelledby={`service-${s.id}-name`}>
      <h2 id={`service-${s.id}-name`}>{s.name}</h2>
      <p className="note">
        {s.organisation.name} · {s.areaNames.join(', ')}
        {s.status === 'inactive' && (
          <>
            {' '}
            · <strong>Not running at the moment</strong>
          </>
        )}
      </p>
      <ul className="tags" aria-label="Categories">
        {s.categories.map((c) => (
          <li key={c}>{c.replace(/-/g, ' ')}</li>
        ))}
      </ul>
      <p>{s.description}</p>
      <dl className="grid">
        <dt>When</dt>
        <dd>{s.schedule}</dd>
        {s.location && (
          <>
            <dt>Where</dt>
            <dd>
              {s.location.name}, {s.location.address}
            </dd>
          </>
        )}
        <dt>Who for</dt>
        <dd>
          {ages}
          {s.eligibility.description ? `. ${s.eligibility.description}` : ''}
        </dd>
        <dt>Cost</dt>
        <dd>{s.cost}</dd>
        {s.accessibility && (
          <>
            <dt>Access</dt>
            <dd>{s.accessibility}</dd>
          </>
        )}
        <dt>Contact</dt>
        <dd>
          {[s.contact.phone, s.contact.email].filter(Boolean).join(' · ')}
          {s.contact.url && (
            <>
              {' '}
              · <a href={s.contact.url}>website</a>
            </>
          )}
        </dd>
        <dt>Referral</dt>
        <dd>{[s.referral.self ? 'you can refer yourself' : null, s.referral.linkWorker ? 'link workers can refer' : null].filter(Boolean).join('; ')}</dd>
      </dl>
      <p className="note">Checked with the provider {fmtDate(s.lastReviewed)}.</p>
      {canRefer && !referring && (
        <button type="button" onClick={() => setReferring(true)} aria-label={`Refer someone to ${s.name}`}>
          Refer someone
        </button>
      )}
      {referring && <ReferForm service={s} reasons={reasons} onDone={() => setReferring(false)} />}
    </article>
  );
};

export const DirectoryPage = ({ me }: { me: Me }) => {
  const params = useHashParams();
  const q = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const place = params.get('place') ?? '';
  const age = params.get('age') ?? '';
  const [text, setText] = useState(q);
  const set = (patch: Record<string, string>) => setHashParams('directory', { q, category, place, age, ...patch }, false);
  const result = useLoad(`directory:${q}:${category}:${place}:${age}`, () => api.directory({ q, category, place, age }));
  // The services the team may refer to: open to link-worker referrals in its neighbourhood, found by the
  // same search the server checks a referral with (core's referralServiceProblem), so no card offers a
  // referral the server would refuse.
  const team = me.role === 'neighbourhood' ? me.user?.neighbourhoodId : undefined;
  const referable = useLoad(`directory-referable:${team ?? ''}`, () =>
    team ? api.directory({ neighbourhood: team, linkWorker: 'true' }).then((d) => new Set(d.services.map((s) => s.id))) : Promise.resolve(new Set<string>()),
  );
  return (
    <>
      <h1>Directory of community services</h1>
      <p className="lead">Groups, activities and advice people can join or be referred to: what exists, for whom, where and when.</p>
      <form
        className="controls"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: text.trim() });
        }}
      >
        <div className="field">
          <label htmlFor="directory-q">Search</label> <input id="directory-q" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. walking, carers" />{' '}
          <button type="submit">Search</button>
        </div>
        <SelectField id="directory-category" label="Category" value={category} onChange={(v) => set({ category: v })} items={result.data?.categories} any="Any" />
        <SelectField id="directory-place" label="Place" value={place} onChange={(v) => set({ place: v })} items={result.data?.places} optionLabel={(p) => p.name} any="Anywhere" />
        <div className="field">
          <label htmlFor="directory-age">Age</label> <input id="directory-age" className="short" inputMode="numeric" value={age} onChange={(e) => set({ age: e.target.value.replace(/\D/g, '') })} />
        </div>
      </form>
      {result.error && <Problem error={result.error} />}
      {result.loading && <p className="loading">Searching…</p>}
      {result.data && (
        <>
          <Toolbar>
            <p data-testid="directory-total">
              {result.data.total} service{result.data.total === 1 ? '' : 's'}
            </p>
            <CsvButton
              filename="directory.csv"
              columns={['id', 'name', 'organisation', 'areas', 'categories', 'schedule', 'cost', 'min_age', 'max_age', 'phone', 'email', 'url', 'self_referral', 'link_worker_referral', 'last_reviewed']}
              rows={() =>
                result.data!.services.map((s) => [s.id, s.name, s.organisation.name, s.areaNames.join('; '), s.categories.join('; '), s.schedule, s.cost, s.eligibility.minAge ?? '', s.eligibility.maxAge ?? '', s.contact.phone ?? '', s.contact.email ?? '', s.contact.url ?? '', s.referral.self, s.referral.linkWorker, s.lastReviewed])
              }
            />
            <a href="/api/oruk/services" className="button secondary">
              Open Referral UK feed
            </a>
          </Toolbar>
          <div className="service-list">
            {result.data.services.map((s) => (
              <ServiceCard key={s.id} s={s} canRefer={referable.data?.has(s.id) ?? false} reasons={result.data!.referralReasons} />
            ))}
          </div>
        </>
      )}
    </>
  );
};
