/**
 * Advance care plans (EPaCCS) and alerts on a person, as the API shows them. Who may see whose is
 * the route table's scope (the care relationship); every read and change is audited; the text never
 * reaches a log or an audit record.
 */
import { ALERT_KINDS, CEILINGS_OF_CARE, CPR_DECISIONS, PLACES_OF_CARE, UserError, isAlertInForce, isAlertReviewDue, labelOf, type AdvanceCarePlan, type AdvanceCarePlanUpdate, type AlertInput, type AlertUpdate, type PersonAlert } from '@openphm/core';
import type { AdvanceCarePlanResponseT, AdvanceCarePlanT, AlertT } from '@openphm/api-contract';
import type { Audited, ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { advanceCarePlanHistory, advanceCarePlanOf, createAdvanceCarePlan, createAlert, getAlert, listAlerts, updateAdvanceCarePlan, updateAlert } from '../operational/advance-care.js';

export const advanceCarePlanOut = (p: AdvanceCarePlan): AdvanceCarePlanT => {
  const { id, personId, neighbourhoodId: _n, version, updatedAt, updatedBy, ...plan } = p;
  return {
    id,
    personId,
    plan: { ...plan, cpr: { ...plan.cpr }, lastingPowerOfAttorney: { ...plan.lastingPowerOfAttorney } },
    labels: {
      preferredPlaceOfCare: labelOf(PLACES_OF_CARE, plan.preferredPlaceOfCare),
      preferredPlaceOfDeath: labelOf(PLACES_OF_CARE, plan.preferredPlaceOfDeath),
      cpr: labelOf(CPR_DECISIONS, plan.cpr.decision),
      ceilingOfCare: labelOf(CEILINGS_OF_CARE, plan.ceilingOfCare),
    },
    version,
    updatedAt,
    updatedBy,
  };
};

export const alertOut = (a: PersonAlert, today: string): AlertT => ({
  id: a.id,
  personId: a.personId,
  kind: a.kind,
  kindLabel: labelOf(ALERT_KINDS, a.kind),
  text: a.text,
  startsOn: a.startsOn,
  reviewOn: a.reviewOn,
  status: a.status,
  inForce: isAlertInForce(a, today),
  reviewDue: isAlertReviewDue(a, today),
  createdBy: a.createdBy,
  createdAt: a.createdAt,
  version: a.version,
  updatedAt: a.updatedAt,
  updatedBy: a.updatedBy,
});

const CHOICES: AdvanceCarePlanResponseT['choices'] = {
  placesOfCare: PLACES_OF_CARE.map((x) => ({ ...x })),
  cprDecisions: CPR_DECISIONS.map((x) => ({ ...x })),
  ceilingsOfCare: CEILINGS_OF_CARE.map((x) => ({ ...x })),
};

const planResponse = async (ctx: ServerContext, plan: AdvanceCarePlan | null): Promise<AdvanceCarePlanResponseT> => ({
  plan: plan === null ? null : advanceCarePlanOut(plan),
  history: plan === null ? [] : (await advanceCarePlanHistory(ctx.ops, plan.id)).map((h) => ({ version: h.version, changedAt: h.changedAt, changedBy: h.changedBy })),
  choices: CHOICES,
});

/** The person's advance care plan with its versions (who changed it when), and the choices a form offers. */
export const advanceCarePlanView = async (ctx: ServerContext, personId: string): Promise<Audited<AdvanceCarePlanResponseT>> => {
  const plan = await advanceCarePlanOf(ctx.ops, personId);
  return { value: await planResponse(ctx, plan), audit: plan ? `advance care plan version ${plan.version}` : 'no advance care plan' };
};

/** Records the person's plan (version 0: the first) or a new version of it (the version replaced; 409 when it is not the current one). */
export const saveAdvanceCarePlan = async (ctx: ServerContext, personId: string, neighbourhoodId: string, update: AdvanceCarePlanUpdate, by: string): Promise<Audited<AdvanceCarePlanResponseT>> => {
  const current = await advanceCarePlanOf(ctx.ops, personId);
  if (current === null && update.version !== 0) throw new UserError('this person has no advance care plan yet: record the first with version 0', 'conflict');
  if (current !== null && update.version === 0) {
    throw new UserError(`this person already has an advance care plan (version ${current.version}, changed by ${current.updatedBy} at ${current.updatedAt}): reload it and change that`, 'conflict');
  }
  const saved = current === null ? await createAdvanceCarePlan(ctx.ops, { personId, neighbourhoodId, plan: update.plan }, by) : await updateAdvanceCarePlan(ctx.ops, current.id, { plan: update.plan, version: update.version }, by);
  return { value: await planResponse(ctx, saved), audit: `advance care plan version ${saved.version}` };
};

/** The person's alerts (in force first), with the kinds a form offers. */
export const alertsView = async (ctx: ServerContext, personId: string): Promise<Audited<{ today: string; kinds: { id: string; label: string }[]; alerts: AlertT[] }>> => {
  const today = ctx.today();
  const alerts = (await listAlerts(ctx.ops, personId)).map((a) => alertOut(a, today));
  return { value: { today, kinds: ALERT_KINDS.map((k) => ({ ...k })), alerts }, audit: `${alerts.length} alerts` };
};

/** Raises an alert on a person of `neighbourhoodId`. */
export const raiseAlert = async (ctx: ServerContext, personId: string, neighbourhoodId: string, input: AlertInput, by: string): Promise<Audited<AlertT>> => {
  const alert = await createAlert(ctx.ops, { ...input, personId, neighbourhoodId, createdBy: by }, by);
  return { value: alertOut(alert, ctx.today()), audit: `alert ${alert.id} (${alert.kind})` };
};

/** Ends an alert or moves its review date (not-found when the alert is not the person's). */
export const changeAlert = async (ctx: ServerContext, personId: string, alertId: number, update: AlertUpdate, by: string): Promise<Audited<AlertT>> => {
  const current = await getAlert(ctx.ops, alertId);
  if (current.personId !== personId) throw new UserError(`no alert ${alertId} for this person`, 'not-found');
  if (current.status === 'ended' && update.status === 'active') throw new UserError('an ended alert stays ended: raise a new one', 'conflict');
  const reviewOn = update.reviewOn !== undefined ? update.reviewOn : current.reviewOn;
  if (reviewOn !== null && reviewOn < current.startsOn) throw invalidRequest('body', [{ field: 'reviewOn', message: 'the review date cannot be before the alert starts' }]);
  const alert = await updateAlert(ctx.ops, alertId, update, by);
  return { value: alertOut(alert, ctx.today()), audit: `alert ${alert.id} version ${alert.version}` };
};
