/**
 * The data window an import records when none is given (meta window_start, window_end = the first day
 * after the data): from the first to the day after the last day of activity loaded. Activity is care
 * given or events in the period: GP and outpatient appointments, A&E attendances, hospital admissions,
 * prescriptions, community, mental health and social care contacts, and deaths. Coded events are left
 * out, as an extract carries diagnoses recorded years before it (docs/fhir-import.md, "Data window").
 * The FHIR import (fhir/import.ts) counts the same columns as it maps; a CSV import (build.ts) and a CSV
 * incremental load (incremental.ts) read them with activitySpanSql.
 */
import type { TableName } from '@openphm/core';
import { ident } from './sql.js';

/** The day column of each table that counts as activity. */
export const ACTIVITY_DAY: Readonly<Partial<Record<TableName, string>>> = {
  gp_appointment: 'appointment_date',
  outpatient_appointment: 'appointment_date',
  hospital_spell: 'admission_date',
  ae_attendance: 'arrival_time',
  medication: 'issue_date',
  community_contact: 'contact_date',
  mental_health_contact: 'contact_date',
  social_care_event: 'event_date',
  death: 'date_of_death',
};

/** The day after an ISO day. */
export const dayAfter = (day: string): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

export interface ActivitySpan {
  readonly first: string;
  readonly last: string;
}

/** The window of a span of activity: its first day, and the day after its last. */
export const windowOfSpan = (span: ActivitySpan | undefined): { window_start?: string; window_end?: string } =>
  span === undefined ? {} : { window_start: span.first, window_end: dayAfter(span.last) };

/**
 * SQL giving the first and last day of activity (`first`, `last`, VARCHAR, NULL when none) over the
 * tables `source` names (a table or subquery per table; tables it gives no source for are left out).
 */
export const activitySpanSql = (source: (table: TableName) => string | undefined): string | undefined => {
  const parts = (Object.entries(ACTIVITY_DAY) as [TableName, string][])
    .map(([table, column]) => {
      const from = source(table);
      return from === undefined ? undefined : `SELECT min(${ident(column)})::DATE AS lo, max(${ident(column)})::DATE AS hi FROM ${from}`;
    })
    .filter((p): p is string => p !== undefined);
  if (parts.length === 0) return undefined;
  return `SELECT min(lo)::VARCHAR AS first, max(hi)::VARCHAR AS last FROM (${parts.join(' UNION ALL ')})`;
};
