/**
 * Importing social prescribing referrals recorded elsewhere first (docs/social-prescribing.md,
 * "Importing referrals"): the CSV is checked row by row against the directory and the residents in
 * the data (core's parseReferralImport), and either every new referral is stored, in one
 * transaction, or none is. A referral already stored (same person, service and day) is not stored
 * twice, so a file can be imported again after adding rows. The import is audited (counts only).
 */
import { basename, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { UserError, parseReferralImport, type InputError } from '@openphm/core';
import { parseCsv } from '@openphm/reference-data';
import { writeAudit } from '../operational/audit.js';
import { createReferral, listReferrals, listServices } from '../operational/care.js';
import { openOperationalDb, type OperationalDb } from '../operational/db.js';
import { defaultOperationalDir, type ServeIo } from '../serve.js';
import { openPhmData, type PhmData } from './phm-data.js';

export interface ReferralImportResult {
  readonly rows: number;
  readonly imported: number;
  /** Already stored, or repeated in the file. */
  readonly alreadyPresent: number;
}

/** Where each of these people lives (their neighbourhood), for the people resident in a neighbourhood. */
const neighbourhoodsOf = async (data: PhmData, ids: readonly string[]): Promise<Map<string, string>> => {
  const out = new Map<string, string>();
  const digits = [...new Set(ids.filter((id) => /^\d{1,18}$/.test(id)))];
  for (let i = 0; i < digits.length; i += 5000) {
    const chunk = digits.slice(i, i + 5000);
    const rows = await data.query<{ id: string; neighbourhood: string }>(
      `SELECT p.person_id::VARCHAR AS id, l.neighbourhood_id AS neighbourhood FROM person p JOIN geo_lsoa l ON l.lsoa_code = p.lsoa_code
       WHERE l.neighbourhood_id IS NOT NULL AND p.person_id IN (${chunk.map((id) => `${id}::BIGINT`).join(', ')})`,
    );
    for (const r of rows) out.set(r.id, r.neighbourhood);
  }
  return out;
};

const described = (errors: readonly InputError[], file: string): string =>
  `${errors.length === 1 ? 'a problem' : `${errors.length}${errors.length >= 20 ? ' or more' : ''} problems`} in ${file}; nothing was imported:\n${errors.map((e) => `  ${e.message}`).join('\n')}`;

export const importReferrals = async (ops: OperationalDb, data: PhmData, file: string, text: string, options: { today: string; by: string }): Promise<ReferralImportResult> => {
  const [head, ...rows] = parseCsv(text, file);
  if (head === undefined) throw new UserError(`${file} is empty: it needs a header row (docs/social-prescribing.md)`, 'invalid-input');
  const personColumn = head.cells.map((c) => c.trim().toLowerCase()).indexOf('person_id');
  const neighbourhoodOf = await neighbourhoodsOf(data, personColumn < 0 ? [] : rows.map((r) => (r.cells[personColumn] ?? '').trim()));
  const services = new Set((await listServices(ops)).map((s) => s.entry.id));
  const { referrals, errors } = parseReferralImport({ file, header: head.cells, rows }, { today: options.today, services, neighbourhoodOf });
  if (errors.length > 0) throw new UserError(described(errors, file), 'invalid-input');
  const key = (personId: string, serviceId: string, day: string) => `${personId}|${serviceId}|${day}`;
  const seen = new Set((await listReferrals(ops)).map((r) => key(r.personId, r.serviceId, r.referredAt.slice(0, 10))));
  const fresh = referrals.filter((r) => {
    const k = key(r.personId, r.serviceId, r.referredOn);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  await ops.transaction(async (tx) => {
    for (const r of fresh) {
      await createReferral(
        tx,
        { personId: r.personId, serviceId: r.serviceId, reason: r.reason, wellbeingBefore: r.wellbeingBefore, wellbeingAfter: r.wellbeingAfter, neighbourhoodId: r.neighbourhoodId, status: r.status, referredAt: `${r.referredOn}T12:00:00Z`, referredBy: r.referredBy },
        options.by,
      );
    }
    await writeAudit(tx, {
      userId: null,
      userEmail: options.by,
      role: 'admin',
      action: 'referral.import',
      resource: `file:${basename(file).replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64)}`,
      outcome: 'granted',
      status: 201,
      ip: null,
      detail: `${fresh.length} imported, ${referrals.length - fresh.length} already present`,
    });
  });
  return { rows: referrals.length, imported: fresh.length, alreadyPresent: referrals.length - fresh.length };
};

export interface ReferralImportOptions {
  readonly file: string;
  readonly db: string;
  /** Who is importing (recorded as the last to change each referral, and in the audit log). */
  readonly by: string;
  readonly operationalDir?: string;
  /** Default: today's date. */
  readonly today?: string;
}

/** `phm referrals import FILE --db X --by EMAIL`: the stores as `phm serve` opens them (PHM_DATABASE_URL or PGlite next to the database). */
export const referralImportCommand = async (options: ReferralImportOptions, io: ServeIo): Promise<ReferralImportResult> => {
  if (!/^\S+@\S+$/.test(options.by)) throw new UserError(`--by must be your e-mail address (recorded in the audit log), got '${options.by}'`);
  const path = resolve(io.cwd, options.file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`${options.file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'not-found', { cause: error });
  }
  const url = io.env.PHM_DATABASE_URL?.trim() || undefined;
  const data = await openPhmData(resolve(io.cwd, options.db));
  try {
    const ops = await openOperationalDb(
      url ? { url, ...(io.env.PHM_DATABASE_SCHEMA ? { schema: io.env.PHM_DATABASE_SCHEMA } : {}) } : { dataDir: resolve(io.cwd, options.operationalDir ?? defaultOperationalDir(options.db)) },
    );
    try {
      const result = await importReferrals(ops, data, options.file, text, { today: options.today ?? new Date().toISOString().slice(0, 10), by: options.by.toLowerCase() });
      io.stdout.write(`${options.file}: ${result.rows} referrals read, ${result.imported} imported, ${result.alreadyPresent} already present\n`);
      return result;
    } finally {
      await ops.close();
    }
  } finally {
    await data.close();
  }
};
