/**
 * Saved cohorts in the operational store: cohort definitions analysts and neighbourhood teams save in
 * the cohort builder. Each has an id (a slug, unique for ever: an archived cohort keeps it), an owner,
 * a sharing (private to the owner, shared with the owner's team, or with everyone who may use
 * cohorts) and versions: saving again appends version n + 1 to an append-only table, so every version
 * stays readable (and a worklist can name the one it used). Only the owner saves versions, changes
 * the sharing or archives. Definitions arrive validated (core's parseCohortDefinition, data/saved-cohorts.ts).
 */
import { UserError, type CohortDefinition, type SessionUser } from '@openphm/core';
import type { OperationalDb, Queryable } from './types.js';
import { ISO_TIME, atomically } from './versioned.js';

export const COHORT_SHARINGS = ['private', 'team', 'everyone'] as const;
export type CohortSharing = (typeof COHORT_SHARINGS)[number];

/** Who asks: an account, and the team it belongs to (teamOf). */
export interface CohortViewer {
  readonly id: number;
  readonly email: string;
  readonly team: string;
}

/**
 * The team a cohort shared with "the owner's team" is shared with: a neighbourhood team is everyone
 * bound to its neighbourhood; analysts are one team (the partnership's intelligence team).
 */
export const teamOf = (user: Pick<SessionUser, 'role' | 'neighbourhoodId'>): string => (user.role === 'neighbourhood' ? `neighbourhood:${user.neighbourhoodId ?? '(none)'}` : user.role === 'analyst' ? 'analysts' : user.role);

export const viewerOf = (user: SessionUser): CohortViewer => ({ id: user.id, email: user.email, team: teamOf(user) });

export interface SavedCohortVersion {
  readonly version: number;
  readonly title: string;
  readonly description: string;
  readonly definition: CohortDefinition;
  readonly savedBy: string;
  readonly savedAt: string;
}

export interface SavedCohortSummary {
  readonly id: string;
  readonly owner: string;
  readonly ownerTeam: string;
  readonly sharing: CohortSharing;
  readonly latestVersion: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The latest version's title, description and definition. */
  readonly latest: SavedCohortVersion;
  /** Whether the viewer owns it (and so may save versions, share and archive). */
  readonly mine: boolean;
}

export interface SavedCohort extends SavedCohortSummary {
  /** Every version, newest first. */
  readonly versions: readonly SavedCohortVersion[];
}

/** Who may see (and use) a saved cohort: its owner, their team when shared with it, everyone when shared with everyone. */
const VISIBLE = `(c.owner_id = $1 OR c.sharing = 'everyone' OR (c.sharing = 'team' AND c.owner_team = $2))`;

const SUMMARY = `c.id, c.owner_id, c.owner_email, c.owner_team, c.sharing, c.latest_version, ${ISO_TIME('c.created_at')} AS created_at, ${ISO_TIME('c.updated_at')} AS updated_at,
  v.version, v.title, v.description, v.definition, v.saved_by, ${ISO_TIME('v.saved_at')} AS saved_at`;

interface VersionRow {
  version: number;
  title: string;
  description: string;
  definition: unknown;
  saved_by: string;
  saved_at: string;
}
interface SummaryRow extends VersionRow {
  id: string;
  owner_id: number;
  owner_email: string;
  owner_team: string;
  sharing: CohortSharing;
  latest_version: number;
  created_at: string;
  updated_at: string;
}

const versionOf = (r: VersionRow): SavedCohortVersion => ({
  version: Number(r.version),
  title: r.title,
  description: r.description,
  definition: (typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition) as CohortDefinition,
  savedBy: r.saved_by,
  savedAt: r.saved_at,
});

