import { describe, expect, it } from 'vitest';
import { daySql, ident, literal, personIdSql } from './sql.js';

describe('SQL text from values', () => {
  it.each([
    ['quotes doubled', literal("o'brien"), "'o''brien'"],
    ['identifier quotes doubled', ident('a"b'), '"a""b"'],
    ['a person id', personIdSql('1234567890'), '1234567890::BIGINT'],
    ['a day', daySql('2026-03-31'), "DATE '2026-03-31'"],
  ])('%s', (_, got, expected) => expect(got).toBe(expected));

  it.each(['', '12a', '1 OR 1=1', '-1', '1234567890123456789', ' 1', '１２'])('no person id from %j', (text) => {
    expect(personIdSql(text)).toBeNull();
  });

  it.each(['2026-3-31', "2026-03-31' OR '1'='1", ''])('no day from %j', (text) => {
    expect(() => daySql(text)).toThrow(/not an ISO day/);
  });
});
