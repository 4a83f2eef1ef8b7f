import { useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../api.js';
import { exportSvgAsPng } from '../export.js';

/** A CSV download of a table from the API (the browser sends the session cookie). */
export const CsvLink = ({ href, label = 'Download CSV' }: { href: string; label?: string }) => (
  <a className="button secondary" href={href} download>
    {label}
  </a>
);

export const PngButton = ({ target, filename }: { target: () => SVGSVGElement | null; filename: string }) => {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button type="button" className="secondary" onClick={() => exportSvgAsPng(target(), filename).catch((e: Error) => setError(e.message))}>
        Save chart as PNG
      </button>
      {error && <span className="error">{error}</span>}
    </>
  );
};

export const Toolbar = ({ children }: { children: ReactNode }) => <div className="toolbar">{children}</div>;

/** Loads data for a key; re-runs when the key changes. */
export const useLoad = <T,>(key: string, load: () => Promise<T>): { data: T | undefined; error: ApiError | Error | undefined; loading: boolean } => {
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
  return { data: current ? state.data : undefined, error: current ? state.error : undefined, loading: !current };
};

export const Problem = ({ error }: { error: Error }) => (
  <p className="error" role="alert">
    {error.message}
  </p>
);

export const DisclosureNote = ({ rule }: { rule: string }) => (
  <p className="note">
    Disclosure control: {rule}. Suppressed counts are shown as <strong>c</strong>.
  </p>
);
