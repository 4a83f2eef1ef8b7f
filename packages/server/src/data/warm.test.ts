/** Background precomputation: a failing step is reported and skipped, the rest still run. */
import { describe, expect, it } from 'vitest';
import { INDICATOR_CATALOGUE, type IndicatorEngine } from '@openphm/core';
import { useServer } from '../test-support.js';

const failing = INDICATOR_CATALOGUE[1]!.id;
const asked = new Set<string>();
const engine: IndicatorEngine = {
  name: 'fails-for-one',
  aggregate: async ({ definition }) => {
    asked.add(definition.id);
    if (definition.id === failing) throw new Error('engine failure for one indicator');
    return [{ group: 'ICS', numerator: 10, denominator: 100 }];
  },
};

describe('precomputation', () => {
  const { inject } = useServer({ options: { indicatorEngine: () => engine, precompute: true, logger: { level: 'silent' } } });

  it('reports a failed step in /api/health and still precomputes every other indicator', async () => {
    let precompute: { status: string; step: string } = { status: 'running', step: '' };
    for (let i = 0; i < 600 && precompute.status === 'running'; i++) {
      precompute = (await inject({ url: '/api/health' })).json().precompute;
      if (precompute.status === 'running') await new Promise((r) => setTimeout(r, 50));
    }
    expect(precompute.status).toBe('failed');
    expect(precompute.step).toContain(`indicator ${failing}`);
    for (const d of INDICATOR_CATALOGUE) expect(asked.has(d.id), d.id).toBe(true);
    // The indicator after the failing one was precomputed too.
    expect(asked.has(INDICATOR_CATALOGUE[2]!.id)).toBe(true);
  });
});
