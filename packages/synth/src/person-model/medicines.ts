/**
 * Medicines: regular medicines for the person's conditions (decided once per person and medicine,
 * then issued every year), analgesics and thyroid treatment with frailty, and acute courses.
 */
import { CONDITION_KEYS, MEDICINES, type ConditionKey } from '@openphm/core';
import { formatDay } from '../days.js';
import { calendarDay } from '../calendar.js';
import type { AreaContext } from './context.js';
import { CI, YEAR, type Person } from './person.js';

const b = (k: keyof typeof MEDICINES): string => MEDICINES[k].code;
/** Regular medicines for a condition and the share of people on the register who take them. */
const CONDITION_MEDICINES: Partial<Record<ConditionKey, readonly (readonly [string, number])[]>> = {
  hypertension: [[b('antihypertensive'), 0.8], [b('diuretic'), 0.25]],
  diabetes: [[b('antidiabetic'), 0.85], [b('lipidRegulating'), 0.7]],
  asthma: [[b('inhaledCorticosteroid'), 0.75], [b('bronchodilator'), 0.85]],
  copd: [[b('bronchodilator'), 0.95], [b('inhaledCorticosteroid'), 0.55]],
  chd: [[b('antiplatelet'), 0.8], [b('lipidRegulating'), 0.85], [b('betaBlocker'), 0.6]],
  atrial_fibrillation: [[b('anticoagulant'), 0.85], [b('betaBlocker'), 0.6]],
  stroke: [[b('antiplatelet'), 0.7], [b('lipidRegulating'), 0.75]],
  heart_failure: [[b('antihypertensive'), 0.85], [b('diuretic'), 0.8], [b('betaBlocker'), 0.75]],
  ckd: [[b('antihypertensive'), 0.5]],
  dementia: [[b('dementiaDrug'), 0.5]],
  depression: [[b('antidepressant'), 0.6]],
  smi: [[b('antipsychotic'), 0.8]],
};

/** Writes one year segment's medicine issues (on the practice's working days, calendar.ts); onMed decides once per person and medicine whether they are treated. */
export function medicines(ctx: AreaContext, p: Person, active: number[], age: number, segStart: number, segEnd: number, deficits: number, onMed: (code: string, share: number) => boolean): void {
  const { rng, sink } = ctx;
  const issued = new Set<string>();
  const issue = (code: string, when = calendarDay('prescription', rng.next(), segStart, segEnd)) => {
    sink.row('medication', `${p.id},${formatDay(when)},${code}`);
    issued.add(code);
  };
  for (const c of active) {
    const meds = CONDITION_MEDICINES[CONDITION_KEYS[c]!];
    if (!meds) continue;
    for (const [code, share] of meds) if (!issued.has(code) && onMed(code, share)) issue(code);
  }
  if (deficits >= 3 && !issued.has(b('analgesic')) && onMed(b('analgesic'), 0.5)) issue(b('analgesic'));
  if (deficits >= 2 && onMed(b('thyroid'), 0.12)) issue(b('thyroid'));
  // Acute courses: antibiotics for everyone, more with respiratory disease; oral steroids for exacerbations.
  const respiratory = active.includes(CI.copd) || active.includes(CI.asthma);
  const t = (segEnd - segStart) / YEAR;
  let antibiotics = (age < 16 ? 0.35 : age < 65 ? 0.3 : 0.5) * t;
  let steroids = 0;
  if (respiratory) {
    antibiotics += (active.includes(CI.copd) ? 0.9 : 0.4) * t;
    steroids += (active.includes(CI.copd) ? 0.5 : 0.25) * t;
  }
  if (p.undiagnosedRespiratory) {
    if (onMed(b('bronchodilator'), 0.55)) issue(b('bronchodilator'));
    antibiotics += 0.7 * t;
    steroids += 0.15 * t;
  }
  for (let i = rng.poisson(antibiotics); i > 0; i--) issue(b('antibacterial'));
  for (let i = rng.poisson(steroids); i > 0; i--) issue(b('oralPrednisolone'));
}
