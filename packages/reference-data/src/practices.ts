/**
 * GP practices and Primary Care Networks (NHS ODS ePCN extract) with their patient-weighted IMD
 * scores, filtered to the places of the partnership.
 */
import {
  InputError,
  OdsPcn,
  OdsPractice,
  PLACE_IDS,
  PLACES,
  type OdsPcnCode,
  type OdsPracticeCode,
  type Pcn,
  type PlaceId,
  type Practice,
} from '@openphm/core';
import { columnReader, readCsvTable } from './csv.js';

export const PRACTICE_TO_PCN_FILE = 'practice_to_pcn_england.csv';
export const PRACTICE_IMD_FILE = 'practice_imd.csv';
export const PCN_IMD_FILE = 'pcn_imd.csv';

/** One current practice → PCN relationship (rows with an empty rel_end_date). */
export interface PracticePcnLink {
  readonly line: number;
  readonly practiceCode: string;
  readonly practiceName: string;
  readonly practiceSubIcbCode: string;
  readonly pcnCode: string;
  readonly pcnName: string;
  readonly pcnSubIcbCode: string;
}

export interface OrganisationImd {
  readonly line: number;
  readonly name: string;
  readonly postcode: string;
  readonly subIcbCode: string;
  /** Patient-weighted IMD 2019 score (higher = more deprived). */
  readonly score: number;
  /** Decile as published in the file (1 = most deprived 10% of the organisations in England). */
  readonly decile: number;
}

/** Current practice → PCN relationships: rows whose `rel_end_date` is empty. */
export const parsePracticeToPcnCsv = (text: string, file = PRACTICE_TO_PCN_FILE): PracticePcnLink[] => {
  const table = readCsvTable(text, file);
  const get = columnReader(table, {
    practiceCode: 'practice_code',
    practiceName: 'practice_name',
    practiceSubIcbCode: 'practice_subicb_code',
    pcnCode: 'pcn_code',
    pcnName: 'pcn_name',
    pcnSubIcbCode: 'pcn_subicb_code',
    relEndDate: 'rel_end_date',
  });
  const links: PracticePcnLink[] = [];
  const current = new Map<string, number>();
  for (const row of table.rows) {
    if (get.text(row, 'relEndDate') !== '') continue;
    const practiceCode = get.text(row, 'practiceCode');
    const previous = current.get(practiceCode);
    if (previous !== undefined) {
      throw new InputError({ file, line: row.line, field: 'practice_code' }, `practice ${practiceCode} has a second current PCN (first on line ${previous})`);
    }
    current.set(practiceCode, row.line);
    links.push({
      line: row.line,
      practiceCode,
      practiceName: get.text(row, 'practiceName'),
      practiceSubIcbCode: get.text(row, 'practiceSubIcbCode'),
      pcnCode: get.text(row, 'pcnCode'),
      pcnName: get.text(row, 'pcnName'),
      pcnSubIcbCode: get.text(row, 'pcnSubIcbCode'),
    });
  }
  return links;
};

/** practice_imd.csv / pcn_imd.csv: name, postcode, sub-ICB, IMD score and decile by ODS code. */
export const parseOrganisationImdCsv = (text: string, file: string, codeColumn: 'practice_code' | 'pcn_code'): Map<string, OrganisationImd> => {
  const table = readCsvTable(text, file);
  const nameColumn = codeColumn === 'practice_code' ? 'practice_name' : 'pcn_name';
  const get = columnReader(table, { code: codeColumn, name: nameColumn, postcode: 'postcode', subIcbCode: 'subicb_code', score: 'imd_score', decile: 'imd_decile' });
  const out = new Map<string, OrganisationImd>();
  for (const row of table.rows) {
    const code = get.text(row, 'code');
    if (out.has(code)) throw new InputError({ file, line: row.line, field: codeColumn }, `duplicate code '${code}'`);
    const decile = get.number(row, 'decile');
    if (!Number.isInteger(decile) || decile < 1 || decile > 10) {
      throw new InputError({ file, line: row.line, field: 'imd_decile' }, `${decile} is not a decile from 1 to 10`);
    }
    out.set(code, {
      line: row.line,
      name: get.text(row, 'name'),
      postcode: get.text(row, 'postcode'),
      subIcbCode: get.text(row, 'subIcbCode'),
      score: get.number(row, 'score'),
      decile,
    });
  }
  return out;
};

export const parsePracticeImdCsv = (text: string, file = PRACTICE_IMD_FILE) => parseOrganisationImdCsv(text, file, 'practice_code');
export const parsePcnImdCsv = (text: string, file = PCN_IMD_FILE) => parseOrganisationImdCsv(text, file, 'pcn_code');

/**
 * National deciles of scores where a higher score is more deprived: decile 1 = the most deprived
 * tenth. Groups are as equal as possible, the first (n mod 10) deciles one larger, like R's
 * `dplyr::ntile`; equal scores are ordered by key so the result is deterministic.
 */
