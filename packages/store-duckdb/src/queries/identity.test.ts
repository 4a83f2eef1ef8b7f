import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNhsNumber } from '@openphm/core';
import { buildDatabase } from '../build.js';
import { openIdentityStore, type IdentityStore } from '../identity/store.js';
import { GEOGRAPHY, IDENTITY_HEADER, IDENTITY_ROWS, META, VALID_FILES, csv, makeTempDir, removeDir, writeCsvDir } from '../test-support.js';
import { identitiesByNameAndBirth, identityByNhsNumber, identityByPersonId } from './identity.js';

let root: string;
let store: IdentityStore;
beforeAll(async () => {
  root = makeTempDir();
  const csvDir = writeCsvDir(root, { ...VALID_FILES, 'identity.csv': csv(IDENTITY_HEADER, ...IDENTITY_ROWS) });
  const summary = await buildDatabase({ outFile: join(root, 'q.duckdb'), csvDir, geography: GEOGRAPHY, meta: META });
  store = (await openIdentityStore(summary.identity!.file, summary.buildId))!;
});
afterAll(() => {
  store.close();
  removeDir(root);
});

describe('finding people in the identity store', () => {
  it('by person id, with everything the care team needs', async () => {
    expect(await identityByPersonId(store, 1)).toEqual({
      personId: 1, nhsNumber: '9990000018', givenName: 'Arjun', familyName: 'Patel', dateOfBirth: '1980-05-06', sex: 'M',
      addressLine1: 'Flat 2', addressLine2: '4 Beck Road', town: 'Leeds', postcode: 'LS7 2BB', phone: null,
    });
    expect(await identityByPersonId(store, 99)).toBeUndefined();
  });

  it.each([
    ['9990000034', 3],
    ['9990000042', 4],
    ['9990000050', undefined],
  ])('by NHS number %s: person %s', async (nhs, personId) => {
    expect((await identityByNhsNumber(store, parseNhsNumber(nhs)))?.personId).toBe(personId);
  });

  it.each<[string, { familyName: string; dateOfBirth: string; givenName?: string }, number[]]>([
    ['exact', { familyName: 'Patel', dateOfBirth: '1980-05-06' }, [1]],
    ['any case, spaces around', { familyName: '  pATEL ', dateOfBirth: '1980-05-06' }, [1]],
    ['without the accent', { familyName: 'wojcik', dateOfBirth: '1950-02-01' }, [3]],
    ['with the accent', { familyName: 'Wójcik', dateOfBirth: '1950-02-01' }, [3]],
    ['an apostrophe', { familyName: "o'brien", dateOfBirth: '1940-01-01' }, [4]],
    ['the given name narrows', { familyName: 'Patel', dateOfBirth: '1980-05-06', givenName: 'arj' }, [1]],
    ['another given name', { familyName: 'Patel', dateOfBirth: '1980-05-06', givenName: 'Ravi' }, []],
    ['another date of birth', { familyName: 'Patel', dateOfBirth: '1980-05-07' }, []],
    ['part of a family name is not enough', { familyName: 'Pat', dateOfBirth: '1980-05-06' }, []],
    // The values are written into the SQL as escaped literals: quotes are only text, and NUL finds no one.
    ['SQL in a given name is text', { familyName: "o'brien", dateOfBirth: '1940-01-01', givenName: "x' OR '1'='1" }, []],
    ['SQL in a family name is text', { familyName: "x' OR '1'='1", dateOfBirth: '1980-05-06' }, []],
    ['a NUL character', { familyName: 'Patel\u0000', dateOfBirth: '1980-05-06' }, []],
    ['still there after all that', { familyName: 'Patel', dateOfBirth: '1980-05-06' }, [1]],
  ])('by family name and date of birth: %s', async (_, search, people) => {
    expect((await identitiesByNameAndBirth(store, search)).map((r) => r.personId)).toEqual(people);
  });
});
