/**
 * The operational store's two back ends for tests: embedded PGlite and a real PostgreSQL server
 * (PHM_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test; each test file uses its
 * own schema and drops it). A missing server fails with a clear message: both are always tested.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openOperationalDb, redactUrl, type OperationalDb } from './db.js';

const URL_ENV = process.env.PHM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestBackend {
  readonly name: string;
  readonly open: (schema: string) => Promise<OperationalDb>;
  readonly drop: (schema: string) => Promise<void>;
}

/** A schema name no other test run uses. */
export const testSchema = (prefix: string): string => `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;

export const TEST_BACKENDS: readonly TestBackend[] = [
  { name: 'PGlite', open: (schema) => openOperationalDb({ schema }), drop: async () => undefined },
  {
    name: 'PostgreSQL',
    open: async (schema) => {
      try {
        return await openOperationalDb({ url: URL_ENV, schema });
      } catch (error) {
        throw new Error(`PostgreSQL is not reachable at ${redactUrl(URL_ENV)} (${(error as Error).message}). Start it or point PHM_TEST_DATABASE_URL at one.`);
      }
    },
    drop: async (schema) => {
      const client = new pg.Client({ connectionString: URL_ENV });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  },
];

/** Opens a store in a schema of its own before the tests of a describe block and drops it after; returns a getter. */
export const useTestStore = (backend: TestBackend, prefix: string): (() => OperationalDb) => {
  const schema = testSchema(prefix);
  let db: OperationalDb | undefined;
  beforeAll(async () => {
    db = await backend.open(schema);
  });
  afterAll(async () => {
    await db?.close();
    await backend.drop(schema);
  });
  return () => {
    if (!db) throw new Error(`the ${backend.name} test store is not open`);
    return db;
  };
};

/**
 * The same store as useTestStore, as the store itself: every use reaches the store opened for the
 * describe block (so tests write `db.query(...)` without a getter or a beforeAll of their own).
 */
export const useTestDb = (backend: TestBackend, prefix: string): OperationalDb => {
  const store = useTestStore(backend, prefix);
  return new Proxy({} as OperationalDb, {
    get: (_target, key) => {
      const db = store();
      const value: unknown = Reflect.get(db, key, db);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(db) : value;
    },
    // `'transaction' in db` (versioned.ts atomically) must see the store's own members.
    has: (_target, key) => Reflect.has(store(), key),
  });
};
