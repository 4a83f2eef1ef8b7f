/**
 * Saved cohorts through the API on the 64-person fixture: who may save, see, version, share and
 * archive; versions; validation errors naming each field; saved cohorts in the list (marked with
 * their source), counted and listed as worklists like cohort files (latest or a named version);
 * an id clash with a file refused or reported; every change audited.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { CohortCountResponse, CohortsResponse, SavedCohortResponse, WorklistResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { createUser } from '../operational/users.js';
import { PASSWORD, buildPopulationFixture, login, useSignedInServer } from '../test-support.js';

const CARERS = { rule: { kind: 'flag', feature: 'carer' } };
const HYPERTENSION = { rule: { kind: 'flag', feature: 'condition:hypertension' } };

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const requester = (app: FastifyInstance, cookie: string) => (method: Method, url: string, payload?: object) => app.inject({ method, url, ...(payload ? { payload } : {}), headers: { cookie } });

describe('saved cohorts', () => {
  const server = useSignedInServer({ fixture: buildPopulationFixture });
  const users: Record<string, ReturnType<typeof requester>> = {};
  /** Accounts of this file: ana and ben (analysts, one team), lee (leeds-1) and cal (calderdale-1). */
  const user = async (name: 'ana' | 'ben' | 'lee' | 'cal') => {
    if (users[name]) return users[name];
    const role = name === 'ana' || name === 'ben' ? 'analyst' : 'neighbourhood';
    const email = `${name}@test`;
    await createUser(server.app.openphm.ops, { email, displayName: name, password: PASSWORD, role, ...(name === 'lee' ? { neighbourhoodId: 'leeds-1' } : name === 'cal' ? { neighbourhoodId: 'calderdale-1' } : {}) });
    return (users[name] = requester(server.app, await login(server.app, email)));
  };
  const listed = async (name: 'ana' | 'ben' | 'lee' | 'cal') => CohortsResponse.parse((await (await user(name))('GET', '/api/cohorts')).json()).cohorts;
  const savedIds = async (name: 'ana' | 'ben' | 'lee' | 'cal') => (await listed(name)).filter((c) => c.source === 'saved').map((c) => c.id);

  it('an analyst saves a cohort: version 1, id from the title, private, listed with its source', async () => {
    const ana = await user('ana');
    const r = await ana('POST', '/api/cohorts/saved', { title: 'Carers across the ICS', description: 'Unpaid carers, for the carers strategy', definition: { ...CARERS, id: 'custom-cohort', version: 3, title: 'x' } });
    expect(r.statusCode, r.body).toBe(201);
    const saved = SavedCohortResponse.parse(r.json());
    expect(saved).toMatchObject({ id: 'carers-across-the-ics', owner: 'ana@test', ownerTeam: 'analysts', sharing: 'private', mine: true, latestVersion: 1 });
    expect(saved.versions.map((v) => [v.version, v.title, v.definition.id, v.definition.version])).toEqual([[1, 'Carers across the ICS', 'carers-across-the-ics', 1]]);
    const mine = (await listed('ana')).find((c) => c.id === 'carers-across-the-ics')!;
    expect(mine).toMatchObject({ source: 'saved', version: 1, title: 'Carers across the ICS', rule: CARERS.rule, saved: { owner: 'ana@test', sharing: 'private', mine: true } });
    expect((await listed('ana')).find((c) => c.id === 'carers-multimorbidity')).toMatchObject({ source: 'file' });
    // Private: nobody else sees it, nor can open it.
    expect(await savedIds('ben')).toEqual([]);
    expect(await savedIds('lee')).toEqual([]);
    expect((await (await user('ben'))('GET', '/api/cohorts/saved/carers-across-the-ics')).statusCode).toBe(404);
    expect((await server.as('admin', 'POST', '/api/cohorts/saved', { title: 'Carers', description: 'Carers', definition: CARERS })).statusCode).toBe(403);
    expect((await server.as('programme', 'GET', '/api/cohorts/saved/carers-across-the-ics')).statusCode).toBe(403);
    expect((await server.as('public', 'GET', '/api/cohorts/saved/carers-across-the-ics')).statusCode).toBe(401);
  });

  it('refuses bad definitions naming each field, and ids that are a file\u2019s or taken', async () => {
    const ana = await user('ana');
    for (const [payload, fields] of [
      [{ title: 'Bad feature', description: 'A bad one', definition: { rule: { kind: 'flag', feature: 'condition:nope' } } }, ['definition.rule.feature']],
      [{ title: 'Bad window', description: 'A bad one', definition: { rule: { kind: 'events', event: 'aeAttendance', atLeast: 2, withinDays: 731 } } }, ['definition.rule.withinDays']],
      [{ title: 'Two faults', description: 'A bad one', definition: { rule: { kind: 'compare', feature: 'age', op: '>=' }, imdQuintiles: [9] } }, ['definition.rule.value', 'definition.imdQuintiles.0']],
      [{ title: 'Bad segment', description: 'A bad one', definition: { ...CARERS, segment: { segmentation: 'kirklees-four-groups', segments: ['nope'] } } }, ['definition.segment.segments']],
      [{ title: 'x', description: 'A bad one', definition: CARERS }, ['title']],
      [{ title: 'Bad id', id: 'Not A Slug', description: 'A bad one', definition: CARERS }, ['id']],
      [{ title: '!!!', description: 'Nothing to make an id of', definition: CARERS }, ['id']],
      [{ title: 'No sharing like that', description: 'A bad one', definition: CARERS, sharing: 'world' }, ['sharing']],
    ] as const) {
      const r = await ana('POST', '/api/cohorts/saved', payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().error.kind).toBe('usage');
      expect(r.json().error.fields.map((f: { field: string }) => f.field), r.body).toEqual(expect.arrayContaining([...fields]));
    }
    const file = await ana('POST', '/api/cohorts/saved', { id: 'carers-multimorbidity', title: 'Carers', description: 'Same id as a file', definition: CARERS });
    expect(file.statusCode).toBe(409);
    expect(file.json().error.message).toMatch(/'carers-multimorbidity' is the id of a cohort file/);
    const taken = await (await user('lee'))('POST', '/api/cohorts/saved', { id: 'carers-across-the-ics', title: 'Our carers', description: 'Taken id', definition: CARERS });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toMatch(/taken by another saved cohort/);
  });

  it('saves new versions (the owner only); every version stays readable', async () => {
    const ana = await user('ana');
    const v2 = await ana('POST', '/api/cohorts/saved/carers-across-the-ics/versions', { title: 'Carers with hypertension', description: 'Carers with raised blood pressure', definition: { rule: { kind: 'all', of: [CARERS.rule, HYPERTENSION.rule] } }, basedOn: 1 });
    expect(v2.statusCode, v2.body).toBe(201);
    const body = SavedCohortResponse.parse(v2.json());
    expect(body.latestVersion).toBe(2);
    expect(body.versions.map((v) => [v.version, v.title, v.savedBy])).toEqual([
      [2, 'Carers with hypertension', 'ana@test'],
      [1, 'Carers across the ICS', 'ana@test'],
    ]);
    const got = SavedCohortResponse.parse((await ana('GET', '/api/cohorts/saved/carers-across-the-ics')).json());
    expect(got.versions[1]!.definition.rule).toEqual(CARERS.rule);
    expect((await listed('ana')).find((c) => c.id === 'carers-across-the-ics')).toMatchObject({ version: 2, title: 'Carers with hypertension' });
    // Edited from version 1 after version 2 was saved: refused.
    const stale = await ana('POST', '/api/cohorts/saved/carers-across-the-ics/versions', { title: 'Carers again', description: 'From an old version', definition: CARERS, basedOn: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toMatch(/is at version 2, saved by ana@test/);
    const bad = await ana('POST', '/api/cohorts/saved/carers-across-the-ics/versions', { title: 'Carers again', description: 'Bad', definition: { rule: { kind: 'nope' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toMatch(/^definition\.rule/);
    expect((await ana('POST', '/api/cohorts/saved/no-such-cohort/versions', { title: 'Nothing', description: 'Nothing', definition: CARERS })).statusCode).toBe(404);
    expect((await ana('GET', '/api/cohorts/saved/Not_A_Slug')).statusCode).toBe(400);
  });

  it('shares with the owner\u2019s team, then everyone; only the owner shares or saves versions', async () => {
    const ana = await user('ana');
    const ben = await user('ben');
    expect((await ana('PUT', '/api/cohorts/saved/carers-across-the-ics/sharing', { sharing: 'team' })).json()).toMatchObject({ sharing: 'team' });
    expect(await savedIds('ben')).toEqual(['carers-across-the-ics']);
    expect(await savedIds('lee')).toEqual([]);
    expect(SavedCohortResponse.parse((await ben('GET', '/api/cohorts/saved/carers-across-the-ics')).json())).toMatchObject({ mine: false, latestVersion: 2 });
    const benVersion = await ben('POST', '/api/cohorts/saved/carers-across-the-ics/versions', { title: 'Mine now', description: 'Not the owner', definition: CARERS });
    expect(benVersion.statusCode).toBe(403);
    expect(benVersion.json().error.message).toMatch(/only ana@test/);
    expect((await ben('PUT', '/api/cohorts/saved/carers-across-the-ics/sharing', { sharing: 'private' })).statusCode).toBe(403);
    expect((await ben('DELETE', '/api/cohorts/saved/carers-across-the-ics')).statusCode).toBe(403);
    await ana('PUT', '/api/cohorts/saved/carers-across-the-ics/sharing', { sharing: 'everyone' });
    expect(await savedIds('lee')).toEqual(['carers-across-the-ics']);
    expect(await savedIds('cal')).toEqual(['carers-across-the-ics']);
    // A neighbourhood team's cohort shared with its team: the same neighbourhood's accounts only.
    const lee = await user('lee');
    const ours = await lee('POST', '/api/cohorts/saved', { title: 'Leeds One carers', description: 'Our carers', definition: { ...CARERS, area: { neighbourhoodId: 'leeds-1' } }, sharing: 'team' });
    expect(ours.statusCode, ours.body).toBe(201);
    expect(ours.json()).toMatchObject({ ownerTeam: 'neighbourhood:leeds-1', sharing: 'team' });
    expect((await server.as('neighbourhood', 'GET', '/api/cohorts/saved/leeds-one-carers')).statusCode).toBe(200);
    expect(await savedIds('cal')).toEqual(['carers-across-the-ics']);
    expect(await savedIds('ana')).toEqual(['carers-across-the-ics']);
  });

  it('counts and lists the worklist of a saved cohort at its latest or a named version, as for a cohort file', async () => {
    const lee = await user('lee');
    const latest = await lee('GET', '/api/worklist?cohort=carers-across-the-ics&neighbourhood=leeds-1');
    expect(latest.statusCode, latest.body).toBe(200);
    const body = WorklistResponse.parse(latest.json());
    expect(body.cohort).toEqual({ id: 'carers-across-the-ics', title: 'Carers with hypertension' });
    const first = WorklistResponse.parse((await lee('GET', '/api/worklist?cohort=carers-across-the-ics&neighbourhood=leeds-1&version=1')).json());
    expect(first.cohort.title).toBe('Carers across the ICS');
    // Every second extra person is a carer with hypertension (30), and so is person 1: 31 in leeds-1, with or without the hypertension clause.
    expect([first.total, body.total]).toEqual([31, 31]);
    expect((await lee('GET', '/api/worklist?cohort=carers-across-the-ics&neighbourhood=leeds-1&version=3')).statusCode).toBe(404);
    expect((await lee('GET', '/api/worklist?cohort=carers-across-the-ics&neighbourhood=calderdale-1')).statusCode).toBe(403);
    // A cohort file has one version.
    expect((await lee('GET', '/api/worklist?cohort=carers-multimorbidity&neighbourhood=leeds-1&version=2')).statusCode).toBe(404);
    // Someone who may not see a private cohort gets no worklist of it.
    const ana = await user('ana');
    const privateOne = await ana('POST', '/api/cohorts/saved', { title: 'Analyst only', description: 'Private', definition: HYPERTENSION });
    expect(privateOne.statusCode).toBe(201);
    expect((await lee('GET', '/api/worklist?cohort=analyst-only&neighbourhood=leeds-1')).statusCode).toBe(404);
    const count = await ana('POST', '/api/cohorts/count', { cohort: { id: 'carers-across-the-ics', version: 1 }, by: ['sex'] });
    expect(count.statusCode, count.body).toBe(200);
    expect(CohortCountResponse.parse(count.json()).cohort).toEqual({ id: 'carers-across-the-ics', version: 1, title: 'Carers across the ICS' });
    expect((await lee('POST', '/api/cohorts/count', { cohort: { id: 'analyst-only' }, by: ['sex'] })).statusCode).toBe(404);
    const both = await ana('POST', '/api/cohorts/count', { cohort: { id: 'analyst-only' }, definition: CARERS });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.fields[0].field).toBe('cohort');
  });

  it('archives (the owner only): no longer listed or usable; the id stays taken', async () => {
    const ana = await user('ana');
    const r = await ana('DELETE', '/api/cohorts/saved/analyst-only');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ id: 'analyst-only', versions: 1 });
    expect(await savedIds('ana')).toEqual(['carers-across-the-ics']);
    expect((await ana('GET', '/api/worklist?cohort=analyst-only&neighbourhood=leeds-1')).statusCode).toBe(404);
    expect((await ana('GET', '/api/cohorts/saved/analyst-only')).statusCode).toBe(404);
    expect((await ana('POST', '/api/cohorts/saved', { id: 'analyst-only', title: 'Again', description: 'Same id', definition: CARERS })).statusCode).toBe(409);
  });

  it('audits every save, version, share and archive', async () => {
    const all = (await listAudit(server.app.openphm.ops, { limit: 500, offset: 0 })).rows.reverse();
    const rows = all.filter((r) => r.action.startsWith('cohort.'));
    expect(rows.filter((r) => r.outcome === 'granted').map((r) => [r.userEmail, r.action, r.resource, r.detail])).toEqual([
      ['ana@test', 'cohort.save', null, 'saved cohort carers-across-the-ics version 1, shared private'],
      ['ana@test', 'cohort.version', 'cohort:carers-across-the-ics', 'saved cohort carers-across-the-ics version 2'],
      ['ana@test', 'cohort.share', 'cohort:carers-across-the-ics', 'cohort carers-across-the-ics shared team'],
      ['ana@test', 'cohort.share', 'cohort:carers-across-the-ics', 'cohort carers-across-the-ics shared everyone'],
      ['lee@test', 'cohort.save', null, 'saved cohort leeds-one-carers version 1, shared team'],
      ['ana@test', 'cohort.save', null, 'saved cohort analyst-only version 1, shared private'],
      ['ana@test', 'cohort.archive', 'cohort:analyst-only', 'archived cohort analyst-only (1 versions kept)'],
    ]);
    // Refusals by role are audited as for every route.
    expect(all.filter((r) => r.outcome === 'denied' && r.action.includes('/api/cohorts/saved')).map((r) => [r.role, r.action])).toEqual([
      ['admin', 'POST /api/cohorts/saved'],
      ['programme', 'GET /api/cohorts/saved/:cohortId'],
    ]);
  });

  it('reports a cohort file added with a saved cohort\u2019s id, rather than use either', async () => {
    // As if cohorts/carers-multimorbidity.json had been added after someone saved a cohort with its id.
    const [owner] = await server.app.openphm.ops.query<{ id: number }>(`SELECT id FROM app_user WHERE email = 'ana@test'`);
    await server.app.openphm.ops.query(`INSERT INTO saved_cohort (id, owner_id, owner_email, owner_team, sharing, latest_version) VALUES ('carers-multimorbidity', $1, 'ana@test', 'analysts', 'everyone', 1)`, [owner!.id]);
    await server.app.openphm.ops.query(`INSERT INTO saved_cohort_version (cohort_id, version, title, description, definition, saved_by) VALUES ('carers-multimorbidity', 1, 'Clash', 'Clash', $1::jsonb, 'ana@test')`, [
      JSON.stringify({ id: 'carers-multimorbidity', version: 1, title: 'Clash', description: 'Clash', ...CARERS }),
    ]);
    const lee = await user('lee');
    const r = await lee('GET', '/api/worklist?cohort=carers-multimorbidity&neighbourhood=leeds-1');
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toMatch(/both a cohort file and a saved cohort/);
    expect((await listed('lee')).filter((c) => c.id === 'carers-multimorbidity').map((c) => c.source)).toEqual(['file']);
    expect(server.logLines.join('')).toContain('cohort file has the id of a saved cohort');
  });
});
