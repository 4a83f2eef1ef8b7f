import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSharedDataDir } from './geography.js';
import { loadPostcodeLookup, parsePostcodeLookup } from './postcodes.js';

const HEADER = 'postcode,lsoa11cd,lad_code,latitude,longitude,terminated,terminated_basis,lsoa21cd,lsoa11_method';

describe('parsePostcodeLookup', () => {
  it('maps each postcode to its 2011 LSOA, keeping terminated ones marked', () => {
    const lookup = parsePostcodeLookup([HEADER, 'LS1 2AB,E01000001,E08000035,,,0,x,E01000001,lsoa21_same', 'LS1 2AD,E01000002,E08000035,,,1,x,E01000002,lsoa21_same', 'LS1 2AE,,E08000035,,,,x,,none'].join('\n'));
    expect([...lookup]).toEqual([
      ['LS1 2AB', { lsoa11: 'E01000001', terminated: false }],
      ['LS1 2AD', { lsoa11: 'E01000002', terminated: true }],
    ]);
  });

  it('refuses a row that is not a postcode, naming the line', () => {
    expect(() => parsePostcodeLookup([HEADER, 'LS1 2AB,E01000001,E08000035,,,0,x,E01000001,lsoa21_same', 'nonsense,E01000001,E08000035,,,0,x,,x'].join('\n'), 'p.csv')).toThrow(/p\.csv.*3/);
  });
});

const shared = (() => {
  try {
    const dir = resolveSharedDataDir();
    return existsSync(join(dir, 'identity/postcode_lsoa11_wyh.csv')) ? dir : undefined;
  } catch {
    return undefined;
  }
})();

describe.skipIf(shared === undefined)('the shared lookup', () => {
  it('holds the partnership postcodes, each once', async () => {
    const lookup = await loadPostcodeLookup(shared);
    expect(lookup.size).toBe(97_657);
    expect(lookup.get('BB8 6JR' as never)?.lsoa11).toBe('E01027586');
  });

  it('says where it looked when the file is missing', async () => {
    await expect(loadPostcodeLookup('/nonexistent-folder')).rejects.toThrow(/postcode search is not available/);
  });
});
