import { describe, expect, it } from 'vitest';
import {
  Adversary,
  DEFAULT_MODEL,
  backCalculate,
  checkValueFromPublished,
  complementId,
  knowledgeOfPublished,
  parseComplementId,
  readDisclosureModel,
  trueRangeOfPublished,
  type DisclosureModel,
} from './adversary.js';

/** The model after cell-key perturbation, as ADR 0006 describes it. */
const PERTURBED: DisclosureModel = { minimumCount: 8, suppressZero: false, rounding: 1, maxPerturbation: 5, valuesFrom: 'published-counts' };

describe('readDisclosureModel', () => {
  it('falls back to the documented behaviour of the code before perturbation when the block has only rule and suppressedCells', () => {
    expect(readDisclosureModel({ rule: 'counts of 1-7 are suppressed', suppressedCells: 3 })).toEqual(DEFAULT_MODEL);
    expect(readDisclosureModel(undefined)).toEqual(DEFAULT_MODEL);
    expect(readDisclosureModel('nonsense')).toEqual(DEFAULT_MODEL);
  });

  it('reads the new fields, ignoring malformed ones field by field', () => {
    expect(readDisclosureModel({ rule: 'x', minimumCount: 10, suppressZero: true, rounding: 1, maxPerturbation: 5, valuesFrom: 'published-counts' })).toEqual({
      minimumCount: 10,
      suppressZero: true,
      rounding: 1,
      maxPerturbation: 5,
      valuesFrom: 'published-counts',
    });
    expect(readDisclosureModel({ minimumCount: -1, rounding: 2.5, maxPerturbation: 'five', valuesFrom: 'guessed' })).toEqual(DEFAULT_MODEL);
    expect(readDisclosureModel({ policy: { maxPerturbation: 5, rounding: 1 } })).toMatchObject({ maxPerturbation: 5, rounding: 1 });
  });
});

describe('knowledgeOfPublished', () => {
  it('reads a rounded count as the true counts that round to it (halves up), never below the threshold', () => {
    expect(trueRangeOfPublished(75, DEFAULT_MODEL)).toEqual({ lo: 73, hi: 77 });
    expect(trueRangeOfPublished(10, DEFAULT_MODEL)).toEqual({ lo: 8, hi: 12 });
    expect(trueRangeOfPublished(20, { ...DEFAULT_MODEL, rounding: 10 })).toEqual({ lo: 15, hi: 24 });
    expect(trueRangeOfPublished(0, DEFAULT_MODEL)).toEqual({ lo: 0, hi: 0 });
  });

  it('widens by the largest perturbation', () => {
    expect(trueRangeOfPublished(8, PERTURBED)).toEqual({ lo: 8, hi: 13 });
    expect(trueRangeOfPublished(40, PERTURBED)).toEqual({ lo: 35, hi: 45 });
    expect(trueRangeOfPublished(40, { ...PERTURBED, rounding: 5 })).toEqual({ lo: 33, hi: 47 });
  });

  it('reads the notes of withheld counts', () => {
    expect(knowledgeOfPublished(null, 'count 1-7', DEFAULT_MODEL)).toEqual({ kind: 'bounds', lo: 1, hi: 7 });
    expect(knowledgeOfPublished(null, 'count 0-9', DEFAULT_MODEL)).toEqual({ kind: 'bounds', lo: 0, hi: 9 });
    expect(knowledgeOfPublished(null, 'denominator minus count 1-7', DEFAULT_MODEL)).toEqual({ kind: 'complement', lo: 1, hi: 7 });
    expect(knowledgeOfPublished(null, 'protects place=bradford in all', DEFAULT_MODEL)).toEqual({ kind: 'nothing' });
    expect(knowledgeOfPublished(undefined, undefined, DEFAULT_MODEL)).toEqual({ kind: 'nothing' });
    expect(knowledgeOfPublished(null, 'count 1', DEFAULT_MODEL)).toEqual({ kind: 'bounds', lo: 1, hi: 1 });
    // A note that mentions a range for another reason is not a bound on this cell.
    expect(knowledgeOfPublished(null, 'differs from an earlier count 1-9 cell', DEFAULT_MODEL)).toEqual({ kind: 'nothing' });
    expect(knowledgeOfPublished(12, 'computed from suppressed group=x', DEFAULT_MODEL)).toEqual({ kind: 'bounds', lo: 10, hi: 14 });
  });
});

