/**
 * Record keys the obvious way (docs/decisions/0006): the first byte of MD5(salt ":" person_id).
 * The DuckDB store computes the same in SQL when it builds a database (store-duckdb record-keys.ts);
 * the spec suite checks that both engines give every cell the same key.
 */
import { createHash } from 'node:crypto';

export const recordKeyOf = (salt: string, personId: string | number): number => createHash('md5').update(`${salt}:${String(personId)}`).digest()[0]!;
