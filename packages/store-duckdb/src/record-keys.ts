/**
 * Record keys for cell-key perturbation (docs/decisions/0006): each person's key is the first byte
 * of MD5(salt ":" person_id), an integer 0-255, stored in person.record_key when the database is
 * built. The salt is kept in the meta table (record_key_salt) so that a later build of the same
 * people (a reload, a new month) gives everyone the same key, and the same cell the same noise.
 */
import { randomBytes } from 'node:crypto';
import { UserError } from '@openphm/core';
import { literal } from './sql.js';

export const RECORD_KEY_COLUMN = 'record_key';
export const RECORD_KEY_SALT_META = 'record_key_salt';

/** SQL for a person's record key from their person_id column and the salt. */
export const recordKeySql = (salt: string, personId = 'person_id'): string =>
  `CAST(('0x' || substr(md5(${literal(`${salt}:`)} || CAST(${personId} AS VARCHAR)), 1, 2)) AS UTINYINT)`;

/** A new random salt (32 hex digits). */
export const newRecordKeySalt = (): string => randomBytes(16).toString('hex');

/** Checks a salt given by a user: 16 to 128 printable characters. */
export const checkRecordKeySalt = (salt: string): string => {
  if (!/^[\x21-\x7e]{16,128}$/.test(salt)) throw new UserError('the record key salt must be 16 to 128 printable characters without spaces', 'usage');
  return salt;
};

/** The salt of generated data: derived from its seed, so a generated partnership is the same every time. */
export const syntheticRecordKeySalt = (seed: string): string => `synthetic:${seed}`.padEnd(16, '.');