describe('backCalculate', () => {
  it('gives back the true counts of the issue: a share beside 75 and 11,920 can only be 77 of 11,921', () => {
    const dv = { numerator: 'n', denominator: 'd', multiplier: 1, value: 0.0064591896652965355, source: 'issue' };
    const c = backCalculate(dv, trueRangeOfPublished(75, DEFAULT_MODEL), trueRangeOfPublished(11920, DEFAULT_MODEL));
    expect(c).toEqual({ n: { lo: 77, hi: 77 }, d: { lo: 11921, hi: 11921 }, count: 1 });
  });

  it('pins a rate numerator from its published population denominator, whatever the rounding', () => {
    const personYears = 3801.2457221081446;
    const dv = { numerator: 'n', denominator: personYears, multiplier: 1000, value: (1234 / personYears) * 1000, source: 'rate' };
    expect(backCalculate(dv, trueRangeOfPublished(1235, DEFAULT_MODEL)).n).toEqual({ lo: 1234, hi: 1234 });
    expect(backCalculate(dv, { lo: 0, hi: Infinity }).n).toEqual({ lo: 1234, hi: 1234 });
  });

  it('searches over the denominator when only it is bounded', () => {
    const dv = { numerator: 'n', denominator: 'd', multiplier: 100, value: (13 / 52) * 100, source: 'p' };
    const c = backCalculate(dv, { lo: 0, hi: Infinity }, { lo: 50, hi: 54 });
    // 13/52 = 0.25: 13/52 (d 52) is the only pair with d in 50-54 (0.25 × 50 = 12.5, × 54 = 13.5; 0.25 × 51 = 12.75 …).
    expect(c.n).toEqual({ lo: 13, hi: 13 });
    expect(c.d).toEqual({ lo: 52, hi: 52 });
  });

  it('keeps every candidate a coarse (CSV) value allows', () => {
    const dv = { numerator: 'n', denominator: 'd', multiplier: 1, value: 0.25, tolerance: { absolute: 5e-7 }, source: 'csv' };
    const c = backCalculate(dv, { lo: 8, hi: 17 }, { lo: 40, hi: 64 });
    expect(c.n).toEqual({ lo: 10, hi: 16 });
    expect(c.count).toBe(7);
  });

  it('finds nothing when no count in range reproduces the value (the model is wrong)', () => {
    const dv = { numerator: 'n', denominator: 'd', multiplier: 1, value: 0.3, source: 'x' };
    expect(backCalculate(dv, { lo: 1, hi: 2 }, { lo: 100, hi: 101 }).n).toBeUndefined();
  });

  it('applies an extra check (e.g. confidence limits) to each candidate', () => {
    const dv = { numerator: 'n', denominator: 'd', multiplier: 1, value: 0.5, check: (_n: number, d: number) => d === 12, source: 'x' };
    expect(backCalculate(dv, { lo: 3, hi: 8 }, { lo: 6, hi: 16 })).toEqual({ n: { lo: 6, hi: 6 }, d: { lo: 12, hi: 12 }, count: 1 });
  });
});

describe('checkValueFromPublished', () => {
  it('accepts a value computed from the published counts and reports one computed from others', () => {
    const dv = { numerator: 'n', denominator: 'd', multiplier: 1, value: 75 / 11920, source: 'ok' };
    expect(checkValueFromPublished(dv, 75, 11920)).toBeNull();
    expect(checkValueFromPublished({ ...dv, value: 77 / 11921, source: 'bad' }, 75, 11920)?.source).toBe('bad');
  });
});

