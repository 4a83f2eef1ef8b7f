/**
 * The demo neighbourhood team's working day (`phm demo`): tasks, notes, an MDT meeting, caseload
 * reviews, notifications and a service's inbox, so that someone logging in as neighbourhood@demo
 * (or linkworker@demo, who works for a social prescribing service) finds work in hand. Seeded once
 * into a store with no tasks, notes, meetings or reviews, dated from today, about residents of the
 * demo neighbourhood only (its caseload, its worklist, adults living there), through the same
 * operational functions and checks as the API, in one transaction.
 */
import {
  CaseloadInputSchema,
  ReferralDecisionSchema,
  ReferralInputSchema,
  TaskInputSchema,
  isoDayPlus,
  recipientsOf,
  reviewProblem,
  searchDirectory,
  suggestedNextReview,
  type CaseloadEntry,
  type DirectoryService,
  type ReviewOutcome,
} from '@openphm/core';
import { dataWindow, demoNeighbourhoodId, demoTeamResidents } from '@openphm/store-duckdb';
import type { ServerContext } from './context.js';
import { HIGH_RISK_COHORT } from './data/meetings.js';
import { tellServiceOfReferral } from './data/notifications.js';
import { storedCohort } from './data/cohorts.js';
import { tellAssignee } from './data/tasks.js';
import { worklistIn } from './data/worklist.js';
import { createReferral, listServices } from './operational/care.js';
import { addToCaseload, createCarePlan, currentCarePlan, listCaseload, updateCaseloadEntry } from './operational/care-plans.js';
import { setUserServices } from './operational/care-zone.js';
import { activeKeyWorkerOfPerson, recordReview, setKeyWorkerUser } from './operational/caseload-reviews.js';
import { tablesEmpty, type Queryable } from './operational/db.js';
import { addAgendaItem, createMeeting, recordAgendaOutcome } from './operational/meetings.js';
import { addNote } from './operational/notes.js';
import { notify } from './operational/notifications.js';
import { decideReferral } from './operational/referral-decisions.js';
import { createTask } from './operational/tasks.js';
import { teamMembers } from './operational/team.js';

/** The demo's second member of the neighbourhood team: a social prescribing link worker who works for one service. */
export const DEMO_LINK_WORKER = 'linkworker@demo';
const LEAD = 'neighbourhood@demo';

type Member = { readonly id: number; readonly displayName: string; readonly email: string };

/** Adds a note as a member would (back-dated), telling the person's key worker when someone else wrote it. */
const noteBy = async (tx: Queryable, by: Member, personId: string, neighbourhoodId: string, text: string, at: string): Promise<void> => {
  await addNote(tx, { personId, neighbourhoodId, authorId: by.id, author: `${by.displayName} (${by.email})`, text, corrects: null, createdAt: at });
  const to = recipientsOf({ kind: 'note-added', actorId: by.id, keyWorkerId: await activeKeyWorkerOfPerson(tx, personId) });
  await notify(tx, to.map((userId) => ({ userId, kind: 'note-added' as const, summary: `A note on person ${personId} by ${by.displayName}`, link: `#/person?id=${personId}`, personId })));
};

/**
 * Seeds the demo team's working day when the store has no tasks, notes, MDT meetings or caseload
 * reviews yet (and neighbourhood@demo exists): for neighbourhood@demo, open tasks (two overdue, one
 * due today, one from a care plan review and one from the MDT this week, one from the high-risk
 * worklist when it has anyone, one for the whole team, one done), notes on people, today's MDT
 * meeting with people on the agenda (one discussed, its action a task), reviews of the caseload
 * (the first due, some recorded), and unread notifications; for linkworker@demo, the service they
 * work for with new referrals waiting for a decision (one already accepted).
 */
