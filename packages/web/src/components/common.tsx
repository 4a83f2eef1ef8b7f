import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api.js';
import { downloadCsv, exportSvgAsPng, type CsvCell } from '../export.js';
import { hashOf, paramsOfHash } from '../hash.js';

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

/** What useLoad gives a page: the data, or the error, and whether a load is on its way. */
export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: ApiError | Error | undefined;
  readonly loading: boolean;
}

/** Loads once per key. With `keep`, the last data stays shown while a new key loads (a reload after a change keeps the page in place). */
export const useLoad = <T,>(key: string, load: () => Promise<T>, keep = false): Loaded<T> => {
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

/** A message the page must announce (a refusal, a failed save); nothing when there is none. */
export const ErrorText = ({ message }: { message: ReactNode }) =>
  message ? (
    <p className="error" role="alert">
      {message}
    </p>
  ) : null;

export const Problem = ({ error }: { error: Error }) => <ErrorText message={error.message} />;

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
export const hashParams = (): URLSearchParams => paramsOfHash(window.location.hash);
export const setHashParams = (page: string, params: Record<string, string | undefined>, replace = true): void => {
  const hash = hashOf(page, params);
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
  return paramsOfHash(hash);
};

/**
 * The submit handler of a form that saves through the API: the server's refusal is kept to show
 * (FormFooter or ErrorText), and `busy` is set while the save is on its way.
 */
export const useSubmit = (save: () => Promise<unknown>): { submit: (e?: FormEvent) => Promise<void>; error: string | null; busy: boolean } => {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Without an event it saves from a button outside a form (a row's Save, Discharge).
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await save();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { submit, error, busy };
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
    <ErrorText message={error} />
  </>
);

/** A choice in a select: its value and what it says. */
export interface Option {
  readonly id: string;
  readonly label: string;
}

/** Options from a table of labels by id (in the table's order). */
export const optionsOf = (labels: Readonly<Record<string, string>>): Option[] => Object.entries(labels).map(([id, label]) => ({ id, label }));

/** The options of a select, from any list with ids: named by `label`, else by their own label (or id). */
export const Options = <T extends { readonly id: string }>({ items, label }: { items: readonly T[] | undefined; label?: ((item: T) => ReactNode) | undefined }) => (
  <>
    {items?.map((x) => (
      <option key={x.id} value={x.id}>
        {label ? label(x) : ((x as Partial<Option>).label ?? x.id)}
      </option>
    ))}
  </>
);

/**
 * A labelled select in a .field (a div, or a span within a line of controls). `any` adds a first
 * option with the empty value ("All", "Any…").
 */
export const SelectField = <T extends { readonly id: string }>({
  id,
  label,
  value,
  onChange,
  items,
  optionLabel,
  any,
  inline = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  items?: readonly T[] | undefined;
  optionLabel?: (item: T) => ReactNode;
  any?: string;
  inline?: boolean;
}) => {
  // Inline, the space is inside the label, as in the other fields on a line of controls (Area, Place), so they line up alike.
  const Wrapper = inline ? 'span' : 'div';
  return (
    <Wrapper className="field">
      {inline ? (
        <label htmlFor={id}>{`${label} `}</label>
      ) : (
        <>
          <label htmlFor={id}>{label}</label>{' '}
        </>
      )}
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {any !== undefined && <option value="">{any}</option>}
        <Options items={items} label={optionLabel} />
      </select>
    </Wrapper>
  );
};

/** A select of the partnership's neighbourhoods (for analysts, who may look at any). */
export const NeighbourhoodSelect = ({ id, value, onChange, neighbourhoods }: { id: string; value: string; onChange: (v: string) => void; neighbourhoods: readonly { id: string; name: string }[] | undefined }) => (
  <SelectField id={id} label="Neighbourhood" value={value} onChange={onChange} items={neighbourhoods} optionLabel={(n) => n.name} any="All" />
);

/** A value with a note under it in smaller type (an action's priority, a person's neighbourhood). */
export const Noted = ({ children, note }: { children: ReactNode; note: ReactNode }) => (
  <>
    {children}
    <div className="note">{note}</div>
  </>
);

/** A pseudonymous person id linked to the person look-up (audited when followed). */
export const PersonLink = ({ id }: { id: string }) => <a href={`#/person?id=${encodeURIComponent(id)}`}>{id}</a>;

/** A list of sentences (conclusions, the changes in a version); `ordered` when the order matters to the reader. */
export const TextList = ({ items, ordered = false, testId }: { items: readonly string[]; ordered?: boolean; testId?: string }) => {
  const List = ordered ? 'ol' : 'ul';
  return (
    <List data-testid={testId}>
      {items.map((c, i) => (
        <li key={i}>{c}</li>
      ))}
    </List>
  );
};

/** A column heading: its words, and whether the column holds numbers (right-aligned). */
export type Heading = string | { readonly label: ReactNode; readonly num?: boolean; readonly key?: string };

/** The head of a table: one row of column headings. */
export const TableHead = ({ columns }: { columns: readonly (Heading | false | null | undefined)[] }) => (
  <thead>
    <tr>
      {columns.map((c, i) =>
        !c ? null : typeof c === 'string' ? (
          <th key={`${i}-${c}`} scope="col">
            {c}
          </th>
        ) : (
          <th key={c.key ?? i} scope="col" className={c.num ? 'num' : undefined}>
            {c.label}
          </th>
        ),
      )}
    </tr>
  </thead>
);

/** A column of numbers: right-aligned. */
export const num = (label: ReactNode, key?: string): Heading => ({ label, num: true, ...(key ? { key } : {}) });
