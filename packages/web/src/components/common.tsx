import { useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../api.js';
import { downloadCsv, exportSvgAsPng, type CsvCell } from '../export.js';

/** A CSV download of a table from the API (the browser sends the session cookie). */
export const CsvLink = ({ href, label = 'Download CSV' }: { href: string; label?: string }) => (
  <a className="button secondary" href={href} download>
    {label}
  </a>
);

export const PngButton = ({ target, filename, label = 'Save chart as PNG', small = false }: { target: () => SVGSVGElement | null; filename: string; label?: string; small?: boolean }) => {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className={small ? 'secondary small' : 'secondary'}
        aria-label={small ? label : undefined}
        title={small ? label : undefined}
        onClick={() => exportSvgAsPng(target(), filename).catch((e: Error) => setError(e.message))}
      >
        {small ? 'PNG' : label}
      </button>
      {error && <span className="error">{error}</span>}
    </>
  );
};

export const Toolbar = ({ children }: { children: ReactNode }) => <div className="toolbar">{children}</div>;

/** Loads data for a key; re-runs when the key changes. */
/** Loads once per key. With `keep`, the last data stays shown while a new key loads (a reload after a change keeps the page in place). */
export const useLoad = <T,>(key: string, load: () => Promise<T>, keep = false): { data: T | undefined; error: ApiError | Error | undefined; loading: boolean } => {
  const [state, setState] = useState<{ key: string; data?: T; error?: Error }>({ key: '' });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ key, data }),
      (error: Error) => live && setState({ key, error }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const current = state.key === key;
  return { data: current || keep ? state.data : undefined, error: current ? state.error : undefined, loading: !current };
};

export const Problem = ({ error }: { error: Error }) => (
  <p className="error" role="alert">
    {error.message}
  </p>
);

/** How the figures on a page are protected, in words (the rule comes from the API's disclosure block). */
export const DisclosureNote = ({ rule }: { rule: string }) => (
  <p className="note" data-testid="disclosure-note">
    How these figures are protected: {rule} Withheld counts are shown as <strong>c</strong>.
  </p>
);

/** A CSV download of a table built in the browser (for responses that are not tables on the server). */
export const CsvButton = ({ filename, columns, rows, label = 'Download CSV' }: { filename: string; columns: readonly string[]; rows: () => readonly (readonly CsvCell[])[]; label?: string }) => (
  <button type="button" className="secondary" onClick={() => downloadCsv(filename, columns, rows())}>
    {label}
  </button>
);

/** A published count for tables: suppressed counts show as [c] (with an explanation in the note below the table). */
export const fmtPublished = (n: number | null | undefined, suppressed = false): string =>
  suppressed || n === null || n === undefined ? '[c]' : n.toLocaleString('en-GB');
/** A count for CSV files: '[c]' when suppressed, as in the API's CSV downloads. */
export const csvCount = (n: number | null | undefined, suppressed = false): string | number => (suppressed || n === null || n === undefined ? '[c]' : n);
/** A share (0-1) as a percentage. */
export const fmtShare = (share: number | null | undefined, suppressed = false): string =>
  suppressed || share === null || share === undefined ? '[c]' : `${(share * 100).toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;

/** Under a table: what [c] means and how the other figures are protected (the rule in the API's words when given). */
export const SuppressionNote = ({ rule }: { rule?: string }) => (
  <p className="note" data-testid="suppression-note">
    <strong>[c]</strong> = withheld.{' '}
    {rule ??
      'A count small enough to identify someone (1 to 7 people, or 1 to 7 left out of a percentage) is not published; every other count carries a small fixed noise of a few people (cell-key perturbation, the method of the 2021 Census), and percentages and rates are worked out from the published counts.'}{' '}
    The same group of people always gets the same figure, on every page and in every download, so figures cannot be subtracted from each
    other to reveal a small count; parts may not add up exactly to totals.
  </p>
);

/** The query part of the location hash (#/page?key=value): read and update without reloading. */
export const hashParams = (): URLSearchParams => new URLSearchParams(window.location.hash.split('?')[1] ?? '');
export const setHashParams = (page: string, params: Record<string, string | undefined>, replace = true): void => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const text = q.toString();
  const hash = `#/${page}${text ? `?${text}` : ''}`;
  if (window.location.hash === hash) return;
  if (replace) window.history.replaceState(null, '', hash);
  else window.location.hash = hash;
};
/** Re-renders when the hash changes; returns the current query parameters. */
export const useHashParams = (): URLSearchParams => {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    window.addEventListener('popstate', on);
    return () => {
      window.removeEventListener('hashchange', on);
      window.removeEventListener('popstate', on);
    };
  }, []);
  return new URLSearchParams(hash.split('?')[1] ?? '');
};

/** The end of an add or edit form: submit, cancel, and the server's refusal if any. */
export const FormFooter = ({ submitLabel, onCancel, error, busy = false }: { submitLabel: string; onCancel?: (() => void) | undefined; error: string | null; busy?: boolean }) => (
  <>
    <div className="toolbar">
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
      {onCancel && (
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
    {error && (
      <p className="error" role="alert">
        {error}
      </p>
    )}
  </>
);

/** A select of the partnership's neighbourhoods (for analysts, who may look at any). */
export const NeighbourhoodSelect = ({ id, value, onChange, neighbourhoods }: { id: string; value: string; onChange: (v: string) => void; neighbourhoods: readonly { id: string; name: string }[] | undefined }) => (
  <div className="field">
    <label htmlFor={id}>Neighbourhood</label>{' '}
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">All</option>
      {neighbourhoods?.map((n) => (
        <option key={n.id} value={n.id}>
          {n.name}
        </option>
      ))}
    </select>
  </div>
);
