/**
 * The rule editor of the cohort builder: a group of criteria (all of / any of) with number, yes/no,
 * events-in-a-period and recent-diagnosis rules and nested groups, each read as a sentence. Native
 * controls only, so it works with a keyboard and a screen reader; every control is labelled by the
 * criterion's path (1.2.1), which the browser tests use too.
 */
import type { ReactNode } from 'react';
import type { CohortsResponse } from '../api.js';
import { OPS, conditionLabel, eventLabel, featureLabel, type Op } from './labels.js';
import { MAX_DIAGNOSED_DAYS, MAX_EVENTS, isNumber, newNode, wholeNumber, type GroupNode, type NewNodeKind, type RuleNode } from './rule-tree.js';

type Features = CohortsResponse['features'];

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

/** The buttons under a group, in the order people most often want them. */
const ADD_BUTTONS: readonly { readonly kind: NewNodeKind; readonly label: string }[] = [
  { kind: 'compare', label: 'Add a number rule' },
  { kind: 'flag', label: 'Add a yes/no rule' },
  { kind: 'events', label: 'Add events in a period' },
  { kind: 'diagnosed', label: 'Add a recent diagnosis' },
];
/** Groups nest two deep at most: deeper logic is easier to get wrong than to need. */
const MAX_GROUP_DEPTH = 2;

interface EditorProps {
  readonly node: RuleNode;
  readonly features: Features;
  readonly onChange: (n: RuleNode) => void;
  readonly onRemove?: (() => void) | undefined;
  readonly depth: number;
  readonly path: string;
}

const GroupEditor = ({ node, features, onChange, depth, path, remove }: Omit<EditorProps, 'node' | 'onRemove'> & { node: GroupNode; remove: ReactNode }) => {
  const id = `rule-${path}`;
  const set = (children: readonly RuleNode[]) => onChange({ ...node, children });
  const add = (kind: NewNodeKind) => set([...node.children, newNode(kind, features, node.kind)]);
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
        {ADD_BUTTONS.map((b) => (
          <button key={b.kind} type="button" className="secondary small" onClick={() => add(b.kind)}>
            {b.label}
          </button>
        ))}
        {depth < MAX_GROUP_DEPTH && (
          <button type="button" className="secondary small" onClick={() => add('group')}>
            Add a group
          </button>
        )}
      </div>
    </fieldset>
  );
};

/** One criterion (or a group of them), read as a sentence: "Age at least 65", "is not Unpaid carer". */
export const RuleEditor = (props: EditorProps) => {
  const { node, features, onChange, onRemove, depth, path } = props;
  const id = `rule-${path}`;
  const remove = onRemove && (
    <button type="button" className="secondary small" onClick={onRemove} aria-label={`Remove criterion ${path}`}>
      Remove
    </button>
  );
  switch (node.kind) {
    case 'all':
    case 'any':
      return <GroupEditor {...props} node={node} remove={remove} />;
    case 'compare':
      return (
        <div className="rule" data-testid="rule">
          <Choice id={`${id}-feature`} label={`Feature of criterion ${path}`} value={node.feature} options={features.numeric.map((f) => [f, featureLabel(f)])} onChange={(feature) => onChange({ ...node, feature })} />{' '}
          <Choice id={`${id}-op`} label={`Comparison of criterion ${path}`} value={node.op} options={OPS.map((o) => [o.op, `${o.label} (${o.op})`])} onChange={(op) => onChange({ ...node, op: op as Op })} />{' '}
          <NumberBox id={`${id}-value`} label={`Value of criterion ${path}`} hidden value={node.value} valid={isNumber(node.value)} decimal onChange={(value) => onChange({ ...node, value })} />{' '}
          {remove}
        </div>
      );
    case 'flag':
      return (
        <div className="rule" data-testid="rule">
          <Choice id={`${id}-negate`} label={`Is or is not, criterion ${path}`} value={node.negate ? 'no' : 'yes'} options={[['yes', 'is'], ['no', 'is not']]} onChange={(v) => onChange({ ...node, negate: v === 'no' })} />{' '}
          <Choice id={`${id}-feature`} label={`Feature of criterion ${path}`} value={node.feature} options={features.flags.map((f) => [f, featureLabel(f)])} onChange={(feature) => onChange({ ...node, feature })} />{' '}
          {remove}
        </div>
      );
    case 'diagnosed':
      return (
        <div className="rule" data-testid="rule">
          <Choice id={`${id}-condition`} label={`Condition of criterion ${path}`} value={node.condition} options={features.conditions.map((c) => [c, conditionLabel(c)])} onChange={(condition) => onChange({ ...node, condition })} />{' '}
          <NumberBox id={`${id}-days`} label="first diagnosed in the last" value={node.withinDays} valid={wholeNumber(node.withinDays, 1, MAX_DIAGNOSED_DAYS) !== null} onChange={(withinDays) => onChange({ ...node, withinDays })} /> days{' '}
          {remove}
        </div>
      );
    case 'events':
      return (
        <div className="rule" data-testid="rule">
          <NumberBox id={`${id}-at-least`} label="at least" value={node.atLeast} valid={wholeNumber(node.atLeast, 1, MAX_EVENTS) !== null} onChange={(atLeast) => onChange({ ...node, atLeast })} />{' '}
          <Choice id={`${id}-event`} label={`Kind of event of criterion ${path}`} value={node.event} options={features.events.map((e) => [e, eventLabel(e)])} onChange={(event) => onChange({ ...node, event })} />{' '}
          <NumberBox id={`${id}-days`} label="in the last" value={node.withinDays} valid={wholeNumber(node.withinDays, 1, features.eventLookbackDays) !== null} onChange={(withinDays) => onChange({ ...node, withinDays })} /> days{' '}
          <span className="note">(up to {features.eventLookbackDays})</span> {remove}
        </div>
      );
    case 'not':
      return (
        <div className="rule">
          <strong>Not:</strong> {remove}
          <RuleEditor node={node.child} features={features} depth={depth + 1} path={`${path}.1`} onChange={(child) => onChange({ ...node, child })} />
        </div>
      );
    case 'always':
      return <div className="rule">Everyone {remove}</div>;
  }
};
