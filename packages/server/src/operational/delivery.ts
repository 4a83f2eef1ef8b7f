/**
 * The delivery registers in the operational store: strategy versions (loaded from plans/*.json and
 * never changed once loaded), manual measure values, and the actions and risks boards track. Every
 * change to an action or risk bumps its version and appends a snapshot to its history (append-only
 * tables); an update names the version it edits, so two people editing at once cannot overwrite
 * each other (409). Dates are ISO days, timestamps ISO 8601 in UTC.
 */
import {
  UserError,
  parseStrategy,
  type Action,
  type ActionInput,
  type ActionUpdate,
  type IndicatorInfo,
  type Risk,
  type RiskInput,
  type RiskUpdate,
  type Strategy,
} from '@openphm/core';
import type { OperationalDb, Queryable } from './db.js';
import { ISO_DAY, ISO_TIME, atomically, createIn, getIn, historyIn, updateIn, type Register } from './versioned.js';


// ---- strategies

export interface StrategyFile {
  readonly strategy: Strategy;
  /** Where it came from, e.g. plans/wyh-partnership.json. */
  readonly source: string;
}

export interface StoredStrategy extends StrategyFile {
  readonly loadedAt: string;
}

/**
 * Stores each strategy version not yet loaded. A version already stored with different content is
 * refused (reported, the stored one kept): a changed plan needs a new version number, so figures
 * published against a version never change meaning.
 */
export const syncStrategies = async (db: Queryable, files: readonly StrategyFile[]): Promise<{ loaded: string[]; conflicts: { source: string; message: string }[] }> => {
  const loaded: string[] = [];
  const conflicts: { source: string; message: string }[] = [];
  for (const f of files) {
    const json = JSON.stringify(f.strategy);
    const [existing] = await db.query<{ same: boolean; edited_by: string | null }>(`SELECT definition = $3::jsonb AS same, edited_by FROM strategy_version WHERE strategy_id = $1 AND version = $2`, [f.strategy.id, f.strategy.version, json]);
    if (existing === undefined) {
      await db.query(`INSERT INTO strategy_version (strategy_id, version, definition, source) VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT DO NOTHING`, [f.strategy.id, f.strategy.version, json, f.source]);
      loaded.push(`${f.strategy.id}@${f.strategy.version}`);
    } else if (!existing.same) {
      const made = existing.edited_by === null ? '' : ` (made in OpenPHM by ${existing.edited_by}: download it from /api/strategies/${f.strategy.id}/versions/${f.strategy.version} into the file and build on it)`;
      conflicts.push({ source: f.source, message: `${f.source}: version ${f.strategy.version} of '${f.strategy.id}' is already loaded with different content${made}; give the changed plan a new version number` });
    }
  }
  return { loaded, conflicts };
};

/** Changes whenever a strategy version is loaded: a cache key for what is derived from the stored strategies. */
export const strategiesStamp = async (db: Queryable): Promise<string> => {
  const [row] = await db.query<{ n: number; at: string | null }>(`SELECT count(*)::integer AS n, ${ISO_TIME('max(loaded_at)')} AS at FROM strategy_version`);
  return `${row?.n ?? 0}@${row?.at ?? ''}`;
};

/** Changes whenever a manual measure value of the strategy is recorded or corrected. */
export const measureValuesStamp = async (db: Queryable, strategyId: string): Promise<string> => {
  const [row] = await db.query<{ n: number; at: string | null }>(`SELECT count(*)::integer AS n, ${ISO_TIME('max(recorded_at)')} AS at FROM measure_value WHERE strategy_id = $1`, [strategyId]);
  return `${row?.n ?? 0}@${row?.at ?? ''}`;
};

/** The latest version of every stored strategy, by id (re-checked against today's indicator catalogue). */
export const latestStrategies = async (db: Queryable, indicators: readonly IndicatorInfo[]): Promise<StoredStrategy[]> => {
  const rows = await db.query<{ definition: unknown; source: string; loaded_at: string }>(
    `SELECT DISTINCT ON (strategy_id) definition, source, ${ISO_TIME('loaded_at')} AS loaded_at FROM strategy_version ORDER BY strategy_id, version DESC`,
  );
  return rows.map((r) => {
    const definition = typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition;
    return { strategy: parseStrategy(definition, indicators, `${r.source} (stored)`), source: r.source, loadedAt: r.loaded_at };
  });
};

