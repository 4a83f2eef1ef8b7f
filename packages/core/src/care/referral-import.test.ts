import { describe, expect, it } from 'vitest';
import { REFERRAL_IMPORT_OPTIONAL, REFERRAL_IMPORT_REQUIRED, parseReferralImport, type ReferralImportContext } from './referral-import.js';

const CTX: ReferralImportContext = { today: '2026-11-26', services: new Set(['walk', 'choir']), neighbourhoodOf: new Map([['100', 'leeds-1'], ['101', 'leeds-1'], ['2', 'calderdale-1']]) };
const HEADER = [...REFERRAL_IMPORT_REQUIRED, ...REFERRAL_IMPORT_OPTIONAL];
const GOOD = ['100', 'walk', 'loneliness', 'completed', '2024-05-10', 'Link worker A', '4', '5', '4', '7', '6', '6', '5', '5'];
const table = (rows: string[][], header: readonly string[] = HEADER) => ({ file: 'referrals.csv', header, rows: rows.map((cells, i) => ({ line: i + 2, cells })) });
const withCell = (i: number, v: string) => GOOD.map((c, j) => (j === i ? v : c));
const col = (name: string) => HEADER.indexOf(name);

describe('parseReferralImport', () => {
  it('reads a referral with its latest status and both sets of scores', () => {
    const { referrals, errors } = parseReferralImport(table([GOOD]), CTX);
    expect(errors).toEqual([]);
    expect(referrals).toEqual([
      {
        line: 2,
        personId: '100',
        neighbourhoodId: 'leeds-1',
        serviceId: 'walk',
        reason: 'loneliness',
        status: 'completed',
        referredOn: '2024-05-10',
        referredBy: 'Link worker A',
        wellbeingBefore: { lifeSatisfaction: 4, worthwhile: 5, happiness: 4, anxiety: 7 },
        wellbeingAfter: { lifeSatisfaction: 6, worthwhile: 6, happiness: 5, anxiety: 5 },
      },
    ]);
  });

  it('takes the optional score columns away, and blank scores as none', () => {
    const { referrals, errors } = parseReferralImport(table([GOOD.slice(0, 6), ['2', 'choir', 'other', 'declined', '2025-01-02', 'GP practice', ''].slice(0, 6), ['']], REFERRAL_IMPORT_REQUIRED), CTX);
    expect(errors).toEqual([]);
    expect(referrals.map((r) => [r.line, r.neighbourhoodId, r.wellbeingBefore, r.wellbeingAfter])).toEqual([
      [2, 'leeds-1', null, null],
      [3, 'calderdale-1', null, null],
    ]);
  });

  it.each<[string, string[], string]>([
    ['an id that is not digits', withCell(0, 'NHS123'), "referrals.csv, line 2, field 'person_id': 'NHS123' is not a pseudonymous person id (digits)"],
    ['someone not resident', withCell(0, '999'), "referrals.csv, line 2, field 'person_id': person 999 is not a resident of any neighbourhood in the data"],
    ['a service not in the directory', withCell(1, 'gym'), "referrals.csv, line 2, field 'service_id': 'gym' is not in the directory of services"],
    ['free text as a reason', withCell(2, 'lonely'), "referrals.csv, line 2, field 'reason': 'lonely' is not a reason code"],
    ['an unknown status', withCell(3, 'done'), "referrals.csv, line 2, field 'status': 'done' is not a status"],
    ['a date the wrong way round', withCell(4, '10/05/2024'), "referrals.csv, line 2, field 'referred_on': '10/05/2024' is not a date (YYYY-MM-DD)"],
    ['a date that does not exist', withCell(4, '2024-02-30'), "referrals.csv, line 2, field 'referred_on': '2024-02-30' is not a date (YYYY-MM-DD)"],
    ['a date in the future', withCell(4, '2027-01-01'), "referrals.csv, line 2, field 'referred_on': 2027-01-01 is after today (2026-11-26)"],
    ['nobody referring', withCell(5, ' '), "referrals.csv, line 2, field 'referred_by': who referred"],
    ['a score out of range', withCell(col('wellbeing_before_anxiety'), '11'), "referrals.csv, line 2, field 'wellbeing_before_anxiety': '11' is not a score from 0 to 10"],
    ['some scores missing', withCell(col('wellbeing_before_happiness'), ''), "referrals.csv, line 2, field 'wellbeing_before_happiness': give all four wellbeing before scores or none"],
    ['a follow-up score without taking part', withCell(3, 'declined'), "referrals.csv, line 2, field 'wellbeing_after_life_satisfaction': a follow-up wellbeing score is recorded once the person is attending or has completed"],
    ['a short row', GOOD.slice(0, 5), "referrals.csv, line 2, field '(row)': 5 fields, the header has 14"],
  ])('refuses %s, naming the line and field', (_name, row, message) => {
    const { referrals, errors } = parseReferralImport(table([row]), CTX);
    expect(referrals).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining(message)]);
  });

  it('refuses a file without the columns it needs, or with columns it does not know', () => {
    const { errors } = parseReferralImport(table([], ['person_id', 'service', 'reason', 'status', 'referred_on', 'referred_by']), CTX);
    expect(errors.map((e) => e.message)).toEqual(['referrals.csv, line 1: missing column service_id', expect.stringMatching(/^referrals\.csv, line 1: unknown column service \(expected person_id, service_id/)]);
  });

  it('keeps going to list up to the limit, good rows aside', () => {
    const rows = [GOOD, ...Array.from({ length: 30 }, () => withCell(2, 'x'))];
    const { referrals, errors } = parseReferralImport(table(rows), CTX, 5);
    expect(referrals).toHaveLength(1);
    expect(errors.map((e) => e.location.line)).toEqual([3, 4, 5, 6, 7]);
  });
});
