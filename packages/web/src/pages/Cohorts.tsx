/**
 * The cohort builder (analyst and neighbourhood roles): start from a stored cohort or from nothing,
 * edit the criteria (rules over person features combined with all / any / not, area, IMD quintiles,
 * segment), and see the disclosure-controlled count and breakdowns update as the criteria change
 * (debounced POST /api/cohorts/count). A worklist of the members in one neighbourhood is one click away.
 * Cohorts are saved, versioned and shared in the app (../cohorts/SavedCohorts.tsx); a saved cohort
 * and any of its versions open here as a stored one does.
 * The parts live in ../cohorts: the rule tree and definition (pure), the editor, the count hook and the results.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, type CohortDefinition, type CohortsResponse, type Me } from '../api.js';
import { breakdownLabel, deprivationEnd } from '../breakdowns.js';
import { CohortResults } from '../cohorts/CohortResults.js';
import { MAX_BREAKDOWNS, buildDefinition, choicesOf, defaultBreakdowns, toggled, type CohortChoices } from '../cohorts/definition.js';
import { worklistHref } from '../cohorts/handoff.js';
import { segmentLabel } from '../cohorts/labels.js';
import { RuleEditor } from '../cohorts/RuleEditor.js';
import { SavedCohorts } from '../cohorts/SavedCohorts.js';
import { bySource } from '../cohorts/saved.js';
import { initialRoot, type GroupNode } from '../cohorts/rule-tree.js';
import { useCohortCount } from '../cohorts/useCohortCount.js';
import { Options, Problem, useLoad } from '../components/common.js';
import { fileSlug } from '../export.js';

/** What the builder offers before GET /api/cohorts says which breakdowns the role may use. */
const FALLBACK_BREAKDOWNS = ['place', 'neighbourhood', 'imd-quintile', 'age-band', 'sex'];
/** Event lookback before the features arrive (the server's usual two years). */
const FALLBACK_LOOKBACK_DAYS = 730;

/** A row of checkboxes, one per item, ticked when the item is in `checked`. */
const Checks = <T extends string | number>({ items, checked, onChange, label, max }: { items: readonly T[]; checked: readonly T[]; onChange: (next: T[]) => void; label: (item: T) => ReactNode; max?: number }) => (
  <>
    {items.map((x) => (
      <label key={x}>
        <input type="checkbox" checked={checked.includes(x)} onChange={(e) => onChange(toggled(checked, x, e.target.checked, max))} /> {label(x)}
      </label>
    ))}
  </>
);

const quintileLabel = (q: number) => (
  <>
    {q}
    {deprivationEnd(q, 5)}
  </>
);

/** Where the cohort lives: place and neighbourhood (fixed for a neighbourhood team) and IMD quintiles. */
const WhereFields = ({ m, choices, set, fixed }: { m: CohortsResponse; choices: CohortChoices; set: (patch: Partial<CohortChoices>) => void; fixed: boolean }) => {
  const placeName = (id: string) => m.places.find((p) => p.id === id)?.name ?? id;
  const neighbourhoods = m.neighbourhoods.filter((n) => !choices.place || n.place === choices.place);
  // A neighbourhood outside the newly chosen place no longer applies.
  const choosePlace = (place: string) => set(place && !m.neighbourhoods.some((n) => n.id === choices.neighbourhood && n.place === place) ? { place, neighbourhood: '' } : { place });
  return (
    <fieldset>
      <legend>Where they live</legend>
      {fixed && (
        <p className="note" data-testid="counts-in">
          Neighbourhood teams count cohorts in their own neighbourhood only.
        </p>
      )}
      <p className="field">
        <label htmlFor="cohort-place">Place </label>
        <select id="cohort-place" disabled={fixed} value={choices.place} onChange={(e) => choosePlace(e.target.value)}>
          <option value="">Anywhere in the ICS</option>
          <Options items={m.places} label={(p) => p.name} />
        </select>{' '}
        <label htmlFor="cohort-neighbourhood">Neighbourhood </label>
        <select id="cohort-neighbourhood" disabled={fixed} value={choices.neighbourhood} onChange={(e) => set({ neighbourhood: e.target.value })}>
          <option value="">Any</option>
          <Options items={neighbourhoods} label={(n) => `${n.name} (${placeName(n.place)})`} />
        </select>
      </p>
      <div className="checks" role="group" aria-labelledby="quintiles-label">
        <span id="quintiles-label" className="field-label">
          IMD quintiles (none ticked = all):
        </span>
        <Checks items={[1, 2, 3, 4, 5]} checked={choices.quintiles} onChange={(quintiles) => set({ quintiles })} label={quintileLabel} />
      </div>
    </fieldset>
  );
};

