/**
 * Risk factors drawn first, as conditions and mortality depend on them: smoking status at the
 * start of the window (adults) and a fixed personal BMI.
 */
import { ageBandIndex, BMI, SMOKING } from '../parameters.js';
import type { AreaContext } from './context.js';
import { depFactor, latentFactor, sexFactor } from './draws.js';
import type { Person } from './person.js';

/** Sets p.smoking and p.bmi; a draw is spent even when a factor does not apply, so streams stay aligned. */
export function riskFactors(ctx: AreaContext, p: Person, ageStart: number, ageEnd: number): void {
  const { rng, area } = ctx;
  const d = area.d;
  // Smoking status at the start of the window (adults), then BMI (a fixed personal value).
  if (ageStart >= 16) {
    const band = ageBandIndex(ageStart);
    const eth = SMOKING.ethnicRatio[p.group] ?? 1;
    const current = Math.min(0.8, SMOKING.currentByBand[band]! * depFactor(SMOKING.depRatio, d) * sexFactor(SMOKING.maleRatio, p.male) * eth * latentFactor(0.3, p.z));
    const u = rng.next();
    if (u < current) p.smoking = 2;
    else if (rng.next() < SMOKING.exGivenNotCurrentByBand[band]! * sexFactor(1.2, p.male)) p.smoking = 1;
  } else {
    rng.next();
  }
  if (ageEnd >= 18) {
    const band = ageBandIndex(Math.max(18, ageStart));
    const median = BMI.medianByBand[band]! + BMI.depShift * (2 * d - 1) + (BMI.ethnicShift[p.group] ?? 0);
    p.bmi = median * Math.exp(BMI.logSd * (0.8 * rng.normal() + 0.6 * p.z * 0.5));
  } else {
    rng.next();
  }
}