export const nationalDeciles = (scores: ReadonlyMap<string, number>): Map<string, number> => {
  const ordered = [...scores].sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const n = ordered.length;
  const small = Math.floor(n / 10);
  const large = n % 10;
  const out = new Map<string, number>();
  ordered.forEach(([key], i) => {
    const decile = i < large * (small + 1) ? Math.floor(i / (small + 1)) + 1 : large + Math.floor((i - large * (small + 1)) / small) + 1;
    out.set(key, decile);
  });
  return out;
};

/**
 * Places where the sub-ICB location is wider than the place: keep only the PCNs with at least one
 * practice whose postcode matches. Harrogate sits inside 42D North Yorkshire; HG is the Harrogate
 * postcode area.
 */
export const PCN_POSTCODE_FILTERS: Partial<Record<PlaceId, RegExp>> = { harrogate: /^HG\d/ };

export interface ExcludedPractice {
  readonly code: string;
  readonly name: string;
  readonly pcnCode: string;
  readonly reason: string;
}

export interface PracticesAndPcns {
  readonly practices: Practice[];
  readonly pcns: Pcn[];
  /** Practices of a kept PCN that could not be used (no row in practice_imd.csv). */
  readonly excluded: ExcludedPractice[];
}

const byCode = <T extends { code: string }>(a: T, b: T): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * The practices and PCNs of each place: current relationships whose practice sub-ICB code is one
 * of the place's `subIcbCodes`, then the place's postcode filter (Harrogate). A practice with no
 * IMD row (so no postcode or score) is left out and listed in `excluded`.
 */
export const selectPracticesAndPcns = (
  links: readonly PracticePcnLink[],
  practiceImd: ReadonlyMap<string, OrganisationImd>,
  pcnImd: ReadonlyMap<string, OrganisationImd>,
): PracticesAndPcns => {
  const deciles = nationalDeciles(new Map([...practiceImd].map(([code, row]) => [code, row.score])));
  const practices: Practice[] = [];
  const pcns: Pcn[] = [];
  const excluded: ExcludedPractice[] = [];
  for (const place of PLACE_IDS) {
    const subIcbCodes = PLACES[place].subIcbCodes;
    const placeLinks = links.filter((l) => subIcbCodes.includes(l.practiceSubIcbCode));
    const byPcn = new Map<string, PracticePcnLink[]>();
    for (const link of placeLinks) byPcn.set(link.pcnCode, [...(byPcn.get(link.pcnCode) ?? []), link]);
    const filter = PCN_POSTCODE_FILTERS[place];
    for (const [pcnCode, members] of [...byPcn].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (filter !== undefined && !members.some((m) => filter.test(practiceImd.get(m.practiceCode)?.postcode ?? ''))) continue;
      const first = members[0]!;
      const location = (field: string) => ({ file: PRACTICE_TO_PCN_FILE, line: first.line, field });
      if (!OdsPcn.is(pcnCode)) throw new InputError(location('pcn_code'), `'${pcnCode}' is not a valid ODS PCN code`);
      const pcnRow = pcnImd.get(pcnCode);
      if (pcnRow === undefined) throw new InputError({ file: PCN_IMD_FILE, field: 'pcn_code' }, `no row for PCN ${pcnCode} (${first.pcnName})`);
      const practiceCodes: OdsPracticeCode[] = [];
      for (const member of members) {
        if (!OdsPractice.is(member.practiceCode)) {
          throw new InputError({ file: PRACTICE_TO_PCN_FILE, line: member.line, field: 'practice_code' }, `'${member.practiceCode}' is not a valid ODS practice code`);
        }
        const imd = practiceImd.get(member.practiceCode);
        if (imd === undefined) {
          excluded.push({ code: member.practiceCode, name: member.practiceName, pcnCode, reason: `no row in ${PRACTICE_IMD_FILE} (no postcode or IMD score)` });
          continue;
        }
        practiceCodes.push(member.practiceCode);
        practices.push({
          code: member.practiceCode,
          name: member.practiceName,
          postcode: imd.postcode,
          subIcbCode: member.practiceSubIcbCode,
          place,
          pcnCode: pcnCode as OdsPcnCode,
          imdScore: imd.score,
          imdDecile: deciles.get(member.practiceCode)!,
        });
      }
      if (practiceCodes.length === 0) continue;
      pcns.push({
        code: pcnCode,
        name: first.pcnName,
        place,
        subIcbCode: first.pcnSubIcbCode,
        imdScore: pcnRow.score,
        practiceCodes: practiceCodes.sort(),
      });
    }
  }
  return { practices: practices.sort(byCode), pcns: pcns.sort(byCode), excluded: excluded.sort(byCode) };
};
