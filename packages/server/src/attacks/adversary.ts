/**
 * An automated adversary's reasoning, as a pure solver (no I/O): what can be worked out about the
 * true counts behind published, disclosure-controlled figures by someone who reads them all.
 *
 * The unknowns are true counts of cells (sets of people or events), named by string ids. Knowledge
 * comes in three forms:
 * - bounds on a cell (`lo..hi`, integers; `hi` may be Infinity), from a published count and the
 *   disclosure model ("rounded to 5" → y−2..y+2; "count 1-7" → 1..7; secondary suppression → 0..∞);
 * - additivity: `total = Σ parts` when the parts partition the total (a place and its
 *   neighbourhoods, a group and its categories, a padded cohort and the cohort it pads);
 * - derived values: a share, proportion or rate published beside the counts. When the model says it
 *   was computed from the TRUE counts, only the (n, d) pairs that reproduce it are possible.
 *
 * `solve()` runs interval constraint propagation to a fixed point and reports each cell's interval;
 * a cell is "recovered exactly" when its interval is a single value. The solver is SOUND: each step
 * only removes values that contradict knowledge, so if the knowledge is true, the true count is
 * always inside the interval. It is not complete (no integer programming): an attacker with a
 * better solver could learn more, never less, so a recovery found here is a real one.
 * @module
 */

/** A closed integer interval; `hi` may be Infinity. */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

export type ValuesFrom = 'true-counts' | 'published-counts';

/**
 * What a response says (or the documentation says) about how its counts were protected. The
 * defaults are the documented behaviour before cell-key perturbation (docs/disclosure-control.md):
 * 1-7 suppressed, 0 published, other counts rounded to 5, values computed from the true counts.
 */
export interface DisclosureModel {
  /** Counts below this (and at least 1, or 0 with suppressZero) are suppressed. */
  readonly minimumCount: number;
  readonly suppressZero: boolean;
  /** Published counts are rounded to a multiple of this (halves up); 1 = none. */
  readonly rounding: number;
  /** The largest noise added to a count before rounding (cell-key perturbation); 0 = none. */
  readonly maxPerturbation: number;
  /** Whether shares, proportions and rates were computed from the true or the published counts. */
  readonly valuesFrom: ValuesFrom;
}

export const DEFAULT_MODEL: DisclosureModel = Object.freeze({ minimumCount: 8, suppressZero: false, rounding: 5, maxPerturbation: 0, valuesFrom: 'true-counts' });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const intAtLeast = (v: unknown, min: number): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= min ? v : undefined);

/**
 * The disclosure model of a response, from its `disclosure` block. Responses before cell-key
 * perturbation carry only `{ rule, suppressedCells }`, so every field is optional and anything
 * missing or malformed falls back to the default (the documented behaviour of that code). A nested
 * `policy` object is read too, in case the fields are grouped there.
 */
