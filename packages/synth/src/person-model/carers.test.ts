/**
 * Carers linked to the person they care for (carers.ts) on a seeded partnership of about 60,000
 * people: every link holds (checked one invariant a row, below), about `linkedShare` of recorded
 * carers are linked, most links are to a parent, partner or child by age, and who needs care is
 * the rule docs/synthetic-data.md states.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CODED_FRAILTY_DEFICITS, CONDITIONS, LONG_TERM_CONDITION_KEYS, OBSERVATION_CODES, dayFromIso, type ConditionKey, type Geography } from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import { generateInMemory } from '../generate.js';
import { CARER_LINKS } from '../parameters.js';
import { carerLinkStream, fitsRelationship, needsCareFrom } from './carers.js';
import { CI, NC, NONE, YEAR } from './person.js';

const WINDOW_END = dayFromIso('2026-04-01');

interface P {
  id: string;
  lsoa: string;
  dob: number;
  isCarer: boolean;
  death: number;
  /** The day "Patient is a carer" was recorded (NONE: never). */
  carerRecorded: number;
  /** The first day the person needs care, worked out again from their rows (NONE: never). */
  needsCareFrom: number;
}
interface Link {
  carer: P;
  cared: P;
  start: number;
  end: number | null;
}

let geography: Geography;
let people: Map<string, P>;
let links: Link[];

/** The rule of needsCareFrom, read back from the generated rows. */
const conditionOfCode = new Map<string, ConditionKey>(Object.values(CONDITIONS).flatMap((c) => c.codes.map((code) => [code.code as string, c.key] as const)));
const deficitCodes = new Set<string>(CODED_FRAILTY_DEFICITS.map((d) => d.source.codes[0]!.code));
const firstNeeds = new Set<ConditionKey>(['dementia', 'learning_disability', 'palliative_care']);
const longTerm = new Set<ConditionKey>(LONG_TERM_CONDITION_KEYS);

beforeAll(async () => {
  geography = await loadGeography();
  const rows = generateInMemory(geography, 'carers', 60_000);
  const deaths = new Map(rows.objects('death').map((d) => [d.person_id!, dayFromIso(d.date_of_death!)]));
  const onsets = new Map<string, Map<ConditionKey, number>>();
  const deficits = new Map<string, number[]>();
  const carerRecorded = new Map<string, number>();
  for (const e of rows.objects('clinical_event')) {
    const day = dayFromIso(e.event_date!);
    const condition = conditionOfCode.get(e.snomed_code!);
    if (condition !== undefined) {
      const mine = onsets.get(e.person_id!) ?? onsets.set(e.person_id!, new Map()).get(e.person_id!)!;
      mine.set(condition, Math.min(day, mine.get(condition) ?? NONE));
    }
    if (deficitCodes.has(e.snomed_code!)) (deficits.get(e.person_id!) ?? deficits.set(e.person_id!, []).get(e.person_id!)!).push(day);
    if (e.snomed_code === OBSERVATION_CODES.carer.code) carerRecorded.set(e.person_id!, day);
  }
  const careHomeStarts = new Map<string, number>();
  for (const s of rows.objects('care_home_stay')) careHomeStarts.set(s.person_id!, Math.min(dayFromIso(s.start_date!), careHomeStarts.get(s.person_id!) ?? NONE));
  people = new Map(
    rows.objects('person').map((r) => {
      const mine = onsets.get(r.person_id!) ?? new Map<ConditionKey, number>();
      const ltc = [...mine].filter(([k]) => longTerm.has(k)).map(([, d]) => d).sort((a, b) => a - b);
      const own = [...mine].filter(([k]) => firstNeeds.has(k)).map(([, d]) => d);
      const defs = (deficits.get(r.person_id!) ?? []).sort((a, b) => a - b);
      const from = Math.min(
        ...own,
        ltc[CARER_LINKS.needs.conditions - 1] ?? NONE,
        defs[CARER_LINKS.needs.deficits - 1] ?? NONE,
        careHomeStarts.get(r.person_id!) ?? NONE,
      );
      const p: P = {
        id: r.person_id!, lsoa: r.lsoa_code!, dob: dayFromIso(r.date_of_birth!), isCarer: r.is_carer === 'true',
        death: deaths.get(r.person_id!) ?? NONE, carerRecorded: carerRecorded.get(r.person_id!) ?? NONE, needsCareFrom: from,
      };
      return [p.id, p];
    }),
  );
  links = rows.objects('carer_relationship').map((l) => ({
    carer: people.get(l.carer_person_id!)!,
    cared: people.get(l.cared_for_person_id!)!,
    start: dayFromIso(l.start_date!),
    end: l.end_date === '' ? null : dayFromIso(l.end_date!),
  }));
});

