import { describe, expect, it } from 'vitest';
import { RiskInputSchema, RiskUpdateSchema, isReviewOverdue, riskBand, riskHeatmap, riskScore } from './risks.js';

describe('5 × 5 risk scores and bands', () => {
  // Every score a 5 × 5 matrix can give, and its band (Critical 20-25, Serious 15-16, High 8-12, Moderate 4-6, Low 1-3).
  it.each([
    [1, 'low'], [2, 'low'], [3, 'low'],
    [4, 'moderate'], [5, 'moderate'], [6, 'moderate'],
    [8, 'high'], [9, 'high'], [10, 'high'], [12, 'high'],
    [15, 'serious'], [16, 'serious'],
    [20, 'critical'], [25, 'critical'],
  ])('score %i is %s', (score, band) => {
    expect(riskBand(score)).toBe(band);
  });

  it('bands every likelihood × impact, and nothing else', () => {
    for (let l = 1; l <= 5; l++) for (let i = 1; i <= 5; i++) expect(() => riskBand(riskScore(l, i))).not.toThrow();
    for (const s of [0, 7, 13, 14, 17, 19, 26]) expect(() => riskBand(s)).toThrow(/not a 5 × 5 risk score/);
  });

  it('counts open risks on the grid', () => {
    const grid = riskHeatmap([
      { likelihood: 5, impact: 4, status: 'open' },
      { likelihood: 5, impact: 4, status: 'open' },
      { likelihood: 1, impact: 1, status: 'open' },
      { likelihood: 3, impact: 3, status: 'closed' },
    ]);
    expect(grid[4]![3]).toBe(2);
    expect(grid[0]![0]).toBe(1);
    expect(grid.flat().reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('flags open risks past their review date', () => {
    expect(isReviewOverdue({ status: 'open', reviewDate: '2026-11-25' }, '2026-11-26')).toBe(true);
    expect(isReviewOverdue({ status: 'open', reviewDate: '2026-11-26' }, '2026-11-26')).toBe(false);
    expect(isReviewOverdue({ status: 'closed', reviewDate: '2020-01-01' }, '2026-11-26')).toBe(false);
  });

  it('validates input, naming the field', () => {
    const ok = { strategyId: 's', title: 'Workforce', owner: 'Director', likelihood: 4, impact: 5, reviewDate: '2027-01-31' };
    expect(RiskInputSchema.parse(ok)).toMatchObject({ status: 'open', targetLikelihood: null, controls: '' });
    const issues = (input: object) => RiskInputSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ ...ok, likelihood: 6 })).toEqual(['likelihood: from 1 to 5']);
    expect(issues({ ...ok, impact: 0 })).toEqual(['impact: from 1 to 5']);
    expect(issues({ ...ok, targetLikelihood: 2 })).toEqual(['targetImpact: give both target likelihood and target impact, or neither']);
    expect(issues({ ...ok, title: '  ' })).toEqual(['title: required']);
    // An update carries only what changes (no defaults that would overwrite stored fields).
    expect(RiskUpdateSchema.parse({ likelihood: 2, version: 4 })).toEqual({ likelihood: 2, version: 4 });
    expect(RiskUpdateSchema.safeParse({ targetLikelihood: 2, version: 4 }).error?.issues[0]?.message).toBe('give both target likelihood and target impact, or neither');
    expect(RiskUpdateSchema.parse({ targetLikelihood: null, targetImpact: null, version: 4 })).toEqual({ targetLikelihood: null, targetImpact: null, version: 4 });
  });
});
