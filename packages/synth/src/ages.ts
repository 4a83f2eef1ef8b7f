/**
 * Single-year age structure within the three broad bands the IMD denominators give (0-15, 16-59, 60+),
 * and the share of women by age. Shapes follow ONS mid-year estimates for England (mid-2019): a flat
 * childhood, a working-age bulge in the late 20s to 50s, and survival-driven decline after 70.
 */

/** Relative weights by single year of age, 0..104. */
const buildWeights = (): number[] => {
  const w: number[] = [];
  for (let a = 0; a <= 104; a++) {
    let v: number;
    if (a < 16) v = 1 - 0.004 * a;
    else if (a < 20) v = 0.93;
    else if (a < 25) v = 1.0;
    else if (a < 35) v = 1.08;
    else if (a < 45) v = 1.02;
    else if (a < 55) v = 1.08;
    else if (a < 60) v = 1.03;
    else if (a < 65) v = 0.92;
    else if (a < 70) v = 0.82;
    else if (a < 75) v = 0.8;
    else if (a < 80) v = 0.58;
    else if (a < 85) v = 0.42;
    else if (a < 90) v = 0.26;
    else if (a < 95) v = 0.105;
    else if (a < 100) v = 0.03;
    else v = 0.004 * Math.exp(-0.45 * (a - 100));
    w.push(v);
  }
  return w;
};

export const AGE_WEIGHTS: readonly number[] = buildWeights();

/** Age ranges of the denominator bands [min, max] inclusive. */
export const BROAD_BANDS = [
  [0, 15],
  [16, 59],
  [60, 104],
] as const;

/** Cumulative weights within each broad band, for drawing a single year of age. */
export const BAND_CUMULATIVE: readonly (readonly number[])[] = BROAD_BANDS.map(([lo, hi]) => {
  const out: number[] = [];
  let total = 0;
  for (let a = lo; a <= hi; a++) {
    total += AGE_WEIGHTS[a]!;
    out.push(total);
  }
  return out;
});

/** Probability a person of this age is female (more women at older ages through longer survival). */
export const femaleShare = (age: number): number => {
  if (age < 16) return 0.488;
  if (age < 60) return 0.503;
  if (age < 75) return 0.52;
  if (age < 85) return 0.56;
  if (age < 90) return 0.62;
  return 0.7;
};
