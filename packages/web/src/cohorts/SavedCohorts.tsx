/**
 * Saving cohorts in the cohort builder: "Save cohort" (name, description, who to share it with) and
 * "Save as new version" of one's own saved cohort; the saved cohorts one may see, to open; the open
 * saved cohort's version history (any version opens), its sharing and archiving for its owner, and a
 * link to its worklist. The server keeps every version and audits every change (docs/cohorts.md).
 */
import { useEffect, useState } from 'react';
import { api, type CohortDefinition, type CohortSharing, type SavedCohort } from '../api.js';
import { ErrorText } from '../components/common.js';
import { sendToWorklist } from './handoff.js';
import { SHARINGS, saveInput, sharingLabel, type ListedCohort } from './saved.js';

export interface SavedCohortsProps {
  readonly role: string;
  /** The saved cohorts the user may see (GET /api/cohorts, source 'saved'). */
  readonly saved: readonly ListedCohort[];
  /** The name typed in the builder. */
  readonly title: string;
  /** The definition the builder counts (null while the criteria have a problem). */
  readonly definition: CohortDefinition | null;
  /** The cohort the builder started from (id, '' for none) and the version open. */
  readonly openId: string;
  readonly openVersion: number | null;
  /** Where the worklist of the open version is (the builder's link). */
  readonly worklistHref: string;
  /** Opens a version of a saved cohort in the builder (`latest`: it is the cohort's latest). */
  readonly onOpen: (definition: CohortDefinition, latest: boolean) => void;
  /** After a save, share or archive: the list is read again. */
  readonly onChanged: () => void;
}