export const seedDemoTeamDay = async (ctx: ServerContext): Promise<void> => {
  const { ops, data } = ctx;
  if (!(await tablesEmpty(ops, 'care_task', 'care_note', 'mdt_meeting', 'caseload_review'))) return;
  const neighbourhoodId = await demoNeighbourhoodId(data);
  if (neighbourhoodId === null) return;
  const members = new Map((await teamMembers(ops, neighbourhoodId)).map((m) => [m.email, m]));
  const lead = members.get(LEAD);
  if (lead === undefined) return;
  const colleague = members.get(DEMO_LINK_WORKER) ?? lead;
  const today = ctx.today();
  const day = (n: number) => isoDayPlus(today, n);
  const at = (n: number, hour: number) => `${day(n)}T${String(hour).padStart(2, '0')}:15:00Z`;

  // Adults living in the neighbourhood (the caseload, below, comes first).
  const residents = await demoTeamResidents(data, neighbourhoodId, (await dataWindow(data)).end ?? today, 12);
  // People newly at high risk, from the worklist MDT meetings draw on (none when that cohort is not stored), with whom the team has a care relationship.
  const cohort = storedCohort(ctx, HIGH_RISK_COHORT);
  const viewer = { id: lead.id, email: lead.email, displayName: lead.displayName, role: 'neighbourhood' as const, neighbourhoodId };
  const worklisted =
    cohort === undefined
      ? []
      : (await worklistIn(ctx, cohort, neighbourhoodId, 20, 'direct-care', viewer)).body.people.filter((p) => (p.state?.careRelationships ?? []).length > 0).map((p) => p.personId);
  // The link worker's service: the first social prescribing service offered to the first resident, and who else it suits.
  const services = (await listServices(ops)).map((s) => s.entry);
  const offered = (r: (typeof residents)[number]): DirectoryService[] => searchDirectory(services, { neighbourhood: { id: r.neighbourhood, place: r.place }, age: r.age, linkWorkerReferral: true });
  const service = residents.length > 0 ? offered(residents[0]!)[0] : undefined;
  const referred = service === undefined ? [] : residents.filter((r) => offered(r).some((s) => s.id === service.id)).slice(0, 4);

  await ops.transaction(async (tx) => {
    const task = async (by: Member, fields: Record<string, unknown>, status: 'open' | 'done' = 'open') => {
      const input = TaskInputSchema.parse({ assigneeId: lead.id, ...fields });
      const made = await createTask(tx, { ...input, neighbourhoodId, createdBy: by.email, status }, by.email);
      if (status === 'open') await tellAssignee(tx, made, by.id);
      return made;
    };

    // A caseload of at least three (a small database may have too few people with repeated admissions): residents referred by their practice six weeks ago.
    const existing = await listCaseload(tx, { neighbourhoodId, status: 'active' });
    const known = new Set((await listCaseload(tx, { neighbourhoodId })).map((e) => e.personId));
    for (const [i, r] of residents.filter((x) => !known.has(x.id)).slice(0, Math.max(0, 3 - existing.length)).entries()) {
      const input = CaseloadInputSchema.parse({ personId: r.id, source: 'gp', keyWorker: 'Community matron', nextReview: day(i === 0 ? -1 : 10 + 7 * i) });
      await addToCaseload(tx, { ...input, neighbourhoodId, addedAt: at(-42 + i, 10) }, LEAD);
    }
    const caseload: CaseloadEntry[] = await listCaseload(tx, { neighbourhoodId, status: 'active' });
    const onCaseload = new Set(caseload.map((e) => e.personId));
    // Who the team is working with: its caseload (earliest review first), then other adults living there.
    const people = [...onCaseload, ...residents.map((r) => r.id).filter((id) => !onCaseload.has(id))];
    if (people.length === 0) return;
    const person = (i: number) => people[i % people.length]!;

    // The caseload: neighbourhood@demo is key worker for the first three; the first review has come, some are recorded.
    for (const e of caseload.slice(0, 3)) await setKeyWorkerUser(tx, e.id, lead.id);
    const first = caseload[0];
    if (first !== undefined && first.nextReview > today) await updateCaseloadEntry(tx, first.id, { nextReview: day(-3), version: first.version }, LEAD);
    const reviewed: [CaseloadEntry | undefined, ReviewOutcome, string][] = [
      [caseload[1], 'more-support', 'Two falls since discharge; physiotherapy asked for and a pendant alarm arranged.'],
      [caseload[caseload.length - 1], 'continue', 'Settled at home; managing medicines with a blister pack.'],
    ];
    const done = new Set([first?.id]);
    for (const [entry, outcome, note] of reviewed) {
      if (entry === undefined || done.has(entry.id)) continue;
      done.add(entry.id);
      const added = entry.addedAt.slice(0, 10);
      const reviewedOn = added > day(-7) ? added : day(-7);
      const review = { reviewedOn, outcome, note, nextReview: suggestedNextReview(reviewedOn, outcome), version: entry.version };
      if (reviewProblem(entry, review, today) === null) await recordReview(tx, entry.id, review, LEAD);
    }

    // Notes on the people the team is working with (a colleague's tell the key worker).
    await noteBy(tx, lead, person(0), neighbourhoodId, 'Home from hospital after a second fall. Daughter visiting daily; new blood pressure tablets started.', at(-6, 10));
    await noteBy(tx, colleague, person(0), neighbourhoodId, 'Phoned: managing at home but not sleeping well and missing the lunch club. Talked about the walking group.', at(-1, 14));
    await noteBy(tx, lead, person(1), neighbourhoodId, 'Visited: ankles swollen, weight up 2 kg in a week. GP asked to review the diuretic.', at(-3, 11));
    await noteBy(tx, colleague, person(2), neighbourhoodId, 'Their partner is the main carer and is finding nights hard. Would like to hear about the carers’ café.', at(-2, 15));

    // Tasks for neighbourhood@demo: overdue, due today, this week, for the team, and one done.
    await task(colleague, { personId: person(0), title: 'Phone to check how the new tablets are going', detail: 'Dizzy on standing last week?', due: day(-2) });
    await task(lead, { personId: person(1), title: 'Chase the heart failure clinic appointment', due: day(-5) });
    await task(lead, { personId: person(2), title: 'Home visit: blood pressure and ankle swelling', due: today });
    await task(lead, { personId: person(3), title: 'Arrange a carer’s assessment', detail: 'Anyone in the team who is visiting this week.', assigneeId: null, due: day(4) });
    await task(lead, { personId: person(0), title: 'Book transport to the falls clinic', due: day(-1) }, 'done');
    const planPerson = person(1);
    const plan =
      (await currentCarePlan(tx, planPerson).then((p) => (p?.status === 'active' ? p : null))) ??
      (await createCarePlan(
        tx,
        {
          personId: planPerson,
          neighbourhoodId,
          createdBy: LEAD,
          whatMatters: 'Staying in my own home and getting to church on Sundays.',
          goals: [{ goal: 'Walk to the end of the street and back without stopping', status: 'working-on' }],
          support: [{ who: 'Community matron', what: 'Weekly visit while the swelling settles' }],
          contingency: 'If breathless at rest or weight up more than 2 kg in three days, ring the practice or 111.',
          consentToShare: true,
          reviewDate: day(3),
          status: 'active',
        },
        LEAD,
      ));
    await task(colleague, { personId: planPerson, title: 'Review the care and support plan with them and their family', due: plan.reviewDate, source: 'plan-review', sourceRef: String(plan.id) });
    const newlyAtRisk = worklisted.find((id) => !onCaseload.has(id));
    if (newlyAtRisk !== undefined) await task(lead, { personId: newlyAtRisk, title: 'Invite for a frailty review', due: day(6), source: 'worklist', sourceRef: HIGH_RISK_COHORT });

    // Today's MDT meeting: people on the agenda, the first discussed already and its action raised as a task.
    const meeting = await createMeeting(tx, { neighbourhoodId, date: today, title: 'Weekly neighbourhood MDT' }, LEAD);
    const agenda = [
      { personId: person(0), reason: 'Review due; two emergency admissions this year and a fall since discharge' },
      { personId: person(1), reason: 'Weight rising; care plan review this week' },
      { personId: person(2), reason: 'Carer strain' },
    ].filter((item, i, all) => all.findIndex((x) => x.personId === item.personId) === i);
    const items = [];
    for (const item of agenda) items.push(await addAgendaItem(tx, meeting.id, item, LEAD));
    await recordAgendaOutcome(tx, meeting.id, items[0]!.id, 'Medication review with the practice pharmacist; falls assessment at home; discuss again in a month.', colleague.email);
    await task(colleague, { personId: items[0]!.personId, title: 'Ask the practice pharmacist for a medication review', due: day(2), source: 'mdt', sourceRef: String(meeting.id) });

    // The link worker's service and its inbox: new referrals waiting for a decision, one accepted (the referrer is told).
    if (service !== undefined) {
      if (colleague !== lead) await setUserServices(tx, colleague.id, [service.id], 'admin@demo');
      const reasons = ['loneliness', 'carer-strain', 'low-mood', 'inactivity'] as const;
      for (const [i, r] of referred.entries()) {
        const input = ReferralInputSchema.parse({ personId: r.id, serviceId: service.id, reason: reasons[i % reasons.length], wellbeingBefore: { lifeSatisfaction: 4 + (i % 3), worthwhile: 5, happiness: 4, anxiety: 6 - (i % 3) } });
        const referral = await createReferral(tx, { ...input, neighbourhoodId, referredAt: at(-1 - i, 9 + i) }, LEAD);
        await tellServiceOfReferral(tx, referral, service.name, LEAD);
        if (i === referred.length - 1 && i > 0 && colleague !== lead) {
          const decision = ReferralDecisionSchema.parse({ decision: 'accept', note: 'First meeting booked at the library on Thursday.', version: referral.version });
          await decideReferral(tx, referral.id, decision, colleague.email);
          const to = recipientsOf({ kind: 'referral-decided', actorId: colleague.id, referrerId: lead.id });
          await notify(tx, to.map((userId) => ({ userId, kind: 'referral-decided' as const, summary: `${service.name} accepted the referral of person ${r.id}`, link: `#/person?id=${r.id}`, personId: r.id })));
        }
      }
    }
  });
};
