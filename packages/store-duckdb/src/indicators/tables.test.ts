/** indicatorTables: every table an indicator's SQL reads is among the tables its persisted counts are keyed on. */
import { describe, expect, it } from 'vitest';
import { INDICATOR_CATALOGUE, TABLE_NAMES, type Period } from '@openphm/core';
import { indicatorSql } from './engine.js';
import { indicatorTables } from './tables.js';

const PERIOD: Period = { start: '2024-04-01', end: '2025-04-01', label: '2024/25' };
/** Person-level tables named after FROM or JOIN in the SQL (quoted or not). */
const tablesRead = (sql: string): string[] =>
  [...new Set([...sql.matchAll(/\b(?:FROM|JOIN)\s+"?([a-z_]+)"?/g)].map((m) => m[1]!))].filter((t) => (TABLE_NAMES as readonly string[]).includes(t)).sort();

describe('indicatorTables', () => {
  it.each(INDICATOR_CATALOGUE.map((d) => [d.id, d] as const))('%s: covers every table its SQL reads', (_id, definition) => {
    const read = tablesRead(indicatorSql(definition, PERIOD, ['ics', 'place', 'lsoa']));
    expect(read.length).toBeGreaterThan(0);
    expect(indicatorTables(definition)).toEqual(expect.arrayContaining(read));
  });

  it('names an event table only for indicators that count it', () => {
    const ae = INDICATOR_CATALOGUE.filter((d) => indicatorTables(d).includes('ae_attendance'));
    expect(ae.length).toBeGreaterThan(0);
    expect(ae.length).toBeLessThan(INDICATOR_CATALOGUE.length);
    for (const d of ae) expect(JSON.stringify(d.measure)).toContain('"ae_attendance"');
  });
});
