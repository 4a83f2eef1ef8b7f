/**
 * The person model: simulates one person's life through the window and writes their linked
 * records (GP, hospital, community, mental health, social care, births and deaths) to a RowSink.
 * Every random draw comes from the LSOA's own stream, so output depends only on the seed.
 * Parameters live in parameters.ts and are explained in docs/synthetic-data.md.
 *
 * This module creates the area's people and runs each life in a fixed order; the parts are in
 * person-model/, one concern each (risk factors, conditions, deaths, care homes, the GP record,
 * yearly activity with hospital and medicines, births). The order of the calls below is the order
 * of the draws: changing it changes every generated population.
 */
import { ETHNIC_CATEGORIES, mix32, OBSERVATION_CODES, type DayNumber, type EthnicCategory, type Random } from '@openphm/core';
import { formatDay } from './days.js';
import { BAND_CUMULATIVE, BROAD_BANDS, femaleShare } from './ages.js';
import { ETHNIC_CODES } from './areas.js';
import { ageBandIndex, CARERS } from './parameters.js';
import { activity } from './person-model/activity.js';
import { baby } from './person-model/births.js';
import { CareGapEvents } from './person-model/care-gaps.js';
import { CarerLinks, needsCareFrom } from './person-model/carers.js';
import { careHomes, writeCareHomes } from './person-model/care-homes.js';
import { clinicalRecords, smokingQuitStream } from './person-model/clinical-records.js';
import { conditions } from './person-model/conditions.js';
import type { AreaContext, AreaSummary } from './person-model/context.js';
import { death, mortality } from './person-model/deaths.js';
import { sexFactor } from './person-model/draws.js';
import { optOuts, optOutStream, practiceOptOutFactor } from './person-model/opt-outs.js';
import { OutcomeRecords } from './person-model/outcome-records.js';
import { ageAt, NC, NONE, YEAR, type Person } from './person-model/person.js';
import { riskFactors } from './person-model/risk-factors.js';
import { alcoholAdmissions, alcoholStream } from './person-model/alcohol.js';
import { selfHarm, selfHarmStream } from './person-model/self-harm.js';
import { furtherConditions, furtherConditionStream } from './person-model/further-conditions.js';

export type { AreaContext, AreaSummary, Window } from './person-model/context.js';

export class PersonModel {
  private next = 0;
  private births = 0;
  private deaths = 0;
  private readonly ethnicGroupCache = new Map<EthnicCategory, string>();
  /** Opt-outs have their own stream (and a factor per practice), so they change no other draw. */
  private readonly optOutRng: Random;
  private readonly practiceFactors = new Map<string, number>();
  /** Reviews, vaccinations and screening: a stream of their own too. */
  private readonly careGaps: CareGapEvents;
  /** Emergency admissions for self-harm, and further alcohol-specific admissions: a stream of their own each. */
  private readonly selfHarmRng: Random;
  private readonly alcoholRng: Random;
  /** Carers linked to the person they care for: noted person by person, drawn (their own stream) and written at the end of the area. */
  private readonly carerLinks: CarerLinks;
  /** Blood pressure, HbA1c, cancer stage, PPV, childhood immunisations and NHS Health Checks: a stream of their own. */
  private readonly outcomeRecords: OutcomeRecords;
  /** Smokers quitting in the window: a stream of its own. */
  private readonly quitRng: Random;
  /** Further conditions of a multimorbidity count (glaucoma, prostate disorders, ...): a stream of their own. */
  private readonly furtherRng: Random;

  constructor(private readonly ctx: AreaContext) {
    this.optOutRng = optOutStream(ctx.idKey, ctx.area.lsoa.code);
    this.careGaps = new CareGapEvents(ctx.idKey, ctx.area.lsoa.code, ctx.area.d, ctx.window, ctx.sink);
    this.selfHarmRng = selfHarmStream(ctx.idKey, ctx.area.lsoa.code);
    this.alcoholRng = alcoholStream(ctx.idKey, ctx.area.lsoa.code);
    this.carerLinks = new CarerLinks(ctx.idKey, ctx.area.lsoa.code, ctx.window, ctx.sink);
    this.quitRng = smokingQuitStream(ctx.idKey, ctx.area.lsoa.code);
    this.furtherRng = furtherConditionStream(ctx.idKey, ctx.area.lsoa.code);
    this.outcomeRecords = new OutcomeRecords(ctx.idKey, ctx.area.lsoa.code, ctx.area.d, ctx.window, ctx.sink);
  }

  private practiceFactor(practice: string): number {
    let f = this.practiceFactors.get(practice);
    if (f === undefined) {
      f = practiceOptOutFactor(this.ctx.idKey, practice);
      this.practiceFactors.set(practice, f);
    }
    return f;
  }

