/**
 * The comparison badges: Public Health England's Fingertips colours, with text colours that keep AA
 * contrast, and the same words whether a value is compared with the ICS or with England. Pure, and unit-tested.
 */
import type { Comparison } from '../api.js';

export const COMPARISON_STYLE: Record<Comparison, { fill: string; text: string; label: string; description: string }> = {
  better: { fill: '#92d050', text: '#1a1a1a', label: 'Better', description: 'better than the ICS: the 95% confidence interval does not include the ICS value' },
  similar: { fill: '#ffc000', text: '#1a1a1a', label: 'Similar', description: 'similar to the ICS: the 95% confidence interval includes the ICS value' },
  worse: { fill: '#c00000', text: '#ffffff', label: 'Worse', description: 'worse than the ICS: the 95% confidence interval does not include the ICS value' },
  higher: { fill: '#bed2ff', text: '#1a1a1a', label: 'Higher', description: 'higher than the ICS, where higher is neither better nor worse' },
  lower: { fill: '#3f3fc2', text: '#ffffff', label: 'Lower', description: 'lower than the ICS, where lower is neither better nor worse' },
  'not-compared': { fill: '#ffffff', text: '#1a1a1a', label: 'Not compared', description: 'not compared: this is the ICS itself, or a value is withheld or missing' },
};

/** A comparison badge against `against` ('ICS', 'England'): its colours, its word, and what it means. */
export const badgeOf = (comparison: Comparison, against = 'ICS') => {
  const s = COMPARISON_STYLE[comparison] ?? COMPARISON_STYLE['not-compared'];
  if (against === 'ICS') return s;
  const description =
    comparison === 'not-compared'
      ? `not compared with ${against}: no ${against} value for this period, or the local value is withheld`
      : s.description.replaceAll('the ICS value', `the ${against} value`).replaceAll('the ICS', against);
  return { ...s, description };
};