const summaryOf = (r: SummaryRow, viewer: CohortViewer): SavedCohortSummary => ({
  id: r.id,
  owner: r.owner_email,
  ownerTeam: r.owner_team,
  sharing: r.sharing,
  latestVersion: Number(r.latest_version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  latest: versionOf(r),
  mine: Number(r.owner_id) === viewer.id,
});

const NOT_FOUND = (id: string) => new UserError(`no saved cohort '${id}' that you can see (GET /api/cohorts lists them)`, 'not-found');

/** The saved cohorts the viewer may see (not archived), with their latest versions, by title. */
export const listSavedCohorts = async (db: Queryable, viewer: CohortViewer): Promise<SavedCohortSummary[]> =>
  (
    await db.query<SummaryRow>(
      `SELECT ${SUMMARY} FROM saved_cohort c JOIN saved_cohort_version v ON v.cohort_id = c.id AND v.version = c.latest_version
       WHERE c.archived_at IS NULL AND ${VISIBLE} ORDER BY lower(v.title), c.id`,
      [viewer.id, viewer.team],
    )
  ).map((r) => summaryOf(r, viewer));

/** The ids of every saved cohort, archived or not, whoever owns it (ids are unique for ever): for clash checks with the files. */
export const savedCohortIds = async (db: Queryable): Promise<Set<string>> => new Set((await db.query<{ id: string }>('SELECT id FROM saved_cohort')).map((r) => r.id));

const summaryRow = async (db: Queryable, id: string, viewer: CohortViewer): Promise<SummaryRow> => {
  const [row] = await db.query<SummaryRow>(
    `SELECT ${SUMMARY} FROM saved_cohort c JOIN saved_cohort_version v ON v.cohort_id = c.id AND v.version = c.latest_version
     WHERE c.id = $3 AND c.archived_at IS NULL AND ${VISIBLE}`,
    [viewer.id, viewer.team, id],
  );
  if (row === undefined) throw NOT_FOUND(id);
  return row;
};

/** A saved cohort the viewer may see, with every version (newest first); not-found otherwise. */
export const getSavedCohort = async (db: Queryable, id: string, viewer: CohortViewer): Promise<SavedCohort> => {
  const row = await summaryRow(db, id, viewer);
  const versions = await db.query<VersionRow>(
    `SELECT version, title, description, definition, saved_by, ${ISO_TIME('saved_at')} AS saved_at FROM saved_cohort_version WHERE cohort_id = $1 ORDER BY version DESC`,
    [id],
  );
  return { ...summaryOf(row, viewer), versions: versions.map(versionOf) };
};

/** A version of a saved cohort as the store holds it, with its owner, sharing and latest version. */
export interface StoredCohortVersion extends SavedCohortVersion {
  readonly id: string;
  readonly owner: string;
  readonly sharing: CohortSharing;
  readonly latestVersion: number;
}

/**
 * One version of a saved cohort (not archived; the latest when `version` is not given), whoever owns
 * it: for the command line (`phm cohort run <id>`), run by whoever operates the stores, who can read
 * them whole anyway; it says whose cohort it ran and how it is shared. Not found when there is none.
 */
export const storedCohortVersion = async (db: Queryable, id: string, version?: number): Promise<StoredCohortVersion> => {
  const [row] = await db.query<SummaryRow>(
    `SELECT ${SUMMARY} FROM saved_cohort c JOIN saved_cohort_version v ON v.cohort_id = c.id AND v.version = COALESCE($2::integer, c.latest_version)
     WHERE c.id = $1 AND c.archived_at IS NULL`,
    [id, version ?? null],
  );
  if (row === undefined) {
    const [latest] = await db.query<{ latest_version: number }>('SELECT latest_version FROM saved_cohort WHERE id = $1 AND archived_at IS NULL', [id]);
    throw latest === undefined
      ? new UserError(`no saved cohort '${id}' (and no file of that name)`, 'not-found')
      : new UserError(`saved cohort '${id}' has no version ${version} (its latest is ${latest.latest_version})`, 'not-found');
  }
  return { ...versionOf(row), id: row.id, owner: row.owner_email, sharing: row.sharing, latestVersion: Number(row.latest_version) };
};

/** One version of a saved cohort the viewer may see (the latest when `version` is not given). */
export const savedCohortVersion = async (db: Queryable, id: string, viewer: CohortViewer, version?: number): Promise<SavedCohortVersion> => {
  const row = await summaryRow(db, id, viewer);
  if (version === undefined || version === Number(row.latest_version)) return versionOf(row);
  const [v] = await db.query<VersionRow>(
    `SELECT version, title, description, definition, saved_by, ${ISO_TIME('saved_at')} AS saved_at FROM saved_cohort_version WHERE cohort_id = $1 AND version = $2`,
    [id, version],
  );
  if (v === undefined) throw new UserError(`saved cohort '${id}' has no version ${version} (its latest is ${row.latest_version})`, 'not-found');
  return versionOf(v);
};

/** The owner's row of a cohort the viewer may see: forbidden when the viewer is not its owner. */
const ownedRow = async (db: Queryable, id: string, viewer: CohortViewer, what: string): Promise<SummaryRow> => {
  const row = await summaryRow(db, id, viewer);
  if (Number(row.owner_id) !== viewer.id) throw new UserError(`only ${row.owner_email}, who owns saved cohort '${id}', may ${what} (save it under a new id to make your own)`, 'forbidden');
  return row;
};

const insertVersion = (db: Queryable, definition: CohortDefinition, by: string) =>
  db.query(`INSERT INTO saved_cohort_version (cohort_id, version, title, description, definition, saved_by) VALUES ($1, $2, $3, $4, $5::jsonb, $6)`, [
    definition.id,
    definition.version,
    definition.title,
    definition.description,
    JSON.stringify(definition),
    by,
  ]);

/**
 * Saves a new cohort as version 1 under the definition's id, owned by the viewer; conflict when any
 * saved cohort (archived or not, anyone's) has the id.
 */
export const saveNewCohort = async (db: OperationalDb | Queryable, definition: CohortDefinition, sharing: CohortSharing, viewer: CohortViewer): Promise<SavedCohort> =>
  atomically(db, async (tx) => {
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO saved_cohort (id, owner_id, owner_email, owner_team, sharing, latest_version) VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [definition.id, viewer.id, viewer.email, viewer.team, sharing],
    );
    if (inserted.length === 0) throw new UserError(`the id '${definition.id}' is taken by another saved cohort: choose another id`, 'conflict');
    await insertVersion(tx, { ...definition, version: 1 }, viewer.email);
    return getSavedCohort(tx, definition.id, viewer);
  });

