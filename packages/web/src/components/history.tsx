/** The versions of a record (action, referral), fetched only when someone opens them. */
import { useState } from 'react';
import type { HistoryResponse } from '../api.js';
import { Problem, useLoad } from './common.js';

type Snapshot = HistoryResponse['history'][number]['snapshot'];

const Versions = ({ loadKey, load, describe }: { loadKey: string; load: () => Promise<HistoryResponse>; describe: (s: Snapshot) => string }) => {
  const h = useLoad(loadKey, load);
  if (h.error) return <Problem error={h.error} />;
  if (!h.data) return <p className="loading">Loading…</p>;
  return (
    <ol className="history">
      {h.data.history.map((v) => (
        <li key={v.version}>
          Version {v.version}, {v.changedAt.replace('T', ' ').replace('Z', ' UTC')} by {v.changedBy}: {describe(v.snapshot)}
        </li>
      ))}
    </ol>
  );
};

export const HistoryDetails = ({ loadKey, load, describe }: { loadKey: string; load: () => Promise<HistoryResponse>; describe: (s: Snapshot) => string }) => {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>History</summary>
      {open && <Versions loadKey={loadKey} load={load} describe={describe} />}
    </details>
  );
};
