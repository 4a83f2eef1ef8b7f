/**
 * Deterministic partition of a connected set of areas into k contiguous groups of about equal
 * population, by recursive bisection:
 *
 * 1. Split the set into two sides that will hold k1 = ⌊k/2⌋ and k2 = k − k1 groups, aiming at
 *    population k1:k2. Side A grows from a peripheral seed (the area whose centroid is farthest
 *    from the population-weighted centre), always adding the frontier area nearest the seed,
 *    skipping any whose removal would disconnect side B, until adding more would overshoot.
 * 2. Refine the boundary: repeatedly move the single boundary area (either direction) that most
 *    reduces the imbalance while keeping both sides connected.
 * 3. Recurse on both sides.
 * 4. If size bounds are given, a final pass moves boundary areas between adjacent groups while
 *    that reduces the total amount by which groups fall outside the bounds (contiguity kept).
 *
 * No randomness: every tie is broken by area code, so the same input always gives the same groups.
 */
import type { Adjacency } from './adjacency.js';

export interface PartitionArea {
  readonly code: string;
  /** Population (or any non-negative weight). */
  readonly weight: number;
  /** Planar position, e.g. the centroid projected to km. */
  readonly x: number;
  readonly y: number;
}

export interface PartitionOptions {
  /** Group sizes to respect where single boundary moves allow (e.g. 30,000-50,000 people). */
  readonly bounds?: { readonly min: number; readonly max: number };
}

interface Graph {
  readonly n: number;
  readonly codes: readonly string[];
  readonly w: Float64Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly adj: readonly (readonly number[])[];
}

const buildGraph = (areas: readonly PartitionArea[], adjacency: Adjacency): Graph => {
  const sorted = [...areas].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const index = new Map(sorted.map((a, i) => [a.code, i]));
  if (index.size !== sorted.length) throw new RangeError('partition: duplicate area codes');
  const n = sorted.length;
  const w = new Float64Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  sorted.forEach((a, i) => {
    if (!(a.weight >= 0)) throw new RangeError(`partition: invalid weight for ${a.code}`);
    w[i] = a.weight;
    x[i] = a.x;
    y[i] = a.y;
  });
  const adj = sorted.map((a) => {
    const list = (adjacency.get(a.code) ?? []).map((c) => index.get(c)).filter((i): i is number => i !== undefined);
    return [...new Set(list)].sort((p, q) => p - q);
  });
  return { n, codes: sorted.map((a) => a.code), w, x, y, adj };
};

/** Is the set of nodes with label === `label` (ignoring `skip`) connected? Empty counts as connected. */
const connectedLabel = (g: Graph, label: Int32Array, value: number, skip = -1): boolean => {
  let start = -1;
  let size = 0;
  for (let i = 0; i < g.n; i++) {
    if (label[i] === value && i !== skip) {
      size++;
      if (start < 0) start = i;
    }
  }
  if (size === 0) return true;
  const seen = new Uint8Array(g.n);
  const stack = [start];
  seen[start] = 1;
  let reached = 0;
  while (stack.length > 0) {
    const v = stack.pop()!;
    reached++;
    for (const u of g.adj[v]!) {
      if (!seen[u] && label[u] === value && u !== skip) {
        seen[u] = 1;
        stack.push(u);
      }
    }
  }
  return reached === size;
};

/** Components (lists of nodes) of the nodes with label === `value`, ignoring `skip`; heaviest first (ties: lowest node). */
const componentsOfLabel = (g: Graph, label: Int32Array, value: number, skip: number): number[][] => {
  const seen = new Uint8Array(g.n);
  const components: number[][] = [];
  for (let start = 0; start < g.n; start++) {
    if (label[start] !== value || start === skip || seen[start]) continue;
    const component: number[] = [];
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const v = stack.pop()!;
      component.push(v);
      for (const u of g.adj[v]!) {
        if (!seen[u] && label[u] === value && u !== skip) {
          seen[u] = 1;
          stack.push(u);
        }
      }
    }
    components.push(component);
  }
  const weightOf = (c: number[]) => c.reduce((s, i) => s + g.w[i]!, 0);
  return components.sort((a, b) => weightOf(b) - weightOf(a) || Math.min(...a) - Math.min(...b));
};