/** One stored version of a strategy: from a plan file, or made in the app (who and why). */
export interface StrategyVersionRow {
  readonly version: number;
  readonly definition: unknown;
  readonly source: string;
  readonly loadedAt: string;
  readonly editedBy: string | null;
  readonly reason: string | null;
}

/** Every stored version of a strategy, oldest first (definitions as stored, not re-checked). */
export const strategyVersions = async (db: Queryable, strategyId: string): Promise<StrategyVersionRow[]> =>
  (
    await db.query<{ version: number; definition: unknown; source: string; loaded_at: string; edited_by: string | null; reason: string | null }>(
      `SELECT version, definition, source, ${ISO_TIME('loaded_at')} AS loaded_at, edited_by, reason FROM strategy_version WHERE strategy_id = $1 ORDER BY version`,
      [strategyId],
    )
  ).map((r) => ({
    version: Number(r.version),
    definition: typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition,
    source: r.source,
    loadedAt: r.loaded_at,
    editedBy: r.edited_by,
    reason: r.reason,
  }));

/**
 * Stores a version of a strategy made in the app. The version must be new: if someone else stored
 * it first, this is a conflict naming who (reload and edit again).
 */
export const saveStrategyEdit = async (db: Queryable, strategy: Strategy, editedBy: string, reason: string): Promise<StoredStrategy> => {
  const [row] = await db.query<{ loaded_at: string }>(
    `INSERT INTO strategy_version (strategy_id, version, definition, source, edited_by, reason) VALUES ($1, $2, $3::jsonb, 'OpenPHM', $4, $5)
     ON CONFLICT DO NOTHING RETURNING ${ISO_TIME('loaded_at')} AS loaded_at`,
    [strategy.id, strategy.version, JSON.stringify(strategy), editedBy, reason],
  );
  if (row === undefined) {
    const [other] = await db.query<{ source: string; edited_by: string | null; loaded_at: string }>(
      `SELECT source, edited_by, ${ISO_TIME('loaded_at')} AS loaded_at FROM strategy_version WHERE strategy_id = $1 AND version = $2`,
      [strategy.id, strategy.version],
    );
    throw new UserError(`version ${strategy.version} of '${strategy.id}' was made by ${other?.edited_by ?? other?.source ?? 'someone else'} at ${other?.loaded_at ?? 'the same time'}: reload and edit again`, 'conflict');
  }
  return { strategy, source: 'OpenPHM', loadedAt: row.loaded_at };
};

/**
 * Stores version 1 of a strategy made in the app for a board (who and why). Its id must be new: a
 * strategy already stored under it (from a plan file or the app) is a conflict naming where it came
 * from. Checked and written in one transaction, so two people creating the same id cannot both win.
 */
export const createStrategy = (db: OperationalDb | Queryable, strategy: Strategy, createdBy: string, reason: string): Promise<StoredStrategy> =>
  atomically(db, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`openphm-strategy-${strategy.id}`]);
    const [other] = await tx.query<{ source: string; edited_by: string | null; loaded_at: string }>(
      `SELECT source, edited_by, ${ISO_TIME('loaded_at')} AS loaded_at FROM strategy_version WHERE strategy_id = $1 ORDER BY version LIMIT 1`,
      [strategy.id],
    );
    if (other !== undefined) {
      throw new UserError(`there is already a strategy '${strategy.id}' (made by ${other.edited_by ?? other.source} at ${other.loaded_at}): choose another id, or change that one`, 'conflict');
    }
    if (strategy.version !== 1) throw new UserError(`a new strategy starts at version 1 (not ${strategy.version})`, 'usage');
    return saveStrategyEdit(tx, strategy, createdBy, reason);
  });

// ---- manual measure values

