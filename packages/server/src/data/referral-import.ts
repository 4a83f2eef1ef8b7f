/**
 * Importing social prescribing referrals recorded elsewhere first (docs/social-prescribing.md,
 * "Importing referrals"): the CSV is checked row by row against the directory and the residents in
 * the data (core's parseReferralImport), and either every new referral is stored, in one
 * transaction, or none is. A referral already stored (same person, service and day) is not stored
 * twice, so a file can be imported again after adding rows. The import is audited (counts only).
 */
import { UserError, parseReferralImport } from '@openphm/core';
import { createReferral, listReferrals, listServices } from '../operational/care.js';
import type { OperationalDb } from '../operational/db.js';
import { neighbourhoodsOf } from '@openphm/store-duckdb';
import { columnOf, describeProblems, importCommand, importTableOf, storeNewRecords, type ImportCommandOptions, type ImportResult } from './import-support.js';
import type { PhmData } from './phm-data.js';

export type ReferralImportResult = ImportResult;

const key = (personId: string, serviceId: string, day: string) => `${personId}|${serviceId}|${day}`;

export const importReferrals = async (ops: OperationalDb, data: PhmData, file: string, text: string, options: { today: string; by: string }): Promise<ReferralImportResult> => {
  const table = importTableOf(text, file, 'docs/social-prescribing.md');
  const neighbourhoodOf = await neighbourhoodsOf(data, columnOf(table, 'person_id'));
  const services = new Set((await listServices(ops)).map((s) => s.entry.id));
  const { referrals, errors } = parseReferralImport(table, { today: options.today, services, neighbourhoodOf });
  if (errors.length > 0) throw new UserError(describeProblems(errors, file), 'invalid-input');
  return storeNewRecords(ops, {
    records: referrals,
    present: (await listReferrals(ops)).map((r) => key(r.personId, r.serviceId, r.referredAt.slice(0, 10))),
    keyOf: (r) => key(r.personId, r.serviceId, r.referredOn),
    store: (tx, r) =>
      createReferral(
        tx,
        { personId: r.personId, serviceId: r.serviceId, reason: r.reason, wellbeingBefore: r.wellbeingBefore, wellbeingAfter: r.wellbeingAfter, neighbourhoodId: r.neighbourhoodId, status: r.status, referredAt: `${r.referredOn}T12:00:00Z`, referredBy: r.referredBy },
        options.by,
      ),
    audit: { action: 'referral.import', by: options.by, file },
  });
};

export type ReferralImportOptions = ImportCommandOptions;

/** `phm referrals import FILE --db X --by EMAIL`: the stores as `phm serve` opens them (PHM_DATABASE_URL or PGlite next to the database). */
export const referralImportCommand = importCommand('referrals', importReferrals);