const sumWeight = (g: Graph, nodes: readonly number[]): number => nodes.reduce((s, i) => s + g.w[i]!, 0);

/** Splits `nodes` (connected) into two connected sides with weights as close to k1:k2 as it can. */
const bisect = (g: Graph, nodes: readonly number[], k1: number, k2: number, label: Int32Array): [number[], number[]] => {
  const A = 1;
  const B = 2;
  const OUT = 0;
  for (const i of nodes) label[i] = B;
  const total = sumWeight(g, nodes);
  const target = (total * k1) / (k1 + k2);

  // Peripheral seed: farthest from the weighted centre (ties: code order); must not cut side B.
  let cx = 0;
  let cy = 0;
  for (const i of nodes) (cx += g.w[i]! * g.x[i]!), (cy += g.w[i]! * g.y[i]!);
  if (total > 0) (cx /= total), (cy /= total);
  const byFarthest = [...nodes].sort((p, q) => Math.hypot(g.x[q]! - cx, g.y[q]! - cy) - Math.hypot(g.x[p]! - cx, g.y[p]! - cy) || p - q);
  const seed = byFarthest.find((i) => connectedLabel(g, label, B, i)) ?? byFarthest[0]!;
  label[seed] = A;
  let weightA = g.w[seed]!;
  const distance = (i: number) => Math.hypot(g.x[i]! - g.x[seed]!, g.y[i]! - g.y[seed]!);

  // Greedy growth, nearest frontier area first. Adding an area that would cut side B in pieces
  // also takes the smaller pieces (enclaves), so side B stays connected.
  for (;;) {
    const frontier = new Set<number>();
    for (const i of nodes) if (label[i] === A) for (const u of g.adj[i]!) if (label[u] === B) frontier.add(u);
    const candidates = [...frontier].sort((p, q) => distance(p) - distance(q) || p - q);
    let added = false;
    for (const c of candidates) {
      const pieces = componentsOfLabel(g, label, B, c);
      if (pieces.length === 0) continue; // never take the last area of side B
      const take = [c, ...pieces.slice(1).flat()];
      const after = weightA + sumWeight(g, take);
      if (after > target && Math.abs(after - target) >= Math.abs(weightA - target)) {
        if (pieces.length === 1) break;
        continue;
      }
      for (const i of take) label[i] = A;
      weightA = after;
      added = true;
      break;
    }
    if (!added) break;
  }

  // Boundary refinement: best single move that reduces |weightA - target|, keeping both sides connected.
  for (let guard = 0; guard < 4 * nodes.length; guard++) {
    const gap = weightA - target;
    const from = gap > 0 ? A : B;
    const to = gap > 0 ? B : A;
    let best = -1;
    let bestGap = Math.abs(gap);
    for (const i of nodes) {
      if (label[i] !== from || !g.adj[i]!.some((u) => label[u] === to)) continue;
      const newGap = Math.abs(gap > 0 ? gap - g.w[i]! : gap + g.w[i]!);
      if (newGap >= bestGap) continue;
      if (!connectedLabel(g, label, from, i)) continue;
      if (nodes.every((j) => j === i || label[j] !== from)) continue; // never empty a side
      best = i;
      bestGap = newGap;
    }
    if (best < 0) break;
    label[best] = to;
    weightA += from === A ? -g.w[best]! : g.w[best]!;
  }

  const sideA = nodes.filter((i) => label[i] === A);
  const sideB = nodes.filter((i) => label[i] === B);
  for (const i of nodes) label[i] = OUT;
  return [sideA, sideB];
};

