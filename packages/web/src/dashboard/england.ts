/**
 * England beside a local indicator (docs/statistics.md, "Comparison with England"): a real figure
 * published by OHID Fingertips for the same period, its comparison badge in the same colours and
 * words as the comparison with the ICS, and what the reader must know to judge it (the definition
 * difference, a calendar-year period). Pure, and unit-tested.
 */
import type { DashboardIndicator } from '../api.js';
import { fmtCi, fmtValue } from './format.js';
export { badgeOf } from '../components/comparison.js';

/** The note every display of England's values carries. */
export const ENGLAND_NOTE = 'England: real published figure (OHID Fingertips, OGL v3)';

type Comparison = DashboardIndicator['englandComparison'];

export interface EnglandCell {
  /** '–' when there is no England value. */
  readonly value: string;
  readonly ci: string;
  readonly comparison: Comparison;
  /** England's period label, and how it differs from the local one ('' when the same). */
  readonly period: string;
  readonly periodNote: string;
  /** How the definitions differ ('' when they match). */
  readonly difference: string;
  /** Why there is no England value ('' when there is one). */
  readonly absent: string;
  readonly source: string;
}

/** What the dashboard and the detail show of England for an indicator's latest period. */
export const englandCell = (i: Pick<DashboardIndicator, 'england' | 'englandComparison' | 'englandNote' | 'unit'>): EnglandCell => {
  const e = i.england;
  if (e === null) return { value: '–', ci: '–', comparison: 'not-compared', period: '', periodNote: '', difference: '', absent: i.englandNote, source: '' };
  return {
    value: fmtValue(e.value, i.unit),
    ci: fmtCi(e.lower95, e.upper95, i.unit),
    comparison: i.englandComparison,
    period: e.period,
    periodNote: e.periodNote,
    difference: e.difference ?? '',
    absent: '',
    source: `${e.set}; ${e.source}. ${e.attribution}`,
  };
};
