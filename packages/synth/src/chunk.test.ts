import { describe, expect, it } from 'vitest';
import { LSOAS_PER_CHUNK_DEFAULT, lsoasPerChunkFor } from './chunk.js';

/** The partnership's LSOAs (docs/geography.md). */
const LSOAS = 1524;
const chunksOf = (size: number): number => Math.ceil(LSOAS / lsoasPerChunkFor(LSOAS, size));

describe('lsoasPerChunkFor', () => {
  it('keeps 24 LSOAs a chunk (64 part files a table) for the whole partnership', () => {
    expect(lsoasPerChunkFor(LSOAS, 2_700_000)).toBe(LSOAS_PER_CHUNK_DEFAULT);
    expect(chunksOf(2_700_000)).toBe(64);
  });

  it('writes fewer part files for a smaller partnership: one chunk per 40,000 people, at least 8', () => {
    expect(chunksOf(100)).toBe(8);
    expect(chunksOf(2_000)).toBe(8);
    expect(chunksOf(100_000)).toBe(8);
    expect(chunksOf(400_000)).toBe(10);
    expect(chunksOf(1_000_000)).toBe(25);
  });

  it('covers every LSOA, in chunks of at least one', () => {
    for (const size of [100, 5_000, 2_700_000]) {
      for (const areas of [1, 7, 24, LSOAS]) {
        const per = lsoasPerChunkFor(areas, size);
        expect(per).toBeGreaterThanOrEqual(1);
        expect(Math.ceil(areas / per) * per).toBeGreaterThanOrEqual(areas);
      }
    }
  });
});
