/**
 * The cohort builder (analyst and neighbourhood roles): start from a stored cohort or from nothing,
 * edit the criteria (rules over person features combined with all / any / not, area, IMD quintiles,
 * segment), and see the disclosure-controlled count and breakdowns update as the criteria change
 * (debounced POST /api/cohorts/count). A worklist of the members in one neighbourhood is one click away.
 */
import { forwardRef, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, type CohortCountResponse, type CohortDefinition, type CohortsResponse, type FeatureRule, type Me } from '../api.js';
import { CsvButton, PngButton, Problem, SuppressionNote, Toolbar, csvCount, fmtPublished, fmtShare, useLoad } from '../components/common.js';
import { fileSlug } from '../export.js';

// ---- the editable form of a rule
type Op = '>=' | '>' | '<=' | '<' | '=';
type Node =
  | { key: number; kind: 'compare'; feature: string; op: Op; value: string }
  | { key: number; kind: 'flag'; feature: string; negate: boolean }
  | { key: number; kind: 'all' | 'any'; children: Node[] }
  | { key: number; kind: 'not'; child: Node }
  | { key: number; kind: 'always' }
  | { key: number; kind: 'diagnosed'; condition: string; withinDays: string }
  | { key: number; kind: 'events'; event: string; atLeast: string; withinDays: string };

let nextKey = 1;
const key = () => nextKey++;

const fromRule = (rule: FeatureRule): Node => {
  switch (rule.kind) {
    case 'compare':
      return { key: key(), kind: 'compare', feature: rule.feature, op: rule.op, value: String(rule.value) };
    case 'flag':
      return { key: key(), kind: 'flag', feature: rule.feature, negate: false };
    case 'all':
    case 'any':
      return { key: key(), kind: rule.kind, children: rule.of.map(fromRule) };
    case 'not':
      return rule.rule.kind === 'flag' ? { key: key(), kind: 'flag', feature: rule.rule.feature, negate: true } : { key: key(), kind: 'not', child: fromRule(rule.rule) };
    case 'always':
      return { key: key(), kind: 'always' };
    case 'diagnosed':
      return { key: key(), kind: 'diagnosed', condition: rule.condition, withinDays: String(rule.withinDays) };
    case 'events':
      return { key: key(), kind: 'events', event: rule.event, atLeast: String(rule.atLeast), withinDays: String(rule.withinDays) };
  }
};
/** The top level is always a group, so rules can be added and removed. */
const rootOf = (rule: FeatureRule): Extract<Node, { kind: 'all' | 'any' }> => {
  const node = fromRule(rule);
  if (node.kind === 'all' || node.kind === 'any') return node;
  return { key: key(), kind: 'all', children: node.kind === 'always' ? [] : [node] };
};

/** A whole number typed in a box, within [min, max], or null. */
const wholeNumber = (text: string, min: number, max: number): number | null => {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
};
/** Days a dated rule can look back: diagnoses up to 100 years, events up to the features' event lookback. */
const MAX_DIAGNOSED_DAYS = 36_525;

/** The rule for the API, or a message saying what to fix. Empty groups are dropped (an empty top level means everyone). */
const toRule = (node: Node, lookbackDays: number): FeatureRule | null | string => {
  switch (node.kind) {
    case 'compare': {
      const value = Number(node.value);
      if (node.value.trim() === '' || !Number.isFinite(value)) return `enter a number for ${featureLabel(node.feature)}`;
      return { kind: 'compare', feature: node.feature, op: node.op, value };
    }
    case 'flag':
      return node.negate ? { kind: 'not', rule: { kind: 'flag', feature: node.feature } } : { kind: 'flag', feature: node.feature };
    case 'all':
    case 'any': {
      const of: FeatureRule[] = [];
      for (const c of node.children) {
        const r = toRule(c, lookbackDays);
        if (typeof r === 'string') return r;
        if (r) of.push(r);
      }
      return of.length === 0 ? null : of.length === 1 ? of[0]! : { kind: node.kind, of };
    }
    case 'not': {
      const r = toRule(node.child, lookbackDays);
      return typeof r === 'string' ? r : r ? { kind: 'not', rule: r } : null;
    }
    case 'always':
      return { kind: 'always' };
    case 'diagnosed': {
      const withinDays = wholeNumber(node.withinDays, 1, MAX_DIAGNOSED_DAYS);
      if (withinDays === null) return `enter whole days from 1 to ${MAX_DIAGNOSED_DAYS.toLocaleString('en-GB')} for ${conditionLabel(node.condition)} diagnosed`;
      return { kind: 'diagnosed', condition: node.condition, withinDays };
    }
    case 'events': {
      const atLeast = wholeNumber(node.atLeast, 1, 1000);
      if (atLeast === null) return `enter a whole number of ${eventLabel(node.event)} from 1 to 1,000`;
      const withinDays = wholeNumber(node.withinDays, 1, lookbackDays);
      if (withinDays === null) return `enter whole days from 1 to ${lookbackDays} for ${eventLabel(node.event)}`;
      return { kind: 'events', event: node.event, atLeast, withinDays };
    }
  }
};

