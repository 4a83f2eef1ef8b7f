import { useMemo, useRef, useState } from 'react';
import { api, fmtCount, type FeatureCollection } from '../api.js';
import { DECILE_COLOURS } from '../components/areas.js';
import { DisclosureNote, PngButton, Problem, SelectField, Toolbar, useLoad } from '../components/common.js';
import { bounds, fitProjection, pathOf, type MultiPolygon } from '../geo.js';

type Feature = FeatureCollection['features'][number];
type Selection = { type: 'lsoa' | 'neighbourhood'; id: string } | null;

const WIDTH = 760;
const HEIGHT = 640;

const AreaProfile = ({
  selection,
  lsoas,
  neighbourhoods,
  placeName,
  onSelect,
}: {
  selection: NonNullable<Selection>;
  lsoas: Map<string, Feature>;
  neighbourhoods: Map<string, Feature>;
  placeName: (id: string) => string;
  onSelect: (s: Selection) => void;
}) => {
  const area = `${selection.type}:${selection.id}`;
  const summary = useLoad(`profile:${area}`, () => api.population(area));
  const feature = selection.type === 'lsoa' ? lsoas.get(selection.id) : neighbourhoods.get(selection.id);
  const p = feature?.properties ?? {};
  const neighbourhood = selection.type === 'lsoa' ? neighbourhoods.get(String(p.neighbourhoodId)) : undefined;
  return (
    <aside className="panel profile" aria-live="polite" data-testid="area-profile">
      <h2>{String(p.name ?? selection.id)}</h2>
      <dl>
        <dt>{selection.type === 'lsoa' ? 'LSOA' : 'Neighbourhood'}</dt>
        <dd>{selection.id}</dd>
        {selection.type === 'lsoa' && (
          <>
            <dt>IMD 2019 decile</dt>
            <dd>
              <span className="swatch" style={{ background: DECILE_COLOURS[Number(p.imdDecile) - 1] }} /> {String(p.imdDecile)} (rank {Number(p.imdRank).toLocaleString('en-GB')} of 32,844)
            </dd>
            <dt>Neighbourhood</dt>
            <dd>
              {String(neighbourhood?.properties.name ?? p.neighbourhoodId)}{' '}
              {p.neighbourhoodId ? (
                <button type="button" className="secondary small" onClick={() => onSelect({ type: 'neighbourhood', id: String(p.neighbourhoodId) })}>
                  Neighbourhood profile
                </button>
              ) : null}
            </dd>
          </>
        )}
        <dt>Place</dt>
        <dd>{p.place ? placeName(String(p.place)) : ''}</dd>
        <dt>Resident population (mid-2015)</dt>
        <dd>{Number(p.population).toLocaleString('en-GB')}</dd>
        <dt>People in the data (end of window)</dt>
        <dd data-testid="profile-people">{summary.data ? fmtCount(summary.data.total) : summary.error ? '–' : '…'}</dd>
      </dl>
      {summary.error && <Problem error={summary.error} />}
      {summary.data && selection.type === 'neighbourhood' && (
        <>
          <h3>People by IMD decile</h3>
          <ul className="deciles">
            {summary.data.byImdDecile
              .filter((d) => d.count !== 0)
              .map((d) => (
                <li key={d.imdDecile}>
                  <span className="swatch" style={{ background: DECILE_COLOURS[d.imdDecile - 1] }} /> decile {d.imdDecile}: {fmtCount(d.count)}
                </li>
              ))}
          </ul>
        </>
      )}
      {summary.data && <DisclosureNote rule={summary.data.disclosure.rule} />}
      <ul className="links" data-testid="profile-links">
        <li>
          <a href={`#/population?area=${encodeURIComponent(area)}`}>Population profile of this area</a> (age and sex, segments, frailty and multimorbidity)
        </li>
        {p.place ? (
          <li>
            <a href={`#/dashboard?area=${encodeURIComponent(`place:${String(p.place)}`)}`}>Outcomes dashboard for {placeName(String(p.place))}</a>
          </li>
        ) : null}
      </ul>
    </aside>
  );
};