export interface MeasureValue {
  readonly strategyId: string;
  readonly measureId: string;
  readonly periodLabel: string;
  /** The last day of the period. */
  readonly periodEnd: string;
  readonly value: number;
  readonly note: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

/** Records (or corrects) the value of a manual measure for a period. */
export const recordMeasureValue = async (db: Queryable, v: Omit<MeasureValue, 'recordedAt'>): Promise<MeasureValue> => {
  const [row] = await db.query<Record<string, string | number>>(
    `INSERT INTO measure_value (strategy_id, measure_id, period_label, period_end, value, note, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (strategy_id, measure_id, period_label) DO UPDATE SET period_end = EXCLUDED.period_end, value = EXCLUDED.value, note = EXCLUDED.note, recorded_by = EXCLUDED.recorded_by, recorded_at = now()
     RETURNING ${ISO_TIME('recorded_at')} AS recorded_at`,
    [v.strategyId, v.measureId, v.periodLabel, v.periodEnd, v.value, v.note, v.recordedBy],
  );
  return { ...v, recordedAt: String(row!.recorded_at) };
};

export const listMeasureValues = async (db: Queryable, strategyId: string): Promise<MeasureValue[]> =>
  (
    await db.query<{ measure_id: string; period_label: string; period_end: string; value: number; note: string; recorded_by: string; recorded_at: string }>(
      `SELECT measure_id, period_label, ${ISO_DAY('period_end')} AS period_end, value, note, recorded_by, ${ISO_TIME('recorded_at')} AS recorded_at
       FROM measure_value WHERE strategy_id = $1 ORDER BY measure_id, period_end`,
      [strategyId],
    )
  ).map((r) => ({ strategyId, measureId: r.measure_id, periodLabel: r.period_label, periodEnd: r.period_end, value: Number(r.value), note: r.note, recordedBy: r.recorded_by, recordedAt: r.recorded_at }));

// ---- actions and risks (versioned registers: versioned.ts)

const ACTIONS: Register<Action, ActionInput, ActionUpdate> = {
  table: 'plan_action',
  historyTable: 'plan_action_history',
  historyKey: 'action_id',
  noun: 'action',
  columns: {
    strategyId: 'strategy_id',
    priorityId: 'priority_id',
    ambitionId: 'ambition_id',
    title: 'title',
    ownerGroup: 'owner_group',
    lead: 'lead',
    dueDate: 'due_date',
    rag: 'rag',
    status: 'status',
    progressNote: 'progress_note',
    measureIds: 'measure_ids',
  },
  select: `id, strategy_id, priority_id, ambition_id, title, owner_group, lead, ${ISO_DAY('due_date')} AS due_date, rag, status, progress_note, measure_ids, version, ${ISO_TIME('updated_at')} AS updated_at, updated_by`,
  toRow: (r) => ({
    id: Number(r.id),
    strategyId: String(r.strategy_id),
    priorityId: String(r.priority_id),
    ambitionId: r.ambition_id === null ? null : String(r.ambition_id),
    title: String(r.title),
    ownerGroup: String(r.owner_group),
    lead: String(r.lead),
    dueDate: String(r.due_date),
    rag: r.rag as Action['rag'],
    status: r.status as Action['status'],
    progressNote: String(r.progress_note),
    measureIds: idList(r.measure_ids),
    version: Number(r.version),
    updatedAt: String(r.updated_at),
    updatedBy: String(r.updated_by),
  }),
  inputValues: (a) => ({ ...a, ambitionId: a.ambitionId ?? null, measureIds: JSON.stringify(a.measureIds ?? []) }),
  updateValues: ({ version: _version, measureIds, ...rest }) => ({ ...rest, measureIds: measureIds === undefined ? undefined : JSON.stringify(measureIds) }),
};

const RISKS: Register<Risk, RiskInput, RiskUpdate> = {
  table: 'plan_risk',
  historyTable: 'plan_risk_history',
  historyKey: 'risk_id',
  noun: 'risk',
  columns: {
    strategyId: 'strategy_id',
    title: 'title',
    description: 'description',
    owner: 'owner',
    likelihood: 'likelihood',
    impact: 'impact',
    targetLikelihood: 'target_likelihood',
    targetImpact: 'target_impact',
    controls: 'controls',
    mitigations: 'mitigations',
    reviewDate: 'review_date',
    status: 'status',
    priorityId: 'priority_id',
    measureIds: 'measure_ids',
    actionIds: 'action_ids',
  },
  select: `id, strategy_id, title, description, owner, likelihood, impact, target_likelihood, target_impact, controls, mitigations, ${ISO_DAY('review_date')} AS review_date, status, priority_id, measure_ids, action_ids, version, ${ISO_TIME('updated_at')} AS updated_at, updated_by`,
  toRow: (r) => ({
    id: Number(r.id),
    strategyId: String(r.strategy_id),
    title: String(r.title),
    description: String(r.description),
    owner: String(r.owner),
    likelihood: Number(r.likelihood),
    impact: Number(r.impact),
    targetLikelihood: r.target_likelihood === null ? null : Number(r.target_likelihood),
    targetImpact: r.target_impact === null ? null : Number(r.target_impact),
    controls: String(r.controls),
    mitigations: String(r.mitigations),
    reviewDate: String(r.review_date),
    status: r.status as Risk['status'],
    priorityId: r.priority_id === null || r.priority_id === undefined ? null : String(r.priority_id),
    measureIds: idList(r.measure_ids),
    actionIds: idList(r.action_ids).map(Number),
    version: Number(r.version),
    updatedAt: String(r.updated_at),
    updatedBy: String(r.updated_by),
  }),
  inputValues: (r) => ({ ...r, priorityId: r.priorityId ?? null, measureIds: JSON.stringify(r.measureIds ?? []), actionIds: JSON.stringify(r.actionIds ?? []) }),
  updateValues: ({ version: _version, measureIds, actionIds, ...rest }) => ({
    ...rest,
    measureIds: measureIds === undefined ? undefined : JSON.stringify(measureIds),
    actionIds: actionIds === undefined ? undefined : JSON.stringify(actionIds),
  }),
};

/** A jsonb list of ids as the driver returns it (parsed, or as text by some drivers). */
const idList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? (JSON.parse(v) as unknown[]).map(String) : []);

