/**
 * The identifiable zone's one table: who each pseudonymous person is (name, NHS number, date of
 * birth, address, telephone). It is held apart from the person-level tables (its own store file,
 * X.identity.duckdb), read only by the care zone for people a professional has a legitimate
 * relationship with; analysts and everything published never see it (docs/security.md, "Identity
 * model"). Synthetic people get synthetic identities (docs/synthetic-data.md); real ones come from an
 * identity.csv beside the other extracts (`phm import`).
 */
import type { ColumnDefinition } from './tables.js';
import { SEXES } from './tables.js';

export interface IdentityTableDefinition {
  readonly name: 'identity';
  readonly description: string;
  readonly source: string;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: readonly string[];
  readonly orderBy: readonly string[];
}

export const IDENTITY_TABLE: IdentityTableDefinition = {
  name: 'identity',
  description:
    'One row per person: who they are, for their care team only. Held in its own store (X.identity.duckdb), never joined into analysis or published.',
  source: 'Personal Demographics Service (PDS) / the GP system, as traced for direct care',
  primaryKey: ['person_id'],
  orderBy: ['nhs_number'],
  columns: [
    { name: 'person_id', type: 'bigint', check: { kind: 'person' }, description: 'Pseudonymous person identifier (see person.person_id).' },
    { name: 'nhs_number', type: 'varchar', description: 'NHS number: ten digits, valid modulus 11 check digit, unique (spaces allowed in the file).' },
    { name: 'given_name', type: 'varchar', description: 'Given name(s) as used.' },
    { name: 'family_name', type: 'varchar', description: 'Family name.' },
    { name: 'date_of_birth', type: 'date', description: 'Date of birth (must equal person.date_of_birth).' },
    { name: 'sex', type: 'varchar', check: { kind: 'enum', values: SEXES }, description: 'F or M (must equal person.sex).' },
    { name: 'address_line_1', type: 'varchar', description: 'First line of the address (house number and street, or flat).' },
    { name: 'address_line_2', type: 'varchar', nullable: true, description: 'Second line of the address.' },
    { name: 'town', type: 'varchar', nullable: true, description: 'Town or city.' },
    { name: 'postcode', type: 'varchar', nullable: true, description: 'UK postcode, as "LS1 4AP".' },
    { name: 'phone', type: 'varchar', nullable: true, description: 'Telephone number to contact the person.' },
  ],
};

export const IDENTITY_COLUMN_NAMES: readonly string[] = IDENTITY_TABLE.columns.map((c) => c.name);
