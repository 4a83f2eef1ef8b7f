/**
 * Carers linked to the person they care for (CARER_LINKS, docs/synthetic-data.md). While an area's
 * people are generated, the model notes each recorded carer and each person who needs care (from
 * when); at the end of the area every carer is linked, with the chance `linkedShare`, to one person
 * of the same LSOA (a proxy for the household and neighbourhood) who needs care then, chosen by
 * relationship (an age gap). Every draw comes from a stream of its own, so no other row changes.
 */
import { LONG_TERM_CONDITION_KEYS, Random, type DayNumber } from '@openphm/core';
import { formatDay } from '../days.js';
import { CARER_LINKS } from '../parameters.js';
import type { RowSink } from '../sink.js';
import type { Window } from './context.js';
import { ageAt, CI, NONE, YEAR, type Person } from './person.js';

/** The stream of the carer-link draws of one LSOA. */
export const carerLinkStream = (idKey: number, lsoaCode: string): Random => Random.fromKey(`openphm-carers/${idKey}/${lsoaCode}`);

const LONG_TERM = LONG_TERM_CONDITION_KEYS.map((k) => CI[k]);

/** The n-th smallest (1-based) of the days, or NONE when there are fewer. */
const nth = (days: readonly number[], n: number): number => (days.length < n ? NONE : [...days].sort((a, b) => a - b)[n - 1]!);

/**
 * The first day the person needs care (NONE: never): the earliest of a dementia, learning disability
 * or palliative care diagnosis, the start of a care-home stay, the diagnosis of their third long-term
 * condition and the record of their third coded frailty deficit (CARER_LINKS.needs).
 */
export function needsCareFrom(p: Pick<Person, 'onset' | 'deficits' | 'careHome'>): number {
  const { needs } = CARER_LINKS;
  let from = Math.min(p.onset[CI.dementia]!, p.onset[CI.learning_disability]!, p.onset[CI.palliative_care]!);
  from = Math.min(from, nth(LONG_TERM.map((c) => p.onset[c]!).filter((d) => d !== NONE), needs.conditions));
  from = Math.min(from, nth(p.deficits, needs.deficits));
  for (const s of p.careHome) from = Math.min(from, s.start);
  return from;
}

export type CarerRelationshipKind = keyof (typeof CARER_LINKS.relationships)['under70'];
const KINDS = Object.keys(CARER_LINKS.relationships.under70) as CarerRelationshipKind[];

/** Whether the age gap (cared-for person's age minus the carer's, in years) fits the relationship. */
export const fitsRelationship = (kind: CarerRelationshipKind, gapYears: number): boolean => {
  if (kind === 'other') return true;
  const [lo, hi] = CARER_LINKS.ageGaps[kind];
  return gapYears >= lo && gapYears <= hi;
};

interface Noted {
  readonly id: number;
  readonly dob: DayNumber;
  readonly deathDay: number;
}

export interface CarerLinkPerson extends Noted {
  /** The day "Patient is a carer" was recorded (NONE: not a carer). */
  readonly carerRecorded: number;
  /** The first day the person needs care (needsCareFrom; NONE: never). */
  readonly needsCareFrom: number;
}

/** Collects an area's carers and the people who need care, and writes the links at the end of the area. */
export class CarerLinks {
  private readonly carers: (Noted & { readonly recorded: number })[] = [];
  private readonly needing: (Noted & { readonly from: number })[] = [];

  constructor(
    private readonly idKey: number,
    private readonly lsoaCode: string,
    private readonly window: Window,
    private readonly sink: RowSink,
  ) {}

  /** Notes a person of the area once their life is generated. */
  person(p: CarerLinkPerson): void {
    const noted = { id: p.id, dob: p.dob, deathDay: p.deathDay };
    if (p.carerRecorded !== NONE) this.carers.push({ ...noted, recorded: p.carerRecorded });
    if (p.needsCareFrom < this.window.end && p.needsCareFrom < p.deathDay) this.needing.push({ ...noted, from: p.needsCareFrom });
  }

  /** Draws and writes the area's links (carer_relationship rows); returns how many. */
  write(): number {
    const rng = carerLinkStream(this.idKey, this.lsoaCode);
    const { window } = this;
    let links = 0;
    for (const carer of this.carers) {
      const linked = rng.next() < CARER_LINKS.linkedShare;
      const shares = ageAt(carer.dob, Math.max(carer.recorded, window.start)) >= 70 ? CARER_LINKS.relationships.from70 : CARER_LINKS.relationships.under70;
      const kind = KINDS[rng.pickWeighted(KINDS.map((k) => shares[k]))]!;
      const pick = rng.next();
      if (!linked) continue;
      // Both alive when the caring starts, and it starts within the window at the latest.
      const startWith = (n: (typeof this.needing)[number]) => Math.max(carer.recorded, n.from, carer.dob, n.dob);
      const eligible = this.needing.filter((n) => {
        if (n.id === carer.id) return false;
        const start = startWith(n);
        return start < window.end && start < n.deathDay && start < carer.deathDay;
      });
      // A relationship with no one of its age gap here: anyone who needs care (a relative or friend).
      const fitting = eligible.filter((n) => fitsRelationship(kind, (carer.dob - n.dob) / YEAR));
      const candidates = fitting.length > 0 ? fitting : eligible;
      if (candidates.length === 0) continue;
      const cared = candidates[Math.floor(pick * candidates.length)]!;
      const start = startWith(cared);
      const end = Math.min(cared.deathDay, carer.deathDay);
      this.sink.row('carer_relationship', `${carer.id},${cared.id},${formatDay(start)},${end < window.end ? formatDay(end) : ''}`);
      links++;
    }
    return links;
  }
}
