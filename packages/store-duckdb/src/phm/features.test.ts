import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { codeSets } from './features.js';

/** Every set's membership by codeSets, and by IN, for each code of a table of codes (some in no set). */
const memberships = async (sets: { name: string; codes: string[] }[], codes: string[]) => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE r AS SELECT unnest([${codes.map((c) => `'${c}'`).join(', ')}]) AS code`);
    const s = codeSets(sets);
    const joined = (await connection.runAndReadAll(`SELECT code, ${sets.map((x) => `${s.has(x.name)} AS "${x.name}"`).join(', ')} FROM r JOIN ${s.relation} ON ${s.code} = code ORDER BY code`)).getRowObjectsJS();
    const inList = (
      await connection.runAndReadAll(
        `SELECT code, ${sets.map((x) => `code IN (${x.codes.map((c) => `'${c}'`).join(', ')}) AS "${x.name}"`).join(', ')} FROM r WHERE code IN (${[...new Set(sets.flatMap((x) => x.codes))].map((c) => `'${c}'`).join(', ')}) ORDER BY code`,
      )
    ).getRowObjectsJS();
    return { joined, inList };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
};

describe('codeSets: named sets of codes as one relation and bit tests', () => {
  it('gives the same rows and memberships as IN lists, over more sets than one mask holds', async () => {
    // 130 sets (three mask columns), overlapping: set k holds the codes c(k) to c(k + 4); code c200 is in none.
    const sets = Array.from({ length: 130 }, (_, k) => ({ name: `set ${k}`, codes: Array.from({ length: 5 }, (_, i) => `c${k + i}`) }));
    const codes = [...Array.from({ length: 134 }, (_, i) => `c${i}`), 'c200', 'c3', 'c61', 'c62', 'c63', 'c124'];
    const { joined, inList } = await memberships(sets, codes);
    expect(joined.length).toBe(codes.length - 1);
    expect(joined).toEqual(inList);
    // The bits either side of a mask's end.
    expect(joined.find((r) => r.code === 'c62')).toMatchObject({ 'set 58': true, 'set 61': true, 'set 62': true, 'set 63': false, 'set 57': false });
  });

  it('refuses a set named twice and a name it does not hold', () => {
    expect(() => codeSets([{ name: 'a', codes: ['1'] }, { name: 'a', codes: ['2'] }])).toThrow(/named twice/);
    expect(() => codeSets([{ name: 'a', codes: ['1'] }]).has('b')).toThrow(/no code set b/);
  });
});
