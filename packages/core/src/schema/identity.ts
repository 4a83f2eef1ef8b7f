/**
 * The identifiable zone's one table: who each pseudonymous person is (name, NHS number, date of
 * birth, address, telephone). It is held apart from the person-level tables (its own store file,
 * X.identity.duckdb), read only by the care zone for people a professional has a legitimate
 * relationship with; analysts and everything published never see it (docs/security.md, "Identity
 * model"). Synthetic people get synthetic identities (docs/synthetic-data.md); real ones come from an
 * identity.csv beside the other extracts (`phm import`).
 */
import type { TableDefinition } from './tables.js';
import { SEXES } from './tables.js';

/** Like a person-level table's definition (so it is checked the same way on import), named `identity`. */
export interface IdentityTableDefinition extends Omit<TableDefinition, 'name'> {
  readonly name: 'identity';
  readonly primaryKey: readonly string[];
}

export const IDENTITY_TABLE: IdentityTableDefinition = {
  name: 'identity',
  description:
    'One row per person: who they are, for their care team only. Held in its own store (X.identity.duckdb), never joined into analysis or published.',
  source: 'Personal Demographics Service (PDS) / the GP system, as traced for direct care',
  primaryKey: ['person_id'],
  uniqueKeys: [['nhs_number']],
  orderBy: ['nhs_number'],
  columns: [
    { name: 'person_id', type: 'bigint', check: { kind: 'person' }, description: 'Pseudonymous person identifier (see person.person_id).' },
    { name: 'nhs_number', type: 'varchar', check: { kind: 'nhs-number' }, description: 'NHS number: ten digits without spaces, with a valid modulus 11 check digit; unique.' },
    { name: 'given_name', type: 'varchar', description: 'Given name(s) as used.' },
    { name: 'family_name', type: 'varchar', description: 'Family name.' },
    { name: 'date_of_birth', type: 'date', check: { kind: 'as-person' }, description: 'Date of birth (as person.date_of_birth).' },
    { name: 'sex', type: 'varchar', check: { kind: 'as-person' }, description: `${SEXES.join(' or ')}, as person.sex.` },
    { name: 'address_line_1', type: 'varchar', description: 'First line of the address (house number and street, or flat).' },
    { name: 'address_line_2', type: 'varchar', nullable: true, description: 'Second line of the address.' },
    { name: 'town', type: 'varchar', nullable: true, description: 'Town or city.' },
    { name: 'postcode', type: 'varchar', nullable: true, check: { kind: 'postcode' }, description: 'UK postcode ("LS1 4AP"; stored upper case with the space).' },
    { name: 'phone', type: 'varchar', nullable: true, description: 'Telephone number to contact the person.' },
  ],
};

export const IDENTITY_COLUMN_NAMES: readonly string[] = IDENTITY_TABLE.columns.map((c) => c.name);