const recurse = (g: Graph, nodes: readonly number[], k: number, label: Int32Array): number[][] => {
  if (k <= 1) return [[...nodes]];
  const k1 = Math.floor(k / 2);
  const k2 = k - k1;
  const [a, b] = bisect(g, nodes, k1, k2, label);
  return [...recurse(g, a, k1, label), ...recurse(g, b, k2, label)];
};

/** Moves boundary areas between adjacent groups while that reduces the total violation of the bounds. */
const enforceBounds = (g: Graph, groups: number[][], bounds: { min: number; max: number }): number[][] => {
  const k = groups.length;
  const group = new Int32Array(g.n).fill(-1);
  groups.forEach((members, gi) => members.forEach((i) => (group[i] = gi)));
  const weight = groups.map((m) => sumWeight(g, m));
  const violation = (w: number) => Math.max(0, w - bounds.max) + Math.max(0, bounds.min - w);
  const mean = weight.reduce((s, w) => s + w, 0) / k;
  for (let guard = 0; guard < 4 * g.n; guard++) {
    if (weight.every((w) => violation(w) === 0)) break;
    let best: { i: number; to: number; gain: number; spread: number } | undefined;
    for (let i = 0; i < g.n; i++) {
      const from = group[i]!;
      if (from < 0) continue;
      const targets = [...new Set(g.adj[i]!.map((u) => group[u]!).filter((h) => h >= 0 && h !== from))].sort((p, q) => p - q);
      for (const to of targets) {
        const wi = g.w[i]!;
        const before = violation(weight[from]!) + violation(weight[to]!);
        const after = violation(weight[from]! - wi) + violation(weight[to]! + wi);
        const gain = before - after;
        if (gain <= 0) continue;
        const spread = Math.abs(weight[from]! - wi - mean) + Math.abs(weight[to]! + wi - mean);
        if (best !== undefined && (gain < best.gain || (gain === best.gain && spread >= best.spread))) continue;
        if (groups[from]!.length <= 1) continue;
        const label = new Int32Array(g.n);
        for (let j = 0; j < g.n; j++) label[j] = group[j] === from ? 1 : 0;
        if (!connectedLabel(g, label, 1, i)) continue;
        best = { i, to, gain, spread };
      }
    }
    if (best === undefined) break;
    const from = group[best.i]!;
    group[best.i] = best.to;
    weight[from]! -= g.w[best.i]!;
    weight[best.to]! += g.w[best.i]!;
    groups[from] = groups[from]!.filter((j) => j !== best.i);
    groups[best.to]!.push(best.i);
  }
  return groups.map((m) => [...m].sort((p, q) => p - q));
};

/**
 * Partitions the areas into `k` contiguous groups of about equal weight (see the module comment).
 * The areas must form a connected graph under `adjacency`. Returns the groups as sorted code
 * lists, in the order the bisection produced them.
 */
export const partitionNeighbourhoods = (
  areas: readonly PartitionArea[],
  adjacency: Adjacency,
  k: number,
  options: PartitionOptions = {},
): string[][] => {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`partition: k must be a positive whole number, got ${k}`);
  if (areas.length < k) throw new RangeError(`partition: cannot make ${k} groups from ${areas.length} areas`);
  const g = buildGraph(areas, adjacency);
  const all = new Int32Array(g.n).fill(1);
  if (!connectedLabel(g, all, 1)) throw new RangeError('partition: the areas are not connected; link islands first');
  let groups = recurse(g, Array.from({ length: g.n }, (_, i) => i), k, new Int32Array(g.n));
  if (options.bounds !== undefined) groups = enforceBounds(g, groups, options.bounds);
  if (groups.length !== k || groups.some((members) => members.length === 0)) {
    throw new RangeError(`partition: could not make ${k} non-empty contiguous groups from ${g.n} areas`);
  }
  return groups.map((members) => members.map((i) => g.codes[i]!));
};