export const SavedCohorts = ({ role, saved, title, definition, openId, openVersion, worklistHref, onOpen, onChanged }: SavedCohortsProps) => {
  const [description, setDescription] = useState('');
  const [sharing, setSharing] = useState<CohortSharing>('private');
  const [status, setStatus] = useState<{ message?: string; error?: string }>({});
  const [detail, setDetail] = useState<SavedCohort | null>(null);
  const [busy, setBusy] = useState(false);
  const listedOpen = saved.find((c) => c.id === openId);

  // The open saved cohort's versions (read again after each save).
  useEffect(() => {
    let live = true;
    if (!listedOpen) {
      setDetail(null);
      return;
    }
    api.savedCohort(openId).then(
      (d) => live && setDetail(d),
      () => live && setDetail(null),
    );
    return () => {
      live = false;
    };
  }, [openId, listedOpen?.version, listedOpen?.saved?.sharing]);

  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    setStatus({});
    try {
      setStatus({ message: await what() });
      onChanged();
    } catch (error) {
      setStatus({ error: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const input = saveInput(title, description, definition);
  const save = () =>
    run(async () => {
      if (typeof input === 'string') throw new Error(input);
      const made = await api.saveCohort({ ...input, sharing });
      const latest = made.versions[0]!;
      onOpen(latest.definition as CohortDefinition, true);
      return `Saved “${latest.title}” as ${made.id}, version ${made.latestVersion} (${sharingLabel(made.sharing, role).toLowerCase()}).`;
    });
  const mine = detail !== null && detail.mine;
  const saveVersion = () =>
    run(async () => {
      if (typeof input === 'string') throw new Error(input);
      if (detail === null) throw new Error('open one of your saved cohorts first');
      const made = await api.saveCohortVersion(detail.id, { ...input, ...(description.trim() ? {} : { description: detail.versions[0]!.description }), basedOn: detail.latestVersion });
      const latest = made.versions[0]!;
      onOpen(latest.definition as CohortDefinition, true);
      setDetail(made);
      return `Saved “${latest.title}” as version ${made.latestVersion} of ${made.id}.`;
    });
  const share = (next: CohortSharing) =>
    run(async () => {
      const made = await api.shareCohort(openId, next);
      setDetail(made);
      return `${made.id} is now shared with: ${sharingLabel(made.sharing, role).toLowerCase()}.`;
    });
  const archive = () =>
    run(async () => {
      const gone = await api.archiveCohort(openId);
      return `Archived ${gone.id}: its ${gone.versions} versions are kept, and it is no longer listed.`;
    });
  const openSaved = async (id: string, version?: number) => {
    const d = await api.savedCohort(id);
    const v = version === undefined ? d.versions[0]! : d.versions.find((x) => x.version === version)!;
    setDetail(d);
    onOpen(v.definition as CohortDefinition, v.version === d.latestVersion);
  };

  return (
    <section className="panel saved-cohorts" aria-label="Saved cohorts">
      <h2>Save and share</h2>
      <p className="field">
        <label htmlFor="save-description">Description </label>
        <textarea id="save-description" rows={2} value={description} placeholder="What the cohort is for (optional)" onChange={(e) => setDescription(e.target.value)} />
      </p>
      <p className="field">
        <label htmlFor="save-sharing">Share with </label>
        <select id="save-sharing" value={sharing} onChange={(e) => setSharing(e.target.value as CohortSharing)}>
          {SHARINGS.map((s) => (
            <option key={s} value={s}>
              {sharingLabel(s, role)}
            </option>
          ))}
        </select>
      </p>
      <p className="actions">
        <button type="button" disabled={busy || typeof input === 'string'} onClick={() => void save()} title={typeof input === 'string' ? input : 'Save these criteria as a new cohort, version 1'}>
          Save cohort
        </button>{' '}
        {mine && (
          <button type="button" disabled={busy || typeof input === 'string'} onClick={() => void saveVersion()}>
            Save as new version
          </button>
        )}
      </p>
      <p className="note">The name is the title above. Saving again as a new version keeps every earlier version; each save is recorded in the audit log.</p>
      {status.message && (
        <p className="notice" role="status" data-testid="save-status">
          {status.message}
        </p>
      )}
      <ErrorText message={status.error} />

      <h3>Saved cohorts</h3>
      {saved.length === 0 ? (
        <p className="note">No saved cohorts yet.</p>
      ) : (
        <ul className="saved-list" data-testid="saved-cohorts">
          {saved.map((c) => (
            <li key={c.id}>
              <button type="button" className="link" onClick={() => void openSaved(c.id)} aria-label={`Open ${c.title}`}>
                {c.title}
              </button>{' '}
              <span className="note">
                version {c.version}, {c.saved?.mine ? 'yours' : `by ${c.saved?.owner ?? 'someone'}`}, {sharingLabel(c.saved?.sharing ?? 'private', role).toLowerCase()}
              </span>
            </li>
          ))}
        </ul>
      )}

      {detail && (
        <div data-testid="cohort-history">
          <h3>
            {detail.versions[0]!.title} <span className="note">({detail.id})</span>
          </h3>
          <p>
            <a className="button" href={worklistHref} onClick={() => definition && sendToWorklist(definition)}>
              Use for a worklist{openVersion !== null ? ` (version ${openVersion})` : ''}
            </a>
          </p>
          {mine && (
            <p className="field">
              <label htmlFor="saved-sharing">Shared with </label>
              <select id="saved-sharing" value={detail.sharing} disabled={busy} onChange={(e) => void share(e.target.value as CohortSharing)}>
                {SHARINGS.map((s) => (
                  <option key={s} value={s}>
                    {sharingLabel(s, role)}
                  </option>
                ))}
              </select>{' '}
              <button type="button" disabled={busy} onClick={() => void archive()}>
                Archive
              </button>
            </p>
          )}
          <table className="data" data-testid="cohort-versions">
            <caption>Version history</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Name</th>
                <th scope="col">Saved by</th>
                <th scope="col">Saved at</th>
                <th scope="col">
                  <span className="visually-hidden">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {detail.versions.map((v) => (
                <tr key={v.version} aria-current={v.version === openVersion && detail.id === openId ? 'true' : undefined}>
                  <td>{v.version}</td>
                  <td>{v.title}</td>
                  <td>{v.savedBy}</td>
                  <td>{v.savedAt.replace('T', ' ').replace('Z', ' UTC')}</td>
                  <td>
                    <button type="button" className="link" onClick={() => void openSaved(detail.id, v.version)}>
                      Open version {v.version}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};