// ---- measure owners' commentary (append-only: the latest is shown, every one kept)

export interface MeasureCommentary {
  readonly strategyId: string;
  readonly measureId: string;
  readonly commentary: string;
  readonly writtenBy: string;
  readonly writtenAt: string;
}

export const writeMeasureCommentary = async (db: Queryable, c: Omit<MeasureCommentary, 'writtenAt'>): Promise<MeasureCommentary> => {
  const [row] = await db.query<{ written_at: string }>(
    `INSERT INTO measure_commentary (strategy_id, measure_id, commentary, written_by) VALUES ($1, $2, $3, $4) RETURNING ${ISO_TIME('written_at')} AS written_at`,
    [c.strategyId, c.measureId, c.commentary, c.writtenBy],
  );
  return { ...c, writtenAt: String(row!.written_at) };
};

/** The latest commentary on each measure of a strategy. */
export const latestMeasureCommentary = async (db: Queryable, strategyId: string): Promise<Map<string, MeasureCommentary>> => {
  const rows = await db.query<{ measure_id: string; commentary: string; written_by: string; written_at: string }>(
    `SELECT DISTINCT ON (measure_id) measure_id, commentary, written_by, ${ISO_TIME('written_at')} AS written_at
     FROM measure_commentary WHERE strategy_id = $1 ORDER BY measure_id, id DESC`,
    [strategyId],
  );
  return new Map(rows.map((r) => [r.measure_id, { strategyId, measureId: r.measure_id, commentary: r.commentary, writtenBy: r.written_by, writtenAt: r.written_at }]));
};

/** Adds an action (version 1) and its first history entry, atomically. */
export const createAction = (db: OperationalDb | Queryable, input: ActionInput, by: string): Promise<Action> => atomically(db, (tx) => createIn(ACTIONS, tx, input, by));
/** Changes an action if it is still at `update.version` (else 409), appending the new version to its history, atomically. */
export const updateAction = (db: OperationalDb | Queryable, id: number, update: ActionUpdate, by: string): Promise<Action> => atomically(db, (tx) => updateIn(ACTIONS, tx, id, update, by));
export const getAction = (db: Queryable, id: number): Promise<Action> => getIn(ACTIONS as Register<Action, unknown, never>, db, id);
export const actionHistory = (db: Queryable, id: number) => historyIn(ACTIONS as Register<Action, unknown, never>, db, id);
export const listActions = async (db: Queryable, strategyId: string): Promise<Action[]> =>
  (await db.query<Record<string, unknown>>(`SELECT ${ACTIONS.select} FROM plan_action WHERE strategy_id = $1 ORDER BY due_date, id`, [strategyId])).map(ACTIONS.toRow);

export const createRisk = (db: OperationalDb | Queryable, input: RiskInput, by: string): Promise<Risk> => atomically(db, (tx) => createIn(RISKS, tx, input, by));
export const updateRisk = (db: OperationalDb | Queryable, id: number, update: RiskUpdate, by: string): Promise<Risk> => atomically(db, (tx) => updateIn(RISKS, tx, id, update, by));
export const getRisk = (db: Queryable, id: number): Promise<Risk> => getIn(RISKS as Register<Risk, unknown, never>, db, id);
export const riskHistory = (db: Queryable, id: number) => historyIn(RISKS as Register<Risk, unknown, never>, db, id);
export const listRisks = async (db: Queryable, strategyId: string): Promise<Risk[]> =>
  (await db.query<Record<string, unknown>>(`SELECT ${RISKS.select} FROM plan_risk WHERE strategy_id = $1 ORDER BY likelihood * impact DESC, id`, [strategyId])).map(RISKS.toRow);
