/**
 * Social prescribing referrals recorded elsewhere first (a link-worker case management system, a
 * spreadsheet), checked row by row before any is stored: what `phm referrals import` reads. One
 * row per referral, with its latest status; ONS4 scores before and after are optional, all four
 * items or none. Every problem names the file, the line and the field. Pure: the caller says which
 * services exist, where each person lives (their neighbourhood) and what today is.
 */
import type { InputError } from '../errors/errors.js';
import { isOneOf } from '../codes/one-of.js';
import { isIsoDay, readImportTable, residentOf, type ImportTable } from './import-table.js';
import { ONS4_ITEMS, REFERRAL_REASON_IDS, REFERRAL_STATUSES, type Ons4, type ReferralReason, type ReferralStatus } from './referrals.js';

const ONS4_COLUMN: Record<(typeof ONS4_ITEMS)[number]['id'], string> = {
  lifeSatisfaction: 'life_satisfaction',
  worthwhile: 'worthwhile',
  happiness: 'happiness',
  anxiety: 'anxiety',
};

export const REFERRAL_IMPORT_REQUIRED = ['person_id', 'service_id', 'reason', 'status', 'referred_on', 'referred_by'] as const;
export const REFERRAL_IMPORT_OPTIONAL = (['before', 'after'] as const).flatMap((when) => ONS4_ITEMS.map((i) => `wellbeing_${when}_${ONS4_COLUMN[i.id]}`));

export interface ImportedReferral {
  /** Line of the file the referral is on (the header is line 1). */
  readonly line: number;
  readonly personId: string;
  readonly neighbourhoodId: string;
  readonly serviceId: string;
  readonly reason: ReferralReason;
  readonly status: ReferralStatus;
  /** ISO day. */
  readonly referredOn: string;
  readonly referredBy: string;
  readonly wellbeingBefore: Ons4 | null;
  readonly wellbeingAfter: Ons4 | null;
}

export interface ReferralImportContext {
  readonly today: string;
  /** Directory service ids. */
  readonly services: ReadonlySet<string>;
  /** The neighbourhood each person lives in (people not in the data, or outside every neighbourhood, are absent). */
  readonly neighbourhoodOf: ReadonlyMap<string, string>;
}

export type ReferralImportTable = ImportTable;

const TOOK_PART = new Set<ReferralStatus>(['attending', 'completed']);

/** Up to `limit` problems are collected before giving up (a wrong file would otherwise list every row). */
export const parseReferralImport = (table: ReferralImportTable, ctx: ReferralImportContext, limit = 20): { referrals: ImportedReferral[]; errors: InputError[] } => {
  const { items, errors } = readImportTable(
    table,
    { required: REFERRAL_IMPORT_REQUIRED, optional: REFERRAL_IMPORT_OPTIONAL },
    (row): ImportedReferral => {
      const { get, has, problem, line } = row;
      const { personId, neighbourhoodId } = residentOf(row, ctx.neighbourhoodOf);
      const serviceId = get('service_id');
      if (!ctx.services.has(serviceId)) problem('service_id', `'${serviceId}' is not in the directory of services`);
      const reason = row.oneOf('reason', REFERRAL_REASON_IDS, 'a reason code');
      const status = row.oneOf('status', REFERRAL_STATUSES, 'a status');
      const referredOn = get('referred_on');
      if (!isIsoDay(referredOn)) problem('referred_on', `'${referredOn}' is not a date (YYYY-MM-DD)`);
      else if (referredOn > ctx.today) problem('referred_on', `${referredOn} is after today (${ctx.today})`);
      const referredBy = get('referred_by');
      if (referredBy === '' || referredBy.length > 200) problem('referred_by', 'who referred (a name, role or e-mail, up to 200 characters)');
      const scores = (when: 'before' | 'after'): Ons4 | null => {
        const values = ONS4_ITEMS.map((i) => [i.id, `wellbeing_${when}_${ONS4_COLUMN[i.id]}`] as const).map(([id, name]) => [id, name, has(name) ? get(name) : ''] as const);
        const given = values.filter(([, , v]) => v !== '');
        if (given.length === 0) return null;
        if (given.length < values.length) {
          problem(values.find(([, , v]) => v === '')![1], `give all four wellbeing ${when} scores or none`);
          return null;
        }
        const out: Record<string, number> = {};
        for (const [id, name, v] of values) {
          if (!/^(10|[0-9])$/.test(v)) problem(name, `'${v}' is not a score from 0 to 10`);
          out[id] = Number(v);
        }
        return out as Ons4;
      };
      const wellbeingBefore = scores('before');
      const wellbeingAfter = scores('after');
      if (wellbeingAfter !== null && isOneOf(REFERRAL_STATUSES, get('status')) && !TOOK_PART.has(status)) {
        problem('wellbeing_after_life_satisfaction', 'a follow-up wellbeing score is recorded once the person is attending or has completed');
      }
      return { line, personId, neighbourhoodId, serviceId, reason, status, referredOn, referredBy, wellbeingBefore, wellbeingAfter };
    },
    limit,
  );
  return { referrals: items, errors };
};