/**
 * Saves the definition as the next version of the viewer's own cohort (its id is the cohort's);
 * with `basedOn`, conflict when someone saved a version after it.
 */
export const saveCohortVersion = async (db: OperationalDb | Queryable, id: string, definition: Omit<CohortDefinition, 'id' | 'version'>, viewer: CohortViewer, basedOn?: number): Promise<SavedCohort> =>
  atomically(db, async (tx) => {
    const row = await ownedRow(tx, id, viewer, 'save a new version');
    const latest = Number(row.latest_version);
    if (basedOn !== undefined && basedOn !== latest) throw new UserError(`saved cohort '${id}' is at version ${latest}, saved by ${row.saved_by} at ${row.saved_at}; you edited version ${basedOn}: reload it and save again`, 'conflict');
    const [bumped] = await tx.query<{ latest_version: number }>(
      `UPDATE saved_cohort SET latest_version = latest_version + 1, updated_at = clock_timestamp() WHERE id = $1 AND latest_version = $2 RETURNING latest_version`,
      [id, latest],
    );
    if (bumped === undefined) throw new UserError(`saved cohort '${id}' was saved again while you were saving: reload it and save again`, 'conflict');
    await insertVersion(tx, { ...definition, id, version: Number(bumped.latest_version) } as CohortDefinition, viewer.email);
    return getSavedCohort(tx, id, viewer);
  });

/** Changes who the viewer's own cohort is shared with. */
export const setCohortSharing = async (db: OperationalDb | Queryable, id: string, sharing: CohortSharing, viewer: CohortViewer): Promise<SavedCohort> =>
  atomically(db, async (tx) => {
    await ownedRow(tx, id, viewer, 'change who it is shared with');
    await tx.query(`UPDATE saved_cohort SET sharing = $2, updated_at = clock_timestamp() WHERE id = $1`, [id, sharing]);
    return getSavedCohort(tx, id, viewer);
  });

/** Archives the viewer's own cohort: it is no longer listed or usable; its versions are kept, and its id stays taken. */
export const archiveSavedCohort = async (db: OperationalDb | Queryable, id: string, viewer: CohortViewer): Promise<{ id: string; versions: number }> =>
  atomically(db, async (tx) => {
    const row = await ownedRow(tx, id, viewer, 'archive it');
    await tx.query(`UPDATE saved_cohort SET archived_at = clock_timestamp(), archived_by = $2 WHERE id = $1`, [id, viewer.email]);
    return { id, versions: Number(row.latest_version) };
  });
