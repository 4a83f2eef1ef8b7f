/** The session cache on both back ends: kept for a few seconds, never beyond the session's expiry, cleared on demand. */
import { describe, expect, it } from 'vitest';
import { createSession, deleteSession, SessionCache } from './sessions.js';
import { createUser, setDisabled } from './users.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';
import type { Queryable } from './types.js';

/** The store, counting the queries made through it. */
const counting = (db: Queryable) => {
  const counted = { n: 0, db: { query: (sql: string, params?: never[]) => (counted.n++, db.query(sql, params)) } as Queryable };
  return counted;
};

describe.each(TEST_BACKENDS)('the session cache on $name', (backend) => {
  const db = useTestDb(backend, 'phm_session_cache');

  it('answers from memory while fresh, from the store after the time to live or a clear; unknown tokens are not kept', async () => {
    const user = await createUser(db, { email: 'cache@test', displayName: 'Cache', role: 'analyst', neighbourhoodId: null, password: 'correct horse battery staple' });
    const token = await createSession(db, user.id);
    let now = Date.now();
    const cache = new SessionCache(5_000, () => now);
    const store = counting(db);
    expect(await cache.user(store.db, token)).toMatchObject({ id: user.id, email: 'cache@test', role: 'analyst' });
    expect(await cache.user(store.db, token)).toMatchObject({ id: user.id });
    expect(store.n).toBe(1);
    // Disabled in the store: seen once the entry is stale (or the cache cleared, as the server does after every change).
    await setDisabled(db, user.id, true);
    expect(await cache.user(store.db, token)).not.toBeNull();
    now += 5_001;
    expect(await cache.user(store.db, token)).toBeNull();
    await setDisabled(db, user.id, false);
    const again = await createSession(db, user.id);
    expect(await cache.user(store.db, again)).not.toBeNull();
    await deleteSession(db, again);
    cache.clear();
    expect(await cache.user(store.db, again)).toBeNull();
    // An unknown token asks the store every time.
    const before = store.n;
    expect(await cache.user(store.db, 'no-such-token')).toBeNull();
    expect(await cache.user(store.db, 'no-such-token')).toBeNull();
    expect(store.n).toBe(before + 2);
  });

  it('never keeps a session beyond its own expiry', async () => {
    const user = await createUser(db, { email: 'brief@test', displayName: 'Brief', role: 'analyst', neighbourhoodId: null, password: 'correct horse battery staple' });
    // A session that ends in 1.5 seconds, a cache that would keep it a minute.
    const token = await createSession(db, user.id);
    await db.query(`UPDATE app_session SET expires_at = now() + interval '1.5 seconds' WHERE user_id = $1`, [user.id]);
    const cache = new SessionCache(60_000);
    expect(await cache.user(db, token)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await cache.user(db, token)).toBeNull();
  });
});
