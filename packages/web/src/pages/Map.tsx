/**
 * The map: small areas coloured by deprivation, or any indicator mapped by place, neighbourhood or
 * LSOA (where the indicator is published at that level), coloured by its comparison with the ICS or
 * England (Fingertips colours) or by value, with a legend and a table of the same published figures;
 * postcode search jumps to an area; admins rename neighbourhoods. docs/how-to/outcome-maps.md.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, fmtCount, type FeatureCollection, type Me } from '../api.js';
import { DECILE_COLOURS } from '../components/areas.js';
import { CsvLink, DisclosureNote, hashParams, PngButton, Problem, SelectField, setHashParams, Toolbar, useLoad } from '../components/common.js';
import { ComparisonBadge } from '../components/charts.js';
import { ENGLAND_NOTE } from '../dashboard/england.js';
import { fmtCi, fmtValue } from '../dashboard/format.js';
import { bounds, fitProjection, pathOf, type MultiPolygon } from '../geo.js';
import { mapApi, type PostcodeArea } from '../map/map-api.js';
import { LEVEL_LABEL, areaFigures, fillOf, legendBreaks, legendOf, levelsOf, type AreaFigure, type Benchmark, type Colouring, type MapLevel } from '../map/outcome-map.js';
import { OutcomeTable, PostcodeFound, PostcodeSearch, RenameNeighbourhood } from '../map/parts.js';

type Feature = FeatureCollection['features'][number];
type Selection = { type: 'lsoa' | 'neighbourhood' | 'place'; id: string } | null;

const WIDTH = 760;
const HEIGHT = 640;
/** Heights of the bands above (title) and below (attribution) the areas. */
const TITLE_BAND = 30;
const CAPTION_BAND = 20;

/** The figure of the mapped indicator for the selected area, in words and colour. */
const FigureLine = ({ label, figure, unit, against }: { label: string; figure: AreaFigure | undefined; unit: string; against: Benchmark }) =>
  figure === undefined ? null : (
    <>
      <dt>{label}</dt>
      <dd data-testid="profile-figure">
        {fmtValue(figure.value, unit)} {figure.value !== null ? `(${fmtCi(figure.lower95, figure.upper95, unit)})` : `(${figure.note || 'withheld'})`}{' '}
        <ComparisonBadge comparison={figure.comparison} against={against === 'england' ? 'England' : 'ICS'} />
      </dd>
    </>
  );

const AreaProfile = ({
  selection,
  lsoas,
  neighbourhoods,
  placeName,
  onSelect,
  mapped,
  isAdmin,
  onRenamed,
}: {
  selection: NonNullable<Selection>;
  lsoas: Map<string, Feature>;
  neighbourhoods: Map<string, Feature>;
  placeName: (id: string) => string;
  onSelect: (s: Selection) => void;
  mapped: { title: string; unit: string; against: Benchmark; level: MapLevel; figureOf: (level: MapLevel, id: string) => AreaFigure | undefined } | null;
  isAdmin: boolean;
  onRenamed: () => void;
}) => {
  const area = `${selection.type}:${selection.id}`;
  const summary = useLoad(`profile:${area}`, () => api.population(area));
  const feature = selection.type === 'lsoa' ? lsoas.get(selection.id) : selection.type === 'neighbourhood' ? neighbourhoods.get(selection.id) : undefined;
  const p = feature?.properties ?? {};
  const neighbourhood = selection.type === 'lsoa' ? neighbourhoods.get(String(p.neighbourhoodId)) : undefined;
  const place = selection.type === 'place' ? selection.id : p.place ? String(p.place) : '';
  const name = selection.type === 'place' ? placeName(selection.id) : String(p.name ?? selection.id);
  // The mapped figure at the level shown, for this area or the area it lies in.
  const figureHere = (() => {
    if (!mapped) return undefined;
    const id = mapped.level === 'place' ? place : mapped.level === 'neighbourhood' ? (selection.type === 'neighbourhood' ? selection.id : String(p.neighbourhoodId ?? '')) : selection.type === 'lsoa' ? selection.id : '';
    return id ? mapped.figureOf(mapped.level, id) : undefined;
  })();
  return (
    <aside className="panel profile" aria-live="polite" data-testid="area-profile">
      <h2>{name}</h2>
      <dl>
        <dt>{selection.type === 'lsoa' ? 'LSOA' : selection.type === 'neighbourhood' ? 'Neighbourhood' : 'Place'}</dt>
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
        {selection.type !== 'place' && (
          <>
            <dt>Place</dt>
            <dd>{place ? placeName(place) : ''}</dd>
            <dt>Resident population (mid-2015)</dt>
            <dd>{Number(p.population).toLocaleString('en-GB')}</dd>
          </>
        )}
        <dt>People in the data (end of window)</dt>
        <dd data-testid="profile-people">{summary.data ? fmtCount(summary.data.total) : summary.error ? '–' : '…'}</dd>
        {mapped && <FigureLine label={`${mapped.title}${mapped.level !== selection.type ? ` (${LEVEL_LABEL[mapped.level].toLowerCase()})` : ''}`} figure={figureHere} unit={mapped.unit} against={mapped.against} />}
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
      {isAdmin && selection.type === 'neighbourhood' && <RenameNeighbourhood key={`${selection.id}:${name}`} id={selection.id} name={name} onRenamed={onRenamed} />}
      <ul className="links" data-testid="profile-links">
        <li>
          <a href={`#/population?area=${encodeURIComponent(area)}`}>Population profile of this area</a> (age and sex, segments, frailty and multimorbidity)
        </li>
        {place ? (
          <li>
            <a href={`#/dashboard?area=${encodeURIComponent(`place:${place}`)}`}>Outcomes dashboard for {placeName(place)}</a>
          </li>
        ) : null}
      </ul>
    </aside>
  );
};

