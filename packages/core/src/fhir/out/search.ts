/**
 * FHIR searches as FHIR out answers them (docs/fhir-api.md): date parameters with prefixes
 * (`ge2025-01-01`, `lt2026`), references (`Patient/123` or `123`), token identifiers
 * (`system|value`), paging with `_count` and `_offset` into a searchset Bundle with its self, next
 * and previous links, and OperationOutcome for errors. Pure.
 */
import { FieldValidationError, type ErrorKind } from '../../errors/errors.js';
import { isRealIsoDay } from '../../time/iso-day.js';
import type { FhirResource } from './resources.js';

/** At most this many resources a page (`_count` above it is refused). */
export const FHIR_MAX_COUNT = 200;
export const FHIR_DEFAULT_COUNT = 50;

export const DATE_PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le'] as const;
type DatePrefix = (typeof DATE_PREFIXES)[number];

/** A date search: the days a value must fall in (inclusive `from`, `to`; `not` ranges excluded). */
export interface DateFilter {
  readonly from?: string;
  readonly to?: string;
  readonly not: readonly { readonly from: string; readonly to: string }[];
}

const lastDayOf = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The first and last day of a FHIR date of year, month or day precision; undefined when it is not one. */
const rangeOf = (text: string): { from: string; to: string } | undefined => {
  if (/^\d{4}$/.test(text)) return { from: `${text}-01-01`, to: `${text}-12-31` };
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (month) return { from: `${text}-01`, to: `${text}-${String(lastDayOf(Number(month[1]), Number(month[2]))).padStart(2, '0')}` };
  const day = /^\d{4}-\d{2}-\d{2}/.exec(text)?.[0];
  if (day !== undefined && isRealIsoDay(day) && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(text)) return { from: day, to: day };
  return undefined;
};

const dayBefore = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const dayAfter = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const asList = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : value);

/**
 * A date search parameter (one value, or several ANDed: `date=ge2025-01-01&date=lt2026-01-01`) to
 * the days it allows, at day precision; a malformed value is a 400 naming the parameter.
 */
export const parseDateFilter = (name: string, value: string | readonly string[] | undefined): DateFilter => {
  let from: string | undefined;
  let to: string | undefined;
  const not: { from: string; to: string }[] = [];
  for (const part of asList(value)) {
    {
      const prefix = (DATE_PREFIXES as readonly string[]).includes(part.slice(0, 2)) ? (part.slice(0, 2) as DatePrefix) : 'eq';
      const text = /^[a-z]{2}/.test(part) ? part.slice(2) : part;
      const range = /^[a-z]{2}/.test(part) && !(DATE_PREFIXES as readonly string[]).includes(part.slice(0, 2)) ? undefined : rangeOf(text);
      if (range === undefined) {
        throw new FieldValidationError('invalid search', [{ field: name, message: `'${part.slice(0, 40)}' is not a FHIR date search value (a prefix eq, ne, gt, lt, ge or le and a date YYYY, YYYY-MM or YYYY-MM-DD)` }], 'usage');
      }
      const narrowFrom = (day: string) => (from = from === undefined || day > from ? day : from);
      const narrowTo = (day: string) => (to = to === undefined || day < to ? day : to);
      switch (prefix) {
        case 'eq':
          narrowFrom(range.from);
          narrowTo(range.to);
          break;
        case 'ne':
          not.push(range);
          break;
        case 'ge':
          narrowFrom(range.from);
          break;
        case 'gt':
          narrowFrom(dayAfter(range.to));
          break;
        case 'le':
          narrowTo(range.to);
          break;
        case 'lt':
          narrowTo(dayBefore(range.from));
          break;
      }
    }
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), not };
};

/** Whether a day (YYYY-MM-DD…, only the day is compared) passes a date filter. */
export const matchesDate = (filter: DateFilter, value: string | null | undefined): boolean => {
  if (filter.from === undefined && filter.to === undefined && filter.not.length === 0) return true;
  if (value === null || value === undefined) return false;
  const day = value.slice(0, 10);
  if (filter.from !== undefined && day < filter.from) return false;
  if (filter.to !== undefined && day > filter.to) return false;
  return !filter.not.some((n) => day >= n.from && day <= n.to);
};

