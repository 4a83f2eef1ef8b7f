/**
 * A neighbourhood team's tasks in the operational store: versioned, each change appended to the
 * task's history (versioned.ts), edits naming the version they change. Person-level: callers check
 * who may see which and audit every access.
 */
import { TASK_SOURCE_IDS, TASK_STATUSES, expectOneOf, type Task, type TaskInput, type TaskStatus, type TaskUpdate } from '@openphm/core';
import type { OperationalDb, Queryable, SqlParam } from './db.js';
import { ISO_DAY, ISO_TIME, atomically, changeAllIn, createIn, getIn, historyIn, updateIn, type Register } from './versioned.js';

/** A new task: the checked input, the neighbourhood of the team that holds it, who raised it. */
export type NewTask = TaskInput & { readonly neighbourhoodId: string; readonly createdBy: string; readonly status?: TaskStatus };

const TASKS: Register<Task, NewTask, TaskUpdate> = {
  table: 'care_task',
  historyTable: 'care_task_history',
  historyKey: 'care_task_id',
  noun: 'task',
  columns: {
    personId: 'person_id',
    neighbourhoodId: 'neighbourhood_id',
    title: 'title',
    detail: 'detail',
    assigneeId: 'assignee_id',
    due: 'due_date',
    status: 'status',
    source: 'source',
    sourceRef: 'source_ref',
    createdBy: 'created_by',
  },
  select: `id, person_id::text AS person_id, neighbourhood_id, title, detail, assignee_id, ${ISO_DAY('due_date')} AS due_date, status, source, source_ref, created_by, ${ISO_TIME('created_at')} AS created_at, version, ${ISO_TIME('updated_at')} AS updated_at, updated_by`,
  toRow: (r) => ({
    id: Number(r.id),
    personId: String(r.person_id),
    neighbourhoodId: String(r.neighbourhood_id),
    title: String(r.title),
    detail: String(r.detail),
    assigneeId: r.assignee_id === null ? null : Number(r.assignee_id),
    due: r.due_date === null ? null : String(r.due_date),
    status: expectOneOf(TASK_STATUSES, r.status, 'task status'),
    source: expectOneOf(TASK_SOURCE_IDS, r.source, 'task source'),
    sourceRef: r.source_ref === null ? null : String(r.source_ref),
    createdBy: String(r.created_by),
    createdAt: String(r.created_at),
    version: Number(r.version),
    updatedAt: String(r.updated_at),
    updatedBy: String(r.updated_by),
  }),
  inputValues: (t) => ({
    personId: t.personId,
    neighbourhoodId: t.neighbourhoodId,
    title: t.title,
    detail: t.detail,
    assigneeId: t.assigneeId,
    due: t.due,
    status: t.status ?? 'open',
    source: t.source,
    sourceRef: t.sourceRef,
    createdBy: t.createdBy,
  }),
  updateValues: ({ version: _version, ...rest }) => rest,
};

const asRead = TASKS as Register<Task, unknown, never>;

/** Raises a task (version 1, open), by `by`, inside the caller's transaction when given one. */
export const createTask = (db: OperationalDb | Queryable, task: NewTask, by: string): Promise<Task> => atomically(db, (tx) => createIn(TASKS, tx, task, by));
export const updateTask = (db: OperationalDb | Queryable, id: number, update: TaskUpdate, by: string): Promise<Task> => atomically(db, (tx) => updateIn(TASKS, tx, id, update, by));
export const getTask = (db: Queryable, id: number): Promise<Task> => getIn(asRead, db, id);
export const taskHistory = (db: Queryable, id: number) => historyIn(asRead, db, id);

export interface TaskFilter {
  readonly assigneeId?: number;
  readonly personId?: string;
  readonly neighbourhoodId?: string;
  readonly statuses?: readonly TaskStatus[];
}

/** Tasks matching the filter: open first, then by due date (undated last), then the oldest first. */
export const listTasks = async (db: Queryable, f: TaskFilter = {}): Promise<Task[]> => {
  const where: string[] = [];
  const params: SqlParam[] = [];
  const add = (sql: string, v: SqlParam) => (params.push(v), where.push(sql.replace('?', `$${params.length}`)));
  if (f.assigneeId !== undefined) add('assignee_id = ?', f.assigneeId);
  if (f.personId !== undefined) add('person_id = ?::bigint', f.personId);
  if (f.neighbourhoodId !== undefined) add('neighbourhood_id = ?', f.neighbourhoodId);
  if (f.statuses !== undefined) add('status = ANY(string_to_array(?, \',\'))', f.statuses.join(','));
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${TASKS.select} FROM care_task${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY (status = 'open') DESC, due_date NULLS LAST, id`,
    params,
  );
  return rows.map(TASKS.toRow);
};

/** Open tasks per person of a neighbourhood (worklists show them). */
export const openTaskCounts = async (db: Queryable, neighbourhoodId: string): Promise<Map<string, number>> => {
  const rows = await db.query<{ person_id: string; n: number }>(`SELECT person_id::text AS person_id, count(*)::integer AS n FROM care_task WHERE neighbourhood_id = $1 AND status = 'open' GROUP BY person_id`, [neighbourhoodId]);
  return new Map(rows.map((r) => [r.person_id, Number(r.n)]));
};

/** For people a data load deleted (data/person-removals.ts): their open tasks cancelled, each with its history. */
export const cancelTasksOfRemovedPeople = (tx: Queryable, personIds: readonly string[], by: string): Promise<Task[]> =>
  changeAllIn(asRead, tx, { sets: `status = 'cancelled'`, where: `person_id = ANY(string_to_array($1, ',')::bigint[]) AND status = 'open'`, params: [personIds.join(',')] }, by);
