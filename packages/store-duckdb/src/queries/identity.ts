/**
 * Finding people in the identity store (identity/store.ts): by person id, by NHS number, or by
 * family name and date of birth (without regard to case or accents; the given name, when given,
 * narrows to names that start with it). Each is a point lookup on an index of the store, a few
 * milliseconds on the whole ICS. Only the care zone calls these (an architecture test checks it),
 * and only for people a professional has a legitimate relationship with, or to say that someone
 * was found at all.
 */
import type { NhsNumber } from '@openphm/core';
import { nameKeySql, type IdentityStore } from '../identity/store.js';

export interface IdentityRecord {
  readonly personId: number;
  readonly nhsNumber: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly sex: string;
  readonly addressLine1: string;
  readonly addressLine2: string | null;
  readonly town: string | null;
  readonly postcode: string | null;
  readonly phone: string | null;
}

const COLUMNS =
  'person_id AS "personId", nhs_number AS "nhsNumber", given_name AS "givenName", family_name AS "familyName", ' +
  `strftime(date_of_birth, '%Y-%m-%d') AS "dateOfBirth", sex, address_line_1 AS "addressLine1", address_line_2 AS "addressLine2", town, postcode, phone`;

/** The most people a name and date of birth search returns (more means the search should be narrowed). */
export const IDENTITY_SEARCH_LIMIT = 50;

export const identityByPersonId = async (store: IdentityStore, personId: number): Promise<IdentityRecord | undefined> =>
  (await store.query<IdentityRecord>(`SELECT ${COLUMNS} FROM identity WHERE person_id = $1`, [personId]))[0];

export const identityByNhsNumber = async (store: IdentityStore, nhsNumber: NhsNumber): Promise<IdentityRecord | undefined> =>
  (await store.query<IdentityRecord>(`SELECT ${COLUMNS} FROM identity WHERE nhs_number = $1`, [nhsNumber]))[0];

export interface NameSearch {
  readonly familyName: string;
  /** YYYY-MM-DD. */
  readonly dateOfBirth: string;
  /** Narrows to given names starting with this (any case, accents ignored). */
  readonly givenName?: string;
}

/** People with this family name and date of birth (and given name, when given), by given name, at most IDENTITY_SEARCH_LIMIT + 1. */
export const identitiesByNameAndBirth = async (store: IdentityStore, search: NameSearch): Promise<IdentityRecord[]> => {
  const given = search.givenName?.trim() ?? '';
  return store.query<IdentityRecord>(
    `SELECT ${COLUMNS} FROM identity WHERE name_key = ${nameKeySql('$1', 'CAST($2 AS DATE)')} ` +
      `AND ($3 = '' OR starts_with(lower(strip_accents(given_name)), lower(strip_accents($3)))) ` +
      `ORDER BY given_name, nhs_number LIMIT ${IDENTITY_SEARCH_LIMIT + 1}`,
    [search.familyName, search.dateOfBirth, given],
  );
};
