import { describe, expect, it } from 'vitest';
import { nationalDeciles, parsePcnImdCsv, parsePracticeImdCsv, parsePracticeToPcnCsv, selectPracticesAndPcns } from './practices.js';

const LINKS_HEADER =
  'practice_code,practice_name,practice_subicb_code,practice_subicb_name,pcn_code,pcn_name,pcn_subicb_code,pcn_subicb_name,rel_start_date,rel_end_date,subicb_match';
const link = (practice: string, subIcb: string, pcn: string, end = '') =>
  `${practice},${practice} SURGERY,${subIcb},"NHS X ICB - ${subIcb}",${pcn},${pcn} PCN,${subIcb},"NHS X ICB - ${subIcb}",20190701,${end},true`;

const LINKS = [
  LINKS_HEADER,
  link('B86001', '15F', 'U11111'),
  link('B86002', '15F', 'U11111'),
  link('B86003', '15F', 'U22222'),
  link('B86003', '15F', 'U11111', '20200331'), // an ended relationship is ignored
  link('B86004', '15F', 'U22222'), // no IMD row: excluded
  link('B82001', '42D', 'U33333'), // Harrogate (HG postcode)
  link('B82002', '42D', 'U33333'), // York postcode, same PCN: kept
  link('B82003', '42D', 'U44444'), // Scarborough PCN: not Harrogate
  link('A81001', '16C', 'U55555'), // another ICB
].join('\r\n');

const practiceImd = (code: string, postcode: string, subIcb: string, score: number, decile: number) =>
  `"${code}","${code} SURGERY","${postcode}","${subIcb}",${score},${decile}`;
const PRACTICE_IMD = [
  '"practice_code","practice_name","postcode","subicb_code","imd_score","imd_decile"',
  practiceImd('B86001', 'LS11 5PS', '15F', 50.5, 1),
  practiceImd('B86002', 'LS12 3AB', '15F', 40.1, 2),
  practiceImd('B86003', 'LS16 6EB', '15F', 10.2, 9),
  practiceImd('B82001', 'HG1 5AR', '42D', 8.4, 10),
  practiceImd('B82002', 'YO51 9BD', '42D', 12.0, 8),
  practiceImd('B82003', 'YO11 1AA', '42D', 30.0, 3),
  practiceImd('A81001', 'TS18 1HU', '16C', 34.6, 2),
].join('\n');

const PCN_IMD = [
  '"pcn_code","pcn_name","postcode","subicb_code","imd_score","imd_decile"',
  '"U","Unknown","Unknown","UNK",16.5572758284893,7',
  '"U11111","U11111 PCN","LS11 5PS","15F",45.2,1',
  '"U22222","U22222 PCN","LS16 6EB","15F",10.2,9',
  '"U33333","U33333 PCN","HG1 5AR","42D",9.5,10',
  '"U44444","U44444 PCN","YO11 1AA","42D",30,3',
  '"U55555","U55555 PCN","TS18 1HU","16C",34.6,2',
].join('\n');

describe('parsePracticeToPcnCsv', () => {
  it('keeps current relationships (empty rel_end_date) only', () => {
    const links = parsePracticeToPcnCsv(LINKS);
    expect(links).toHaveLength(8);
    expect(links.find((l) => l.practiceCode === 'B86003')).toMatchObject({ pcnCode: 'U22222', practiceSubIcbCode: '15F', line: 4 });
  });

  it('rejects a practice with two current PCNs', () => {
    expect(() => parsePracticeToPcnCsv([LINKS_HEADER, link('B86001', '15F', 'U1'), link('B86001', '15F', 'U2')].join('\n'), 'links.csv')).toThrow(
      "links.csv, line 3, field 'practice_code': practice B86001 has a second current PCN (first on line 2)",
    );
  });

  it('names a missing column', () => {
    expect(() => parsePracticeToPcnCsv('practice_code,pcn_code\nB86001,U1\n', 'links.csv')).toThrow("links.csv, line 1, field 'practice_name'");
  });
});

describe('parseOrganisationImdCsv', () => {
  it('reads quoted codes, postcodes and scores', () => {
    expect(parsePracticeImdCsv(PRACTICE_IMD).get('B82002')).toMatchObject({ postcode: 'YO51 9BD', subIcbCode: '42D', score: 12, decile: 8 });
    expect(parsePcnImdCsv(PCN_IMD).get('U11111')).toMatchObject({ name: 'U11111 PCN', score: 45.2 });
  });

  it('rejects a score that is not a number', () => {
    expect(() => parsePcnImdCsv('pcn_code,pcn_name,postcode,subicb_code,imd_score,imd_decile\nU1,X,Y,Z,NA,3\n', 'pcn.csv')).toThrow(
      "pcn.csv, line 2, field 'imd_score': 'NA' is not a number",
    );
  });
});

describe('nationalDeciles', () => {
  it('splits like ntile: larger groups first, highest score = decile 1', () => {
    const scores = new Map(Array.from({ length: 23 }, (_, i) => [`P${String(i).padStart(2, '0')}`, 100 - i] as const));
    const deciles = [...nationalDeciles(scores).values()];
    // 23 = 3 + 3 + 3 groups of 3 then 7 groups of 2.
    expect(deciles).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10]);
  });

  it('breaks ties by key', () => {
    const d = nationalDeciles(new Map(Array.from({ length: 10 }, (_, i) => [`P${9 - i}`, 1] as const)));
    expect(d.get('P0')).toBe(1);
    expect(d.get('P9')).toBe(10);
  });
});

describe('selectPracticesAndPcns', () => {
  const selected = selectPracticesAndPcns(parsePracticeToPcnCsv(LINKS), parsePracticeImdCsv(PRACTICE_IMD), parsePcnImdCsv(PCN_IMD));

  it('keeps the places’ PCNs, Harrogate only where a practice has an HG postcode', () => {
    expect(selected.pcns.map((p) => [p.code, p.place, p.imdScore, p.practiceCodes])).toEqual([
      ['U11111', 'leeds', 45.2, ['B86001', 'B86002']],
      ['U22222', 'leeds', 10.2, ['B86003']],
      ['U33333', 'harrogate', 9.5, ['B82001', 'B82002']],
    ]);
  });

  it('gives practices their postcode, score and national decile among all practices in the file', () => {
    expect(selected.practices.map((p) => [p.code, p.place, p.pcnCode, p.postcode, p.imdDecile])).toEqual([
      ['B82001', 'harrogate', 'U33333', 'HG1 5AR', 7],
      ['B82002', 'harrogate', 'U33333', 'YO51 9BD', 5],
      ['B86001', 'leeds', 'U11111', 'LS11 5PS', 1],
      ['B86002', 'leeds', 'U11111', 'LS12 3AB', 2],
      ['B86003', 'leeds', 'U22222', 'LS16 6EB', 6],
    ]);
  });

  it('lists practices left out for want of an IMD row', () => {
    expect(selected.excluded).toEqual([expect.objectContaining({ code: 'B86004', pcnCode: 'U22222' })]);
  });
});