/** The id a reference parameter names (`Patient/123`, `123`, or an absolute URL ending in `Patient/123`); a 400 naming the parameter otherwise. */
export const referenceId = (name: string, type: string, value: string): string => {
  const m = new RegExp(`^(?:(?:https?://[^?#]*/)?${type}/)?([A-Za-z0-9\\-.]{1,64})$`).exec(value);
  if (m === null) throw new FieldValidationError('invalid search', [{ field: name, message: `'${value.slice(0, 80)}' is not a reference to a ${type} (${type}/id or id)` }], 'usage');
  return m[1]!;
};

/** A token search value `system|value` (or `value`, or `|value`): its parts; the system is undefined when not given. */
export const parseToken = (value: string): { system: string | undefined; value: string } => {
  const bar = value.indexOf('|');
  return bar < 0 ? { system: undefined, value } : { system: bar === 0 ? '' : value.slice(0, bar), value: value.slice(bar + 1) };
};

export interface SearchPage {
  /** The base URL of the FHIR API (`https://host/fhir`). */
  readonly base: string;
  readonly type: string;
  /** The search parameters as given, without _count and _offset (they are written from count and offset). */
  readonly params: readonly (readonly [string, string])[];
  readonly count: number;
  readonly offset: number;
}

const queryOf = (params: readonly (readonly [string, string])[], count: number, offset: number): string =>
  [...params, ['_count', String(count)] as const, ...(offset > 0 ? [['_offset', String(offset)] as const] : [])].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

/**
 * A searchset Bundle of one page of the matches (all of them, in the order given): `total`, the
 * self link, next while more follow and previous after the first page; each match with its fullUrl
 * and search mode, then any OperationOutcome entries (search mode outcome).
 */
export const searchBundle = (page: SearchPage, matches: readonly FhirResource[], outcomes: readonly FhirResource[] = [], included: readonly FhirResource[] = []): FhirResource => {
  const shown = matches.slice(page.offset, page.offset + page.count);
  const link = [
    { relation: 'self', url: `${page.base}/${page.type}?${queryOf(page.params, page.count, page.offset)}` },
    ...(page.offset + page.count < matches.length ? [{ relation: 'next', url: `${page.base}/${page.type}?${queryOf(page.params, page.count, page.offset + page.count)}` }] : []),
    ...(page.offset > 0 ? [{ relation: 'previous', url: `${page.base}/${page.type}?${queryOf(page.params, page.count, Math.max(0, page.offset - page.count))}` }] : []),
  ];
  const entry = (resource: FhirResource, mode: 'match' | 'include' | 'outcome') => ({
    ...(resource.id !== undefined ? { fullUrl: `${page.base}/${resource.resourceType}/${resource.id}` } : {}),
    resource,
    search: { mode },
  });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    link,
    entry: [...shown.map((r) => entry(r, 'match')), ...included.map((r) => entry(r, 'include')), ...outcomes.map((r) => entry(r, 'outcome'))],
  };
};

/** OperationOutcome issue types (FHIR issue-type) by OpenPHM's error kinds. */
export const ISSUE_TYPE_OF_KIND: Record<ErrorKind, string> = {
  usage: 'invalid',
  'invalid-input': 'invalid',
  'not-found': 'not-found',
  conflict: 'conflict',
  forbidden: 'forbidden',
  unauthenticated: 'login',
  'rate-limited': 'throttled',
  'not-implemented': 'not-supported',
  internal: 'exception',
};

export interface OutcomeIssue {
  readonly severity: 'fatal' | 'error' | 'warning' | 'information';
  readonly code: string;
  readonly diagnostics: string;
  /** FHIRPath expressions of the elements or search parameters concerned. */
  readonly expression?: readonly string[];
}

export const operationOutcome = (issues: readonly OutcomeIssue[]): FhirResource => ({
  resourceType: 'OperationOutcome',
  issue: issues.map((i) => ({ severity: i.severity, code: i.code, diagnostics: i.diagnostics, ...(i.expression !== undefined && i.expression.length > 0 ? { expression: [...i.expression] } : {}) })),
});
