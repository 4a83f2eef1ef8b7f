/**
 * Finding people in the identity store (identity/store.ts): by person id, by NHS number, or by
 * family name and date of birth (without regard to case or accents; the given name, when given,
 * narrows to names that start with it). Each is a point lookup on an index of the store, a few
 * milliseconds on the whole ICS. Only the care zone calls these (an architecture test checks it),
 * and only for people a professional has a legitimate relationship with, or to say that someone
 * was found at all.
 *
 * The value looked for is written into the SQL as a literal, not bound as a parameter: DuckDB
 * pushes a constant comparison into the scan (and its indexes) but not a parameter's, and on the
 * whole ICS a search by name and date of birth took 11 ms against 2 ms (bench/identity.bench.mjs).
 * Every value is checked or escaped first (an NHS number is ten digits, a person id an integer,
 * names go through literal()).
 */
import type { NhsNumber } from '@openphm/core';
import { nameKeySql, type IdentityStore } from '../identity/store.js';
import { literal } from '../sql.js';

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

export const identityByPersonId = async (store: IdentityStore, personId: number): Promise<IdentityRecord | undefined> => {
  if (!Number.isSafeInteger(personId)) return undefined;
  return (await store.query<IdentityRecord>(`SELECT ${COLUMNS} FROM identity WHERE person_id = ${personId}`))[0];
};

export const identityByNhsNumber = async (store: IdentityStore, nhsNumber: NhsNumber): Promise<IdentityRecord | undefined> => {
  if (!/^\d{10}$/.test(nhsNumber)) return undefined;
  return (await store.query<IdentityRecord>(`SELECT ${COLUMNS} FROM identity WHERE nhs_number = '${nhsNumber}'`))[0];
};

/** Text that can be written as an SQL literal (no NUL, which SQL text cannot hold). */
const writable = (s: string): boolean => !s.includes('\u0000');

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
  if (![search.familyName, given].every(writable)) return [];
  // The key as the store computed it (DuckDB's own lower and strip_accents), then the lookup with it as a constant.
  const [key] = await store.query<{ k: string | null }>(`SELECT ${nameKeySql('$1', 'CAST($2 AS DATE)')} AS k`, [search.familyName, search.dateOfBirth]);
  if (key?.k == null || !writable(key.k)) return [];
  const givenSql = given === '' ? '' : ` AND starts_with(lower(strip_accents(given_name)), lower(strip_accents(${literal(given)})))`;
  // Sorted here, not in SQL: with ORDER BY … LIMIT DuckDB reads the whole table (38 ms against 1 ms on the ICS).
  const found = await store.query<IdentityRecord>(`SELECT ${COLUMNS} FROM identity WHERE name_key = ${literal(key.k)}${givenSql}`);
  const order = (a: IdentityRecord, b: IdentityRecord) => (a.givenName < b.givenName ? -1 : a.givenName > b.givenName ? 1 : a.nhsNumber < b.nhsNumber ? -1 : a.nhsNumber > b.nhsNumber ? 1 : 0);
  return found.sort(order).slice(0, IDENTITY_SEARCH_LIMIT + 1);
};