const isLevel = (v: string | null): v is MapLevel => v === 'place' || v === 'neighbourhood' || v === 'lsoa';

export const MapPage = ({ me }: { me?: Me | undefined } = {}) => {
  const initial = useMemo(() => hashParams(), []);
  const [reload, setReload] = useState(0);
  const lsoaFc = useLoad('lsoa.geojson', api.lsoaBoundaries);
  const nbFc = useLoad(`neighbourhoods.geojson:${reload}`, api.neighbourhoodBoundaries, true);
  const geography = useLoad(`geography:${reload}`, api.geography, true);
  const catalogue = useLoad('indicators', api.indicators);
  const [indicatorId, setIndicatorId] = useState(initial.get('indicator') ?? '');
  const [levelWanted, setLevel] = useState<MapLevel>(isLevel(initial.get('level')) ? (initial.get('level') as MapLevel) : 'place');
  const [against, setAgainst] = useState<Benchmark>(initial.get('against') === 'england' ? 'england' : 'ics');
  const [colouring, setColouring] = useState<Colouring>(initial.get('colour') === 'value' ? 'value' : 'significance');
  const [view, setView] = useState<'map' | 'table'>(initial.get('view') === 'table' ? 'table' : 'map');
  const [zoom, setZoom] = useState('ics');
  const [showNeighbourhoods, setShowNeighbourhoods] = useState(true);
  const [selection, setSelection] = useState<Selection>(null);
  const [found, setFound] = useState<PostcodeArea | null>(null);
  const svg = useRef<SVGSVGElement>(null);

  const definition = catalogue.data?.indicators.find((i) => i.id === indicatorId);
  const levels = definition ? levelsOf(definition.breakdowns) : [];
  const level: MapLevel = levels.includes(levelWanted) ? levelWanted : (levels[0] ?? 'place');
  const mapping = definition !== undefined && levels.length > 0;

  useEffect(() => {
    setHashParams('map', {
      indicator: indicatorId || undefined,
      level: indicatorId ? level : undefined,
      against: indicatorId && against === 'england' ? 'england' : undefined,
      colour: indicatorId && colouring === 'value' ? 'value' : undefined,
      view: indicatorId && view === 'table' ? 'table' : undefined,
    });
  }, [indicatorId, level, against, colouring, view]);

  const results = useLoad(`results:${indicatorId}:${level}`, () => (mapping ? api.indicatorResults(indicatorId, level) : Promise.resolve(null)));
  const icsResults = useLoad(`results:${indicatorId}:ics`, () => (mapping ? api.indicatorResults(indicatorId, 'ics') : Promise.resolve(null)));
  const icsDashboard = useLoad(`dashboard:ics:${against}`, () => (against === 'england' ? api.dashboard('ics') : Promise.resolve(null)));

  const lsoas = useMemo(() => new Map((lsoaFc.data?.features ?? []).map((f) => [f.id, f])), [lsoaFc.data]);
  const neighbourhoods = useMemo(() => new Map((nbFc.data?.features ?? []).map((f) => [f.id, f])), [nbFc.data]);
  const placeName = (id: string) => geography.data?.places.find((x) => x.id === id)?.name ?? id;

  const england = icsDashboard.data?.indicators.find((i) => i.id === indicatorId)?.england ?? null;
  const icsRow = icsResults.data?.rows.find((r) => r.group === 'ICS');
  const benchmarkValue = against === 'england' ? (england?.value ?? null) : (icsRow?.value ?? null);
  const figures = useMemo((): AreaFigure[] => {
    if (!mapping || !results.data) return [];
    const nameOf = (id: string): string | undefined =>
      level === 'place' ? geography.data?.places.find((p) => p.id === id)?.name : level === 'neighbourhood' ? geography.data?.neighbourhoods.find((n) => n.id === id)?.name : lsoas.get(id) ? String(lsoas.get(id)!.properties.name) : undefined;
    return areaFigures(results.data.rows, nameOf, benchmarkValue, definition.polarity);
  }, [mapping, results.data, level, geography.data, lsoas, benchmarkValue, definition]);
  const figureById = useMemo(() => new Map(figures.map((f) => [f.id, f])), [figures]);
  const breaks = useMemo(() => legendBreaks(figures.flatMap((f) => (f.value === null ? [] : [f.value]))), [figures]);
  const unit = definition?.unit ?? '';

  const drawn = useMemo(() => {
    if (!lsoaFc.data) return null;
    const inZoom = (f: Feature) => zoom === 'ics' || f.properties.place === zoom;
    const lsoaFeatures = lsoaFc.data.features.filter(inZoom);
    // A band kept clear above the areas for the mapped indicator's title, and one below for the attribution, so neither lies over an area.
    const project = fitProjection(bounds(lsoaFeatures.map((f) => f.geometry.coordinates as MultiPolygon)), WIDTH, HEIGHT, { top: mapping ? TITLE_BAND : 10, right: 10, bottom: CAPTION_BAND, left: 10 });
    return {
      lsoas: lsoaFeatures.map((f) => ({ f, d: pathOf(f.geometry.coordinates as MultiPolygon, project) })),
      neighbourhoods: (nbFc.data?.features ?? []).filter(inZoom).map((f) => ({ f, d: pathOf(f.geometry.coordinates as MultiPolygon, project) })),
      project,
    };
  }, [lsoaFc.data, nbFc.data, zoom, mapping]);
  const placeFc = useLoad(`places.geojson:${mapping && level === 'place' ? 'on' : 'off'}`, () => (mapping && level === 'place' ? mapApi.placeBoundaries() : Promise.resolve(null)), true);
  const placeOutlines = useMemo(
    () => (drawn && placeFc.data ? placeFc.data.features.filter((f) => zoom === 'ics' || f.id === zoom).map((f) => ({ f, d: pathOf(f.geometry.coordinates as MultiPolygon, drawn.project) })) : []),
    [drawn, placeFc.data, zoom],
  );

  const error = lsoaFc.error ?? nbFc.error ?? geography.error ?? catalogue.error;
  const mappedError = mapping ? (results.error ?? icsResults.error ?? icsDashboard.error) : undefined;
  const attribution = lsoaFc.data?.metadata.attribution ?? geography.data?.metadata.attribution;
  const selectedNeighbourhood = selection?.type === 'neighbourhood' ? selection.id : selection?.type === 'lsoa' ? String(lsoas.get(selection.id)?.properties.neighbourhoodId ?? '') : '';
  const zoomName = zoom === 'ics' ? 'the ICS' : placeName(zoom);
  const areaOf = (f: Feature): string => (level === 'place' ? String(f.properties.place) : level === 'neighbourhood' ? String(f.properties.neighbourhoodId ?? '') : f.id);
  const legend = mapping ? legendOf(figures, colouring, breaks, unit, against) : [];
  const benchmarkLabel = against === 'england' ? 'England' : 'the ICS';
  const highlight = found ? (level === 'place' ? found.place.id : level === 'neighbourhood' ? (found.neighbourhood?.id ?? '') : found.lsoa.code) : selection ? (level === 'place' ? (selection.type === 'place' ? selection.id : String(lsoas.get(selection.id)?.properties.place ?? neighbourhoods.get(selection.id)?.properties.place ?? '')) : selection.id) : undefined;

  const onFound = (area: PostcodeArea) => {
    setFound(area);
    setZoom(area.place.id);
    setSelection(lsoas.has(area.lsoa.code) ? { type: 'lsoa', id: area.lsoa.code } : area.neighbourhood ? { type: 'neighbourhood', id: area.neighbourhood.id } : { type: 'place', id: area.place.id });
  };
  const title = mapping ? `${definition.title}, ${results.data?.period.label ?? ''}, by ${LEVEL_LABEL[level].toLowerCase()}` : 'LSOAs by IMD 2019 decile';

  return (
    <section>
      <h1>Map</h1>
      <p>
        Small areas coloured by IMD 2019 decile, or any indicator by place, neighbourhood or small area (LSOA), compared with the ICS or England. Click an area, or choose one below, for its
        profile; or find your area by postcode.
      </p>
      {error && <Problem error={error} />}
      <PostcodeSearch onFound={onFound} />
      {found && <PostcodeFound found={found} onClose={() => setFound(null)} />}
      <div className="controls">
        <SelectField
          id="indicator"
          label="Colour by"
          value={indicatorId}
          onChange={(id) => {
            setIndicatorId(id);
            setSelection((s) => s);
          }}
          items={catalogue.data?.indicators.filter((i) => levelsOf(i.breakdowns).length > 0)}
          optionLabel={(i) => i.title}
          any="IMD 2019 decile (deprivation)"
          inline
        />
        {mapping && (
          <>
            <SelectField id="level" label="Areas" value={level} onChange={(v) => setLevel(v as MapLevel)} items={levels.map((l) => ({ id: l, name: LEVEL_LABEL[l] }))} optionLabel={(l) => l.name} inline />
            <SelectField
              id="against"
              label="Compare with"
              value={against}
              onChange={(v) => setAgainst(v === 'england' ? 'england' : 'ics')}
              items={[
                { id: 'ics', name: 'The ICS' },
                { id: 'england', name: 'England' },
              ]}
              optionLabel={(o) => o.name}
              inline
            />
            <SelectField
              id="colouring"
              label="Colours"
              value={colouring}
              onChange={(v) => setColouring(v === 'value' ? 'value' : 'significance')}
              items={[
                { id: 'significance', name: `Better, similar or worse than ${benchmarkLabel}` },
                { id: 'value', name: 'Value (five classes)' },
              ]}
              optionLabel={(o) => o.name}
              inline
            />
          </>
        )}
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
      {mapping && (
        <div className="view-switch" role="group" aria-label="View">
          <button type="button" aria-pressed={view === 'map'} className={view === 'map' ? '' : 'secondary'} onClick={() => setView('map')}>
            Map
          </button>{' '}
          <button type="button" aria-pressed={view === 'table'} className={view === 'table' ? '' : 'secondary'} onClick={() => setView('table')}>
            Table
          </button>
        </div>
      )}
      {mappedError && <Problem error={mappedError} />}
      {mapping && against === 'england' && icsDashboard.data && england === null && (
        <p className="notice" data-testid="no-england">
          England publishes no value of this indicator for the same period{icsDashboard.data.indicators.find((i) => i.id === indicatorId)?.englandNote ? `: ${icsDashboard.data.indicators.find((i) => i.id === indicatorId)!.englandNote}` : ''}. Areas are not compared; choose the ICS.
        </p>
      )}
      {mapping && (
        <p className="map-benchmark" data-testid="map-benchmark">
          {definition.title} ({definition.polarity === 'no-judgement' ? 'higher or lower is not judged better or worse' : definition.polarity === 'higher-is-better' ? 'higher is better' : 'lower is better'}), {results.data?.period.label ?? '…'}.{' '}
          {against === 'england'
            ? england
              ? `England ${fmtValue(england.value, unit)} (${england.period}; ${ENGLAND_NOTE}).`
              : ''
            : icsRow
              ? `The ICS: ${fmtValue(icsRow.value, unit)} (${fmtCi(icsRow.lower_95, icsRow.upper_95, unit)}).`
              : ''}{' '}
          Each area's 95% confidence interval is compared with {benchmarkLabel}'s value.
        </p>
      )}
      <div className="map-layout">
        {view === 'table' && mapping ? (
          <figure className="map" data-testid="outcome-table-view">
            <OutcomeTable figures={figures} level={level} unit={unit} against={against} highlight={highlight} />
            {results.data && <DisclosureNote rule={results.data.disclosure.rule} />}
            <Toolbar>
              <CsvLink href={api.indicatorResultsCsvUrl(indicatorId, level)} />
            </Toolbar>
          </figure>
        ) : (
          <figure className="map">
            {!drawn && !error && <p className="loading">Loading boundaries…</p>}
            {drawn && (
              <svg ref={svg} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Map of ${zoomName}: ${title}`} fontFamily="system-ui, sans-serif" data-testid="map" data-mapped={mapping ? `${indicatorId}:${level}` : 'imd'}>
                <rect x={0} y={0} width={WIDTH} height={HEIGHT} fill="#ffffff" />
                <g>
                  {drawn.lsoas.map(({ f, d }) => {
                    const figure = mapping ? figureById.get(areaOf(f)) : undefined;
                    const fill = mapping ? fillOf(figure, colouring, breaks) : (DECILE_COLOURS[Number(f.properties.imdDecile) - 1] ?? '#cccccc');
                    const tip = mapping
                      ? `${figure?.name ?? String(f.properties.name)}: ${fmtValue(figure?.value ?? null, unit)}${figure && figure.value !== null ? ` (${fmtCi(figure.lower95, figure.upper95, unit)})` : ''}`
                      : `${String(f.properties.name)}: IMD decile ${String(f.properties.imdDecile)}`;
                    return (
                      <path
                        key={f.id}
                        d={d}
                        fillRule="evenodd"
                        fill={fill}
                        stroke={mapping && level !== 'lsoa' ? fill : '#ffffff'}
                        strokeWidth={mapping && level !== 'lsoa' ? 0.6 : 0.3}
                        data-lsoa={f.id}
                        data-area={mapping ? areaOf(f) : undefined}
                        data-comparison={figure?.comparison}
                        onClick={() => setSelection(mapping && level === 'place' ? { type: 'place', id: String(f.properties.place) } : mapping && level === 'neighbourhood' && f.properties.neighbourhoodId ? { type: 'neighbourhood', id: String(f.properties.neighbourhoodId) } : { type: 'lsoa', id: f.id })}
                        className="area"
                      >
                        <title>{tip}</title>
                      </path>
                    );
                  })}
                </g>
                {placeOutlines.length > 0 && (
                  <g pointerEvents="none">
                    {placeOutlines.map(({ f, d }) => (
                      <path key={f.id} d={d} fill="none" fillRule="evenodd" stroke="#111111" strokeWidth={1.6} />
                    ))}
                  </g>
                )}
                {showNeighbourhoods && (
                  <g pointerEvents="none">
                    {drawn.neighbourhoods.map(({ f, d }) => (
                      <path key={f.id} d={d} fill="none" fillRule="evenodd" stroke="#111111" strokeWidth={f.id === selectedNeighbourhood ? 2.6 : mapping && level === 'place' ? 0.4 : 0.9} />
                    ))}
                  </g>
                )}
                {selection?.type === 'lsoa' && drawn.lsoas.find((x) => x.f.id === selection.id) && (
                  <path d={drawn.lsoas.find((x) => x.f.id === selection.id)!.d} fill="none" stroke="#ff6a00" strokeWidth={2.5} pointerEvents="none" data-testid="selected-lsoa" />
                )}
                {mapping && (
                  <text x={8} y={18} fontSize={13} fontWeight={600} fill="#1a1a1a">
                    {title}
                  </text>
                )}
                <text x={8} y={HEIGHT - 8} fontSize={10} fill="#1a1a1a">
                  {attribution ? attribution.split(';')[0] : ''}
                </text>
              </svg>
            )}
            <figcaption>
              {mapping ? (
                <ul className="legend" aria-label={colouring === 'value' ? `${definition.title}: value classes` : `Compared with ${benchmarkLabel}`} data-testid="map-legend">
                  {legend.map((item) => (
                    <li key={item.label}>
                      <span className="swatch" style={{ background: item.fill }} /> {item.label} ({item.count})
                    </li>
                  ))}
                </ul>
              ) : (
                <ul className="legend" aria-label="IMD 2019 decile">
                  {DECILE_COLOURS.map((c, i) => (
                    <li key={c}>
                      <span className="swatch" style={{ background: c }} /> {i + 1}
                      {i === 0 ? ' most deprived' : i === 9 ? ' least deprived' : ''}
                    </li>
                  ))}
                </ul>
              )}
              {mapping && results.data && <DisclosureNote rule={results.data.disclosure.rule} />}
              <p className="attribution" data-testid="attribution">
                {attribution}
              </p>
            </figcaption>
            <Toolbar>
              <PngButton target={() => svg.current} filename={mapping ? `map-${indicatorId}-${level}-${zoom}.png` : `map-${zoom}.png`} />
              {mapping && <CsvLink href={api.indicatorResultsCsvUrl(indicatorId, level)} />}
            </Toolbar>
          </figure>
        )}
        {selection ? (
          <AreaProfile
            selection={selection}
            lsoas={lsoas}
            neighbourhoods={neighbourhoods}
            placeName={placeName}
            onSelect={setSelection}
            mapped={mapping ? { title: definition.title, unit, against, level, figureOf: (_l, id) => figureById.get(id) } : null}
            isAdmin={me?.role === 'admin'}
            onRenamed={() => setReload((n) => n + 1)}
          />
        ) : (
          <aside className="panel profile">
            <h2>Area profile</h2>
            <p>Click an area on the map, choose a neighbourhood, or find your area by postcode.</p>
          </aside>
        )}
      </div>
    </section>
  );
};
