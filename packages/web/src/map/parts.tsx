/** The outcome map's parts: the postcode search, the table view, and an admin's rename form. */
import { useState, type FormEvent } from 'react';
import { ComparisonBadge } from '../components/charts.js';
import { ErrorText } from '../components/common.js';
import { fmtCi, fmtCountOrC, fmtValue } from '../dashboard/format.js';
import { mapApi, type NeighbourhoodName, type PostcodeArea } from './map-api.js';
import type { AreaFigure, Benchmark, MapLevel } from './outcome-map.js';
import { LEVEL_LABEL } from './outcome-map.js';

/** A postcode box: the areas of the postcode typed, or the server's reason in words. */
export const PostcodeSearch = ({ onFound }: { onFound: (area: PostcodeArea) => void }) => {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onFound(await mapApi.postcode(typed));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="postcode-search" onSubmit={(e) => void submit(e)} role="search" aria-label="Find an area by postcode">
      <label htmlFor="postcode">Find your area by postcode</label>{' '}
      <input id="postcode" name="postcode" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="postal-code" size={10} maxLength={16} placeholder="e.g. LS1 4DY" />{' '}
      <button type="submit" disabled={busy}>
        Find
      </button>
      <p className="hint">Only the areas are looked up: nothing about you or anyone else is stored.</p>
      {error && (
        <div data-testid="postcode-error">
          <ErrorText message={error} />
        </div>
      )}
    </form>
  );
};

/** What a postcode search found: the postcode's LSOA, neighbourhood and place, with where to go next. */
export const PostcodeFound = ({ found, onClose }: { found: PostcodeArea; onClose: () => void }) => (
  <div className="notice postcode-found" role="status" data-testid="postcode-found">
    <p>
      <strong>{found.postcode}</strong>
      {found.terminated ? ' (no longer in use)' : ''} is in small area <strong>{found.lsoa.name}</strong> ({found.lsoa.code})
      {found.neighbourhood ? (
        <>
          , in the <strong>{found.neighbourhood.name}</strong> neighbourhood
        </>
      ) : null}{' '}
      of <strong>{found.place.name}</strong>.
    </p>
    <ul className="links">
      <li>
        <a href={`#/dashboard?area=${encodeURIComponent(`place:${found.place.id}`)}`}>Outcomes dashboard for {found.place.name}</a>
      </li>
      {found.neighbourhood && (
        <li>
          <a href={`#/dashboard?profile=${encodeURIComponent(`neighbourhood:${found.neighbourhood.id}`)}`}>Area profile of {found.neighbourhood.name}</a>
        </li>
      )}
      <li>
        <a href={`#/population?area=${encodeURIComponent(`lsoa:${found.lsoa.code}`)}`}>Population of {found.lsoa.name}</a>
      </li>
    </ul>
    <p className="attribution">{found.metadata.attribution}</p>
    <button type="button" className="secondary small" onClick={onClose}>
      Clear
    </button>
  </div>
);

/** The table view: the same published figures the map colours, one row per area. */
export const OutcomeTable = ({
  figures,
  level,
  unit,
  against,
  highlight,
}: {
  figures: readonly AreaFigure[];
  level: MapLevel;
  unit: string;
  against: Benchmark;
  highlight: string | undefined;
}) => (
  <table className="data" data-testid="outcome-table">
    <caption className="visually-hidden">Published figures by {LEVEL_LABEL[level].toLowerCase()}</caption>
    <thead>
      <tr>
        <th scope="col">{LEVEL_LABEL[level]}</th>
        <th scope="col" className="num">
          Value{unit === '%' ? '' : ` (${unit})`}
        </th>
        <th scope="col">95% confidence interval</th>
        <th scope="col" className="num">
          Numerator
        </th>
        <th scope="col" className="num">
          Denominator
        </th>
        <th scope="col">Compared with {against === 'england' ? 'England' : 'the ICS'}</th>
        <th scope="col">Note</th>
      </tr>
    </thead>
    <tbody>
      {figures.map((f) => (
        <tr key={f.id} data-area={f.id} className={f.id === highlight ? 'highlight' : undefined} aria-current={f.id === highlight ? 'true' : undefined}>
          <th scope="row">{f.name}</th>
          <td className="num">{fmtValue(f.value, unit)}</td>
          <td>{fmtCi(f.lower95, f.upper95, unit)}</td>
          <td className="num">{fmtCountOrC(f.numerator)}</td>
          <td className="num">{fmtCountOrC(f.denominator)}</td>
          <td>
            <ComparisonBadge comparison={f.comparison} against={against === 'england' ? 'England' : 'ICS'} />
          </td>
          <td>{f.note}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** An admin renames a neighbourhood (or gives it its PCN's name back); the page reloads its names after. */
export const RenameNeighbourhood = ({ id, name, onRenamed }: { id: string; name: string; onRenamed: (n: NeighbourhoodName) => void }) => {
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const save = async (next: string | null) => {
    setError(null);
    try {
      onRenamed(await mapApi.renameNeighbourhood(id, next));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form
      className="rename"
      data-testid="rename-neighbourhood"
      onSubmit={(e) => {
        e.preventDefault();
        void save(value);
      }}
    >
      <label htmlFor="neighbourhood-name">Name (admins)</label> <input id="neighbourhood-name" value={value} onChange={(e) => setValue(e.target.value)} maxLength={100} />{' '}
      <button type="submit" className="small">
        Rename
      </button>{' '}
      <button type="button" className="secondary small" onClick={() => void save(null)}>
        Use the PCN's name
      </button>
      <ErrorText message={error} />
    </form>
  );
};
