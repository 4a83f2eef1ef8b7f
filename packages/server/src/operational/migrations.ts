/**
 * Versioned schema of the operational store. Each migration runs once, in a transaction, under an
 * advisory lock so that several servers starting at once against one PostgreSQL do not race.
 * Never edit a migration that has shipped: add a new one.
 */
import type { OperationalDb } from './db.js';

export const ROLES_IN_STORE = ['analyst', 'neighbourhood', 'admin'] as const;

export const MIGRATIONS: readonly { readonly version: number; readonly description: string; readonly sql: string }[] = [
  {
    version: 1,
    description: 'users, sessions and the append-only audit log',
    sql: `
      CREATE TABLE app_user (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
        display_name text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('analyst', 'neighbourhood', 'admin')),
        neighbourhood_id text,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'neighbourhood') = (neighbourhood_id IS NOT NULL))
      );
      CREATE TABLE app_session (
        token_hash text PRIMARY KEY,
        user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX app_session_expires ON app_session (expires_at);
      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        user_id integer,
        user_email text,
        role text NOT NULL,
        action text NOT NULL,
        resource text,
        outcome text NOT NULL CHECK (outcome IN ('granted', 'denied', 'unauthenticated', 'not-found', 'failed')),
        status integer NOT NULL,
        ip text,
        detail text
      );
      CREATE INDEX audit_event_at ON audit_event (at);
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only';
      END
      $$;
      CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
    `,
  },
];

/** Applies the migrations the store does not have yet; returns the versions applied. */
export const migrate = async (db: OperationalDb): Promise<number[]> => {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`openphm-migrate-${db.schema}`]);
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migration')).map((r) => r.version));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migration (version, description) VALUES ($1, $2)', [m.version, m.description]);
      applied.push(m.version);
    }
    return applied;
  });
};
