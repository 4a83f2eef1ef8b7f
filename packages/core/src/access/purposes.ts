/**
 * Purposes and opt-outs: every use of person-level data declares why it is made, and one rule table
 * says which opt-outs leave people out of it.
 *
 * - **Direct care** (a care team's own worklist and a person's record, for their care): everyone is
 *   included. Neither opt-out applies to individual care.
 * - **Planning** and **research** (analysts' person-level rows, cohort exports, evaluations, model
 *   training): people with a national data opt-out or a type 1 opt-out are left out, and the use
 *   says how many were left out (a published, disclosure-controlled count).
 *
 * Aggregate figures that leave through the publication module (indicators, dashboards, segment and
 * risk counts, the cohort builder's counts, scorecards) are anonymised statistics and count everyone:
 * NHS England's national data opt-out policy does not apply to data anonymised in line with the ICO's
 * code (docs/security.md, "Opt-outs and purposes").
 * @module
 */
import type { OptOutKind } from '../schema/tables.js';
import type { Figure } from '../publication/figures.js';
import type { Role } from './roles.js';

export const PURPOSES = ['direct-care', 'planning', 'research'] as const;
export type Purpose = (typeof PURPOSES)[number];
/** A purpose beyond individual care. */
export type SecondaryPurpose = Exclude<Purpose, 'direct-care'>;
export const SECONDARY_PURPOSES = ['planning', 'research'] as const satisfies readonly SecondaryPurpose[];

export const PURPOSE_LABEL: Readonly<Record<Purpose, string>> = {
  'direct-care': 'direct care',
  planning: 'planning',
  research: 'research',
};

export const OPT_OUT_LABEL: Readonly<Record<OptOutKind, string>> = {
  'type-1': 'type 1 opt-out (held by the GP practice)',
  national: 'national data opt-out',
};

/**
 * The rule table: the opt-outs that leave a person out of a use for each purpose. A type 1 opt-out
 * stops identifiable GP data leaving the practice for anything but direct care; the national data
 * opt-out stops confidential patient information being used for planning and research.
 */
export const OPT_OUTS_APPLYING: Readonly<Record<Purpose, readonly OptOutKind[]>> = {
  'direct-care': [],
  planning: ['type-1', 'national'],
  research: ['type-1', 'national'],
};

/** The opt-outs that apply to a purpose. */
export const optOutsApplying = (purpose: Purpose): readonly OptOutKind[] => OPT_OUTS_APPLYING[purpose];

/** Whether a person holding these opt-outs is included in a use for the purpose. */
export const includedFor = (purpose: Purpose, optOuts: Iterable<OptOutKind>): boolean => {
  const applying = OPT_OUTS_APPLYING[purpose];
  for (const kind of optOuts) if (applying.includes(kind)) return false;
  return true;
};

/**
 * Whether a link between two people (a carer and the person they care for, `carer_relationship`)
 * may be used for the purpose: it says something about both, so only when neither holds an opt-out
 * that applies. Direct care uses every link.
 */
export const linkIncludedFor = (purpose: Purpose, one: Iterable<OptOutKind>, other: Iterable<OptOutKind>): boolean =>
  includedFor(purpose, one) && includedFor(purpose, other);

export const isPurpose = (text: string): text is Purpose => (PURPOSES as readonly string[]).includes(text);
export const isSecondaryPurpose = (text: string): text is SecondaryPurpose => (SECONDARY_PURPOSES as readonly string[]).includes(text);

/** The uses of person-level data, each with its purpose (docs/security.md lists them with why). */
export const PERSON_LEVEL_USES = {
  'care-team-worklist': { purpose: 'direct-care', what: "a neighbourhood team's worklist of its own residents (GET /api/worklist)" },
  'care-team-record': { purpose: 'direct-care', what: "a neighbourhood team's view of one of its residents (GET /api/people/:id)" },
  'analyst-worklist': { purpose: 'planning', what: "an analyst's list of a cohort's members in a neighbourhood (GET /api/worklist)" },
  'analyst-record': { purpose: 'planning', what: "an analyst's view of one person (GET /api/people/:id)" },
  'cohort-export': { purpose: 'planning', what: "a cohort's members written to a file (phm cohort run --worklist)" },
  evaluation: { purpose: 'planning', what: 'matched evaluations of referrals and proactive care (cases and comparators)' },
  'model-training': { purpose: 'research', what: 'fitting and testing the emergency admission model (phm risk, --model-card)' },
} as const satisfies Readonly<Record<string, { readonly purpose: Purpose; readonly what: string }>>;
export type PersonLevelUse = keyof typeof PERSON_LEVEL_USES;

export const purposeOfUse = <U extends PersonLevelUse>(use: U): (typeof PERSON_LEVEL_USES)[U]['purpose'] => PERSON_LEVEL_USES[use].purpose;

/**
 * The purpose of a person-level route for a role: a neighbourhood team looks at its own residents
 * to care for them (direct care); an analyst's look at person-level rows is planning. Any other
 * role has no person-level access at all (and gets planning, the stricter rule, if ever asked).
 */
export const personLevelPurposeOf = (role: Role): Purpose => (role === 'neighbourhood' ? 'direct-care' : 'planning');

/**
 * What a use says about who was left out, e.g. "Purpose: planning. People with a national data
 * opt-out or a type 1 opt-out are left out: 12 of them (a published count; [c] when withheld)."
 */
export const leftOutStatement = (purpose: Purpose, leftOut: Figure): string => {
  const applying = OPT_OUTS_APPLYING[purpose];
  if (applying.length === 0) return `Purpose: ${PURPOSE_LABEL[purpose]}. Everyone is included: opt-outs do not apply to individual care.`;
  const kinds = [...applying].reverse().map((k) => OPT_OUT_LABEL[k].replace(/ \(.*\)$/, '')).join(' or a ');
  return `Purpose: ${PURPOSE_LABEL[purpose]}. People with a ${kinds} are left out: ${leftOut === null ? '[c] (a small number, withheld)' : String(leftOut)} of them.`;
};
