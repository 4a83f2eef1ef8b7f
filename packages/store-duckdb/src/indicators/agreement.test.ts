/**
 * The DuckDB engine and the in-memory reference engine must return identical cells for every
 * catalogue indicator and every breakdown, on random data dense in edge cases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BREAKDOWNS, INDICATOR_CATALOGUE, financialYearPeriod, type AggregateRequest, type IndicatorEngine } from '@openphm/core';
import { createMemoryEngine, memoryDataFrom } from '@openphm/engine-memory';
import { indicatorSpecs, randomSpecInput, sortCells } from '@openphm/indicator-specs';
import type { PhmDatabase } from '../database.js';
import { buildDatabaseFromRows, readIndicatorData } from './data.js';
import { aggregateBreakdowns, aggregatePeriods, aggregatePersonProportions, createDuckDbEngine, personProportionGroup, prepareSharedCounting } from './engine.js';

const input = randomSpecInput('indicator-agreement', 400);

describe('DuckDB and in-memory engines agree', () => {
  let root: string;
  let db: PhmDatabase;
  let duck: IndicatorEngine;
  let duckAll: IndicatorEngine;
  let memory: IndicatorEngine;
  let memoryFromDb: IndicatorEngine;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'phm-indicator-agreement-'));
    db = await buildDatabaseFromRows({ dir: root, geography: input.geography, tables: input.tables });
    duck = createDuckDbEngine(db);
    duckAll = createDuckDbEngine(db, { allBreakdowns: true });
    memory = createMemoryEngine(memoryDataFrom(input.geography, input.tables));
    memoryFromDb = createMemoryEngine(await readIndicatorData(db));
  });
  afterAll(() => {
    db?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Compares the engines on every request; the DuckDB engine counts one breakdown per query, or every breakdown at once. */
  const agree = async (requests: readonly AggregateRequest[], mode: 'each' | 'all') => {
    let nonEmpty = 0;
    for (const request of requests) {
      const expected = sortCells(await memory.aggregate(request));
      const label = `${request.definition.id} ${request.period.label} by ${request.breakdown}`;
      expect(sortCells(await (mode === 'all' ? duckAll : duck).aggregate(request)), label).toEqual(expected);
      expect(sortCells(await memoryFromDb.aggregate(request)), `${label} (memory engine fed from the database)`).toEqual(expected);
      if (expected.some((c) => c.numerator > 0)) nonEmpty++;
    }
    return nonEmpty;
  };

  it('the random data exercise every table the catalogue reads', () => {
    for (const table of ['person', 'clinical_event', 'ae_attendance', 'hospital_spell', 'birth', 'death', 'care_home_stay', 'gp_appointment', 'social_care_event', 'mental_health_contact', 'medication'] as const) {
      expect(input.tables[table]?.length ?? 0, table).toBeGreaterThan(20);
    }
  });

  for (const periodEnd of [2023, 2022]) {
    it(`every catalogue indicator, every breakdown, period ending March ${periodEnd + 1}`, async () => {
      const requests = INDICATOR_CATALOGUE.flatMap((definition) =>
        BREAKDOWNS.map((breakdown) => ({ definition, breakdown, period: financialYearPeriod(periodEnd, definition.periodYears) })),
      );
      const nonEmpty = await agree(requests, 'all');
      // The data are rich enough that most results count something.
      expect(nonEmpty).toBeGreaterThan(requests.length * 0.8);
    });
  }

  it('every catalogue indicator, one breakdown per query', async () => {
    const breakdowns = ['ics', 'age-band', 'ethnic-group'] as const;
    await agree(INDICATOR_CATALOGUE.flatMap((definition) => breakdowns.map((breakdown) => ({ definition, breakdown, period: financialYearPeriod(2023, definition.periodYears) }))), 'each');
  });

  it('every catalogue indicator: every period counted in one query equals each period counted alone', async () => {
    let nonEmpty = 0;
    for (const definition of INDICATOR_CATALOGUE) {
      // Overlapping periods too (rolling pooled years), in no particular order.
      const periods = [2023, 2021, 2022].map((y) => financialYearPeriod(y, definition.periodYears));
      const together = await aggregatePeriods(db, definition, periods, BREAKDOWNS);
      expect(together.length).toBe(periods.length);
      for (const [i, period] of periods.entries()) {
        const alone = await aggregateBreakdowns(db, definition, period, BREAKDOWNS);
        for (const breakdown of BREAKDOWNS) {
          const cells = together[i]!.get(breakdown)!;
          expect(sortCells(cells), `${definition.id} ${period.label} by ${breakdown}`).toEqual(sortCells(alone.get(breakdown)!));
          if (cells.some((c) => c.numerator > 0)) nonEmpty++;
        }
      }
    }
    // A subset of breakdowns (as the server counts the trend periods) gives the same cells.
    for (const definition of INDICATOR_CATALOGUE.filter((_, i) => i % 10 === 0)) {
      const periods = [2021, 2022].map((y) => financialYearPeriod(y, definition.periodYears));
      const [some, all] = [await aggregatePeriods(db, definition, periods, ['place', 'ics']), await aggregatePeriods(db, definition, periods, BREAKDOWNS)];
      for (const i of [0, 1]) for (const b of ['ics', 'place'] as const) expect(some[i]!.get(b), `${definition.id} by ${b}`).toEqual(all[i]!.get(b));
    }
    expect(nonEmpty).toBeGreaterThan(INDICATOR_CATALOGUE.length * 3 * BREAKDOWNS.length * 0.8);
  });

  it('the catalogue\'s person proportions counted in one query equal each counted alone, every period and breakdown', async () => {
    for (const years of [...new Set(INDICATOR_CATALOGUE.map((d) => d.periodYears))]) {
      const definitions = INDICATOR_CATALOGUE.filter((d) => d.measure.kind === 'person-proportion' && d.periodYears === years);
      if (definitions.length === 0) continue;
      const periods = [2022, 2023].map((y) => financialYearPeriod(y, years));
      const together = await aggregatePersonProportions(db, definitions, periods, BREAKDOWNS);
      for (const [j, definition] of definitions.entries()) {
        const alone = await aggregatePeriods(db, definition, periods, BREAKDOWNS);
        for (const [i, period] of periods.entries()) for (const b of BREAKDOWNS) expect(together[j]![i]!.get(b), `${definition.id} ${period.label} by ${b}`).toEqual(alone[i]!.get(b));
      }
    }
    // Through the engine (the catalogue together, with the counting shared by a run: one residents
    // table, each query part counted once): the same cells as the engine counting one indicator at a time.
    const shared = await prepareSharedCounting(db);
    const engine = createDuckDbEngine(db, { allBreakdowns: true, together: INDICATOR_CATALOGUE, shared });
    for (const definition of INDICATOR_CATALOGUE) {
      const period = financialYearPeriod(2023, definition.periodYears);
      for (const breakdown of ['ics', 'lsoa', 'ethnic-group'] as const) {
        expect(await engine.aggregate({ definition, period, breakdown }), `${definition.id} by ${breakdown}`).toEqual(await duckAll.aggregate({ definition, period, breakdown }));
      }
      const periods = [2021, 2022].map((y) => financialYearPeriod(y, definition.periodYears));
      expect(await engine.aggregateMany!({ definition, periods, breakdowns: ['ics', 'place'] }), definition.id).toEqual(await aggregatePeriods(db, definition, periods, ['ics', 'place']));
    }
    await shared.close();
  });

  it('counted together in the groups of personProportionGroup, each person proportion equals itself counted alone', async () => {
    const group = (id: string) => personProportionGroup(INDICATOR_CATALOGUE.find((d) => d.id === id)!);
    expect([group('adult-obesity'), group('smoking-prevalence'), group('diabetes-three-treatment-targets'), group('diabetes-hba1c-58')]).toEqual(['latest', 'latest', 'latest', 'latest']);
    expect([group('prevalence-diabetes'), group('multimorbidity-3-plus'), group('flu-vaccination-65'), group('cyp-mental-health-access')]).toEqual(['flags', 'flags', 'flags', 'flags']);
    const calls: string[] = [];
    const counting = { ...db, query: ((sql: string, params?: never) => (calls.push(sql), db.query(sql, params))) as typeof db.query };
    const shared = await prepareSharedCounting(db);
    const engine = createDuckDbEngine(counting, { allBreakdowns: true, together: INDICATOR_CATALOGUE, togetherBy: personProportionGroup, shared });
    const proportions = INDICATOR_CATALOGUE.filter((d) => d.measure.kind === 'person-proportion');
    const groups = new Set(proportions.map((d) => `${d.periodYears}:${personProportionGroup(d)}`));
    for (const definition of proportions) {
      const periods = [financialYearPeriod(2023, definition.periodYears)];
      expect(await engine.aggregateMany!({ definition, periods, breakdowns: ['ics', 'place', 'lsoa'] }), definition.id).toEqual(await aggregatePeriods(db, definition, periods, ['ics', 'place', 'lsoa']));
    }
    // One counting query per group (besides the shared denominators), not one per indicator.
    expect(calls.filter((sql) => sql.includes('count_if(')).length).toBe(groups.size);
    await shared.close();
  });

  it('every spec definition, every breakdown', async () => {
    const definitions = [...new Map(indicatorSpecs.flatMap((s) => s.cases.map((c) => [JSON.stringify(c.definition.measure), c.definition] as const))).values()];
    await agree(definitions.flatMap((definition) => BREAKDOWNS.map((breakdown) => ({ definition, breakdown, period: financialYearPeriod(2023) }))), 'all');
  });
});
