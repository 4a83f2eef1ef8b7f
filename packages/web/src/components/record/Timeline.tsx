/**
 * A person's timeline: every event of every care setting in one list, newest first, in words with
 * each code's term, filtered by kind and dates, 50 to a page. The first page comes with the record;
 * other pages and filters are read (and audited) as asked for.
 */
import { useState } from 'react';
import { api, type Timeline as TimelineT } from '../../api.js';
import { fmtDate } from '../../format.js';
import { Problem, TableHead, useLoad } from '../common.js';

interface Filters {
  readonly kinds: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly page: number;
}

const NONE: Filters = { kinds: [], from: '', to: '', page: 1 };
const keyOf = (f: Filters) => `${f.kinds.join(',')}|${f.from}|${f.to}|${f.page}`;

export const TimelineSection = ({ personId, first }: { personId: string; first: TimelineT | Omit<TimelineT, 'personId'> }) => {
  const [filters, setFilters] = useState<Filters>(NONE);
  const [draft, setDraft] = useState<Filters>(NONE);
  const unfiltered = keyOf(filters) === keyOf(NONE);
  const loaded = useLoad(`timeline:${personId}:${keyOf(filters)}`, () =>
    unfiltered ? Promise.resolve(first) : api.careTimeline(personId, { kind: filters.kinds.join(','), from: filters.from, to: filters.to, page: filters.page }),
  );
  const data = loaded.data;
  const apply = (f: Filters) => (setFilters(f), setDraft(f));
  return (
    <div data-testid="record-timeline">
      <form
        className="controls no-print"
        aria-label="Filter the timeline"
        onSubmit={(e) => {
          e.preventDefault();
          apply({ ...draft, page: 1 });
        }}
      >
        <fieldset className="kinds">
          <legend>Show</legend>
          {first.kinds.map((k) => {
            const count = first.counts.find((c) => c.kind === k.id)?.count ?? 0;
            return (
              <label key={k.id} className={count === 0 ? 'note' : undefined}>
                <input
                  type="checkbox"
                  checked={draft.kinds.includes(k.id)}
                  onChange={(e) => setDraft((d) => ({ ...d, kinds: e.target.checked ? [...d.kinds, k.id] : d.kinds.filter((x) => x !== k.id) }))}
                />{' '}
                {k.label} ({count})
              </label>
            );
          })}
        </fieldset>
        <span className="field">
          <label htmlFor="timeline-from">From </label>
          <input id="timeline-from" type="date" value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
        </span>
        <span className="field">
          <label htmlFor="timeline-to">To </label>
          <input id="timeline-to" type="date" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
        </span>
        <button type="submit">Show events</button>
        {!unfiltered && (
          <button type="button" className="secondary" onClick={() => apply(NONE)}>
            Clear filters
          </button>
        )}
      </form>
      {loaded.error && <Problem error={loaded.error} />}
      {!data ? (
        <p className="loading">Loading the timeline…</p>
      ) : (
        <>
          <p data-testid="timeline-summary">
            {data.total.toLocaleString('en-GB')} {data.total === 1 ? 'event' : 'events'}
            {data.filters.kinds.length > 0 ? ` (${data.filters.kinds.map((k) => first.kinds.find((x) => x.id === k)?.label.toLowerCase() ?? k).join(', ')})` : ''}
            {data.filters.from ? ` from ${fmtDate(data.filters.from)}` : ''}
            {data.filters.to ? ` to ${fmtDate(data.filters.to)}` : ''}; page {data.page} of {data.pages}.
          </p>
          {data.events.length > 0 && (
            <table data-testid="timeline-table">
              <TableHead columns={['Date', 'What', 'Detail']} />
              <tbody>
                {data.events.map((e, i) => (
                  <tr key={`${e.date}-${i}`}>
                    <td className="nowrap">{fmtDate(e.date)}</td>
                    <td>
                      {e.title}
                      <div className="note">{e.kindLabel}</div>
                    </td>
                    <td>{e.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {data.pages > 1 && (
            <nav className="toolbar no-print" aria-label="Timeline pages">
              <button type="button" className="secondary" disabled={data.page <= 1} onClick={() => apply({ ...filters, page: data.page - 1 })}>
                Newer
              </button>
              <span>
                Page {data.page} of {data.pages}
              </span>
              <button type="button" className="secondary" disabled={data.page >= data.pages} onClick={() => apply({ ...filters, page: data.page + 1 })}>
                Older
              </button>
            </nav>
          )}
        </>
      )}
    </div>
  );
};
