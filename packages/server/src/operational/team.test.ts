/** Who is in a team, on both back ends. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDirectoryService } from '@openphm/core';
import { serviceMembers, teamMembers, userIdByEmail } from './team.js';
import { createService } from './care.js';
import { setUserServices } from './care-zone.js';
import { createUserWithHash, setDisabled } from './users.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

const DEMO = JSON.parse(readFileSync(new URL('../../../../directory/demo-services.json', import.meta.url), 'utf8')) as { services: unknown[] };
const WALK = parseDirectoryService(DEMO.services[0]);

describe.each(TEST_BACKENDS)('teams on $name', (backend) => {
  const db = useTestDb(backend, 'phm_team');

  it('lists the active members of a neighbourhood team', async () => {
    const sam = await createUserWithHash(db, { email: 'sam@test', displayName: 'Sam', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    const alex = await createUserWithHash(db, { email: 'alex@test', displayName: 'Alex', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    const gone = await createUserWithHash(db, { email: 'gone@test', displayName: 'Gone', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    await createUserWithHash(db, { email: 'kim@test', displayName: 'Kim', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'calderdale-1' });
    await createUserWithHash(db, { email: 'analyst@test', displayName: 'Analyst', passwordHash: 'x', role: 'analyst' });
    await setDisabled(db, gone.id, true);
    expect((await teamMembers(db, 'leeds-1')).map((m) => m.displayName)).toEqual(['Alex', 'Sam']);
    expect(await serviceMembers(db, 'any-service', 'leeds-1')).toEqual([sam.id, alex.id]);
    expect(await userIdByEmail(db, 'alex@test')).toBe(alex.id);
    // Alex works for the walking group: told of its referrals, and no longer of the team's.
    await createService(db, WALK, 'editor@test');
    await setUserServices(db, alex.id, [WALK.id], 'admin@test');
    expect(await serviceMembers(db, WALK.id, 'calderdale-1')).toEqual([alex.id]);
    expect(await serviceMembers(db, 'any-service', 'leeds-1')).toEqual([sam.id]);
    expect(await userIdByEmail(db, 'nobody@test')).toBeNull();
  });
});
