/**
 * The electronic Frailty Index of one person with what makes it up: which of the 36 deficits are
 * present and the evidence for each (a code in the record, a long-term condition register, or
 * prescribing). The same definition as the person features' `efi` (deficits present / 36, from
 * FRAILTY_DEFICITS), computed from one person's facts so a clinician sees why someone is frail,
 * not only how frail. Pure.
 */
import { CONDITIONS, type ConditionKey } from '../codelists/conditions.js';
import { FRAILTY_DEFICITS } from '../codelists/frailty.js';
import { frailtyCategory, type FrailtyCategory } from './features.js';

export interface EfiFacts {
  /** SNOMED CT codes recorded on or before the date. */
  readonly codes: ReadonlySet<string>;
  /** Long-term condition registers the person is on at the date. */
  readonly conditions: ReadonlySet<ConditionKey>;
  /** Distinct BNF sections (first four characters) issued in the 12 months to the date. */
  readonly medicineSections12m: number;
}

export type EfiEvidence =
  | { readonly kind: 'code'; readonly code: string; readonly term: string }
  | { readonly kind: 'condition'; readonly condition: ConditionKey; readonly label: string }
  | { readonly kind: 'polypharmacy'; readonly sections: number; readonly threshold: number };

export interface EfiDeficitFound {
  readonly key: string;
  readonly label: string;
  readonly evidence: EfiEvidence;
}

export interface EfiResult {
  /** Deficits present / 36. */
  readonly efi: number;
  readonly category: FrailtyCategory;
  readonly deficits: readonly EfiDeficitFound[];
  readonly of: number;
}

/** The deficit's evidence in the facts, or null when it is absent. */
const evidenceOf = (source: (typeof FRAILTY_DEFICITS)[number]['source'], facts: EfiFacts): EfiEvidence | null => {
  switch (source.kind) {
    case 'codes': {
      const hit = source.codes.find((c) => facts.codes.has(c.code));
      return hit ? { kind: 'code', code: hit.code, term: hit.term } : null;
    }
    case 'conditions': {
      const hit = source.conditions.find((c) => facts.conditions.has(c));
      return hit ? { kind: 'condition', condition: hit, label: CONDITIONS[hit].label } : null;
    }
    case 'polypharmacy':
      return facts.medicineSections12m >= source.minDistinctBnfSections ? { kind: 'polypharmacy', sections: facts.medicineSections12m, threshold: source.minDistinctBnfSections } : null;
  }
};

/** The eFI of one person's facts, with the deficits present in FRAILTY_DEFICITS order. */
export const efiOf = (facts: EfiFacts): EfiResult => {
  const deficits: EfiDeficitFound[] = [];
  for (const d of FRAILTY_DEFICITS) {
    const evidence = evidenceOf(d.source, facts);
    if (evidence !== null) deficits.push({ key: d.key, label: d.label, evidence });
  }
  const efi = deficits.length / FRAILTY_DEFICITS.length;
  return { efi, category: frailtyCategory(efi), deficits, of: FRAILTY_DEFICITS.length };
};

/** Evidence in words ("On the Diabetes register", "Falls recorded", "7 medicine groups in 12 months (5 or more)"). */
export const efiEvidenceText = (e: EfiEvidence): string =>
  e.kind === 'code' ? `${e.term} recorded` : e.kind === 'condition' ? `On the ${e.label} register` : `${e.sections} medicine groups (BNF sections) issued in 12 months (${e.threshold} or more)`;