describe('carer links on a generated partnership', () => {
  it('links a few thousand carers', () => {
    expect(links.length).toBeGreaterThan(1000);
  });

  it.each<[string, (l: Link) => boolean]>([
    ['both are people of the partnership', (l) => l.carer !== undefined && l.cared !== undefined],
    ['the carer is recorded as a carer (is_carer and the 224484003 code)', (l) => l.carer.isCarer && l.carer.carerRecorded !== NONE],
    ['both live in the same LSOA', (l) => l.carer.lsoa === l.cared.lsoa],
    ['nobody is linked to themself', (l) => l.carer.id !== l.cared.id],
    ['it starts no earlier than the carer was recorded and the person needed care', (l) => l.start === Math.max(l.carer.carerRecorded, l.cared.needsCareFrom, l.carer.dob, l.cared.dob)],
    ['it starts after both were born and before either died, by the end of the window', (l) => l.start >= l.carer.dob && l.start >= l.cared.dob && l.start < l.carer.death && l.start < l.cared.death && l.start < WINDOW_END],
    ['it ends when the first of the two dies in the window, else is open', (l) => l.end === (Math.min(l.carer.death, l.cared.death) < WINDOW_END ? Math.min(l.carer.death, l.cared.death) : null)],
  ])('every link: %s', (_name, holds) => {
    const broken = links.filter((l) => !holds(l));
    expect(broken.slice(0, 3)).toEqual([]);
  });

  it('links each carer to one person at most; about linkedShare of recorded carers are linked', () => {
    const carers = [...people.values()].filter((p) => p.isCarer);
    const linked = new Set(links.map((l) => l.carer.id));
    expect(linked.size).toBe(links.length);
    const share = linked.size / carers.length;
    console.log(`carers linked ${(100 * share).toFixed(1)}% of ${carers.length} (parameter ${100 * CARER_LINKS.linkedShare}%)`);
    // A few carers find nobody in their LSOA who needs care then; SE of the share about 0.01.
    expect(share).toBeGreaterThan(CARER_LINKS.linkedShare - 0.05);
    expect(share).toBeLessThanOrEqual(CARER_LINKS.linkedShare + 0.03);
  });

  it('most carers care for someone of a parent’s, partner’s or child’s age; parents the most', () => {
    const gap = (l: Link) => (l.carer.dob - l.cared.dob) / YEAR;
    const share = (kind: 'parent' | 'partner' | 'child') => links.filter((l) => fitsRelationship(kind, gap(l))).length / links.length;
    const [parent, partner, child] = [share('parent'), share('partner'), share('child')];
    console.log(`age gap of a parent ${(100 * parent).toFixed(1)}%, a partner ${(100 * partner).toFixed(1)}%, a child ${(100 * child).toFixed(1)}%`);
    expect(parent + partner + child).toBeGreaterThan(0.6);
    expect(parent).toBeGreaterThan(partner);
    expect(child).toBeGreaterThan(0.02);
  });
});

describe('needsCareFrom', () => {
  const D = 20_000;
  const onset = (entries: [ConditionKey, number][]) => {
    const o = new Array<number>(NC).fill(NONE);
    for (const [k, d] of entries) o[CI[k]] = d;
    return o;
  };
  it.each<[string, { onset: [ConditionKey, number][]; deficits?: number[]; careHome?: number[] }, number]>([
    ['nothing: never', { onset: [] }, NONE],
    ['two long-term conditions: not yet', { onset: [['asthma', D], ['hypertension', D + 5]] }, NONE],
    ['the third long-term condition', { onset: [['asthma', D], ['hypertension', D + 5], ['diabetes', D + 9], ['copd', D + 20]] }, D + 9],
    ['non-diabetic hyperglycaemia is not a long-term condition', { onset: [['asthma', D], ['hypertension', D + 5], ['non_diabetic_hyperglycaemia', D + 6]] }, NONE],
    ['dementia at once', { onset: [['dementia', D + 3]] }, D + 3],
    ['learning disability at once', { onset: [['learning_disability', D - 4000]] }, D - 4000],
    ['palliative care at once', { onset: [['palliative_care', D + 1]] }, D + 1],
    ['the third frailty deficit', { onset: [], deficits: [D + 30, D, D + 10] }, D + 30],
    ['two frailty deficits: not yet', { onset: [], deficits: [D, D + 10] }, NONE],
    ['a care-home stay', { onset: [], careHome: [D + 7] }, D + 7],
    ['the earliest of them', { onset: [['dementia', D + 50]], careHome: [D + 40], deficits: [D + 1, D + 2, D + 3] }, D + 3],
  ])('%s', (_name, p, expected) => {
    expect(needsCareFrom({ onset: onset(p.onset), deficits: p.deficits ?? [], careHome: (p.careHome ?? []).map((start) => ({ start, end: NONE, permanent: true })) })).toBe(expected);
  });

  it('draws links from a stream keyed by seed and LSOA, apart from the area’s', () => {
    expect(carerLinkStream(1, 'E01011229').next()).toBe(carerLinkStream(1, 'E01011229').next());
    expect(carerLinkStream(1, 'E01011229').next()).not.toBe(carerLinkStream(1, 'E01011230').next());
  });
});
