/**
 * The server's view of the person-level store: queries run side by side on a pool of connections,
 * and a database replaced on disk (as `phm generate` / `phm import` do it, by renaming a new file
 * over the old) is switched to at the next query while queries already running finish on the old.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureDatabase } from '../test-support.js';
import { openPhmData, type PhmData, type PhmDataOptions } from './phm-data.js';

type Fixture = Awaited<ReturnType<typeof buildFixtureDatabase>>;
type SwitchEvent = Parameters<NonNullable<PhmDataOptions['onSwitch']>>[0];

const saltOf = async (data: PhmData): Promise<string> => (await data.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'record_key_salt'`))[0]!.value;
/** A query that takes a while (a few hundred milliseconds), returning the salt of the version it ran on. */
const slowSalt = async (data: PhmData): Promise<string> =>
  (await data.query<{ value: string }>(`SELECT (SELECT value FROM meta WHERE key = 'record_key_salt') AS value, (SELECT sum(i) FROM range(60000000) t(i)) AS work`))[0]!.value;

describe('PhmData', () => {
  const fixtures: Fixture[] = [];
  beforeAll(async () => {
    // Three databases of the same people with different record key salts: the salt tells them apart.
    for (let i = 0; i < 3; i++) fixtures.push(await buildFixtureDatabase());
  });
  afterAll(() => {
    for (const f of fixtures) f.remove();
  });

  it('switches to a replaced file at the next query; a query already running finishes on the old version', async () => {
    const [a, b] = fixtures as [Fixture, Fixture];
    const events: SwitchEvent[] = [];
    const data = await openPhmData(a.file, { connections: 2, onSwitch: (e) => void events.push(e) });
    try {
      const oldSalt = await saltOf(data);
      const oldVersion = data.version();
      const running = slowSalt(data);
      const newSalt = await openPhmDataSalt(b.file);
      renameSync(b.file, a.file);
      expect(data.version()).not.toBe(oldVersion);
      expect(await saltOf(data)).toBe(newSalt);
      expect(await running).toBe(oldSalt);
      expect(events).toEqual([{ from: oldVersion, to: data.version() }]);
      // And again: the old version was closed once its query had finished, the new one serves on.
      expect(await saltOf(data)).toBe(newSalt);
    } finally {
      data.close();
      await data.closed();
    }
  });

  it('keeps serving the current version when the file is replaced by one that cannot be opened, and switches once a good one arrives', async () => {
    const [, , c] = fixtures as [Fixture, Fixture, Fixture];
    const events: SwitchEvent[] = [];
    const data = await openPhmData(c.file, { onSwitch: (e) => void events.push(e) });
    try {
      const salt = await saltOf(data);
      const version = data.version();
      const junk = join(c.dir, 'junk');
      writeFileSync(junk, 'not a database');
      renameSync(junk, c.file);
      expect(await saltOf(data)).toBe(salt);
      expect(data.version()).toBe(version);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ error: expect.any(Error) });
      const rebuilt = await buildFixtureDatabase();
      try {
        const newSalt = await openPhmDataSalt(rebuilt.file);
        renameSync(rebuilt.file, c.file);
        expect(await saltOf(data)).toBe(newSalt);
        expect(data.version()).not.toBe(version);
      } finally {
        rebuilt.remove();
      }
    } finally {
      data.close();
      await data.closed();
    }
  });

  it('runs queries side by side on its connections: a quick query does not wait for a slow one', async () => {
    const fresh = await buildFixtureDatabase();
    const one = await openPhmData(fresh.file, { connections: 1 });
    const two = await openPhmData(fresh.file, { connections: 2 });
    try {
      /** Which of a slow query and a quick one started just after it finishes first. */
      const firstDone = async (data: PhmData) => {
        const order: string[] = [];
        await Promise.all([slowSalt(data).then(() => order.push('slow')), saltOf(data).then(() => order.push('quick'))]);
        return order[0];
      };
      expect(await firstDone(one)).toBe('slow');
      expect(await firstDone(two)).toBe('quick');
    } finally {
      one.close();
      two.close();
      await Promise.all([one.closed(), two.closed()]);
      fresh.remove();
    }
  });

  it('runs lookups on connections of their own: beside a slow query on the one main connection, and on the version being served', async () => {
    const fresh = await buildFixtureDatabase();
    const none = await openPhmData(fresh.file, { connections: 1, lookupConnections: 0 });
    const data = await openPhmData(fresh.file, { connections: 1 });
    try {
      const lookupSalt = async (d: PhmData) => (await d.lookup<{ value: string }>(`SELECT value FROM meta WHERE key = $1`, ['record_key_salt']))[0]!.value;
      const firstDone = async (d: PhmData) => {
        const order: string[] = [];
        await Promise.all([slowSalt(d).then(() => order.push('slow')), lookupSalt(d).then(() => order.push('lookup'))]);
        return order[0];
      };
      // Without lookup connections a lookup waits its turn on the main one.
      expect(await firstDone(none)).toBe('slow');
      expect(await firstDone(data)).toBe('lookup');
      expect(await lookupSalt(data)).toBe(await saltOf(data));
    } finally {
      none.close();
      data.close();
      await Promise.all([none.closed(), data.closed()]);
      fresh.remove();
    }
  });
});

const openPhmDataSalt = async (file: string): Promise<string> => {
  const data = await openPhmData(file);
  try {
    return await saltOf(data);
  } finally {
    data.close();
    await data.closed();
  }
};
