/**
 * The directory, its Open Referral UK feed, referrals and their reach, over HTTP on the 64-person
 * fixture (people 100-159 live in leeds-1: every third in E01011229, IMD decile 1, the rest in
 * E01011230, decile 5; person 2 lives in calderdale-1). The neighbourhood account is bound to leeds-1.
 */
import { describe, expect, it } from 'vitest';
import { meanStep } from '@openphm/core';
import { listAudit } from '../operational/audit.js';
import { DirectoryResponse, EvaluationResponse, HistoryResponse, ReachResponse, ReferralOut, ReferralsResponse } from '@openphm/api-contract';
import { buildPopulationFixture, testService, unsafeCounts, useSignedInServer } from '../test-support.js';

const service = testService;
const BEFORE = { lifeSatisfaction: 4, worthwhile: 5, happiness: 4, anxiety: 7 };

describe('joining up care on the population fixture', () => {
  // The reach test makes 76 person-level changes in one burst, more than a person's per-user limit allows (limits.ts).
  const server = useSignedInServer({ fixture: buildPopulationFixture, options: { today: () => '2026-11-26', rateLimits: { 'person-level': { burst: 500, perSecond: 100 } } } });
  const { as } = server;
  const auditOf = async (action: string) => (await listAudit(server.app.openphm.ops, { limit: 200, offset: 0, action })).rows;

  describe('directory', () => {
    it('programme leads add entries; each field of a bad entry is named', async () => {
      for (const s of [
        service('leeds-walk'),
        service('calderdale-choir', { areas: ['place:calderdale'], categories: ['arts-culture'] }),
        service('self-only-cafe', { areas: ['ics'], referral: { self: true, linkWorker: false }, categories: ['carers'] }),
        service('closed-shed', { status: 'inactive' }),
        service('leeds-1-allotment', { neighbourhoods: ['leeds-1'], categories: ['nature-gardening'], name: 'Allotment in Leeds One' }),
      ]) {
        const r = await as('programme', 'POST', '/api/directory/services', s);
        expect(r.statusCode, r.body).toBe(201);
      }
      const bad = await as('programme', 'POST', '/api/directory/services', service('bad', { categories: ['knitting'], contact: {}, neighbourhoods: ['nowhere'] }));
      expect(bad.statusCode).toBe(400);
      // The first problem found stops the checks that need a well-formed entry (contact, ages).
      expect(bad.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['entry.categories.0']);
      const unknownNeighbourhood = await as('programme', 'POST', '/api/directory/services', service('bad', { neighbourhoods: ['nowhere'] }));
      expect(unknownNeighbourhood.json().error.fields[0]).toEqual({ field: 'entry.neighbourhoods', message: 'unknown neighbourhood nowhere' });
      expect((await as('programme', 'POST', '/api/directory/services', service('leeds-walk'))).statusCode).toBe(409);
      expect((await as('analyst', 'POST', '/api/directory/services', service('x'))).statusCode).toBe(403);
      expect((await as('public', 'POST', '/api/directory/services', service('x'))).statusCode).toBe(401);
      expect((await auditOf('directory.create')).length).toBe(5);
    });

    it('anyone searches it; edits name the version', async () => {
      const leeds = DirectoryResponse.parse((await as('public', 'GET', '/api/directory/services?place=leeds')).json());
      expect(leeds.services.map((s) => s.id)).toEqual(['leeds-1-allotment', 'leeds-walk', 'self-only-cafe']); // by name
      expect(leeds.services[2]!.areaNames).toEqual(['Test ICS']);
      expect(DirectoryResponse.parse((await as('public', 'GET', '/api/directory/services?neighbourhood=calderdale-1')).json()).services.map((s) => s.id)).toEqual(['calderdale-choir', 'self-only-cafe']);
      expect(DirectoryResponse.parse((await as('public', 'GET', '/api/directory/services?q=allotment%20leeds')).json()).total).toBe(1);
      expect(DirectoryResponse.parse((await as('public', 'GET', '/api/directory/services?inactive=true&category=social-groups')).json()).services.map((s) => s.id)).toEqual(['closed-shed', 'leeds-walk']);
      expect((await as('public', 'GET', '/api/directory/services?category=knitting')).statusCode).toBe(400);
      expect((await as('public', 'GET', '/api/directory/services?place=york')).statusCode).toBe(404);
      const walk = (await as('public', 'GET', '/api/directory/services/leeds-walk')).json();
      const edited = await as('programme', 'PUT', '/api/directory/services/leeds-walk', { entry: { ...service('leeds-walk'), schedule: 'Tuesdays' }, version: walk.version });
      expect(edited.json()).toMatchObject({ schedule: 'Tuesdays', version: 2 });
      expect((await as('programme', 'PUT', '/api/directory/services/leeds-walk', { entry: service('leeds-walk'), version: 1 })).statusCode).toBe(409);
      expect((await as('programme', 'PUT', '/api/directory/services/leeds-walk', { entry: service('other-id'), version: 2 })).json().error.fields[0].field).toBe('entry.id');
    });

    it('publishes an Open Referral UK feed', async () => {
      expect((await as('public', 'GET', '/api/oruk')).json()).toMatchObject({ version: '3.0' });
      const page1 = (await as('public', 'GET', '/api/oruk/services?per_page=2&page=1')).json();
      expect(page1).toMatchObject({ total_items: 4, total_pages: 2, page_number: 1, size: 2, first_page: true, last_page: false, empty: false });
      expect(page1.contents[0]).toMatchObject({ id: 'leeds-1-allotment', organization_id: 'test-org', status: 'active', fees_description: 'Free', minimum_age: 18 });
      const page3 = (await as('public', 'GET', '/api/oruk/services?per_page=2&page=3')).json();
      expect(page3).toMatchObject({ size: 0, empty: true, last_page: true });
      const full = (await as('public', 'GET', '/api/oruk/services/leeds-1-allotment')).json();
      expect(full.organization).toMatchObject({ id: 'test-org', name: 'Test Organisation' });
      expect(full.attributes[0].taxonomy_term).toMatchObject({ id: 'nature-gardening', name: 'Gardening and nature' });
      expect(full.service_areas.map((a: { name: string }) => a.name)).toEqual(['Leeds', 'Leeds One']);
      expect((await as('public', 'GET', '/api/oruk/services?taxonomy_term_id=arts-culture')).json().total_items).toBe(1);
      expect((await as('public', 'GET', '/api/oruk/taxonomy_terms')).json().contents).toHaveLength(10);
      expect((await as('public', 'GET', '/api/oruk/services/NOPE')).statusCode).toBe(404);
    });
  });

  describe('referrals', () => {
    let first = 0;

    it('a neighbourhood team refers people it cares for to services open to link workers there', async () => {
      const r = await as('neighbourhood', 'POST', '/api/referrals', { personId: '100', serviceId: 'leeds-1-allotment', reason: 'loneliness', wellbeingBefore: BEFORE });
      expect(r.statusCode, r.body).toBe(201);
      const body = ReferralOut.parse(r.json());
      first = body.id;
      expect(body).toMatchObject({ personId: '100', neighbourhoodId: 'leeds-1', status: 'referred', statusLabel: 'Referred', serviceName: 'Allotment in Leeds One', reasonLabel: 'Loneliness or social isolation', referredBy: 'leeds@test', nextStatuses: ['accepted', 'declined', 'withdrawn'] });
      const refuse = async (body: object, status: number, field?: string) => {
        const x = await as('neighbourhood', 'POST', '/api/referrals', body);
        expect(x.statusCode, x.body).toBe(status);
        if (field) expect(x.json().error.fields[0].field).toBe(field);
      };
      await refuse({ personId: '2', serviceId: 'calderdale-choir', reason: 'loneliness' }, 403); // registered in calderdale-1: no care relationship
      await refuse({ personId: '101', serviceId: 'calderdale-choir', reason: 'loneliness' }, 400, 'serviceId'); // not offered in Leeds
      await refuse({ personId: '101', serviceId: 'self-only-cafe', reason: 'carer-strain' }, 400, 'serviceId'); // self-referral only
      await refuse({ personId: '101', serviceId: 'closed-shed', reason: 'loneliness' }, 400, 'serviceId'); // inactive
      await refuse({ personId: '101', serviceId: 'leeds-walk', reason: 'she is lonely' }, 400, 'reason');
      await refuse({ personId: '101', serviceId: 'leeds-walk', reason: 'other', notes: 'free text' }, 400);
      expect((await as('analyst', 'POST', '/api/referrals', { personId: '101', serviceId: 'leeds-walk', reason: 'other' })).statusCode).toBe(403);
      const audit = await auditOf('referral.create');
      // Newest first. A refusal by role is decided before the body is read, so the person is not known there.
      expect(audit.map((a) => [a.outcome, a.status, a.resource])).toEqual([
        ['denied', 403, 'person:(unknown)'],
        ['failed', 400, 'person:101'],
        ['failed', 400, 'person:101'],
        ['failed', 400, 'person:101'],
        ['failed', 400, 'person:101'],
        ['failed', 400, 'person:101'],
        ['denied', 403, 'person:2'],
        ['granted', 201, 'person:100'],
      ]);
    });

    it('progress follows the status path, with wellbeing before and after, and every version kept', async () => {
      const step = async (body: object) => as('neighbourhood', 'PATCH', `/api/referrals/${first}`, body);
      expect((await step({ status: 'completed', version: 1 })).json().error.fields[0]).toMatchObject({ field: 'status', message: expect.stringMatching(/cannot become completed \(next: accepted, declined, withdrawn\)/) });
      expect((await step({ status: 'accepted', wellbeingAfter: BEFORE, version: 1 })).json().error.fields[0].field).toBe('wellbeingAfter');
      expect((await step({ status: 'accepted', version: 1 })).json()).toMatchObject({ status: 'accepted', version: 2 });
      expect((await step({ status: 'attending', version: 1 })).statusCode).toBe(409);
      expect((await step({ status: 'attending', version: 2 })).json()).toMatchObject({ status: 'attending', version: 3 });
      const done = (await step({ status: 'completed', wellbeingAfter: { lifeSatisfaction: 6, worthwhile: 6, happiness: 6, anxiety: 5 }, version: 3 })).json();
      expect(done).toMatchObject({ status: 'completed', version: 4, nextStatuses: [], wellbeingBefore: BEFORE, wellbeingAfter: { lifeSatisfaction: 6 } });
      const history = HistoryResponse.parse((await as('analyst', 'GET', `/api/referrals/${first}/history`)).json()).history;
      expect(history.map((h) => h.snapshot.status)).toEqual(['completed', 'attending', 'accepted', 'referred']);
      expect((await as('analyst', 'PATCH', `/api/referrals/${first}`, { status: 'withdrawn', version: 4 })).statusCode).toBe(403);
      expect((await as('neighbourhood', 'PATCH', '/api/referrals/99999', { status: 'withdrawn', version: 1 })).statusCode).toBe(404);
      expect((await auditOf('referral.update')).map((a) => [a.outcome, a.status])).toEqual([
        ['not-found', 404],
        ['denied', 403],
        ['granted', 200],
        ['granted', 200],
        ['failed', 409],
        ['granted', 200],
        ['failed', 400],
        ['failed', 400],
      ]);
    });

    it('lists referrals: the team its own neighbourhood, analysts any; every list audited', async () => {
      const own = ReferralsResponse.parse((await as('neighbourhood', 'GET', '/api/referrals')).json());
      expect(own.neighbourhood).toBe('leeds-1');
      expect(own.referrals.map((r) => r.id)).toEqual([first]);
      expect(own.reasons.length).toBe(8);
      expect((await as('neighbourhood', 'GET', '/api/referrals?neighbourhood=calderdale-1')).statusCode).toBe(403);
      expect(ReferralsResponse.parse((await as('analyst', 'GET', '/api/referrals?person=100')).json()).referrals).toHaveLength(1);
      expect(ReferralsResponse.parse((await as('analyst', 'GET', '/api/referrals?neighbourhood=calderdale-1')).json()).referrals).toHaveLength(0);
      expect((await as('programme', 'GET', '/api/referrals')).statusCode).toBe(403);
      expect((await auditOf('referral.list')).map((a) => [a.userEmail, a.outcome])).toEqual([
        ['programme@test', 'denied'],
        ['analyst@test', 'granted'],
        ['analyst@test', 'granted'],
        ['leeds@test', 'denied'],
        ['leeds@test', 'granted'],
      ]);
      // One view of the person: the person summary carries their referrals.
      const summary = (await as('analyst', 'GET', '/api/people/100')).json();
      expect(summary.socialPrescribing).toEqual([expect.objectContaining({ id: first, serviceName: 'Allotment in Leeds One', status: 'completed', statusLabel: 'Completed', reasonLabel: 'Loneliness or social isolation', referredBy: 'leeds@test' })]);
      expect((await as('analyst', 'GET', '/api/people/101')).json().socialPrescribing).toEqual([]);
      // Person ids never reach the server log.
      expect(server.logLines.join('\n')).not.toMatch(/"personId"|person:100/);
    });

    it('reports reach and outcomes, disclosure-controlled', async () => {
      // Nineteen more: people 101-119 (every third in IMD decile 1), to the walk, all completing with scores.
      for (let id = 101; id <= 119; id++) {
        const made = await as('neighbourhood', 'POST', '/api/referrals', { personId: String(id), serviceId: 'leeds-walk', reason: 'inactivity', wellbeingBefore: BEFORE }); if (made.statusCode !== 201) throw new Error(made.body);
        const r = ReferralOut.parse(made.json());
        let v = r.version;
        for (const status of ['accepted', 'attending']) v = (await as('neighbourhood', 'PATCH', `/api/referrals/${r.id}`, { status, version: v })).json().version;
        await as('neighbourhood', 'PATCH', `/api/referrals/${r.id}`, { status: 'completed', wellbeingAfter: { ...BEFORE, lifeSatisfaction: id % 2 === 0 ? 5 : 7 }, version: v });
      }
      const r = await as('board', 'GET', '/api/referrals/reach?by=imd-quintile');
      expect(r.statusCode, r.body).toBe(200);
      const reach = ReachResponse.parse(r.json());
      expect(unsafeCounts(reach, ['referred', 'adults', 'referrals', 'people'])).toEqual([]);
      // 20 people referred of the adult residents, published with the noise of their cell key.
      const near = (published: number | null, truth: number) => expect(Math.abs(published! - truth)).toBeLessThanOrEqual(5);
      near(reach.overall.referred, 20);
      near(reach.statuses.find((s) => s.status === 'completed')!.referrals, 20);
      expect(reach.overall.rate).toBe((reach.overall.referred! / reach.overall.adults!) * 1000);
      const life = reach.wellbeing.find((w) => w.item === 'lifeSatisfaction')!;
      // Person 100: 4 → 6 (+2); 101-119: +1 (even ids, 9 people) or +3 (odd ids, 10 people): mean (2 + 9 + 30) / 20 = 2.05,
      // published to a step (0.1 or 0.2 for about 20 people) too coarse to solve for how many were scored.
      near(life.people, 20);
      const step = meanStep(life.people!);
      expect(step).toBeGreaterThanOrEqual(0.05);
      expect(Math.abs(life.meanChange! - 2.05)).toBeLessThanOrEqual(step / 2 + 1e-9);
      expect(Math.abs(reach.wellbeing.find((w) => w.item === 'anxiety')!.meanChange! + 0.1)).toBeLessThanOrEqual(step / 2 + 1e-9); // person 100: 7 → 5
      expect((await as('admin', 'GET', '/api/referrals/reach')).statusCode).toBe(403);
      // Referrals made today have no year after them in the data (which ends 2026-04-01): nothing can be evaluated yet.
      const evaluation = EvaluationResponse.parse((await as('board', 'GET', '/api/referrals/evaluation')).json());
      expect(evaluation).toMatchObject({ population: 'all', cases: 0, excluded: { notEligible: 0 }, evaluableIndexDates: { first: '2022-04-01', last: '2025-04-01' } });
      near(evaluation.exposed, 20);
      expect(evaluation.excluded.outsideData).toBe(evaluation.exposed); // the same 20 people, the same figure
      expect(evaluation.outcomes.map((o) => [o.outcome, o.withheld, o.effect])).toEqual([
        ['aeAttendances', true, null],
        ['emergencyAdmissions', true, null],
        ['gpAppointments', true, null],
      ]);
      // Everyone referred took part: the same 20 people, the same published figure.
      expect(EvaluationResponse.parse((await as('analyst', 'GET', '/api/referrals/evaluation?population=took-part')).json()).exposed).toBe(evaluation.exposed);
      expect((await as('public', 'GET', '/api/referrals/reach')).statusCode).toBe(401);
    });
  });
});
