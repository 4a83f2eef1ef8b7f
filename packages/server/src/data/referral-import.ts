/**
 * Importing social prescribing referrals recorded elsewhere first (docs/social-prescribing.md,
 * "Importing referrals"): the CSV is checked row by row against the directory and the residents in
 * the data (core's parseReferralImport), and either every new referral is stored, in one
 * transaction, or none is. A referral already stored (same person, service and day) is not stored
 * twice, so a file can be imported again after adding rows. The import is audited (counts only).
 */
import { UserError, parseReferralImport } from '@openphm/core';
import { writeAudit } from '../operational/audit.js';
import { createReferral, listReferrals, listServices } from '../operational/care.js';
import type { OperationalDb } from '../operational/db.js';
import type { ServeIo } from '../serve.js';
import { neighbourhoodsOf } from '@openphm/store-duckdb';
import { auditedFile, columnOf, describeProblems, importTableOf, runImport, type ImportCommandOptions } from './import-support.js';
import type { PhmData } from './phm-data.js';

export interface ReferralImportResult {
  readonly rows: number;
  readonly imported: number;
  /** Already stored, or repeated in the file. */
  readonly alreadyPresent: number;
}

export const importReferrals = async (ops: OperationalDb, data: PhmData, file: string, text: string, options: { today: string; by: string }): Promise<ReferralImportResult> => {
  const table = importTableOf(text, file, 'docs/social-prescribing.md');
  const neighbourhoodOf = await neighbourhoodsOf(data, columnOf(table, 'person_id'));
  const services = new Set((await listServices(ops)).map((s) => s.entry.id));
  const { referrals, errors } = parseReferralImport(table, { today: options.today, services, neighbourhoodOf });
  if (errors.length > 0) throw new UserError(describeProblems(errors, file), 'invalid-input');
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
      resource: auditedFile(file),
      outcome: 'granted',
      status: 201,
      ip: null,
      detail: `${fresh.length} imported, ${referrals.length - fresh.length} already present`,
    });
  });
  return { rows: referrals.length, imported: fresh.length, alreadyPresent: referrals.length - fresh.length };
};

export type ReferralImportOptions = ImportCommandOptions;

/** `phm referrals import FILE --db X --by EMAIL`: the stores as `phm serve` opens them (PHM_DATABASE_URL or PGlite next to the database). */
export const referralImportCommand = (options: ReferralImportOptions, io: ServeIo): Promise<ReferralImportResult> =>
  runImport(options, io, async ({ ops, data, text, today, by }) => {
    const result = await importReferrals(ops, data, options.file, text, { today, by });
    io.stdout.write(`${options.file}: ${result.rows} referrals read, ${result.imported} imported, ${result.alreadyPresent} already present\n`);
    return result;
  });
