/**
 * Reports from the audit log for administrators: who accessed one person's record (for a subject
 * access request), and whether the log's hash chain holds.
 */
import type { AuditChainResponseT, SubjectAccessResponseT } from '@openphm/api-contract';
import { UserError } from '@openphm/core';
import type { ServerContext } from '../context.js';
import { toCsv, type CsvCell } from '../csv.js';
import { openOperationalDb } from '../operational/db.js';
import { operationalStoreOf, type ServeIo } from '../command-io.js';
import { listAudit, verifyAuditChain, type AuditRecord } from '../operational/audit.js';

/** At most this many rows of one person's record are listed (the summary counts them all). */
export const SUBJECT_ACCESS_ROWS = 10_000;

/** Every recorded access to one person's record, oldest first, and a summary by account, action and outcome. */
export const subjectAccess = async (ctx: ServerContext, personId: string): Promise<SubjectAccessResponseT> => {
  const { rows } = await listAudit(ctx.ops, { limit: SUBJECT_ACCESS_ROWS, offset: 0, personId });
  const oldestFirst = [...rows].reverse();
  const byKey = new Map<string, SubjectAccessResponseT['accessedBy'][number]>();
  for (const r of oldestFirst) {
    const key = JSON.stringify([r.userEmail, r.role, r.action, r.outcome]);
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, times: seen.times + 1, last: r.at } : { userEmail: r.userEmail, role: r.role, action: r.action, outcome: r.outcome, times: 1, first: r.at, last: r.at });
  }
  return {
    personId,
    accessedBy: [...byKey.values()],
    rows: oldestFirst.map((r: AuditRecord) => ({ ...r })),
    note:
      'Every recorded access to this pseudonymous id: person summaries, care plans, new referrals and caseload episodes (worklists and lists name a cohort or neighbourhood, not each person). ' +
      'Anonymous refusals from one address are summed up once a minute. Give the person their NHS number’s mapping from the organisation that pseudonymised it.',
  };
};

/** The columns of the audit log as CSV. */
const AUDIT_COLUMNS = ['id', 'at', 'userId', 'userEmail', 'role', 'action', 'resource', 'outcome', 'status', 'ip', 'detail'] as const;

/** Rows of the audit log as CSV. */
export const auditRowsCsv = (rows: readonly { readonly [C in (typeof AUDIT_COLUMNS)[number]]?: CsvCell }[]): string => toCsv(AUDIT_COLUMNS, rows.map((r) => AUDIT_COLUMNS.map((c) => r[c] ?? null)));

/** A subject access report as CSV: its rows. */
export const subjectAccessCsv = (report: SubjectAccessResponseT): string => auditRowsCsv(report.rows);

export const auditChain = async (ctx: ServerContext): Promise<AuditChainResponseT> => {
  const report = await verifyAuditChain(ctx.ops);
  return { holds: report.broken === null, ...report };
};

export interface AuditVerifyOptions {
  /** The DuckDB database whose operational store (PGlite folder next to it) holds the log. */
  readonly db: string;
  readonly operationalDir?: string;
}

/**
 * `phm audit verify`: checks the chain of the operational store's audit log (PHM_DATABASE_URL for
 * PostgreSQL, else the PGlite folder next to the database). A broken chain is an error naming the row.
 */
export const auditVerifyCommand = async (options: AuditVerifyOptions, io: ServeIo): Promise<AuditChainResponseT> => {
  const ops = await openOperationalDb(operationalStoreOf(io, options));
  try {
    const report = await verifyAuditChain(ops);
    if (report.broken !== null) throw new UserError(`the audit log's chain is broken at row ${report.broken.id}: ${report.broken.problem} (${report.checked} rows before it hold)`, 'invalid-input');
    io.stdout.write(`audit log: ${report.checked} rows chained and intact${report.unchained ? `, ${report.unchained} written before the chain began` : ''}; last hash ${report.head ?? '(none)'}\n`);
    return { holds: true, ...report };
  } finally {
    await ops.close();
  }
};
