import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { CODE_SETS_CODE, CodeSets } from './code-sets.js';

const inList = (codes: readonly string[]) => `code IN (${codes.map((c) => `'${c}'`).join(', ')})`;

/** Every set's test by CodeSets over the joined relation, and by IN over the union's rows, for each code of a table of codes. */
const memberships = async (sets: string[][], codes: string[]) => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE r AS SELECT unnest([${codes.map((c) => `'${c}'`).join(', ')}]) AS code`);
    const s = new CodeSets();
    const tests = sets.map((codes) => s.test(codes));
    const joined = (await connection.runAndReadAll(`SELECT code, ${tests.map((t, k) => `${t} AS s${k}`).join(', ')} FROM r JOIN ${s.relation()} ON ${CODE_SETS_CODE} = code ORDER BY code`)).getRowObjectsJS();
    const byIn = (await connection.runAndReadAll(`SELECT code, ${sets.map((codes, k) => `${inList(codes)} AS s${k}`).join(', ')} FROM r WHERE ${inList(sets.flat())} ORDER BY code`)).getRowObjectsJS();
    return { joined, byIn, size: s.size };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
};

describe('CodeSets: sets of codes as one joined relation and bit tests', () => {
  it('gives the same rows and memberships as IN lists, over more sets than one mask holds', async () => {
    // 130 sets (three mask columns), overlapping: set k holds the codes c(k) to c(k + 4); code c200 is in none.
    const sets = Array.from({ length: 130 }, (_, k) => Array.from({ length: 5 }, (_, i) => `c${k + i}`));
    const codes = [...Array.from({ length: 134 }, (_, i) => `c${i}`), 'c200', 'c3', 'c61', 'c62', 'c63', 'c124'];
    const { joined, byIn, size } = await memberships(sets, codes);
    expect(size).toBe(130);
    expect(joined.length).toBe(codes.length - 1);
    expect(joined).toEqual(byIn);
    // The bits either side of a mask's end.
    expect(joined.find((r) => r.code === 'c62')).toMatchObject({ s58: true, s61: true, s62: true, s63: false, s57: false });
  });

  it("answers 'some record of the group has one of these codes' by one bit_or a mask column, as bool_or of IN does", async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      // People's records (person 4 has none of the sets' codes: no row after the join, NULL in the LEFT JOIN, as bool_or).
      await connection.run(`CREATE TABLE r AS SELECT * FROM (VALUES (1, 'c1'), (1, 'c70'), (2, 'c64'), (2, 'c64'), (3, 'c2'), (4, 'x')) t(person, code)`);
      const sets = Array.from({ length: 70 }, (_, k) => [`c${k}`, `c${k + 1}`]);
      const s = new CodeSets();
      const answers = sets.map((codes) => s.any(codes));
      const aggregates = [...new Set(answers.map((a) => a.aggregate))];
      expect(aggregates.length).toBe(2);
      const joined = `SELECT person, ${aggregates.map((a, j) => `${a} AS g${j}`).join(', ')} FROM r JOIN ${s.relation()} ON ${CODE_SETS_CODE} = code GROUP BY person`;
      const byBits = (
        await connection.runAndReadAll(
          `SELECT p.person, ${answers.map((a, k) => `${a.test(`g${aggregates.indexOf(a.aggregate)}`)} AS s${k}`).join(', ')} FROM (SELECT DISTINCT person FROM r) p LEFT JOIN (${joined}) USING (person) ORDER BY p.person`,
        )
      ).getRowObjectsJS();
      const byIn = (
        await connection.runAndReadAll(
          `SELECT p.person, ${sets.map((_, k) => `f.s${k}`).join(', ')} FROM (SELECT DISTINCT person FROM r) p LEFT JOIN (SELECT person, ${sets.map((codes, k) => `bool_or(${inList(codes)}) AS s${k}`).join(', ')} FROM r WHERE ${inList(sets.flat())} GROUP BY person) f USING (person) ORDER BY p.person`,
        )
      ).getRowObjectsJS();
      expect(byBits).toEqual(byIn);
      expect(byBits.find((r) => r.person === 2)).toMatchObject({ s63: true, s64: true, s62: false });
      expect(byBits.find((r) => r.person === 4)!.s0).toBeNull();
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('gives one set for the same codes in any order or repeated, and refuses an empty set', () => {
    const s = new CodeSets();
    expect(s.test(['b', 'a'])).toBe(s.test(['a', 'b', 'a']));
    expect(s.test(['c'])).not.toBe(s.test(['a', 'b']));
    expect(s.size).toBe(2);
    expect(() => s.test([])).toThrow(/without a code/);
    expect(() => new CodeSets().relation()).toThrow(/without a set/);
  });
});
