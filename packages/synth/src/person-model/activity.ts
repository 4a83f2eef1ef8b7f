/**
 * Yearly activity in every setting: GP appointments, hospital, community, mental health and adult
 * social care, medicines, and the births of women of child-bearing age (created afterwards).
 */
import { type ConditionKey } from '@openphm/core';
import { formatDay } from '../days.js';
import { ageBandIndex, EVENT_RATES, FERTILITY, MENTAL_HEALTH, type EventRateParameters } from '../parameters.js';
import type { AreaContext } from './context.js';
import { depFactor, latentFactor, sexFactor } from './draws.js';
import { calendarDay, type ActivityKind } from '../calendar.js';
import { delivery, type Delivery } from './births.js';
import { aeAttendance, electiveAdmission, emergencyAdmission, outpatientAppointments, PLACE_TRIES } from './hospital.js';
import { medicines } from './medicines.js';
import { ACTIVITY_WEIGHT, ageAt, CI, inCareHome, inStay, markBusy, NC, YEAR, type Person } from './person.js';

/**
 * Yearly activity in every setting; returns the births (the mother's deliveries) to create afterwards.
 * Each event's day is drawn on the calendar of its kind (calendar.ts); hospital stays never overlap,
 * and contacts avoid the days of a stay (the A&E attendance of an emergency admission is on its day).
 */
export function activity(ctx: AreaContext, p: Person, aliveStart: number, aliveEnd: number): Delivery[] {
  const { rng, window, area } = ctx;
  const births: Delivery[] = [];
  const d = area.d;
  const treated = new Map<string, boolean>();
  const onMed = (code: string, share: number) => {
    let t = treated.get(code);
    if (t === undefined) {
      t = rng.next() < share;
      treated.set(code, t);
    }
    return t;
  };
  let hasService = false;
  for (let y = 0; y + 1 < window.yearStarts.length; y++) {
    const segStart = Math.max(window.yearStarts[y]!, aliveStart);
    const segEnd = Math.min(window.yearStarts[y + 1]!, aliveEnd);
    if (segEnd <= segStart) continue;
    const t = (segEnd - segStart) / YEAR;
    const age = ageAt(p.dob, segStart);
    const band = ageBandIndex(age);
    let ncond = 0;
    const active: number[] = [];
    for (let c = 0; c < NC; c++) if (p.onset[c]! <= segStart) {
      ncond += ACTIVITY_WEIGHT[c]!;
      active.push(c);
    }
    const deficits = p.deficits.filter((day) => day <= segStart).length;
    const rate = (r: EventRateParameters) =>
      r.byBand[band]! * depFactor(r.depRatio, d) * (1 + r.perCondition * (ncond + 0.3 * deficits)) * latentFactor(r.latentLoading, p.z) *
      (r.femaleRatio ? sexFactor(1 / r.femaleRatio, p.male) : 1) * t;
    /** A day of the year segment for a kind of activity, on the calendar (one draw). */
    const dayOf = (kind: ActivityKind) => () => calendarDay(kind, rng.next(), segStart, segEnd);
    /** A day for a contact outside the person's hospital stays (up to PLACE_TRIES draws), or undefined. */
    const freeDay = (kind: ActivityKind) => (): number | undefined => {
      for (let i = 0; i < PLACE_TRIES; i++) {
        const when = calendarDay(kind, rng.next(), segStart, segEnd);
        if (!inStay(p, when)) return when;
      }
      return undefined;
    };

    // Stays first (deliveries, emergency and planned admissions), each clear of the others, so that
    // contacts can then avoid them.
    if (!p.male && age >= 15 && age <= 44) {
      const asfr = FERTILITY.asfrByFiveYear[String(Math.min(40, Math.max(15, Math.floor(age / 5) * 5))) as '15'];
      const eth = p.ethnic === 'J' || p.ethnic === 'K' ? FERTILITY.southAsianRatio : 1;
      if (rng.next() < asfr * eth * depFactor(1.15, d) * t) {
        const birthDay = dayOf('birth');
        const spaced = (b: number) => births.every((x) => Math.abs(x.day - b) > 300);
        const birth = delivery(ctx, p, () => {
          const b = birthDay();
          return spaced(b) ? b : undefined;
        }, PLACE_TRIES);
        if (birth) births.push(birth);
      }
    }
    for (let i = rng.poisson(rate(EVENT_RATES.emergencyAdmission)); i > 0; i--) emergencyAdmission(ctx, p, dayOf('emergency'), age, active, aliveEnd, true);
    for (let i = rng.poisson(rate(EVENT_RATES.electiveAdmission)); i > 0; i--) electiveAdmission(ctx, p, dayOf('elective'), age, active, aliveEnd);
    gpAppointments(ctx, p, rng.poisson(rate(EVENT_RATES.gpAppointment)), age, freeDay('gp'));
    for (let i = rng.poisson(rate(EVENT_RATES.aeAttendance)); i > 0; i--) {
      const when = freeDay('ae')();
      if (when === undefined) continue;
      markBusy(p, when);
      aeAttendance(ctx, p, when, age, false);
    }
    outpatientAppointments(ctx, p, rng.poisson(rate(EVENT_RATES.outpatient)), age, active, freeDay('outpatient'));
    const community = age < 5 ? 1.0 * t : age < 16 ? 0.02 * t : rate(EVENT_RATES.community);
    const communityDay = freeDay('community');
    for (let i = rng.poisson(community); i > 0; i--) {
      const u = rng.next();
      const service = age < 5 ? 'health-visiting' : age >= 65
        ? (u < 0.45 ? 'district-nursing' : u < 0.6 ? 'physiotherapy' : u < 0.8 ? 'podiatry' : u < 0.9 ? 'rehabilitation' : 'specialist-nursing')
        : (u < 0.4 ? 'physiotherapy' : u < 0.6 ? 'podiatry' : u < 0.85 ? 'specialist-nursing' : 'district-nursing');
      const when = communityDay();
      if (when === undefined) continue;
      markBusy(p, when);
      ctx.sink.row('community_contact', `${p.id},${formatDay(when)},${service}`);
    }
    mentalHealth(ctx, p, active, t, freeDay);
    const day = dayOf('socialCare');
    // Adult social care: requests lead to assessments, some to services, services to yearly reviews.
    if (hasService && age >= 18) ctx.sink.row('social_care_event', `${p.id},${formatDay(day())},review`);
    for (let i = age >= 18 ? rng.poisson(rate(EVENT_RATES.socialCare)) : 0; i > 0; i--) {
      const start = day();
      ctx.sink.row('social_care_event', `${p.id},${formatDay(start)},request`);
      if (rng.next() < 0.75 && start + 28 < aliveEnd) {
        ctx.sink.row('social_care_event', `${p.id},${formatDay(start + rng.int(3, 28))},assessment`);
        if (rng.next() < 0.6 && start + 60 < aliveEnd) {
          const u = rng.next();
          const type = u < 0.5 ? 'home-care-start' : u < 0.85 ? 'reablement-start' : 'direct-payment-start';
          ctx.sink.row('social_care_event', `${p.id},${formatDay(start + rng.int(29, 60))},${type}`);
          if (type !== 'reablement-start') hasService = true;
        }
      }
    }
    medicines(ctx, p, active, age, segStart, segEnd, deficits, onMed);
  }
  return births;
}