const FEATURE_LABEL: Record<string, string> = {
  age: 'Age (years)',
  imdDecile: 'IMD decile of residence (1 = most deprived)',
  imdQuintile: 'IMD quintile of residence (1 = most deprived)',
  conditionCount: 'Long-term conditions (of 15)',
  efi: 'Electronic Frailty Index (0-1)',
  emergencyAdmissions12m: 'Emergency admissions, 12 months',
  emergencyBedDays12m: 'Emergency bed days, 12 months',
  electiveAdmissions12m: 'Elective admissions, 12 months',
  aeAttendances12m: 'A&E attendances, 12 months',
  gpAppointments12m: 'GP appointments, 12 months',
  outpatientAppointments12m: 'Outpatient appointments, 12 months',
  communityContacts12m: 'Community contacts, 12 months',
  mentalHealthContacts12m: 'Mental health contacts, 12 months',
  socialCareEvents12m: 'Social care events, 12 months',
  medicineSections12m: 'Medicine (BNF) sections issued, 12 months',
  latestBmi: 'Latest BMI (0 = none in 5 years)',
  inhalerIssues12m: 'Inhaler issues (BNF 3.1, 3.2), 12 months',
  prednisoloneCourses24m: 'Oral prednisolone courses, 24 months',
  antibioticCourses24m: 'Antibiotic courses, 24 months',
  multimorbidityScore: 'Multimorbidity score (weighted; 4+ high)',
  female: 'Female',
  careHomeResident: 'Lives in a care home',
  carer: 'Unpaid carer',
  currentSmoker: 'Current smoker',
  exSmoker: 'Ex-smoker',
  core20: 'Core20: lives in England\'s most deprived 20%',
  ethnicMinority: 'Ethnic minority group (Mixed, Asian, Black, Other)',
  birth12m: 'Gave birth or was born in 12 months',
  newCancer12m: 'Cancer diagnosed in 12 months',
  socialCareService12m: 'Social care service started in 12 months',
};
const EVENT_LABEL: Record<string, string> = {
  emergencyAdmission: 'emergency admissions',
  electiveAdmission: 'elective admissions',
  aeAttendance: 'A&E attendances',
  gpAppointment: 'GP appointments',
  inhalerIssue: 'inhaler issues',
  prednisoloneCourse: 'oral prednisolone courses',
  antibioticCourse: 'antibiotic courses',
};
const eventLabel = (e: string): string => EVENT_LABEL[e] ?? e;
const conditionLabel = (c: string): string => {
  const words = c.replace(/_/g, ' ');
  return c === 'copd' || c === 'smi' || c === 'chd' || c === 'ckd' ? words.toUpperCase() : words.charAt(0).toUpperCase() + words.slice(1);
};
const featureLabel = (f: string): string =>
  FEATURE_LABEL[f] ?? (f.startsWith('condition:') ? `On the ${f.slice(10).replace(/_/g, ' ')} register` : f);
/** 'Place' → 'place', but 'IMD quintile' stays as it is. */
const lower = (s: string): string => (/^[A-Z][A-Z]/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1));
const pretty = (id: string): string => (id.charAt(0).toUpperCase() + id.slice(1)).replace(/-/g, ' ');
const OPS: readonly { op: Op; label: string }[] = [
  { op: '>=', label: 'at least' },
  { op: '>', label: 'more than' },
  { op: '=', label: 'exactly' },
  { op: '<=', label: 'at most' },
  { op: '<', label: 'less than' },
];
const BY_LABEL: Record<string, string> = {
  ics: 'ICS',
  place: 'Place',
  'local-authority': 'Local authority',
  neighbourhood: 'Neighbourhood',
  'imd-decile': 'IMD decile',
  'imd-quintile': 'IMD quintile',
  'age-band': 'Age band',
  sex: 'Sex',
  'ethnic-group': 'Ethnic group',
};