/** The population segments the cohort is limited to, if any. */
const SegmentFields = ({ m, choices, set }: { m: CohortsResponse; choices: CohortChoices; set: (patch: Partial<CohortChoices>) => void }) => (
  <fieldset>
    <legend>Population segment</legend>
    <p className="field">
      <label htmlFor="cohort-segmentation">Segmentation </label>
      <select id="cohort-segmentation" value={choices.segmentation} onChange={(e) => set({ segmentation: e.target.value, segments: [] })}>
        <option value="">Any segment</option>
        <Options items={m.segmentations} label={(s) => s.title} />
      </select>
    </p>
    {choices.segmentation && (
      <div className="checks" role="group" aria-label="Segments">
        <Checks items={m.segmentations.find((s) => s.id === choices.segmentation)?.segments ?? []} checked={choices.segments} onChange={(segments) => set({ segments })} label={segmentLabel} />
      </div>
    )}
  </fieldset>
);

export const CohortsPage = ({ me }: { me: Me }) => {
  // Read again after a cohort is saved, shared or archived (the list holds the saved cohorts one may see).
  const [reads, setReads] = useState(0);
  const meta = useLoad(`cohorts:${reads}`, api.cohorts, true);
  const ownNeighbourhood = me.role === 'neighbourhood' ? (me.user?.neighbourhoodId ?? undefined) : undefined;
  const [stored, setStored] = useState('');
  // A version of a saved cohort opened from its history (or just saved): the builder starts from it.
  const [opened, setOpened] = useState<{ definition: CohortDefinition; latest: boolean } | null>(null);
  const [choices, setChoices] = useState<CohortChoices>(() => ({ root: initialRoot(), title: 'My cohort', place: '', neighbourhood: ownNeighbourhood ?? '', quintiles: [], segmentation: '', segments: [] }));
  const [by, setBy] = useState<string[] | null>(null);
  const set = (patch: Partial<CohortChoices>) => setChoices((c) => ({ ...c, ...patch }));

  const m = meta.data;
  const breakdownOptions = m?.breakdowns ?? FALLBACK_BREAKDOWNS;
  // A neighbourhood team counts in its own neighbourhood only (the server holds it there).
  const countsIn = m?.countsIn?.neighbourhoodId ?? null;
  const chosenBy = by ?? defaultBreakdowns({ place: choices.place, neighbourhood: countsIn || choices.neighbourhood }, breakdownOptions);
  const storedDef = opened && opened.definition.id === stored ? opened.definition : (m?.cohorts.find((c) => c.id === stored) as CohortDefinition | undefined);
  const storedSaved = m?.cohorts.find((c) => c.id === stored)?.source === 'saved';

  const loadStored = (id: string) => {
    setStored(id);
    setOpened(null);
    const c = m?.cohorts.find((x) => x.id === id) as CohortDefinition | undefined;
    if (c) setChoices(choicesOf(c, ownNeighbourhood));
  };

  const openVersion = (definition: CohortDefinition, latest: boolean) => {
    setStored(definition.id);
    setOpened({ definition, latest });
    setChoices(choicesOf(definition, ownNeighbourhood));
  };

  const built = useMemo(() => buildDefinition(choices, storedDef, m?.features.eventLookbackDays ?? FALLBACK_LOOKBACK_DAYS), [choices, storedDef, m]);
  const count = useCohortCount(m ? built.definition : null, chosenBy);

  // An earlier version of a saved cohort goes to the worklist by id and version (by id alone, the worklist is of the latest).
  const cohortWorklistHref = worklistHref({ unchanged: built.unchanged, storedId: stored, version: opened && !opened.latest ? opened.definition.version : undefined }, choices.neighbourhood);

  if (meta.error || !m) {
    return (
      <section>
        <h1>Cohort builder</h1>
        {!meta.error ? <p className="loading">Loading…</p> : meta.error instanceof ApiError && meta.error.status === 501 ? <p className="notice">The cohort builder is not available yet.</p> : <Problem error={meta.error} />}
      </section>
    );
  }

  return (
    <section>
      <h1>Cohort builder</h1>
      <p>
        Find groups of people for proactive care. Counts are disclosure-controlled and update as you change the criteria. Only counts are shown here; a
        neighbourhood worklist of pseudonymous people is on the <a href="#/worklist">worklist page</a>.
      </p>
      <div className="cohort-layout">
        <div className="cohort-column">
          <form className="panel cohort-form" onSubmit={(e) => e.preventDefault()} aria-label="Cohort criteria">
            <h2>Criteria</h2>
            <p className="field">
              <label htmlFor="stored-cohort">Start from </label>
              <select id="stored-cohort" value={stored} onChange={(e) => (e.target.value ? loadStored(e.target.value) : setStored(''))}>
                <option value="">Your own criteria</option>
                <optgroup label="Stored cohorts">
                  <Options items={bySource(m.cohorts).files} label={(c) => c.title} />
                </optgroup>
                {bySource(m.cohorts).saved.length > 0 && (
                  <optgroup label="Saved cohorts">
                    <Options items={bySource(m.cohorts).saved} label={(c) => `${c.title} (saved)`} />
                  </optgroup>
                )}
              </select>
            </p>
            {storedDef && (
              <p className="note" data-testid="stored-description">
                {storedDef.description} ({storedSaved ? 'saved cohort, ' : ''}version {storedDef.version}
                {opened && !opened.latest ? ', an earlier version' : ''})
                {!built.unchanged && built.definition && <strong> Edited: counted as an ad-hoc cohort, not the stored one.</strong>}
              </p>
            )}
            <p className="field">
              <label htmlFor="cohort-title">Title </label>
              <input id="cohort-title" value={choices.title} onChange={(e) => set({ title: e.target.value })} />
            </p>
            <RuleEditor node={choices.root} features={m.features} depth={0} path="1" onChange={(n) => set({ root: n as GroupNode })} />
            <WhereFields m={m} choices={choices} set={set} fixed={countsIn !== null} />
            <SegmentFields m={m} choices={choices} set={set} />
            <fieldset>
              <legend>Break the count down by</legend>
              <div className="checks">
                <Checks items={breakdownOptions.filter((b) => b !== 'ics')} checked={chosenBy} onChange={setBy} label={breakdownLabel} max={MAX_BREAKDOWNS} />
              </div>
            </fieldset>
            <details>
              <summary>Show the definition (JSON)</summary>
              <pre className="json" data-testid="cohort-json">
                {built.definition ? JSON.stringify(built.definition, null, 2) : built.problem}
              </pre>
            </details>
          </form>
          <SavedCohorts
            role={me.role}
            saved={bySource(m.cohorts).saved}
            title={choices.title}
            definition={built.definition}
            openId={storedSaved || opened ? stored : ''}
            openVersion={storedSaved || opened ? (storedDef?.version ?? null) : null}
            worklistHref={cohortWorklistHref}
            onOpen={openVersion}
            onChanged={() => setReads((n) => n + 1)}
          />
        </div>
        <CohortResults
          count={count}
          problem={built.problem}
          definition={built.definition}
          worklistHref={cohortWorklistHref}
          file={`cohort-${fileSlug(built.definition?.title ?? 'custom')}`}
          limits={m.limits}
        />
      </div>
    </section>
  );
};