  /** Generates every person of the area and their records. */
  run(): AreaSummary {
    const { area, rng } = this.ctx;
    for (let band = 0; band < 3; band++) {
      const expected = area.expected[band]!;
      const n = Math.floor(expected) + (rng.next() < expected - Math.floor(expected) ? 1 : 0);
      const [lo] = BROAD_BANDS[band]!;
      for (let i = 0; i < n; i++) {
        const age = lo + rng.pickCumulative(BAND_CUMULATIVE[band]!);
        const dob = this.ctx.window.start - Math.floor((age + rng.next()) * YEAR) - 1;
        const ethnic = ETHNIC_CODES[rng.pickCumulative(area.ethnicCumulative[band]!)]!;
        this.person(dob, rng.next() < femaleShare(age) ? false : true, ethnic, undefined);
      }
    }
    this.carerLinks.write();
    return { people: this.next, births: this.births, deaths: this.deaths };
  }

  private group(ethnic: EthnicCategory): string {
    let g = this.ethnicGroupCache.get(ethnic);
    if (!g) {
      g = ETHNIC_CATEGORIES[ethnic].group;
      this.ethnicGroupCache.set(ethnic, g);
    }
    return g;
  }

  private person(dob: DayNumber, male: boolean, ethnic: EthnicCategory, mother: { practice: string; id: number } | undefined): number {
    const { area, window, rng, sink } = this.ctx;
    const id = mix32(area.index * 131072 + this.next++, this.ctx.idKey);
    const group = this.group(ethnic);
    const ageStart = ageAt(dob, window.start);
    const ageEnd = ageAt(dob, window.end - 1);
    const practice = mother ? mother.practice : area.practiceCodes[rng.pickCumulative(area.practiceCumulative)]!;
    const p: Person = {
      id, male, dob, ethnic, group, z: rng.normal(), smoking: 0, bmi: 0, practice,
      onset: new Array<number>(NC).fill(NONE), undiagnosedRespiratory: false, deathDay: NONE, cause: '', careHome: [], deficits: [],
      suicide: false, diedInHospital: false, aeCount: 0, spellCount: 0,
    };

    riskFactors(this.ctx, p, ageStart, ageEnd);
    conditions(this.ctx, p);
    careHomes(this.ctx, p, ageStart);
    mortality(this.ctx, p);
    const aliveStart = Math.max(window.start, dob);
    const aliveEnd = Math.min(window.end, p.deathDay);
    for (let c = 0; c < NC; c++) if (p.onset[c]! >= p.deathDay) p.onset[c] = NONE;

    // Registration: the current registration started at birth or some years before the window.
    const registration = mother ? dob + rng.int(10, 42) : Math.max(dob, window.start - Math.floor(rng.exponential(9) * YEAR) - 1);
    const carerP = ageStart >= 16 ? CARERS.byBand[ageBandIndex(ageStart)]! * sexFactor(1 / CARERS.femaleRatio, male) : 0;
    const isCarer = rng.next() < carerP;
    sink.row('person', `${id},${male ? 'M' : 'F'},${formatDay(dob)},${ethnic},${area.lsoa.code},${practice},${formatDay(registration)},${isCarer}`);
    // Identities come from their own stream: drawing them changes no other row.
    if (this.ctx.identities !== undefined) sink.identity?.(this.ctx.identities.row(mother ? { id, male, dob, ethnic, motherId: mother.id } : { id, male, dob, ethnic }));
    const carerRecorded = isCarer ? window.start - rng.int(0, 1500) : NONE;
    if (isCarer) sink.row('clinical_event', `${id},${formatDay(carerRecorded)},${OBSERVATION_CODES.carer.code},`);
    optOuts(this.optOutRng, sink, window, this.practiceFactor(practice), { id, male, dob, ageEnd });

    writeCareHomes(this.ctx, p, aliveEnd);
    clinicalRecords(this.ctx, this.quitRng, p, ageStart, aliveStart, aliveEnd);
    const pendingBirths = activity(this.ctx, p, aliveStart, aliveEnd);
    if (death(this.ctx, p)) this.deaths++;
    // Reviews, vaccinations and screening from their own stream: drawing them changes no other row.
    this.careGaps.person({ id, male, dob, onset: p.onset, deathDay: p.deathDay, practice, isCarer });
    this.carerLinks.person({ id, dob, deathDay: p.deathDay, carerRecorded, needsCareFrom: needsCareFrom(p) });
    // Outcome records (blood pressure, HbA1c, cancer stage, immunisations, health checks) from their own stream.
    this.outcomeRecords.person({ id, dob, onset: p.onset, deathDay: p.deathDay, cause: p.cause });
    // Further conditions of a multimorbidity count from their own stream: drawing them changes no other row.
    furtherConditions(this.ctx, this.furtherRng, p);
    for (const birth of pendingBirths) {
      baby(this.ctx, p, birth, (dob, male, ethnic, mother) => {
        this.births++;
        return this.person(dob, male, ethnic, mother);
      });
    }
    // Self-harm and further alcohol-specific admissions from their own streams, after every other stay
    // and contact of the person (their spell and attendance ids after all others): drawing them changes no other row.
    selfHarm(this.ctx, this.selfHarmRng, p, aliveStart, aliveEnd);
    alcoholAdmissions(this.ctx, this.alcoholRng, p, aliveStart, aliveEnd);
    return id;
  }
}