// ---- the rule editor (native controls only, so it works with a keyboard and a screen reader)
/** A select with its label (hidden: the sentence around it says what it is). */
const Choice = ({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: readonly (readonly [string, string])[]; onChange: (v: string) => void }) => (
  <>
    <label className="visually-hidden" htmlFor={id}>
      {label}
    </label>
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  </>
);
/** A short number box with its label (visible words of the sentence, or hidden), marked invalid until it holds a usable number. */
const NumberBox = ({ id, label, hidden = false, value, valid, decimal = false, onChange }: { id: string; label: string; hidden?: boolean; value: string; valid: boolean; decimal?: boolean; onChange: (v: string) => void }) => (
  <>
    <label className={hidden ? 'visually-hidden' : undefined} htmlFor={id}>
      {label}
    </label>
    {hidden ? '' : ' '}
    <input id={id} className="short" inputMode={decimal ? 'decimal' : 'numeric'} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={!valid} />
  </>
);
const RuleEditor = ({
  node,
  features,
  onChange,
  onRemove,
  depth,
  path,
}: {
  node: Node;
  features: CohortsResponse['features'];
  onChange: (n: Node) => void;
  onRemove?: (() => void) | undefined;
  depth: number;
  path: string;
}) => {
  const id = `rule-${path}`;
  const remove = onRemove && (
    <button type="button" className="secondary small" onClick={onRemove} aria-label={`Remove criterion ${path}`}>
      Remove
    </button>
  );
  if (node.kind === 'all' || node.kind === 'any') {
    const set = (children: Node[]) => onChange({ ...node, children });
    const add = (n: Node) => set([...node.children, n]);
    return (
      <fieldset className="rule-group" data-depth={depth}>
        <legend>
          <label htmlFor={`${id}-combine`}>{depth === 0 ? 'People who meet ' : 'A group: '}</label>
          <select id={`${id}-combine`} value={node.kind} onChange={(e) => onChange({ ...node, kind: e.target.value as 'all' | 'any' })}>
            <option value="all">all of</option>
            <option value="any">any of</option>
          </select>{' '}
          these criteria {remove}
        </legend>
        {node.children.length === 0 && <p className="note">No criteria: everyone (in the area, quintiles and segments chosen below).</p>}
        <ol className="rules">
          {node.children.map((c, i) => (
            <li key={c.key}>
              <RuleEditor
                node={c}
                features={features}
                depth={depth + 1}
                path={`${path}.${i + 1}`}
                onChange={(n) => set(node.children.map((x, j) => (j === i ? n : x)))}
                onRemove={() => set(node.children.filter((_, j) => j !== i))}
              />
            </li>
          ))}
        </ol>
        <div className="toolbar">
          <button type="button" className="secondary small" onClick={() => add({ key: key(), kind: 'compare', feature: features.numeric[0] ?? 'age', op: '>=', value: '' })}>
            Add a number rule
          </button>
          <button type="button" className="secondary small" onClick={() => add({ key: key(), kind: 'flag', feature: features.flags[0] ?? 'female', negate: false })}>
            Add a yes/no rule
          </button>
          <button type="button" className="secondary small" onClick={() => add({ key: key(), kind: 'events', event: features.events[0] ?? 'emergencyAdmission', atLeast: '1', withinDays: '365' })}>
            Add events in a period
          </button>
          <button type="button" className="secondary small" onClick={() => add({ key: key(), kind: 'diagnosed', condition: features.conditions[0] ?? 'diabetes', withinDays: '365' })}>
            Add a recent diagnosis
          </button>
          {depth < 2 && (
            <button type="button" className="secondary small" onClick={() => add({ key: key(), kind: node.kind === 'all' ? 'any' : 'all', children: [] })}>
              Add a group
            </button>
          )}
        </div>
      </fieldset>
    );
  }
  if (node.kind === 'compare') {
    return (
      <div className="rule" data-testid="rule">
        <Choice id={`${id}-feature`} label={`Feature of criterion ${path}`} value={node.feature} options={features.numeric.map((f) => [f, featureLabel(f)])} onChange={(feature) => onChange({ ...node, feature })} />{' '}
        <Choice id={`${id}-op`} label={`Comparison of criterion ${path}`} value={node.op} options={OPS.map((o) => [o.op, `${o.label} (${o.op})`])} onChange={(op) => onChange({ ...node, op: op as Op })} />{' '}
        <NumberBox id={`${id}-value`} label={`Value of criterion ${path}`} hidden value={node.value} valid={node.value.trim() !== '' && Number.isFinite(Number(node.value))} decimal onChange={(value) => onChange({ ...node, value })} />{' '}
        {remove}
      </div>
    );
  }
  if (node.kind === 'flag') {
    return (
      <div className="rule" data-testid="rule">
        <Choice id={`${id}-negate`} label={`Is or is not, criterion ${path}`} value={node.negate ? 'no' : 'yes'} options={[['yes', 'is'], ['no', 'is not']]} onChange={(v) => onChange({ ...node, negate: v === 'no' })} />{' '}
        <Choice id={`${id}-feature`} label={`Feature of criterion ${path}`} value={node.feature} options={features.flags.map((f) => [f, featureLabel(f)])} onChange={(feature) => onChange({ ...node, feature })} />{' '}
        {remove}
      </div>
    );
  }
  if (node.kind === 'diagnosed') {
    return (
      <div className="rule" data-testid="rule">
        <Choice id={`${id}-condition`} label={`Condition of criterion ${path}`} value={node.condition} options={features.conditions.map((c) => [c, conditionLabel(c)])} onChange={(condition) => onChange({ ...node, condition })} />{' '}
        <NumberBox id={`${id}-days`} label="first diagnosed in the last" value={node.withinDays} valid={wholeNumber(node.withinDays, 1, MAX_DIAGNOSED_DAYS) !== null} onChange={(withinDays) => onChange({ ...node, withinDays })} /> days{' '}
        {remove}
      </div>
    );
  }
  if (node.kind === 'events') {
    return (
      <div className="rule" data-testid="rule">
        <NumberBox id={`${id}-at-least`} label="at least" value={node.atLeast} valid={wholeNumber(node.atLeast, 1, 1000) !== null} onChange={(atLeast) => onChange({ ...node, atLeast })} />{' '}
        <Choice id={`${id}-event`} label={`Kind of event of criterion ${path}`} value={node.event} options={features.events.map((e) => [e, eventLabel(e)])} onChange={(event) => onChange({ ...node, event })} />{' '}
        <NumberBox id={`${id}-days`} label="in the last" value={node.withinDays} valid={wholeNumber(node.withinDays, 1, features.eventLookbackDays) !== null} onChange={(withinDays) => onChange({ ...node, withinDays })} /> days{' '}
        <span className="note">(up to {features.eventLookbackDays})</span> {remove}
      </div>
    );
  }
  if (node.kind === 'not') {
    return (
      <div className="rule">
        <strong>Not:</strong> {remove}
        <RuleEditor node={node.child} features={features} depth={depth + 1} path={`${path}.1`} onChange={(child) => onChange({ ...node, child })} />
      </div>
    );
  }
  return (
    <div className="rule">
      Everyone {remove}
    </div>
  );
};

