/**
 * What the person model works with for one LSOA (its area, the window, its random stream and the
 * sink rows go to) and what it reports back.
 */
import type { DayNumber, Random } from '@openphm/core';
import type { GeneratorArea } from '../areas.js';
import type { AreaIdentities } from '../identity/identity.js';
import type { RowSink } from '../sink.js';

export interface Window {
  readonly start: DayNumber;
  /** First day after the window. */
  readonly end: DayNumber;
  /** yearStarts[y] is the first day of year y; yearStarts[years] = end. */
  readonly yearStarts: readonly DayNumber[];
}

export interface AreaContext {
  readonly area: GeneratorArea;
  readonly window: Window;
  readonly rng: Random;
  readonly sink: RowSink;
  /** Mixed into person ids so different seeds give different ids. */
  readonly idKey: number;
  /** Draws each person's synthetic identity (its own stream) when the generation writes identities. */
  readonly identities?: AreaIdentities;
}

export interface AreaSummary {
  readonly people: number;
  readonly births: number;
  readonly deaths: number;
}
