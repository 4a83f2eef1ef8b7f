/**
 * Which stored tables the DuckDB engine reads for an indicator: everyone's residence and death
 * (the base of every query: person, death, geo_lsoa), the clinical events its predicates are
 * counted from, and the table of every event spec in the definition. The server keys each
 * persisted count on these tables' fingerprints, so a load that changes other tables keeps it.
 */
import { TABLE_NAMES, type IndicatorDefinition, type TableName } from '@openphm/core';

/** Read by every indicator query (the base of residents; predicate flags come from clinical_event). */
export const INDICATOR_BASE_TABLES: readonly TableName[] = ['person', 'death', 'clinical_event'];

const isTable = (value: unknown): value is TableName => typeof value === 'string' && (TABLE_NAMES as readonly string[]).includes(value);

/** The person-level tables an indicator's counts are computed from, sorted. */
export const indicatorTables = (definition: IndicatorDefinition): TableName[] => {
  const found = new Set<TableName>(INDICATOR_BASE_TABLES);
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'table' && isTable(v)) found.add(v);
        else walk(v);
      }
    }
  };
  walk(definition.measure);
  return [...found].sort();
};