// ---- counts, debounced
interface CountState {
  readonly data?: CohortCountResponse;
  readonly error?: Error;
  readonly loading: boolean;
}
const useDebouncedCount = (definition: CohortDefinition | null, by: readonly string[], delay = 400): CountState => {
  const [state, setState] = useState<CountState>({ loading: false });
  const text = definition ? JSON.stringify({ definition, by }) : '';
  useEffect(() => {
    if (!definition) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      api.cohortCount(definition, by, controller.signal).then(
        (data) => setState({ data, loading: false }),
        (error: Error) => {
          if (!controller.signal.aborted) setState({ error, loading: false });
        },
      );
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  return state;
};

const ShareChart = forwardRef<SVGSVGElement, { rows: CohortCountResponse['breakdowns'][number]['rows']; title: string }>(({ rows, title }, ref) => {
  const width = 480;
  const label = 170;
  const rowH = 20;
  const top = 40;
  const height = top + rows.length * rowH + 12;
  const max = Math.max(0.0001, ...rows.map((r) => (r.suppressed ? 0 : (r.share ?? 0))));
  const w = width - label - 60;
  return (
    <svg ref={ref} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: bar chart, the values are in the table`} className="chart wide" fontFamily="system-ui, sans-serif">
      <rect x={0} y={0} width={width} height={height} fill="#ffffff" />
      <text x={8} y={18} fontSize={14} fontWeight={600} fill="#1a1a1a">
        {title}
      </text>
      <text x={8} y={33} fontSize={11} fill="#3b3b3b">
        Share of each group's residents in the cohort; c = withheld
      </text>
      {rows.map((r, i) => {
        const y = top + i * rowH;
        const share = r.suppressed ? null : r.share;
        const bw = share === null ? 0 : (share / max) * w;
        return (
          <g key={r.group}>
            <text x={label} y={y + 14} textAnchor="end" fontSize={11} fill="#1a1a1a">
              {r.groupLabel.length > 28 ? `${r.groupLabel.slice(0, 27)}…` : r.groupLabel}
            </text>
            <rect x={label + 8} y={y + 3} width={Math.max(share === null ? 0 : 1, bw)} height={rowH - 6} fill="#0b4f9c" />
            <text x={label + 14 + bw} y={y + 14} fontSize={10} fill="#1a1a1a">
              {share === null ? 'c' : `${(share * 100).toFixed(1)}%`}
            </text>
          </g>
        );
      })}
    </svg>
  );
});
ShareChart.displayName = 'ShareChart';

const Breakdown = ({ b, file }: { b: CohortCountResponse['breakdowns'][number]; file: string }) => {
  const chart = useRef<SVGSVGElement>(null);
  const label = BY_LABEL[b.by] ?? b.by;
  return (
    <div className="panel" data-testid={`cohort-breakdown-${b.by}`}>
      <h3>By {lower(label)}</h3>
      <ShareChart ref={chart} rows={b.rows} title={`Cohort members by ${lower(label)}`} />
      <Toolbar>
        <PngButton target={() => chart.current} filename={`${file}-by-${b.by}.png`} />
        <CsvButton
          filename={`${file}-by-${b.by}.csv`}
          columns={['breakdown', 'group', 'group_label', 'people', 'group_people', 'share', 'suppressed']}
          rows={() => b.rows.map((r) => [b.by, r.group, r.groupLabel, csvCount(r.people, r.suppressed), csvCount(r.groupPeople), r.suppressed ? '[c]' : r.share, r.suppressed])}
        />
      </Toolbar>
      <details>
        <summary>Show as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{label}</th>
              <th scope="col" className="num">
                In the cohort
              </th>
              <th scope="col" className="num">
                Residents
              </th>
              <th scope="col" className="num">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {b.rows.map((r) => (
              <tr key={r.group}>
                <th scope="row">{r.groupLabel}</th>
                <td className="num">{fmtPublished(r.people, r.suppressed)}</td>
                <td className="num">{fmtPublished(r.groupPeople)}</td>
                <td className="num">{fmtShare(r.share, r.suppressed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
};

const WORKLIST_DEFINITION = 'openphm.worklist.definition';

export const CohortsPage = ({ me }: { me: Me }) => {
  const meta = useLoad('cohorts', api.cohorts);
  const ownNeighbourhood = me.role === 'neighbourhood' ? (me.user?.neighbourhoodId ?? undefined) : undefined;
  const [stored, setStored] = useState('');
  const [title, setTitle] = useState('My cohort');
  const [root, setRoot] = useState<Extract<Node, { kind: 'all' | 'any' }>>(() => ({
    key: key(),
    kind: 'all',
    children: [{ key: key(), kind: 'compare', feature: 'age', op: '>=', value: '65' }],
  }));
  const [place, setPlace] = useState('');
  const [neighbourhood, setNeighbourhood] = useState(ownNeighbourhood ?? '');
  const [quintiles, setQuintiles] = useState<number[]>([]);
  const [segmentation, setSegmentation] = useState('');
  const [segments, setSegments] = useState<string[]>([]);
  const [by, setBy] = useState<string[] | null>(null);

  const m = meta.data;
  const breakdownOptions = m?.breakdowns ?? ['place', 'neighbourhood', 'imd-quintile', 'age-band', 'sex'];
  // A neighbourhood team counts in its own neighbourhood only (the server holds it there).
  const countsIn = m?.countsIn?.neighbourhoodId ?? null;
  const chosenBy = by ?? (countsIn || neighbourhood ? ['imd-quintile', 'age-band', 'sex'] : place ? ['neighbourhood', 'imd-quintile', 'age-band'] : ['place', 'imd-quintile', 'age-band']).filter((b) => breakdownOptions.includes(b));
  const storedDef = m?.cohorts.find((c) => c.id === stored) as CohortDefinition | undefined;

  const loadStored = (id: string) => {
    setStored(id);
    const c = m?.cohorts.find((x) => x.id === id) as CohortDefinition | undefined;
    if (!c) return;
    setTitle(c.title);
    setRoot(rootOf(c.rule));
    setPlace(c.area?.place ?? '');
    setNeighbourhood(c.area?.neighbourhoodId ?? ownNeighbourhood ?? '');
    setQuintiles([...(c.imdQuintiles ?? [])]);
    setSegmentation(c.segment?.segmentation ?? '');
    setSegments([...(c.segment?.segments ?? [])]);
  };

  const built = useMemo((): { definition: CohortDefinition | null; problem: string | null; unchanged: boolean } => {
    const lookbackDays = m?.features.eventLookbackDays ?? 730;
    const rule = toRule(root, lookbackDays);
    if (typeof rule === 'string') return { definition: null, problem: rule, unchanged: false };
    if (segmentation && segments.length === 0) return { definition: null, problem: 'choose at least one segment, or no segmentation', unchanged: false };
    const area = place || neighbourhood ? { ...(place ? { place } : {}), ...(neighbourhood ? { neighbourhoodId: neighbourhood } : {}) } : undefined;
    // Still the stored cohort (same criteria)? Then it keeps its id and version; otherwise it is an ad-hoc cohort.
    const unchanged =
      storedDef !== undefined &&
      JSON.stringify(toRule(rootOf(storedDef.rule), lookbackDays)) === JSON.stringify(rule) &&
      (storedDef.area?.place ?? '') === place &&
      (storedDef.area?.neighbourhoodId ?? '') === neighbourhood &&
      JSON.stringify([...(storedDef.imdQuintiles ?? [])].sort()) === JSON.stringify([...quintiles].sort()) &&
      (storedDef.segment?.segmentation ?? '') === segmentation &&
      JSON.stringify([...(storedDef.segment?.segments ?? [])].sort()) === JSON.stringify([...segments].sort());
    const name = title.trim().length >= 3 ? title.trim() : 'Custom cohort';
    const definition: CohortDefinition = {
      id: unchanged ? storedDef.id : 'custom-cohort',
      version: unchanged ? storedDef.version : 1,
      title: unchanged || name !== storedDef?.title ? name : `${name} (edited)`,
      description: unchanged ? storedDef.description : 'Built in the cohort builder',
      rule: rule ?? { kind: 'always' },
      ...(area ? { area } : {}),
      ...(quintiles.length ? { imdQuintiles: [...quintiles].sort() } : {}),
      ...(segmentation ? { segment: { segmentation, segments } } : {}),
    };
    return { definition, problem: null, unchanged };
  }, [root, place, neighbourhood, quintiles, segmentation, segments, title, storedDef, m]);

  const count = useDebouncedCount(m ? built.definition : null, chosenBy);
  // Unchanged stored cohorts open by id; edited ones are passed to the worklist page in this tab's session storage.
  const unchanged = built.unchanged;
  const worklistHref = unchanged ? `#/worklist?cohort=${encodeURIComponent(stored)}${neighbourhood ? `&neighbourhood=${encodeURIComponent(neighbourhood)}` : ''}` : `#/worklist?custom=1${neighbourhood ? `&neighbourhood=${encodeURIComponent(neighbourhood)}` : ''}`;
  const file = `cohort-${fileSlug(built.definition?.title ?? 'custom')}`;

  if (meta.error) return (
    <section>
      <h1>Cohort builder</h1>
      {meta.error instanceof ApiError && meta.error.status === 501 ? <p className="notice">The cohort builder is not available yet.</p> : <Problem error={meta.error} />}
    </section>
  );
  if (!m) return (
    <section>
      <h1>Cohort builder</h1>
      <p className="loading">Loading…</p>
    </section>
  );

  const segOptions = m.segmentations.find((s) => s.id === segmentation)?.segments ?? [];
  const placeName = (id: string) => m.places.find((p) => p.id === id)?.name ?? id;
  const neighbourhoods = m.neighbourhoods.filter((n) => !place || n.place === place);

  return (
    <section>
      <h1>Cohort builder</h1>
      <p>
        Find groups of people for proactive care. Counts are disclosure-controlled and update as you change the criteria. Only counts are shown here; a
        neighbourhood worklist of pseudonymous people is on the <a href="#/worklist">worklist page</a>.
      </p>
      <div className="cohort-layout">
        <form className="panel cohort-form" onSubmit={(e) => e.preventDefault()} aria-label="Cohort criteria">
          <h2>Criteria</h2>
          <p className="field">
            <label htmlFor="stored-cohort">Start from </label>
            <select id="stored-cohort" value={stored} onChange={(e) => (e.target.value ? loadStored(e.target.value) : setStored(''))}>
              <option value="">Your own criteria</option>
              <optgroup label="Stored cohorts">
                {m.cohorts.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title}
                  </option>
                ))}
              </optgroup>
            </select>
          </p>
          {storedDef && (
            <p className="note" data-testid="stored-description">
              {storedDef.description} (version {storedDef.version})
              {!built.unchanged && built.definition && <strong> Edited: counted as an ad-hoc cohort, not the stored one.</strong>}
            </p>
          )}
          <p className="field">
            <label htmlFor="cohort-title">Title </label>
            <input id="cohort-title" value={title} onChange={(e) => setTitle(e.target.value)} />
          </p>
          <RuleEditor node={root} features={m.features} depth={0} path="1" onChange={(n) => setRoot(n as typeof root)} />

          <fieldset>
            <legend>Where they live</legend>
            {countsIn && (
              <p className="note" data-testid="counts-in">
                Neighbourhood teams count cohorts in their own neighbourhood only.
              </p>
            )}
            <p className="field">
              <label htmlFor="cohort-place">Place </label>
              <select
                id="cohort-place"
                disabled={countsIn !== null}
                value={place}
                onChange={(e) => {
                  setPlace(e.target.value);
                  if (e.target.value && !m.neighbourhoods.some((n) => n.id === neighbourhood && n.place === e.target.value)) setNeighbourhood('');
                }}
              >
                <option value="">Anywhere in the ICS</option>
                {m.places.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>{' '}
              <label htmlFor="cohort-neighbourhood">Neighbourhood </label>
              <select id="cohort-neighbourhood" disabled={countsIn !== null} value={neighbourhood} onChange={(e) => setNeighbourhood(e.target.value)}>
                <option value="">Any</option>
                {neighbourhoods.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name} ({placeName(n.place)})
                  </option>
                ))}
              </select>
            </p>
            <div className="checks" role="group" aria-labelledby="quintiles-label">
              <span id="quintiles-label" className="field-label">
                IMD quintiles (none ticked = all):
              </span>
              {[1, 2, 3, 4, 5].map((q) => (
                <label key={q}>
                  <input type="checkbox" checked={quintiles.includes(q)} onChange={(e) => setQuintiles(e.target.checked ? [...quintiles, q] : quintiles.filter((x) => x !== q))} /> {q}
                  {q === 1 ? ' (most deprived)' : q === 5 ? ' (least deprived)' : ''}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>Population segment</legend>
            <p className="field">
              <label htmlFor="cohort-segmentation">Segmentation </label>
              <select
                id="cohort-segmentation"
                value={segmentation}
                onChange={(e) => {
                  setSegmentation(e.target.value);
                  setSegments([]);
                }}
              >
                <option value="">Any segment</option>
                {m.segmentations.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title}
                  </option>
                ))}
              </select>
            </p>
            {segmentation && (
              <div className="checks" role="group" aria-label="Segments">
                {segOptions.map((s) => (
                  <label key={s}>
                    <input type="checkbox" checked={segments.includes(s)} onChange={(e) => setSegments(e.target.checked ? [...segments, s] : segments.filter((x) => x !== s))} /> {pretty(s)}
                  </label>
                ))}
              </div>
            )}
          </fieldset>
          <fieldset>
            <legend>Break the count down by</legend>
            <div className="checks">
              {breakdownOptions
                .filter((b) => b !== 'ics')
                .map((b) => (
                  <label key={b}>
                    <input
                      type="checkbox"
                      checked={chosenBy.includes(b)}
                      onChange={(e) => setBy(e.target.checked ? [...chosenBy, b].slice(-6) : chosenBy.filter((x) => x !== b))}
                    />{' '}
                    {BY_LABEL[b] ?? b}
                  </label>
                ))}
            </div>
          </fieldset>
          <details>
            <summary>Show the definition (JSON)</summary>
            <pre className="json" data-testid="cohort-json">
              {built.definition ? JSON.stringify(built.definition, null, 2) : built.problem}
            </pre>
          </details>
        </form>

        <div className="cohort-results" aria-live="polite" aria-busy={count.loading}>
          <div className="panel">
            <h2>People in the cohort</h2>
            {built.problem && (
              <p className="error" role="alert">
                To count, {built.problem}.
              </p>
            )}
            {count.error && <Problem error={count.error} />}
            {count.data && (
              <>
                <p className="big" data-testid="cohort-total">
                  {count.data.total.suppressed || count.data.total.people === null ? (
                    <>
                      <strong>[c]</strong> withheld
                    </>
                  ) : (
                    <strong>{count.data.total.people.toLocaleString('en-GB')}</strong>
                  )}{' '}
                  <span className="note">people on {count.data.date}</span>
                </p>
                {(count.data.total.suppressed || count.data.total.people === null) && (
                  <p className="note" data-testid="cohort-total-note">
                    Not shown, to protect confidentiality: {count.data.total.note || 'a small number'}.
                  </p>
                )}
              </>
            )}
            <p className="note" data-testid="count-status">
              {count.loading ? 'Updating…' : count.data ? 'Up to date.' : ''}
            </p>
            <Toolbar>
              <a className="button" href={worklistHref} onClick={() => built.definition && sessionStorage.setItem(WORKLIST_DEFINITION, JSON.stringify(built.definition))}>
                Neighbourhood worklist for this cohort
              </a>
              {count.data && (
                <CsvButton
                  filename={`${file}.csv`}
                  columns={['breakdown', 'group', 'group_label', 'people', 'group_people', 'share', 'suppressed']}
                  rows={() => [
                    ['total', 'total', 'All', csvCount(count.data!.total.people, count.data!.total.suppressed), '', '', count.data!.total.suppressed],
                    ...count.data!.breakdowns.flatMap((b) => b.rows.map((r) => [b.by, r.group, r.groupLabel, csvCount(r.people, r.suppressed), csvCount(r.groupPeople), r.suppressed ? '[c]' : r.share, r.suppressed])),
                  ]}
                  label="Download all counts (CSV)"
                />
              )}
            </Toolbar>
          </div>
          {count.data?.breakdowns.map((b) => (
            <Breakdown key={b.by} b={b} file={file} />
          ))}
          {count.data && <SuppressionNote rule={count.data.disclosure.rule} />}
          {m.limits && (
            <p className="note" data-testid="builder-rules">
              The cohort builder&rsquo;s rules, so that counts cannot be unpicked: none and fewer than {m.limits.minimumCount} people both show as [c]; a cohort of
              fewer than {m.limits.minimumCohort} is not counted, nor a group of fewer than {m.limits.minimumGroup}; ages in steps of {m.limits.ageStep} years; at
              most {m.limits.maxClauses} conditions. A count that differs by fewer than 10 people from one you were shown before is withheld, and repeated
              near-identical queries pause counting for {m.limits.pauseMinutes} minutes (recorded in the audit log).
            </p>
          )}
        </div>
      </div>
    </section>
  );
};

/** The definition last sent from the cohort builder to the worklist page (this tab only). */
export const builtWorklistDefinition = (): CohortDefinition | null => {
  try {
    const text = sessionStorage.getItem(WORKLIST_DEFINITION);
    return text ? (JSON.parse(text) as CohortDefinition) : null;
  } catch {
    return null;
  }
};
