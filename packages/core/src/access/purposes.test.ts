import { describe, expect, it } from 'vitest';
import { publishCount } from '../publication/counts.js';
import type { OptOutKind } from '../schema/tables.js';
import {
  OPT_OUTS_APPLYING,
  PERSON_LEVEL_USES,
  PURPOSES,
  includedFor,
  isPurpose,
  isSecondaryPurpose,
  leftOutStatement,
  linkIncludedFor,
  personLevelPurposeOf,
  purposeOfUse,
  type Purpose,
} from './purposes.js';

const NONE: OptOutKind[] = [];
const TYPE_1: OptOutKind[] = ['type-1'];
const NATIONAL: OptOutKind[] = ['national'];
const BOTH: OptOutKind[] = ['type-1', 'national'];

describe('who is included for each purpose', () => {
  // person's opt-outs × purpose → included
  const table: [string, OptOutKind[], Purpose, boolean][] = [
    ['no opt-out', NONE, 'direct-care', true],
    ['no opt-out', NONE, 'planning', true],
    ['no opt-out', NONE, 'research', true],
    ['type 1 only', TYPE_1, 'direct-care', true],
    ['type 1 only', TYPE_1, 'planning', false],
    ['type 1 only', TYPE_1, 'research', false],
    ['national only', NATIONAL, 'direct-care', true],
    ['national only', NATIONAL, 'planning', false],
    ['national only', NATIONAL, 'research', false],
    ['both', BOTH, 'direct-care', true],
    ['both', BOTH, 'planning', false],
    ['both', BOTH, 'research', false],
  ];
  it.each(table)('%s, %s → included %s', (_who, optOuts, purpose, included) => {
    expect(includedFor(purpose, optOuts)).toBe(included);
  });

  it.each<[string, OptOutKind[], OptOutKind[], Purpose, boolean]>([
    ['neither opted out', NONE, NONE, 'planning', true],
    ['the carer opted out (national)', NATIONAL, NONE, 'planning', false],
    ['the person cared for opted out (type 1)', NONE, TYPE_1, 'research', false],
    ['both opted out, for direct care', BOTH, BOTH, 'direct-care', true],
    ['the person cared for opted out, for direct care', NONE, NATIONAL, 'direct-care', true],
  ])('a carer link: %s, %s %s, %s → included %s', (_who, carer, caredFor, purpose, included) => {
    expect(linkIncludedFor(purpose, carer, caredFor)).toBe(included);
    expect(linkIncludedFor(purpose, caredFor, carer)).toBe(included);
  });

  it('covers every purpose and every kind of opt-out in the table', () => {
    expect(new Set(table.map((r) => r[2]))).toEqual(new Set(PURPOSES));
    expect(Object.keys(OPT_OUTS_APPLYING).sort()).toEqual([...PURPOSES].sort());
  });
});

describe('uses and their purposes', () => {
  it.each([
    ['care-team-worklist', 'direct-care'],
    ['care-team-record', 'direct-care'],
    ['analyst-worklist', 'planning'],
    ['analyst-record', 'planning'],
    ['cohort-export', 'planning'],
    ['evaluation', 'planning'],
    ['model-training', 'research'],
  ] as const)('%s is %s', (use, purpose) => {
    expect(purposeOfUse(use)).toBe(purpose);
  });

  it('lists every use above', () => expect(Object.keys(PERSON_LEVEL_USES)).toHaveLength(7));

  it.each([
    ['neighbourhood', 'direct-care'],
    ['analyst', 'planning'],
    ['admin', 'planning'],
    ['public', 'planning'],
  ] as const)('person-level rows for the %s role are for %s', (role, purpose) => {
    expect(personLevelPurposeOf(role)).toBe(purpose);
  });

  it('narrows text to purposes', () => {
    expect(isPurpose('research')).toBe(true);
    expect(isPurpose('marketing')).toBe(false);
    expect(isSecondaryPurpose('direct-care')).toBe(false);
    expect(isSecondaryPurpose('planning')).toBe(true);
  });
});

describe('what a use says about who was left out', () => {
  it('says everyone is included for direct care', () => {
    expect(leftOutStatement('direct-care', publishCount({ n: 0, key: 0 }))).toMatch(/Everyone is included/);
  });
  it('gives the published count for planning, withheld when small', () => {
    const big = publishCount({ n: 120, key: 17 });
    expect(big).not.toBeNull();
    expect(leftOutStatement('planning', big)).toBe(`Purpose: planning. People with a national data opt-out or a type 1 opt-out are left out: ${big} of them.`);
    expect(leftOutStatement('research', publishCount({ n: 3, key: 5 }))).toMatch(/left out: \[c\]/);
  });
});
