/**
 * Registers the spec suite as vitest tests for one engine. Each spec's input is turned into an
 * engine once (makeEngine), then every case is one test comparing cells.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AggregateCell, IndicatorEngine } from '@openphm/core';
import type { SpecInput } from './input.js';
import { indicatorSpecs, type Spec } from './specs.js';

export type MakeEngine = (input: SpecInput) => Promise<IndicatorEngine>;

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Cell order for comparisons: group, then age band, as text. */
export const compareCells = (a: AggregateCell, b: AggregateCell): number => byText(a.group, b.group) || byText(a.ageBand ?? '', b.ageBand ?? '');
export const sortCells = (cells: readonly AggregateCell[]): AggregateCell[] => [...cells].sort(compareCells);

/** Cells in a comparable form: sorted, no undefined keys, denominators rounded to 9 decimals (they may be person-years or sums of rates). */
export const comparableCells = (cells: readonly AggregateCell[]): AggregateCell[] =>
  sortCells(cells).map((c) => ({
    group: c.group,
    ...(c.ageBand === undefined ? {} : { ageBand: c.ageBand }),
    numerator: c.numerator,
    denominator: Number(c.denominator.toFixed(9)),
  }));

/** Registers `describeName` › spec › case tests running every spec against engines made by `makeEngine`. */
export const runSpecSuite = (describeName: string, makeEngine: MakeEngine, specs: readonly Spec[] = indicatorSpecs): void => {
  describe(describeName, () => {
    for (const spec of specs) {
      describe(spec.name, () => {
        let engine: IndicatorEngine;
        beforeAll(async () => {
          engine = await makeEngine(spec.input);
        });
        for (const c of spec.cases) {
          it(`${c.name} [${c.breakdown}]`, async () => {
            const cells = await engine.aggregate({ definition: c.definition, period: c.period, breakdown: c.breakdown });
            expect(comparableCells(cells)).toEqual(comparableCells(c.expected));
          });
        }
      });
    }
  });
};
