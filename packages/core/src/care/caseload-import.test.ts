import { describe, expect, it } from 'vitest';
import { CASELOAD_IMPORT_OPTIONAL, CASELOAD_IMPORT_REQUIRED, parseCaseloadImport, type CaseloadImportContext } from './caseload-import.js';

const CTX: CaseloadImportContext = { today: '2026-11-26', neighbourhoodOf: new Map([['100', 'leeds-1'], ['101', 'leeds-1'], ['2', 'calderdale-1']]), active: new Set(['101']) };
const HEADER = [...CASELOAD_IMPORT_REQUIRED, ...CASELOAD_IMPORT_OPTIONAL];
// person_id, source, key_worker, taken_on, next_review, cohort_id, outcome
const ACTIVE = ['100', 'hospital-discharge', 'Community matron', '2026-09-01', '2026-12-01', '', ''];
const ENDED = ['2', 'worklist', 'Care coordinator', '2024-03-04', '2024-04-01', 'frail-65-emergency-admission', 'goals-met'];
const table = (rows: string[][], header: readonly string[] = HEADER) => ({ file: 'caseload.csv', header, rows: rows.map((cells, i) => ({ line: i + 2, cells })) });
const withCell = (row: string[], i: number, v: string) => row.map((c, j) => (j === i ? v : c));

describe('parseCaseloadImport', () => {
  it('reads active and ended episodes, with the neighbourhood each person lives in', () => {
    const { episodes, errors } = parseCaseloadImport(table([ACTIVE, ENDED]), CTX);
    expect(errors).toEqual([]);
    expect(episodes).toEqual([
      { line: 2, personId: '100', neighbourhoodId: 'leeds-1', source: 'hospital-discharge', cohortId: null, keyWorker: 'Community matron', takenOn: '2026-09-01', nextReview: '2026-12-01', outcome: null },
      { line: 3, personId: '2', neighbourhoodId: 'calderdale-1', source: 'worklist', cohortId: 'frail-65-emergency-admission', keyWorker: 'Care coordinator', takenOn: '2024-03-04', nextReview: '2024-04-01', outcome: 'goals-met' },
    ]);
  });

  it('allows an ended episode for someone on the caseload now, and several ended ones', () => {
    const earlier = ['101', 'gp', 'Practice nurse', '2023-01-10', '2023-02-01', '', 'stable-self-managing'];
    const { episodes, errors } = parseCaseloadImport(table([earlier, withCell(earlier, 3, '2024-01-10')]), CTX);
    expect(errors).toEqual([]);
    expect(episodes).toHaveLength(2);
  });

  it.each<[string, string[][], string]>([
    ['someone not resident', [withCell(ACTIVE, 0, '999')], "caseload.csv, line 2, field 'person_id': person 999 is not a resident of any neighbourhood in the data"],
    ['an unknown source', [withCell(ACTIVE, 1, 'a&e')], "caseload.csv, line 2, field 'source': 'a&e' is not a source"],
    ['a worklist without its cohort', [withCell(ENDED, 5, '')], "caseload.csv, line 2, field 'cohort_id': name the cohort the worklist came from (its id)"],
    ['a cohort for someone not from a worklist', [withCell(ACTIVE, 5, 'frail')], "caseload.csv, line 2, field 'cohort_id': a cohort is named only for people found on a worklist"],
    ['no key worker', [withCell(ACTIVE, 2, '')], "caseload.csv, line 2, field 'key_worker': the key worker"],
    ['a day taken on in the future', [withCell(ACTIVE, 3, '2027-01-01')], "caseload.csv, line 2, field 'taken_on': 2027-01-01 is after today (2026-11-26)"],
    ['a review that is not a date', [withCell(ACTIVE, 4, 'soon')], "caseload.csv, line 2, field 'next_review': 'soon' is not a date (YYYY-MM-DD)"],
    ['an unknown outcome', [withCell(ENDED, 6, 'better')], "caseload.csv, line 2, field 'outcome': 'better' is not an outcome"],
    ['a second active episode of someone already on the caseload', [withCell(ACTIVE, 0, '101')], "caseload.csv, line 2, field 'person_id': person 101 is already on the caseload (one active episode per person)"],
    ['two active episodes in the file', [ACTIVE, withCell(ACTIVE, 3, '2026-10-01')], "caseload.csv, line 3, field 'person_id': person 100 has another active episode on line 2"],
  ])('refuses %s, naming the line and field', (_name, rows, message) => {
    const { errors } = parseCaseloadImport(table(rows), CTX);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining(message)]);
  });

  it('needs its columns', () => {
    expect(parseCaseloadImport(table([], ['person_id', 'source']), CTX).errors.map((e) => e.message)).toEqual(['caseload.csv, line 1: missing columns key_worker, taken_on, next_review']);
  });
});
