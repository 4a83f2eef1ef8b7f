/**
 * The editable form of a cohort's rule: a tree of nodes whose numbers are kept as typed (so a
 * half-typed value is not lost while someone edits), turned into the API's feature rule, or into a
 * message saying what to fix, and back. Pure: no React, so it is unit-tested on its own.
 */
import type { FeatureRule } from '../api.js';
import { conditionLabel, eventLabel, featureLabel, type Op } from './labels.js';

export type RuleNode =
  | { readonly key: number; readonly kind: 'compare'; readonly feature: string; readonly op: Op; readonly value: string }
  | { readonly key: number; readonly kind: 'flag'; readonly feature: string; readonly negate: boolean }
  | { readonly key: number; readonly kind: 'all' | 'any'; readonly children: readonly RuleNode[] }
  | { readonly key: number; readonly kind: 'not'; readonly child: RuleNode }
  | { readonly key: number; readonly kind: 'always' }
  | { readonly key: number; readonly kind: 'diagnosed'; readonly condition: string; readonly withinDays: string }
  | { readonly key: number; readonly kind: 'events'; readonly event: string; readonly atLeast: string; readonly withinDays: string };
/** The top level of the editor: always a group, so rules can be added and removed. */
export type GroupNode = Extract<RuleNode, { kind: 'all' | 'any' }>;

let nextKey = 1;
/** A key for the editor's lists: nodes move as rules are added and removed, so their index will not do. */
export const newKey = (): number => nextKey++;

/** Days a dated rule can look back: diagnoses up to 100 years (events up to the features' own lookback). */
export const MAX_DIAGNOSED_DAYS = 36_525;
/** The most events an events rule can ask for. */
export const MAX_EVENTS = 1000;

/** A whole number typed in a box, within [min, max], or null. */
export const wholeNumber = (text: string, min: number, max: number): number | null => {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
};
/** Whether a number rule's box holds a usable number (any finite number: the server checks the range). */
export const isNumber = (text: string): boolean => text.trim() !== '' && Number.isFinite(Number(text));

/** The editable form of a rule. A negated flag stays a flag ("is not"), as the editor shows it. */
export const fromRule = (rule: FeatureRule): RuleNode => {
  switch (rule.kind) {
    case 'compare':
      return { key: newKey(), kind: 'compare', feature: rule.feature, op: rule.op, value: String(rule.value) };
    case 'flag':
      return { key: newKey(), kind: 'flag', feature: rule.feature, negate: false };
    case 'all':
    case 'any':
      return { key: newKey(), kind: rule.kind, children: rule.of.map(fromRule) };
    case 'not':
      return rule.rule.kind === 'flag' ? { key: newKey(), kind: 'flag', feature: rule.rule.feature, negate: true } : { key: newKey(), kind: 'not', child: fromRule(rule.rule) };
    case 'always':
      return { key: newKey(), kind: 'always' };
    case 'diagnosed':
      return { key: newKey(), kind: 'diagnosed', condition: rule.condition, withinDays: String(rule.withinDays) };
    case 'events':
      return { key: newKey(), kind: 'events', event: rule.event, atLeast: String(rule.atLeast), withinDays: String(rule.withinDays) };
  }
};

/** A rule as the editor's top-level group: a group as it is, 'always' as an empty group, anything else as a group of one. */
export const rootOf = (rule: FeatureRule): GroupNode => {
  const node = fromRule(rule);
  if (node.kind === 'all' || node.kind === 'any') return node;
  return { key: newKey(), kind: 'all', children: node.kind === 'always' ? [] : [node] };
};

/**
 * The rule for the API, or a message saying what to fix (the first problem, depth first). Empty
 * groups are dropped, a group of one is its one rule, and null means no criteria (everyone).
 */
export const toRule = (node: RuleNode, lookbackDays: number): FeatureRule | null | string => {
  switch (node.kind) {
    case 'compare':
      return isNumber(node.value) ? { kind: 'compare', feature: node.feature, op: node.op, value: Number(node.value) } : `enter a number for ${featureLabel(node.feature)}`;
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
      const atLeast = wholeNumber(node.atLeast, 1, MAX_EVENTS);
      if (atLeast === null) return `enter a whole number of ${eventLabel(node.event)} from 1 to ${MAX_EVENTS.toLocaleString('en-GB')}`;
      const withinDays = wholeNumber(node.withinDays, 1, lookbackDays);
      if (withinDays === null) return `enter whole days from 1 to ${lookbackDays} for ${eventLabel(node.event)}`;
      return { kind: 'events', event: node.event, atLeast, withinDays };
    }
  }
};

/** What the builder can offer: the features, events and conditions the server knows. */
export interface FeatureChoices {
  readonly numeric: readonly string[];
  readonly flags: readonly string[];
  readonly events: readonly string[];
  readonly conditions: readonly string[];
}

/** The kinds of node the editor adds, each new one starting from the first choice the server offers. */
export type NewNodeKind = 'compare' | 'flag' | 'events' | 'diagnosed' | 'group';

/** A new node to add to a group; a new group combines the other way from its parent (all within any, any within all). */
export const newNode = (kind: NewNodeKind, features: FeatureChoices, parent: GroupNode['kind'] = 'all'): RuleNode => {
  switch (kind) {
    case 'compare':
      return { key: newKey(), kind: 'compare', feature: features.numeric[0] ?? 'age', op: '>=', value: '' };
    case 'flag':
      return { key: newKey(), kind: 'flag', feature: features.flags[0] ?? 'female', negate: false };
    case 'events':
      return { key: newKey(), kind: 'events', event: features.events[0] ?? 'emergencyAdmission', atLeast: '1', withinDays: '365' };
    case 'diagnosed':
      return { key: newKey(), kind: 'diagnosed', condition: features.conditions[0] ?? 'diabetes', withinDays: '365' };
    case 'group':
      return { key: newKey(), kind: parent === 'all' ? 'any' : 'all', children: [] };
  }
};

/** The builder's starting point: people aged 65 and over. */
export const initialRoot = (): GroupNode => ({ key: newKey(), kind: 'all', children: [{ key: newKey(), kind: 'compare', feature: 'age', op: '>=', value: '65' }] });