describe('Adversary.solve', () => {
  const model = DEFAULT_MODEL;

  it('recovers a cell by subtraction when the total and the other parts are known exactly', () => {
    const a = new Adversary();
    a.exact('ics', 248, 't').exact('leeds', 120, 't').exact('wakefield', 40, 't').exact('kirklees', 60, 't').exact('calderdale', 25, 't');
    a.published({ id: 'bradford', value: null, note: 'count 1-7', model, source: 't' });
    a.sum('ics', ['leeds', 'bradford', 'wakefield', 'calderdale', 'kirklees'], 't');
    expect(a.solve().exact.get('bradford')).toBe(3);
  });

  it('does not recover the documented example from rounded counts alone: secondary suppression leaves a range', () => {
    const a = new Adversary();
    const pub = (id: string, value: number | null, note = '') => a.published({ id, value, note, model, source: 't' });
    pub('ics', 250);
    pub('leeds', 120);
    pub('bradford', null, 'count 1-7');
    pub('wakefield', 40);
    pub('calderdale', null, 'protects place=bradford in ics');
    pub('kirklees', 60);
    a.sum('ics', ['leeds', 'bradford', 'wakefield', 'calderdale', 'kirklees'], 't');
    const s = a.solve();
    expect(s.exact.has('bradford')).toBe(false);
    expect(s.intervals.get('bradford')).toEqual({ lo: 1, hi: 7 });
    // 250 − (120 + 40 + 60), each ±2: bradford + calderdale hold 22-38 between them.
    expect(s.intervals.get('calderdale')).toEqual({ lo: 15, hi: 37 });
  });

  it('undoes rounding with a value computed from the true counts, then undoes suppression across two tables', () => {
    // Table 1 (by place): the place total, with a share that pins it. Table 2 (by neighbourhood): n1 published,
    // n2 withheld (small), n3 withheld (secondary, to protect n2 in table 2's own total).
    const a = new Adversary();
    a.published({ id: 'place', value: 75, model, source: 't1' });
    a.published({ id: 'people', value: 11920, model, source: 't1' });
    a.derived({ numerator: 'place', denominator: 'people', multiplier: 1, value: 77 / 11921, source: 't1' }, model);
    a.published({ id: 'n1', value: 65, model, source: 't2' });
    a.published({ id: 'n1-people', value: 5000, model, source: 't2' });
    a.derived({ numerator: 'n1', denominator: 'n1-people', multiplier: 1, value: 66 / 4998, source: 't2' }, model);
    a.published({ id: 'n2', value: null, note: 'count 1-7', model, source: 't2' });
    a.published({ id: 'n3', value: null, note: 'protects n2', model, source: 't2' });
    // Table 3 (one neighbourhood on its own) publishes n3.
    a.published({ id: 'n3', value: 10, model, source: 't3' });
    a.published({ id: 'n3-people', value: 1000, model, source: 't3' });
    a.derived({ numerator: 'n3', denominator: 'n3-people', multiplier: 1, value: 9 / 1001, source: 't3' }, model);
    a.sum('place', ['n1', 'n2', 'n3'], 'nesting');
    const s = a.solve();
    expect(s.exact.get('place')).toBe(77);
    expect(s.exact.get('n1')).toBe(66);
    expect(s.exact.get('n3')).toBe(9);
    expect(s.exact.get('n2')).toBe(2);
    expect(s.contradictions).toEqual([]);
  });

  it('with values from the published counts, a value teaches nothing and is only checked', () => {
    const a = new Adversary();
    a.published({ id: 'n', value: 75, model: PERTURBED, source: 't' });
    a.published({ id: 'd', value: 11920, model: PERTURBED, source: 't' });
    a.derived({ numerator: 'n', denominator: 'd', multiplier: 1, value: 75 / 11920, source: 'good' }, PERTURBED, { numerator: 75, denominator: 11920 });
    a.derived({ numerator: 'n', denominator: 'd', multiplier: 1, value: 77 / 11921, source: 'bad' }, PERTURBED, { numerator: 75, denominator: 11920 });
    const s = a.solve();
    expect(s.intervals.get('n')).toEqual({ lo: 70, hi: 80 });
    expect(a.violations.map((v) => v.source)).toEqual(['bad']);
  });

  it('turns a small complement into a bound on denominator minus count', () => {
    const a = new Adversary();
    a.exact('group', 100, 't');
    a.published({ id: 'carers', value: null, note: 'denominator minus count 1-7', denominator: 'group', model, source: 't' });
    a.exact(complementId('group', 'carers'), 3, 'elsewhere');
    expect(a.solve().exact.get('carers')).toBe(97);
    expect(parseComplementId(complementId('group', 'carers'))).toEqual({ total: 'group', part: 'carers' });
    expect(parseComplementId('carers')).toBeUndefined();
  });

  it('recovers a padded cohort: any(dementia, female) − all(female, not dementia) = dementia', () => {
    const a = new Adversary();
    a.exact('any', 190, 'back-calculated').exact('pad', 187, 'back-calculated');
    a.published({ id: 'dementia', value: null, note: 'count 1-7', model, source: 'direct' });
    a.sum('any', ['dementia', 'pad'], 'set identity');
    expect(a.solve().exact.get('dementia')).toBe(3);
  });

  it('records contradictions instead of emptying an interval', () => {
    const a = new Adversary();
    a.exact('t', 10, 'x').exact('p1', 4, 'x').exact('p2', 9, 'x').sum('t', ['p1', 'p2'], 'wrong sum');
    const s = a.solve();
    expect(s.contradictions.length).toBeGreaterThan(0);
    expect(s.contradictions[0]!.source).toBe('wrong sum');
  });

  it('combines the facts and violations of several adversaries', () => {
    const a = new Adversary().exact('t', 10, 'a');
    const b = new Adversary().exact('p1', 4, 'b').sum('t', ['p1', 'p2'], 'b').violation('b', 'odd');
    const c = Adversary.combine(a, b);
    expect(c.solve().exact.get('p2')).toBe(6);
    expect(c.violations).toHaveLength(1);
  });

  it('is sound on random nested tables: the true count is always inside its interval', () => {
    // A deterministic LCG: random tables of a total, places and neighbourhoods, protected as the old
    // code did (1-7 withheld, rounded to 5, shares from the true counts), some shares left out.
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const round5 = (n: number) => (n === 0 ? 0 : 5 * Math.floor(n / 5 + 0.5));
    let exactClaims = 0;
    for (let trial = 0; trial < 200; trial++) {
      const a = new Adversary();
      const truth = new Map<string, number>();
      const places: string[] = [];
      for (let p = 0; p < 3; p++) {
        const parts: string[] = [];
        for (let n = 0; n < 4; n++) {
          const id = `p${p}n${n}`;
          const count = rand() < 0.4 ? Math.floor(rand() * 8) : Math.floor(rand() * 60);
          const people = count + 20 + Math.floor(rand() * 400);
          truth.set(id, count);
          truth.set(`${id}:people`, people);
          parts.push(id);
          const withheld = count >= 1 && count <= 7;
          a.published({ id, value: withheld ? null : round5(count), note: withheld ? 'count 1-7' : '', model, source: 'nbhd' });
          a.published({ id: `${id}:people`, value: round5(people), model, source: 'nbhd' });
          if (!withheld && rand() < 0.7) a.derived({ numerator: id, denominator: `${id}:people`, multiplier: 1, value: count / people, source: 'nbhd' }, model);
        }
        const total = parts.reduce((s, id) => s + truth.get(id)!, 0);
        truth.set(`p${p}`, total);
        a.published({ id: `p${p}`, value: total >= 1 && total <= 7 ? null : round5(total), note: total >= 1 && total <= 7 ? 'count 1-7' : '', model, source: 'place' });
        a.sum(`p${p}`, parts, 'nesting');
        places.push(`p${p}`);
      }
      const s = a.solve();
      expect(s.contradictions).toEqual([]);
      for (const [id, value] of truth) {
        const iv = s.intervals.get(id)!;
        expect(iv.lo <= value && value <= iv.hi, `${id} = ${value} outside [${iv.lo}, ${iv.hi}] in trial ${trial}`).toBe(true);
      }
      exactClaims += s.exact.size;
    }
    expect(exactClaims).toBeGreaterThan(0);
  });
  it('is sound under cell-key perturbation (noise up to ±5, values from the published counts), and recovers no small cell', () => {
    let seed = 777;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    /** Noise in −5…+5, narrowed near the threshold so a published count never falls below it (as ADR 0006 says). */
    const perturb = (n: number) => {
      if (n === 0) return 0;
      const d = Math.round((rand() - 0.5) * 10);
      return Math.abs(d) > Math.min(5, n - 8) ? n : n + d;
    };
    for (let trial = 0; trial < 200; trial++) {
      const a = new Adversary();
      const truth = new Map<string, number>();
      const parts: string[] = [];
      for (let n = 0; n < 5; n++) {
        const id = `n${n}`;
        const count = rand() < 0.5 ? 1 + Math.floor(rand() * 7) : 8 + Math.floor(rand() * 40);
        const people = 100 + Math.floor(rand() * 300);
        truth.set(id, count);
        truth.set(`${id}:people`, people);
        parts.push(id);
        const withheld = count <= 7;
        const [y, Y] = [withheld ? null : perturb(count), perturb(people)];
        a.published({ id, value: y, note: withheld ? 'count 1-7' : '', model: PERTURBED, source: 'nbhd' });
        a.published({ id: `${id}:people`, value: Y, model: PERTURBED, source: 'nbhd' });
        if (y !== null) a.derived({ numerator: id, denominator: `${id}:people`, multiplier: 1, value: y / Y, source: 'nbhd' }, PERTURBED, { numerator: y, denominator: Y });
      }
      const total = parts.reduce((s, id) => s + truth.get(id)!, 0);
      truth.set('place', total);
      a.published({ id: 'place', value: perturb(total), model: PERTURBED, source: 'place' });
      a.sum('place', parts, 'nesting');
      const s = a.solve();
      expect(a.violations).toEqual([]);
      expect(s.contradictions).toEqual([]);
      for (const [id, value] of truth) {
        const iv = s.intervals.get(id)!;
        expect(iv.lo <= value && value <= iv.hi, `${id} = ${value} outside [${iv.lo}, ${iv.hi}] in trial ${trial}`).toBe(true);
        if (value >= 1 && value <= 7) expect(s.exact.has(id), `${id} = ${value} recovered in trial ${trial}`).toBe(false);
      }
    }
  });
});
