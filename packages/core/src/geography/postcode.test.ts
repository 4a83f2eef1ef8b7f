import { describe, expect, it } from 'vitest';
import { parsePostcode } from './postcode.js';

describe('parsePostcode', () => {
  it.each([
    ['LS1 4DY', 'LS1 4DY'],
    ['ls14dy', 'LS1 4DY'],
    ['  Ls1   4dY ', 'LS1 4DY'],
    ['BD10 8AB', 'BD10 8AB'],
    ['bd108ab', 'BD10 8AB'],
    ['HG1 1AA', 'HG1 1AA'],
    ['W1A 1AA', 'W1A 1AA'],
    ['HX1\t2AB', 'HX1 2AB'],
  ])('%j is %j', (typed, postcode) => {
    expect(parsePostcode(typed)).toEqual({ ok: true, postcode });
  });

  it.each([
    ['', 'type a postcode'],
    ['   ', 'type a postcode'],
    ['LS1', 'not a UK postcode'],
    ['4DY LS1', 'not a UK postcode'],
    ['LS1 4D', 'not a UK postcode'],
    ['Leeds', 'not a UK postcode'],
    ['LS1 4DY; DROP', 'not a UK postcode'],
    ['LS1 4DY, LS1 4DY, LS1 4DY', 'too long'],
  ])('%j is refused (%s)', (typed, problem) => {
    const r = parsePostcode(typed);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toContain(problem);
  });
});
