import { describe, expect, it } from 'vitest';
import type { FeatureRule } from '../api.js';
import { MAX_DIAGNOSED_DAYS, fromRule, isNumber, newNode, rootOf, toRule, wholeNumber, type RuleNode } from './rule-tree.js';

/** A node without its keys (they only tell React's list items apart), to compare by content. */
const strip = (node: RuleNode): unknown => {
  const { key: _key, ...rest } = node;
  if (node.kind === 'all' || node.kind === 'any') return { ...rest, children: node.children.map(strip) };
  if (node.kind === 'not') return { ...rest, child: strip(node.child) };
  return rest;
};
/** Nodes as the editor holds them (keys do not matter to toRule). */
const compare = (feature: string, op: '>=' | '<' | '=', value: string): RuleNode => ({ key: 0, kind: 'compare', feature, op, value });
const group = (kind: 'all' | 'any', ...children: RuleNode[]): RuleNode => ({ key: 0, kind, children });
const LOOKBACK = 730;

const age65: FeatureRule = { kind: 'compare', feature: 'age', op: '>=', value: 65 };
const carer: FeatureRule = { kind: 'flag', feature: 'carer' };

describe('the rule tree', () => {
  it.each<[string, FeatureRule, FeatureRule | null]>([
    ['a comparison', age65, age65],
    ['a flag', carer, carer],
    ['a negated flag (edited as "is not")', { kind: 'not', rule: carer }, { kind: 'not', rule: carer }],
    ['a negated group', { kind: 'not', rule: { kind: 'any', of: [age65, carer] } }, { kind: 'not', rule: { kind: 'any', of: [age65, carer] } }],
    ['everyone', { kind: 'always' }, { kind: 'always' }],
    ['a diagnosis in a period', { kind: 'diagnosed', condition: 'diabetes', withinDays: 365 }, { kind: 'diagnosed', condition: 'diabetes', withinDays: 365 }],
    ['events in a period', { kind: 'events', event: 'emergencyAdmission', atLeast: 2, withinDays: 365 }, { kind: 'events', event: 'emergencyAdmission', atLeast: 2, withinDays: 365 }],
    ['nested groups', { kind: 'all', of: [age65, { kind: 'any', of: [carer, { kind: 'flag', feature: 'female' }] }] }, { kind: 'all', of: [age65, { kind: 'any', of: [carer, { kind: 'flag', feature: 'female' }] }] }],
    // What the editor cannot show differently comes back simplified.
    ['a group of one is its rule', { kind: 'any', of: [age65] }, age65],
    ['an empty group is no criteria', { kind: 'all', of: [] }, null],
    ['an empty group inside a group is dropped', { kind: 'all', of: [age65, { kind: 'any', of: [] }] }, age65],
  ])('%s goes into the editor and back', (_, rule, expected) => {
    expect(toRule(fromRule(rule), LOOKBACK)).toEqual(expected);
  });

  it.each<[string, FeatureRule, unknown]>([
    ['a group stays the group', { kind: 'any', of: [age65, carer] }, { kind: 'any', children: [strip(fromRule(age65)), strip(fromRule(carer))] }],
    ['one rule goes into a group of one', age65, { kind: 'all', children: [{ kind: 'compare', feature: 'age', op: '>=', value: '65' }] }],
    ['everyone is an empty group', { kind: 'always' }, { kind: 'all', children: [] }],
    ['a negated flag is a flag that is not', { kind: 'not', rule: carer }, { kind: 'all', children: [{ kind: 'flag', feature: 'carer', negate: true }] }],
  ])('the top level of the editor is always a group: %s', (_, rule, expected) => {
    expect(strip(rootOf(rule))).toEqual(expected);
  });

  it('gives every node its own key', () => {
    const root = rootOf({ kind: 'all', of: [age65, carer, { kind: 'not', rule: age65 }] });
    const keys: number[] = [];
    const walk = (n: RuleNode): void => {
      keys.push(n.key);
      if (n.kind === 'all' || n.kind === 'any') n.children.forEach(walk);
      if (n.kind === 'not') walk(n.child);
    };
    walk(root);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each<[string, RuleNode, string]>([
    ['an empty number', compare('age', '>=', ''), 'enter a number for Age (years)'],
    ['words for a number', compare('efi', '>=', 'high'), 'enter a number for Electronic Frailty Index (0-1)'],
    ['a diagnosis without days', { key: 0, kind: 'diagnosed', condition: 'copd', withinDays: '' }, 'enter whole days from 1 to 36,525 for COPD diagnosed'],
    ['a diagnosis over a century ago', { key: 0, kind: 'diagnosed', condition: 'heart_failure', withinDays: String(MAX_DIAGNOSED_DAYS + 1) }, 'enter whole days from 1 to 36,525 for Heart failure diagnosed'],
    ['no events', { key: 0, kind: 'events', event: 'aeAttendance', atLeast: '0', withinDays: '365' }, 'enter a whole number of A&E attendances from 1 to 1,000'],
    ['part of an event', { key: 0, kind: 'events', event: 'gpAppointment', atLeast: '1.5', withinDays: '365' }, 'enter a whole number of GP appointments from 1 to 1,000'],
    ['events beyond the lookback', { key: 0, kind: 'events', event: 'emergencyAdmission', atLeast: '1', withinDays: '731' }, 'enter whole days from 1 to 730 for emergency admissions'],
    ['the first problem, depth first', group('all', compare('age', '>=', '65'), group('any', compare('age', '<', 'x')), compare('efi', '=', '')), 'enter a number for Age (years)'],
    ['a problem under not', { key: 0, kind: 'not', child: compare('conditionCount', '>=', '') }, 'enter a number for Long-term conditions (of 15)'],
  ])('says what to fix: %s', (_, node, message) => {
    expect(toRule(node, LOOKBACK)).toBe(message);
  });

  it.each<[string, RuleNode, FeatureRule | null]>([
    ['decimals', compare('efi', '>=', '0.25'), { kind: 'compare', feature: 'efi', op: '>=', value: 0.25 }],
    ['spaces around a number', compare('age', '<', ' 18 '), { kind: 'compare', feature: 'age', op: '<', value: 18 }],
    ['not of an empty group is no criteria', { key: 0, kind: 'not', child: group('all') }, null],
    ['events at the lookback', { key: 0, kind: 'events', event: 'emergencyAdmission', atLeast: '1000', withinDays: '730' }, { kind: 'events', event: 'emergencyAdmission', atLeast: 1000, withinDays: 730 }],
  ])('reads what was typed: %s', (_, node, expected) => {
    expect(toRule(node, LOOKBACK)).toEqual(expected);
  });

  it.each<[string, number, number, number | null]>([
    ['12', 1, 100, 12],
    [' 7 ', 1, 100, 7],
    ['1', 1, 100, 1],
    ['100', 1, 100, 100],
    ['0', 1, 100, null],
    ['101', 1, 100, null],
    ['2.5', 1, 100, null],
    ['', 1, 100, null],
    ['  ', 0, 100, null],
    ['1e2', 1, 100, 100],
    ['ten', 1, 100, null],
  ])('wholeNumber(%j, %i, %i) is %s', (text, min, max, expected) => {
    expect(wholeNumber(text, min, max)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['65', true],
    ['-2.5', true],
    ['0', true],
    ['', false],
    [' ', false],
    ['abc', false],
    ['Infinity', false],
  ])('isNumber(%j) is %s', (text, expected) => {
    expect(isNumber(text)).toBe(expected);
  });

  const features = { numeric: ['efi', 'age'], flags: ['carer'], events: ['gpAppointment'], conditions: ['asthma'] };
  const none = { numeric: [], flags: [], events: [], conditions: [] };
  it.each<[string, Parameters<typeof newNode>, unknown]>([
    ['a number rule on the first feature offered', ['compare', features], { kind: 'compare', feature: 'efi', op: '>=', value: '' }],
    ['a yes/no rule', ['flag', features], { kind: 'flag', feature: 'carer', negate: false }],
    ['events in the last year', ['events', features], { kind: 'events', event: 'gpAppointment', atLeast: '1', withinDays: '365' }],
    ['a diagnosis in the last year', ['diagnosed', features], { kind: 'diagnosed', condition: 'asthma', withinDays: '365' }],
    ['with nothing offered, the usual first feature', ['compare', none], { kind: 'compare', feature: 'age', op: '>=', value: '' }],
    ['a group inside "all of" is "any of"', ['group', features, 'all'], { kind: 'any', children: [] }],
    ['a group inside "any of" is "all of"', ['group', features, 'any'], { kind: 'all', children: [] }],
  ])('adds %s', (_, args, expected) => {
    expect(strip(newNode(...args))).toEqual(expected);
  });
});