export const readDisclosureModel = (block: unknown, fallback: DisclosureModel = DEFAULT_MODEL): DisclosureModel => {
  if (!isRecord(block)) return fallback;
  const sources = [block, ...(isRecord(block.policy) ? [block.policy] : [])];
  const pick = <T>(read: (s: Record<string, unknown>) => T | undefined): T | undefined => {
    for (const s of sources) {
      const v = read(s);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  return {
    minimumCount: pick((s) => intAtLeast(s.minimumCount, 1)) ?? fallback.minimumCount,
    suppressZero: pick((s) => (typeof s.suppressZero === 'boolean' ? s.suppressZero : undefined)) ?? fallback.suppressZero,
    rounding: pick((s) => intAtLeast(s.rounding, 1)) ?? fallback.rounding,
    maxPerturbation: pick((s) => intAtLeast(s.maxPerturbation, 0)) ?? fallback.maxPerturbation,
    valuesFrom: pick((s) => (s.valuesFrom === 'true-counts' || s.valuesFrom === 'published-counts' ? s.valuesFrom : undefined)) ?? fallback.valuesFrom,
  };
};

/** What one published count (or its absence) says about the true count. */
export type CountKnowledge =
  /** The true count lies in [lo, hi]. */
  | { readonly kind: 'bounds'; readonly lo: number; readonly hi: number }
  /** Nothing about the count itself, but (denominator − count) lies in [lo, hi] (a small complement). */
  | { readonly kind: 'complement'; readonly lo: number; readonly hi: number }
  /** Withheld for another reason (secondary suppression, or unexplained): the count is ≥ 0. */
  | { readonly kind: 'nothing' };

/**
 * The true counts a published count can come from: rounding to r (halves up) maps n to y when
 * n ∈ [y − ⌊r/2⌋, y + ⌈r/2⌉ − 1]; noise of at most p widens that by p each side; a published
 * non-zero count was not suppressed, so n ≥ minimumCount.
 */
export const trueRangeOfPublished = (y: number, model: DisclosureModel): Interval => {
  if (y === 0 && !model.suppressZero) return { lo: 0, hi: 0 };
  const below = Math.floor(model.rounding / 2) + model.maxPerturbation;
  const above = Math.ceil(model.rounding / 2) - 1 + model.maxPerturbation;
  const floor = y === 0 ? 0 : model.minimumCount;
  return { lo: Math.max(floor, y - below, 0), hi: y + above };
};

/**
 * The notes of primary suppression, as core writes them ('count 1-7', 'denominator minus count 1-7',
 * or 'count 1' for a one-value range). Anchored, so that a note that merely mentions a count range
 * for another reason (an earlier query, a cohort minimum) is not read as a bound on this cell.
 */
const SMALL_COMPLEMENT = /^\s*denominator minus count (\d+)(?:\s*-\s*(\d+))?\s*\.?\s*$/i;
const SMALL_COUNT = /^\s*count (\d+)(?:\s*-\s*(\d+))?\s*\.?\s*$/i;

/**
 * Translates one published count into knowledge. `y` null or undefined means withheld; its note says
 * why: 'count 1-7' (or 'count 0-9') bounds the count, 'denominator minus count 1-7' bounds its
 * complement, anything else ('protects …', no note) says nothing beyond n ≥ 0.
 */
export const knowledgeOfPublished = (y: number | null | undefined, note: string | null | undefined, model: DisclosureModel): CountKnowledge => {
  if (typeof y === 'number' && Number.isFinite(y)) {
    const r = trueRangeOfPublished(y, model);
    return { kind: 'bounds', lo: r.lo, hi: r.hi };
  }
  const text = note ?? '';
  const complement = SMALL_COMPLEMENT.exec(text);
  if (complement) return { kind: 'complement', lo: Number(complement[1]), hi: Number(complement[2] ?? complement[1]) };
  const small = SMALL_COUNT.exec(text);
  if (small) return { kind: 'bounds', lo: Number(small[1]), hi: Number(small[2] ?? small[1]) };
  return { kind: 'nothing' };
};

/**
 * A value published beside counts: value = multiplier × n / d. The denominator is either another
 * unknown count (a share or proportion: a cell id) or a figure published as it is (a population,
 * person-years, an expected count: a number).
 */
export interface DerivedValue {
  readonly numerator: string;
  readonly denominator: string | number;
  readonly multiplier: number;
  readonly value: number;
  /**
   * How precisely the value is published. Default: full double precision (relative 1e-9, enough
   * for the last bits lost in the server's own arithmetic). CSV files round shares: absolute 5e-7.
   */
  readonly tolerance?: { readonly relative?: number; readonly absolute?: number };
  /** Further test a candidate (n, d) must pass, e.g. reproducing published confidence limits. */
  readonly check?: (n: number, d: number) => boolean;
  readonly source: string;
}

const DEFAULT_RELATIVE = 1e-9;

const toleranceOf = (dv: DerivedValue): number => {
  const relative = dv.tolerance?.relative ?? (dv.tolerance?.absolute === undefined ? DEFAULT_RELATIVE : 0);
  return Math.max(relative * Math.abs(dv.value), dv.tolerance?.absolute ?? 0, 1e-15);
};

/** Whether value ≈ multiplier × n / d within the value's tolerance. */
export const reproduces = (dv: DerivedValue, n: number, d: number): boolean => d > 0 && Math.abs((n / d) * dv.multiplier - dv.value) <= toleranceOf(dv);

/** Candidates (n, d) for a derived value inside the given bounds. */
export interface Candidates {
  /** Hull of the numerators that reproduce the value; undefined when none does. */
  readonly n?: Interval;
  /** Hull of the denominators (count denominators only). */
  readonly d?: Interval;
  /** How many (n, d) pairs were found (capped); 'many' when the search was too wide to count. */
  readonly count: number | 'many';
}

/** The widest numerator range searched candidate by candidate; wider ranges teach nothing. */
export const MAX_ENUMERATION = 20_000;

/** Integers in [a, b] (rounded inward with a margin for float error in the division that gave them). */
const integersIn = (a: number, b: number): Interval => ({ lo: Math.ceil(a - 1e-9), hi: Math.floor(b + 1e-9) });

/**
 * Every integer n in `nBounds` (and d in `dBounds` for a count denominator) that reproduces the
 * value, as hulls. Sound: a pair is only excluded when the formula, applied to it, does not give the
 * published value. The search runs over whichever of n and d has the narrower finite range; when
 * both are too wide it returns the bounds unchanged (`count: 'many'`).
 */
export const backCalculate = (dv: DerivedValue, nBounds: Interval, dBounds: Interval = { lo: 1, hi: Infinity }): Candidates => {
  const tol = toleranceOf(dv);
  const m = dv.multiplier;
  const v = dv.value;
  const nLo = Math.max(0, Math.ceil(nBounds.lo));
  const nHi = Math.floor(nBounds.hi);
  const passes = (n: number, d: number) => reproduces(dv, n, d) && (dv.check?.(n, d) ?? true);

  if (typeof dv.denominator === 'number') {
    // value = m·n/D with D published: n is pinned down by the value alone.
    const D = dv.denominator;
    if (!(D > 0)) return { n: nBounds, count: 'many' };
    const range = integersIn(((v - tol) * D) / m, ((v + tol) * D) / m);
    const lo = Math.max(nLo, range.lo);
    const hi = Math.min(nHi, range.hi);
    if (hi < lo) return { count: 0 };
    if (hi - lo > MAX_ENUMERATION) return { n: { lo, hi }, count: 'many' };
    let nMin = Infinity;
    let nMax = -Infinity;
    let count = 0;
    for (let n = lo; n <= hi; n++) {
      if (passes(n, D)) {
        nMin = Math.min(nMin, n);
        nMax = Math.max(nMax, n);
        count++;
      }
    }
    return nMin > nMax ? { count: 0 } : { n: { lo: nMin, hi: nMax }, count };
  }

  // value = m·n/d with both unknown counts (d ≥ 1).
  const dLo = Math.max(1, Math.ceil(dBounds.lo));
  const dHi = Math.floor(dBounds.hi);
  let nMin = Infinity;
  let nMax = -Infinity;
  let dMin = Infinity;
  let dMax = -Infinity;
  let count = 0;
  let many = false;
  const take = (n: number, d: number) => {
    nMin = Math.min(nMin, n);
    nMax = Math.max(nMax, n);
    dMin = Math.min(dMin, d);
    dMax = Math.max(dMax, d);
  };
  const nWidth = Number.isFinite(nHi) ? nHi - nLo : Infinity;
  const dWidth = Number.isFinite(dHi) ? dHi - dLo : Infinity;
  if (nWidth <= MAX_ENUMERATION && nWidth <= dWidth) {
    for (let n = nLo; n <= nHi; n++) {
      // |m·n/d − v| ≤ tol ⇔ d ∈ [m·n/(v + tol), m·n/(v − tol)] (no upper limit when v − tol ≤ 0).
      const range = integersIn((m * n) / (v + tol), v - tol > 0 ? (m * n) / (v - tol) : Infinity);
      const lo = Math.max(dLo, range.lo - 1);
      const hi = Math.min(dHi, range.hi + 1);
      if (hi < lo) continue;
      if (hi - lo > MAX_ENUMERATION) {
        // A zero value (n = 0 with any d) or a very coarse one: keep the whole range, untested.
        take(n, lo);
        take(n, hi);
        many = true;
        continue;
      }
      for (let d = lo; d <= hi; d++) {
        if (passes(n, d)) {
          take(n, d);
          count++;
        }
      }
    }
  } else if (dWidth <= MAX_ENUMERATION) {
    for (let d = dLo; d <= dHi; d++) {
      // |m·n/d − v| ≤ tol ⇔ n ∈ [(v − tol)·d/m, (v + tol)·d/m].
      const range = integersIn(((v - tol) * d) / m, ((v + tol) * d) / m);
      const lo = Math.max(nLo, range.lo - 1);
      const hi = Math.min(nHi, range.hi + 1);
      if (hi < lo) continue;
      if (hi - lo > MAX_ENUMERATION) {
        take(lo, d);
        take(hi, d);
        many = true;
        continue;
      }
      for (let n = lo; n <= hi; n++) {
        if (passes(n, d)) {
          take(n, d);
          count++;
        }
      }
    }
  } else {
    return { n: nBounds, d: dBounds, count: 'many' };
  }
  if (nMin > nMax) return { count: 0 };
  return { n: { lo: nMin, hi: nMax }, d: { lo: dMin, hi: dMax }, count: many ? 'many' : count };
};

/** A published value that disagrees with the model (the server does not do what it says). */
export interface ModelViolation {
  readonly source: string;
  readonly message: string;
}

/**
 * For a model whose values are computed from the PUBLISHED counts: the value must be the formula
 * applied to the published numerator and denominator. Returns a violation when it is not.
 */
export const checkValueFromPublished = (dv: DerivedValue, publishedNumerator: number, publishedDenominator: number): ModelViolation | null => {
  if (publishedDenominator <= 0) return null;
  const expected = (publishedNumerator / publishedDenominator) * dv.multiplier;
  const tol = Math.max(toleranceOf(dv), 1e-9 * Math.abs(expected));
  if (Math.abs(expected - dv.value) <= tol) return null;
  return {
    source: dv.source,
    message: `value ${dv.value} is not ${dv.multiplier} × ${publishedNumerator} / ${publishedDenominator} = ${expected} (the published counts): it was computed from other counts`,
  };
};

/** One piece of knowledge, as fed to the solver. */
export type Fact =
  | { readonly kind: 'bound'; readonly id: string; readonly lo: number; readonly hi: number; readonly source: string }
  | { readonly kind: 'sum'; readonly total: string; readonly parts: readonly string[]; readonly source: string }
  | { readonly kind: 'derived'; readonly value: DerivedValue };

/** The id of the auxiliary cell "total minus part" that a small-complement note bounds. */
export const complementId = (total: string, part: string): string => `complement(${total} | ${part})`;
const COMPLEMENT_ID = /^complement\((.+) \| (.+)\)$/;
/** The two cells of a complement id, or undefined for an ordinary cell. */
export const parseComplementId = (id: string): { readonly total: string; readonly part: string } | undefined => {
  const m = COMPLEMENT_ID.exec(id);
  return m ? { total: m[1]!, part: m[2]! } : undefined;
};

export interface Contradiction {
  readonly id: string;
  /** The interval held before, and the one the failing step asked for. */
  readonly had: Interval;
  readonly wanted: Interval;
  readonly source: string;
}

export interface Solution {
  /** Every cell mentioned, with its final interval. */
  readonly intervals: ReadonlyMap<string, Interval>;
  /** Cells whose interval is a single value, with that value. */
  readonly exact: ReadonlyMap<string, number>;
  /** Steps that would have emptied an interval: the knowledge (or the model) is wrong somewhere. */
  readonly contradictions: readonly Contradiction[];
  /** Propagation steps taken (for the report). */
  readonly steps: number;
  /** True when the step budget ran out before a fixed point (the intervals are still sound). */
  readonly truncated: boolean;
}

/** Bounds on how long a solve may take; reaching them leaves sound (if wider) intervals. */
export interface SolveOptions {
  readonly maxSteps?: number;
  readonly maxRounds?: number;
}

/** One published count, as the attack suite meets it. */
export interface PublishedCount {
  /** The cell this count is of. */
  readonly id: string;
  /** The published figure; null when withheld. */
  readonly value: number | null | undefined;
  /** The row's note (why it was withheld). */
  readonly note?: string | null;
  /** For a small-complement note: the cell of the denominator the count is part of. */
  readonly denominator?: string;
  readonly model: DisclosureModel;
  readonly source: string;
}

/**
 * Collects knowledge and solves it. Facts are kept (not just their effect), so that several
 * adversaries' knowledge can be combined (`Adversary.combine`) and solved again.
 */
export class Adversary {
  readonly facts: Fact[] = [];
  readonly violations: ModelViolation[] = [];

  /** The true count of `id` lies in [lo, hi]. */
  bound(id: string, lo: number, hi: number, source: string): this {
    this.facts.push({ kind: 'bound', id, lo, hi, source });
    return this;
  }

  /** The true count of `id` is known. */
  exact(id: string, value: number, source: string): this {
    return this.bound(id, value, value, source);
  }

  /** count(total) = Σ count(parts): the parts partition the total. */
  sum(total: string, parts: readonly string[], source: string): this {
    if (parts.length > 0) this.facts.push({ kind: 'sum', total, parts: [...parts], source });
    return this;
  }

  /** Both ids are the same set of people (e.g. one cohort published by two endpoints). */
  same(a: string, b: string, source: string): this {
    return a === b ? this : this.sum(a, [b], source);
  }

  /** A published count (or a withheld one with its note), read through the model. */
  published(count: PublishedCount): this {
    const k = knowledgeOfPublished(count.value, count.note, count.model);
    if (k.kind === 'bounds') return this.bound(count.id, k.lo, k.hi, count.source);
    if (k.kind === 'complement' && count.denominator !== undefined) {
      const aux = complementId(count.denominator, count.id);
      this.bound(aux, k.lo, k.hi, count.source);
      return this.sum(count.denominator, [count.id, aux], count.source);
    }
    return this.bound(count.id, 0, Infinity, count.source);
  }

  /**
   * A value published beside counts. From true counts: a constraint on (n, d). From published counts:
   * checked against the published figures instead (a violation when it does not match), since it
   * then says nothing more than they do.
   */
  derived(dv: DerivedValue, model: DisclosureModel, published?: { readonly numerator: number | null; readonly denominator: number | null }): this {
    if (!Number.isFinite(dv.value)) return this;
    if (model.valuesFrom === 'true-counts') {
      this.facts.push({ kind: 'derived', value: dv });
      return this;
    }
    const d = typeof dv.denominator === 'number' ? dv.denominator : published?.denominator;
    if (published?.numerator !== null && published?.numerator !== undefined && d !== null && d !== undefined) {
      const violation = checkValueFromPublished(dv, published.numerator, d);
      if (violation) this.violations.push(violation);
    }
    return this;
  }

  /** Records that the server did something the model says it does not. */
  violation(source: string, message: string): this {
    this.violations.push({ source, message });
    return this;
  }

  /** A new adversary holding every fact and violation of the given ones. */
  static combine(...adversaries: readonly Adversary[]): Adversary {
    const out = new Adversary();
    for (const a of adversaries) {
      out.facts.push(...a.facts);
      out.violations.push(...a.violations);
    }
    return out;
  }

  /** Interval propagation over every fact to a fixed point. */
  solve(options: SolveOptions = {}): Solution {
    return solveFacts(this.facts, options);
  }
}

/**
 * The propagation. Each variable has [lo, hi] (integers; counts are ≥ 0). Each sum equation
 * tightens its total to [Σ lo, Σ hi] of the parts and each part to
 * [lo(total) − Σ hi(others), hi(total) − Σ lo(others)]; each derived value tightens its numerator
 * (and count denominator) to the hull of the candidates that reproduce it. A worklist revisits the
 * constraints of every variable that changed, until nothing changes. Every step is implied by the
 * knowledge, so the true counts are never excluded; a step that would empty an interval is a
 * contradiction (recorded, not applied).
 */
export const solveFacts = (facts: readonly Fact[], options: SolveOptions = {}): Solution => {
  const maxSteps = options.maxSteps ?? 5_000_000;
  const maxRounds = options.maxRounds ?? 200;
  const index = new Map<string, number>();
  const lo: number[] = [];
  const hi: number[] = [];
  const ids: string[] = [];
  const variable = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = ids.length;
      index.set(id, i);
      ids.push(id);
      lo.push(0);
      hi.push(Infinity);
    }
    return i;
  };
  const contradictions: Contradiction[] = [];
  const changed = new Set<number>();

  /** Intersects variable i with [l, h] (rounded inward to integers); records a contradiction instead of emptying it. */
  const tighten = (i: number, l: number, h: number, source: string): boolean => {
    // A tiny margin keeps float noise in a sum from cutting off a true integer.
    const nl = Math.max(lo[i]!, Math.ceil(l - 1e-7));
    const nh = Math.min(hi[i]!, Math.floor(h + 1e-7));
    if (nl > nh) {
      if (contradictions.length < 1000) contradictions.push({ id: ids[i]!, had: { lo: lo[i]!, hi: hi[i]! }, wanted: { lo: l, hi: h }, source });
      return false;
    }
    if (nl === lo[i] && nh === hi[i]) return false;
    lo[i] = nl;
    hi[i] = nh;
    changed.add(i);
    return true;
  };

  const sums: { total: number; parts: number[]; source: string }[] = [];
  const deriveds: { dv: DerivedValue; n: number; d: number | undefined }[] = [];
  const bounds: { i: number; lo: number; hi: number; source: string }[] = [];
  for (const f of facts) {
    if (f.kind === 'bound') bounds.push({ i: variable(f.id), lo: f.lo, hi: f.hi, source: f.source });
    else if (f.kind === 'sum') sums.push({ total: variable(f.total), parts: f.parts.map(variable), source: f.source });
    else deriveds.push({ dv: f.value, n: variable(f.value.numerator), d: typeof f.value.denominator === 'string' ? variable(f.value.denominator) : undefined });
  }
  for (const b of bounds) tighten(b.i, b.lo, b.hi, b.source);

  // Which constraints mention each variable.
  const sumsOf: number[][] = ids.map(() => []);
  sums.forEach((s, k) => {
    sumsOf[s.total]!.push(k);
    for (const p of s.parts) sumsOf[p]!.push(k);
  });
  const derivedOf: number[][] = ids.map(() => []);
  deriveds.forEach((x, k) => {
    derivedOf[x.n]!.push(k);
    if (x.d !== undefined) derivedOf[x.d]!.push(k);
  });

  let steps = 0;
  let truncated = false;

  const propagateSum = (k: number): void => {
    const s = sums[k]!;
    let sumLo = 0;
    let sumHiFinite = 0;
    let infinite = 0;
    for (const p of s.parts) {
      sumLo += lo[p]!;
      if (hi[p] === Infinity) infinite++;
      else sumHiFinite += hi[p]!;
    }
    const sumHi = infinite > 0 ? Infinity : sumHiFinite;
    tighten(s.total, sumLo, sumHi, s.source);
    const tLo = lo[s.total]!;
    const tHi = hi[s.total]!;
    for (const p of s.parts) {
      // Σ hi of the other parts, and Σ lo of them.
      const othersHi = hi[p] === Infinity ? (infinite > 1 ? Infinity : sumHiFinite) : infinite > 0 ? Infinity : sumHiFinite - hi[p]!;
      const othersLo = sumLo - lo[p]!;
      tighten(p, othersHi === Infinity ? 0 : tLo - othersHi, tHi === Infinity ? Infinity : tHi - othersLo, s.source);
    }
  };

  const applyDerived = (k: number): void => {
    const x = deriveds[k]!;
    const c = backCalculate(x.dv, { lo: lo[x.n]!, hi: hi[x.n]! }, x.d === undefined ? undefined : { lo: lo[x.d]!, hi: hi[x.d]! });
    if (c.n === undefined) {
      if (contradictions.length < 1000) {
        contradictions.push({ id: ids[x.n]!, had: { lo: lo[x.n]!, hi: hi[x.n]! }, wanted: { lo: NaN, hi: NaN }, source: `${x.dv.source}: no count in range reproduces ${x.dv.value}` });
      }
      return;
    }
    tighten(x.n, c.n.lo, c.n.hi, x.dv.source);
    if (x.d !== undefined && c.d !== undefined) tighten(x.d, c.d.lo, c.d.hi, x.dv.source);
  };

  const sumQueue: number[] = sums.map((_, k) => k);
  const queuedSum = new Uint8Array(sums.length).fill(1);
  const derivedQueue: number[] = deriveds.map((_, k) => k);
  const queuedDerived = new Uint8Array(deriveds.length).fill(1);
  const enqueueChanged = (): void => {
    for (const i of changed) {
      for (const k of sumsOf[i] ?? []) if (!queuedSum[k]) {
        queuedSum[k] = 1;
        sumQueue.push(k);
      }
      for (const k of derivedOf[i] ?? []) if (!queuedDerived[k]) {
        queuedDerived[k] = 1;
        derivedQueue.push(k);
      }
    }
    changed.clear();
  };
  // New variables created after the index was built have no constraints; nothing to enqueue for them.
  changed.clear();

  for (let round = 0; round < maxRounds && (sumQueue.length > 0 || derivedQueue.length > 0); round++) {
    while (sumQueue.length > 0) {
      if (steps >= maxSteps) {
        truncated = true;
        break;
      }
      const k = sumQueue.pop()!;
      queuedSum[k] = 0;
      propagateSum(k);
      steps++;
      enqueueChanged();
    }
    if (truncated) break;
    const pending = derivedQueue.splice(0);
    for (const k of pending) {
      queuedDerived[k] = 0;
      applyDerived(k);
      steps++;
      enqueueChanged();
    }
  }
  if (sumQueue.length > 0 || derivedQueue.length > 0) truncated = true;

  const intervals = new Map<string, Interval>();
  const exact = new Map<string, number>();
  ids.forEach((id, i) => {
    intervals.set(id, { lo: lo[i]!, hi: hi[i]! });
    if (lo[i] === hi[i]) exact.set(id, lo[i]!);
  });
  return { intervals, exact, contradictions, steps, truncated };
};
