/**
 * Sets of codes tested on records by bits. A query whose aggregates each filter a record's code by a
 * list (`snomed_code IN (…)` for each condition, deficit or observation) joins the records once to a
 * relation of every code of any set, with mask columns (m0, m1, …: bit k of mask j set when the code
 * is in set 62j + k), and tests a set as one bit: the same rows (the join keeps the records whose
 * code is in some set, as an IN list of their union does) and the same answers, where DuckDB would
 * compare each record's code with every list (about 130 text comparisons a record for the person
 * features' clinical events).
 */
import { InternalError } from '@openphm/core';
import { literal } from './sql.js';

/** Bits of a mask column: 62, so that every mask is a positive BIGINT. */
const SET_BITS = 62;

/** The relation's name in a query, and its code column to join the records' code on. */
export const CODE_SETS = 'code_sets';
export const CODE_SETS_CODE = `${CODE_SETS}.set_code`;

export class CodeSets {
  /** Each set (by its codes, sorted), with its mask column's number and its bit, in the order first asked for. */
  private readonly sets = new Map<string, { readonly mask: number; readonly bit: bigint; readonly codes: readonly string[] }>();

  /** The set's mask column and bit (the set is registered on first use). */
  private slot(codes: readonly string[]): { readonly column: string; readonly bit: bigint } {
    const distinct = [...new Set(codes)].sort();
    if (distinct.length === 0) throw new InternalError('a code set without a code');
    const key = distinct.join('\n');
    let set = this.sets.get(key);
    if (set === undefined) {
      const index = this.sets.size;
      this.sets.set(key, (set = { mask: Math.floor(index / SET_BITS), bit: 1n << BigInt(index % SET_BITS), codes: distinct }));
    }
    return { column: `${CODE_SETS}.m${set.mask}`, bit: set.bit };
  }

  /** SQL true when the joined record's code is one of `codes`. */
  test(codes: readonly string[]): string {
    const { column, bit } = this.slot(codes);
    return `(${column} & ${bit}) <> 0`;
  }

  /**
   * For "some record of the group has one of `codes`" (`bool_or` of test(codes)): the aggregate of the set's mask column
   * over the group's records, `bit_or`, the same for every set of that column (so one aggregate answers up to 62 such
   * questions), and the test of its value (NULL for a group without records, as bool_or's).
   */
  any(codes: readonly string[]): { readonly aggregate: string; readonly test: (value: string) => string } {
    const { column, bit } = this.slot(codes);
    return { aggregate: `bit_or(${column})`, test: (value) => `(${value} & ${bit}) <> 0` };
  }

  get size(): number {
    return this.sets.size;
  }

  /** The relation (aliased CODE_SETS) of every code in any set, with its masks: one row per code, in code order. */
  relation(): string {
    if (this.sets.size === 0) throw new InternalError('code sets without a set');
    const columns = Math.ceil(this.sets.size / SET_BITS);
    const masks = new Map<string, bigint[]>();
    for (const { mask, bit, codes } of this.sets.values()) {
      for (const code of codes) {
        const masksOfCode = masks.get(code) ?? masks.set(code, Array.from({ length: columns }, () => 0n)).get(code)!;
        masksOfCode[mask] = masksOfCode[mask]! | bit;
      }
    }
    const rows = [...masks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, mask]) => `(${literal(code)}, ${mask.map((m) => `${m}::BIGINT`).join(', ')})`);
    return `(VALUES ${rows.join(', ')}) AS ${CODE_SETS}(set_code, ${Array.from({ length: columns }, (_, j) => `m${j}`).join(', ')})`;
  }
}