/** n GP practice appointments: role and mode (home visits for housebound people 75+). */
function gpAppointments(ctx: AreaContext, p: Person, n: number, age: number, day: () => number | undefined): void {
  const { rng, sink } = ctx;
  for (let i = 0; i < n; i++) {
    const when = day();
    const u = rng.next();
    const role = u < 0.48 ? 'GP' : u < 0.78 ? 'Nurse' : 'Other';
    const v = rng.next();
    const homebound = age >= 75 && when !== undefined && (inCareHome(p, when) || p.deficits.length >= 4);
    if (when === undefined) continue;
    markBusy(p, when);
    const mode = homebound && v < 0.3 ? 'home-visit' : v < 0.66 ? 'face-to-face' : v < 0.95 ? 'telephone' : 'online';
    sink.row('gp_appointment', `${p.id},${formatDay(when)},${role},${mode}`);
  }
}

/** Mental health contacts by the services the person's conditions lead to (crisis and inpatient care any day, the rest mostly on weekdays). */
function mentalHealth(ctx: AreaContext, p: Person, active: number[], t: number, dayFor: (kind: ActivityKind) => () => number | undefined): void {
  const { rng, sink } = ctx;
  const emit = (mean: number, service: string) => {
    const day = dayFor(service === 'crisis' || service === 'inpatient' ? 'everyDay' : 'mentalHealth');
    for (let i = rng.poisson(mean * t); i > 0; i--) {
      const when = day();
      if (when === undefined) continue;
      markBusy(p, when);
      sink.row('mental_health_contact', `${p.id},${formatDay(when)},${service}`);
    }
  };
  const has = (k: ConditionKey) => active.includes(CI[k]);
  if (has('smi')) {
    emit(MENTAL_HEALTH.smi, 'community-mental-health');
    emit(0.3, 'crisis');
    emit(0.08, 'inpatient');
  }
  if (has('depression')) emit(MENTAL_HEALTH.depression, 'talking-therapies');
  if (has('learning_disability')) emit(MENTAL_HEALTH.learningDisability, 'learning-disability');
  if (has('dementia')) emit(MENTAL_HEALTH.dementia, 'memory-service');
  if (!has('smi') && !has('depression')) emit(MENTAL_HEALTH.other, 'talking-therapies');
}