export const MapPage = () => {
  const lsoaFc = useLoad('lsoa.geojson', api.lsoaBoundaries);
  const nbFc = useLoad('neighbourhoods.geojson', api.neighbourhoodBoundaries);
  const geography = useLoad('geography', api.geography);
  const [zoom, setZoom] = useState('ics');
  const [showNeighbourhoods, setShowNeighbourhoods] = useState(true);
  const [selection, setSelection] = useState<Selection>(null);
  const svg = useRef<SVGSVGElement>(null);

  const lsoas = useMemo(() => new Map((lsoaFc.data?.features ?? []).map((f) => [f.id, f])), [lsoaFc.data]);
  const neighbourhoods = useMemo(() => new Map((nbFc.data?.features ?? []).map((f) => [f.id, f])), [nbFc.data]);

  const drawn = useMemo(() => {
    if (!lsoaFc.data) return null;
    const inZoom = (f: Feature) => zoom === 'ics' || f.properties.place === zoom;
    const lsoaFeatures = lsoaFc.data.features.filter(inZoom);
    const project = fitProjection(bounds(lsoaFeatures.map((f) => f.geometry.coordinates as MultiPolygon)), WIDTH, HEIGHT);
    return {
      lsoas: lsoaFeatures.map((f) => ({ f, d: pathOf(f.geometry.coordinates as MultiPolygon, project) })),
      neighbourhoods: (nbFc.data?.features ?? []).filter(inZoom).map((f) => ({ f, d: pathOf(f.geometry.coordinates as MultiPolygon, project) })),
    };
  }, [lsoaFc.data, nbFc.data, zoom]);

  const error = lsoaFc.error ?? nbFc.error ?? geography.error;
  const attribution = lsoaFc.data?.metadata.attribution ?? geography.data?.metadata.attribution;
  const selectedNeighbourhood = selection?.type === 'neighbourhood' ? selection.id : selection ? String(lsoas.get(selection.id)?.properties.neighbourhoodId ?? '') : '';
  const zoomName = zoom === 'ics' ? 'the ICS' : (geography.data?.places.find((p) => p.id === zoom)?.name ?? zoom);

  return (
    <section>
      <h1>Map</h1>
      <p>Small areas (LSOAs) coloured by IMD 2019 decile, with neighbourhood boundaries. Click an area, or choose one below, for its profile.</p>
      {error && <Problem error={error} />}
      <div className="controls">
        <SelectField id="zoom" label="Show" value={zoom} onChange={setZoom} items={[{ id: 'ics', name: 'Whole ICS' }, ...(geography.data?.places ?? [])]} optionLabel={(p) => p.name} inline />
        <SelectField
          id="neighbourhood"
          label="Neighbourhood profile"
          value={selectedNeighbourhood}
          onChange={(id) => setSelection(id ? { type: 'neighbourhood', id } : null)}
          items={geography.data?.neighbourhoods.filter((n) => zoom === 'ics' || n.place === zoom)}
          optionLabel={(n) => n.name}
          any="Choose…"
          inline
        />
        {selectedNeighbourhood && (
          <SelectField
            id="lsoa"
            label="LSOA"
            value={selection?.type === 'lsoa' ? selection.id : ''}
            onChange={(id) => setSelection(id ? { type: 'lsoa', id } : { type: 'neighbourhood', id: selectedNeighbourhood })}
            items={[...lsoas.values()].filter((f) => f.properties.neighbourhoodId === selectedNeighbourhood)}
            optionLabel={(f) => String(f.properties.name)}
            any="All of the neighbourhood"
            inline
          />
        )}
        <span className="field">
          <input id="show-nb" type="checkbox" checked={showNeighbourhoods} onChange={(e) => setShowNeighbourhoods(e.target.checked)} />
          <label htmlFor="show-nb"> Neighbourhood boundaries</label>
        </span>
      </div>
      <div className="map-layout">
        <figure className="map">
          {!drawn && !error && <p className="loading">Loading boundaries…</p>}
          {drawn && (
            <svg ref={svg} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Map of ${zoomName}: LSOAs by IMD decile`} fontFamily="system-ui, sans-serif" data-testid="map">
              <rect x={0} y={0} width={WIDTH} height={HEIGHT} fill="#ffffff" />
              <g>
                {drawn.lsoas.map(({ f, d }) => (
                  <path
                    key={f.id}
                    d={d}
                    fillRule="evenodd"
                    fill={DECILE_COLOURS[Number(f.properties.imdDecile) - 1] ?? '#cccccc'}
                    stroke="#ffffff"
                    strokeWidth={0.3}
                    data-lsoa={f.id}
                    onClick={() => setSelection({ type: 'lsoa', id: f.id })}
                    className="area"
                  >
                    <title>{`${String(f.properties.name)}: IMD decile ${String(f.properties.imdDecile)}`}</title>
                  </path>
                ))}
              </g>
              {showNeighbourhoods && (
                <g pointerEvents="none">
                  {drawn.neighbourhoods.map(({ f, d }) => (
                    <path key={f.id} d={d} fill="none" fillRule="evenodd" stroke="#111111" strokeWidth={f.id === selectedNeighbourhood ? 2.6 : 0.9} />
                  ))}
                </g>
              )}
              {selection?.type === 'lsoa' && drawn.lsoas.find((x) => x.f.id === selection.id) && (
                <path d={drawn.lsoas.find((x) => x.f.id === selection.id)!.d} fill="none" stroke="#ff6a00" strokeWidth={2.5} pointerEvents="none" />
              )}
              <text x={8} y={HEIGHT - 8} fontSize={10} fill="#1a1a1a">
                {attribution ? attribution.split(';')[0] : ''}
              </text>
            </svg>
          )}
          <figcaption>
            <ul className="legend" aria-label="IMD 2019 decile">
              {DECILE_COLOURS.map((c, i) => (
                <li key={c}>
                  <span className="swatch" style={{ background: c }} /> {i + 1}
                  {i === 0 ? ' most deprived' : i === 9 ? ' least deprived' : ''}
                </li>
              ))}
            </ul>
            <p className="attribution" data-testid="attribution">
              {attribution}
            </p>
          </figcaption>
          <Toolbar>
            <PngButton target={() => svg.current} filename={`map-${zoom}.png`} />
          </Toolbar>
        </figure>
        {selection ? (
          <AreaProfile
            selection={selection}
            lsoas={lsoas}
            neighbourhoods={neighbourhoods}
            placeName={(id) => geography.data?.places.find((x) => x.id === id)?.name ?? id}
            onSelect={setSelection}
          />
        ) : (
          <aside className="panel profile">
            <h2>Area profile</h2>
            <p>Click an area on the map or choose a neighbourhood.</p>
          </aside>
        )}
      </div>
    </section>
  );
};
