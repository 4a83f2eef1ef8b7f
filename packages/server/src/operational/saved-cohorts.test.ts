/**
 * Saved cohorts on both back ends: versions appended (old ones readable, never changed), who sees
 * what by sharing, only the owner saves versions, shares and archives, ids unique for ever.
 */
import { describe, expect, it } from 'vitest';
import type { CohortDefinition } from '@openphm/core';
import { archiveSavedCohort, getSavedCohort, listSavedCohorts, saveCohortVersion, saveNewCohort, savedCohortIds, savedCohortVersion, setCohortSharing, teamOf, viewerOf, type CohortViewer } from './saved-cohorts.js';
import { createUserWithHash } from './users.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

const carers = (over: Partial<CohortDefinition> = {}): CohortDefinition => ({
  id: 'carers-leeds',
  version: 1,
  title: 'Carers in Leeds',
  description: 'Unpaid carers living in Leeds',
  rule: { kind: 'flag', feature: 'carer' },
  area: { place: 'leeds' },
  ...over,
});

describe('teamOf', () => {
  it('is the neighbourhood for a neighbourhood team, and the analysts for an analyst', () => {
    expect(teamOf({ role: 'neighbourhood', neighbourhoodId: 'leeds-1' })).toBe('neighbourhood:leeds-1');
    expect(teamOf({ role: 'analyst', neighbourhoodId: null })).toBe('analysts');
  });
});

describe.each(TEST_BACKENDS)('saved cohorts on $name', (backend) => {
  const db = useTestDb(backend, 'phm_saved_cohorts');
  const people: Record<'ana' | 'ben' | 'lee' | 'cal', CohortViewer> = {} as never;
  const account = async (key: keyof typeof people, role: 'analyst' | 'neighbourhood', neighbourhoodId?: string) => {
    const user = await createUserWithHash(db, { email: `${key}@test`, displayName: key, passwordHash: 'x', role, ...(neighbourhoodId ? { neighbourhoodId } : {}) });
    people[key] = viewerOf(user);
  };

  it('saves a cohort as version 1 and each save after as the next version, keeping every version', async () => {
    await account('ana', 'analyst');
    await account('ben', 'analyst');
    await account('lee', 'neighbourhood', 'leeds-1');
    await account('cal', 'neighbourhood', 'calderdale-1');
    const { ana } = people;
    const first = await saveNewCohort(db, carers({ version: 7 }), 'private', ana);
    expect(first).toMatchObject({ id: 'carers-leeds', owner: 'ana@test', ownerTeam: 'analysts', sharing: 'private', latestVersion: 1, mine: true });
    expect(first.versions.map((v) => [v.version, v.title, v.savedBy])).toEqual([[1, 'Carers in Leeds', 'ana@test']]);
    // The stored definition carries the cohort's id and version.
    expect(first.latest.definition).toMatchObject({ id: 'carers-leeds', version: 1 });
    const second = await saveCohortVersion(db, 'carers-leeds', { ...carers(), title: 'Carers aged 65+ in Leeds', rule: { kind: 'all', of: [{ kind: 'flag', feature: 'carer' }, { kind: 'compare', feature: 'age', op: '>=', value: 65 }] } }, ana, 1);
    expect(second.latestVersion).toBe(2);
    expect(second.versions.map((v) => [v.version, v.title, v.definition.version])).toEqual([
      [2, 'Carers aged 65+ in Leeds', 2],
      [1, 'Carers in Leeds', 1],
    ]);
    expect((await savedCohortVersion(db, 'carers-leeds', ana, 1)).definition.rule).toEqual({ kind: 'flag', feature: 'carer' });
    expect((await savedCohortVersion(db, 'carers-leeds', ana)).version).toBe(2);
    await expect(savedCohortVersion(db, 'carers-leeds', ana, 3)).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining('no version 3 (its latest is 2)') });
    // A save based on an old version is refused, naming who saved since.
    await expect(saveCohortVersion(db, 'carers-leeds', carers(), ana, 1)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('is at version 2, saved by ana@test') });
    // Old versions are never changed.
    await expect(db.query(`UPDATE saved_cohort_version SET title = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM saved_cohort_version`)).rejects.toThrow(/append-only/);
  });

  it('ids are unique for ever, whoever owns them', async () => {
    await expect(saveNewCohort(db, carers(), 'everyone', people.ben)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining("'carers-leeds' is taken") });
    await expect(db.query(`INSERT INTO saved_cohort (id, owner_id, owner_email, owner_team, sharing, latest_version) VALUES ('Not A Slug', 1, 'x', 'x', 'private', 1)`)).rejects.toThrow();
    expect(await savedCohortIds(db)).toEqual(new Set(['carers-leeds']));
  });

  it('shows a cohort to its owner only, then to their team, then to everyone', async () => {
    const { ana, ben, lee, cal } = people;
    const seen = async () => Promise.all([ana, ben, lee, cal].map(async (v) => (await listSavedCohorts(db, v)).map((c) => c.id).join(',')));
    expect(await seen()).toEqual(['carers-leeds', '', '', '']);
    await expect(getSavedCohort(db, 'carers-leeds', ben)).rejects.toMatchObject({ kind: 'not-found' });
    await setCohortSharing(db, 'carers-leeds', 'team', ana);
    expect(await seen()).toEqual(['carers-leeds', 'carers-leeds', '', '']);
    expect((await getSavedCohort(db, 'carers-leeds', ben)).mine).toBe(false);
    // A neighbourhood team's cohort shared with the team: the same neighbourhood only.
    await saveNewCohort(db, carers({ id: 'leeds-one-carers', title: 'Our carers', area: { neighbourhoodId: 'leeds-1' } }), 'team', lee);
    expect(await seen()).toEqual(['carers-leeds', 'carers-leeds', 'leeds-one-carers', '']);
    await setCohortSharing(db, 'carers-leeds', 'everyone', ana);
    expect(await seen()).toEqual(['carers-leeds', 'carers-leeds', 'carers-leeds,leeds-one-carers', 'carers-leeds']);
  });

  it('only the owner saves versions, shares and archives; an archived cohort is gone from use but keeps its versions and id', async () => {
    const { ana, ben } = people;
    await expect(saveCohortVersion(db, 'carers-leeds', carers(), ben)).rejects.toMatchObject({ kind: 'forbidden', message: expect.stringContaining('only ana@test') });
    await expect(setCohortSharing(db, 'carers-leeds', 'private', ben)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(archiveSavedCohort(db, 'carers-leeds', ben)).rejects.toMatchObject({ kind: 'forbidden' });
    expect(await archiveSavedCohort(db, 'carers-leeds', ana)).toEqual({ id: 'carers-leeds', versions: 2 });
    expect((await listSavedCohorts(db, ana)).map((c) => c.id)).toEqual([]);
    await expect(savedCohortVersion(db, 'carers-leeds', ana)).rejects.toMatchObject({ kind: 'not-found' });
    expect((await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM saved_cohort_version WHERE cohort_id = 'carers-leeds'`))[0]!.n).toBe(2);
    await expect(saveNewCohort(db, carers(), 'private', ana)).rejects.toMatchObject({ kind: 'conflict' });
  });
});
