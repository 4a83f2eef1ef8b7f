/**
 * Logistic regression fitted by iteratively reweighted least squares (Newton-Raphson) with a small
 * ridge penalty, plus the evaluation measures a model card needs: C-statistic (area under the ROC
 * curve) and calibration by risk decile. Pure and deterministic.
 */
import { UserError } from '../errors/errors.js';

export interface LogisticModel {
  readonly featureNames: readonly string[];
  /** Intercept first, then one coefficient per feature. */
  readonly coefficients: readonly number[];
  /** Feature means and standard deviations used to standardise inputs. */
  readonly means: readonly number[];
  readonly sds: readonly number[];
  readonly iterations: number;
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Solves A x = b for a symmetric positive definite A (Cholesky). */
const solve = (a: number[][], b: number[]): number[] => {
  const n = b.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (s <= 0) throw new UserError('the model matrix is singular (a feature may be constant or duplicated)', 'invalid-input');
        l[i]![i] = Math.sqrt(s);
      } else l[i]![j] = s / l[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
    y[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
};

const penalisedLogLikelihood = (
  beta: readonly number[],
  rows: readonly (readonly number[])[],
  outcomes: readonly number[],
  z: (r: readonly number[], j: number) => number,
  ridge: number,
): number => {
  let ll = 0;
  for (let i = 0; i < rows.length; i++) {
    let eta = beta[0]!;
    for (let j = 1; j < beta.length; j++) eta += beta[j]! * z(rows[i]!, j - 1);
    // log(1 + e^eta) computed stably.
    const softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
    ll += outcomes[i]! * eta - softplus;
  }
  let penalty = 0;
  for (let j = 1; j < beta.length; j++) penalty += beta[j]! ** 2;
  return ll - 0.5 * ridge * rows.length * penalty;
};

/** Fits P(y = 1) = sigmoid(b0 + Σ bj xj) on standardised features. `rows[i]` are feature values, `outcomes[i]` 0/1. */
export const fitLogistic = (
  featureNames: readonly string[],
  rows: readonly (readonly number[])[],
  outcomes: readonly number[],
  options: { ridge?: number; maxIterations?: number; tolerance?: number } = {},
): LogisticModel => {
  const n = rows.length;
  const p = featureNames.length;
  if (n !== outcomes.length) throw new UserError(`rows (${n}) and outcomes (${outcomes.length}) differ in length`, 'invalid-input');
  if (n < p + 2) throw new UserError(`need more rows than features to fit a model (rows ${n}, features ${p})`, 'invalid-input');
  const events = outcomes.reduce((a, b) => a + b, 0);
  if (events === 0 || events === n) throw new UserError('the outcome never (or always) happens: nothing to model', 'invalid-input');
  const ridge = options.ridge ?? 1e-4;
  const means = featureNames.map((_, j) => rows.reduce((a, r) => a + r[j]!, 0) / n);
  const sds = featureNames.map((_, j) => Math.sqrt(rows.reduce((a, r) => a + (r[j]! - means[j]!) ** 2, 0) / n) || 1);
  const z = (r: readonly number[], j: number) => (r[j]! - means[j]!) / sds[j]!;
  let beta = new Array<number>(p + 1).fill(0);
  beta[0] = Math.log(events / (n - events));
  let iterations = 0;
  for (; iterations < (options.maxIterations ?? 50); iterations++) {
    const h = Array.from({ length: p + 1 }, () => new Array<number>(p + 1).fill(0));
    const g = new Array<number>(p + 1).fill(0);
    const x: number[] = new Array<number>(p + 1).fill(0);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      x[0] = 1;
      let eta = beta[0]!;
      for (let j = 0; j < p; j++) {
        x[j + 1] = z(r, j);
        eta += beta[j + 1]! * x[j + 1]!;
      }
      const mu = sigmoid(eta);
      const w = Math.max(mu * (1 - mu), 1e-10);
      const resid = outcomes[i]! - mu;
      for (let a = 0; a <= p; a++) {
        g[a]! += x[a]! * resid;
        for (let b = 0; b <= a; b++) h[a]![b]! += w * x[a]! * x[b]!;
      }
    }
    for (let a = 0; a <= p; a++) {
      for (let b = 0; b < a; b++) h[b]![a] = h[a]![b]!;
      if (a > 0) {
        h[a]![a]! += ridge * n;
        g[a]! -= ridge * n * beta[a]!;
      }
    }
    const step = solve(h, g);
    // Step-halving: never accept a step that lowers the penalised log-likelihood (Newton can
    // overshoot when a rare flag has a strong effect).
    const current = penalisedLogLikelihood(beta, rows, outcomes, z, ridge);
    let t = 1;
    let next = beta.map((v, k) => v + step[k]!);
    while (t > 1e-6 && !(penalisedLogLikelihood(next, rows, outcomes, z, ridge) >= current - 1e-12)) {
      t /= 2;
      next = beta.map((v, k) => v + t * step[k]!);
    }
    beta = next;
    if (Math.max(...step.map((v) => Math.abs(v * t))) < (options.tolerance ?? 1e-8)) {
      iterations++;
      break;
    }
  }
  return { featureNames: [...featureNames], coefficients: beta, means, sds, iterations };
};

export const predictLogistic = (model: LogisticModel, row: readonly number[]): number => {
  let eta = model.coefficients[0]!;
  for (let j = 0; j < model.featureNames.length; j++) eta += model.coefficients[j + 1]! * ((row[j]! - model.means[j]!) / model.sds[j]!);
  return sigmoid(eta);
};

/** Area under the ROC curve (C-statistic) by the rank-sum method, ties counted half. */
export const cStatistic = (predictions: readonly number[], outcomes: readonly number[]): number => {
  const order = predictions.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  let rankSumPositives = 0;
  let positives = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (outcomes[order[k]![1]] === 1) {
      rankSumPositives += rank;
      positives++;
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) throw new UserError('the C-statistic needs both outcomes present', 'invalid-input');
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
};

export interface CalibrationBin {
  readonly decile: number;
  readonly people: number;
  readonly meanPredicted: number;
  readonly observed: number;
}

/** Mean predicted risk and observed rate by decile of predicted risk (1 = lowest risk). */
export const calibrationByDecile = (predictions: readonly number[], outcomes: readonly number[]): CalibrationBin[] => {
  const order = predictions.map((p, i) => i).sort((a, b) => predictions[a]! - predictions[b]! || a - b);
  const bins: CalibrationBin[] = [];
  for (let d = 0; d < 10; d++) {
    const slice = order.slice(Math.floor((d * order.length) / 10), Math.floor(((d + 1) * order.length) / 10));
    if (slice.length === 0) continue;
    bins.push({
      decile: d + 1,
      people: slice.length,
      meanPredicted: slice.reduce((a, i) => a + predictions[i]!, 0) / slice.length,
      observed: slice.reduce((a, i) => a + outcomes[i]!, 0) / slice.length,
    });
  }
  return bins;
};
