/**
 * The database schema: the person-level tables come from core's TABLES definition; the geography
 * lookup tables and the `meta` table are defined here. Everything that creates, documents or
 * checks a table reads these definitions, so they cannot drift apart.
 */
import { TABLES, TABLE_NAMES, type ColumnType, type TableDefinition } from '@openphm/core';
import { SQL_TYPES, ident, literal } from './sql.js';

/** Bumped whenever the stored schema changes incompatibly. Stored in meta.schema_version. */
export const SCHEMA_VERSION = '5';

export interface AuxColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
  readonly description: string;
}

/** A lookup table that is not loaded from CSV (geography, metadata). */
export interface AuxTableDefinition {
  readonly name: string;
  readonly description: string;
  readonly source: string;
  readonly columns: readonly AuxColumnDefinition[];
  readonly primaryKey: readonly string[];
}

const REFERENCE = 'OpenPHM reference data (ONS, MHCLG IoD 2019, NHS ODS), loaded from the geography at build time';

export const GEO_TABLES = [
  {
    name: 'geo_lsoa',
    description: 'Lower-layer super output areas (2011) in the partnership, with deprivation and mid-2015 population.',
    source: REFERENCE,
    primaryKey: ['lsoa_code'],
    columns: [
      { name: 'lsoa_code', type: 'varchar', description: 'LSOA 2011 code (E01...).' },
      { name: 'lsoa_name', type: 'varchar', description: 'LSOA 2011 name.' },
      { name: 'lad_code', type: 'varchar', description: 'Local authority district code (2019).' },
      { name: 'lad_name', type: 'varchar', description: 'Local authority district name.' },
      { name: 'place', type: 'varchar', description: 'Place id (see geo_place).' },
      { name: 'neighbourhood_id', type: 'varchar', description: 'Derived neighbourhood the LSOA belongs to (see geo_neighbourhood).' },
      { name: 'imd_rank', type: 'integer', description: 'IMD 2019 national rank, 1 = most deprived of 32,844.' },
      { name: 'imd_decile', type: 'integer', description: 'IMD 2019 national decile, 1 = most deprived 10%.' },
      { name: 'imd_quintile', type: 'integer', description: 'IMD 2019 national quintile, 1 = most deprived 20%.' },
      { name: 'health_deprivation_rank', type: 'integer', description: 'IoD 2019 Health Deprivation and Disability domain rank, 1 = most deprived.' },
      { name: 'pop_total', type: 'integer', description: 'Mid-2015 population (IoD 2019 denominator).' },
      { name: 'pop_0_15', type: 'integer', description: 'Mid-2015 population aged 0-15.' },
      { name: 'pop_16_59', type: 'integer', description: 'Mid-2015 population aged 16-59.' },
      { name: 'pop_60_plus', type: 'integer', description: 'Mid-2015 population aged 60 and over.' },
      { name: 'centroid_lon', type: 'double', description: 'Area-weighted centroid longitude (WGS84).' },
      { name: 'centroid_lat', type: 'double', description: 'Area-weighted centroid latitude (WGS84).' },
    ],
  },
  {
    name: 'geo_neighbourhood',
    description: 'Derived neighbourhoods: contiguous groups of LSOAs of roughly PCN size within one place.',
    source: REFERENCE,
    primaryKey: ['neighbourhood_id'],
    columns: [
      { name: 'neighbourhood_id', type: 'varchar', description: 'Neighbourhood identifier.' },
      { name: 'name', type: 'varchar', description: 'Neighbourhood name.' },
      { name: 'place', type: 'varchar', description: 'Place id (see geo_place).' },
      { name: 'pcn_code', type: 'varchar', description: 'ODS code of the primary care network paired with the neighbourhood.' },
      { name: 'population', type: 'integer', description: 'Mid-2015 population, summed over its LSOAs.' },
    ],
  },
  {
    name: 'geo_practice',
    description: 'GP practices serving the partnership.',
    source: REFERENCE,
    primaryKey: ['practice_code'],
    columns: [
      { name: 'practice_code', type: 'varchar', description: 'ODS practice code.' },
      { name: 'name', type: 'varchar', description: 'Practice name.' },
      { name: 'postcode', type: 'varchar', description: 'Postcode of the main surgery.' },
      { name: 'place', type: 'varchar', description: 'Place id (see geo_place).' },
      { name: 'pcn_code', type: 'varchar', description: 'ODS code of the primary care network.' },
      { name: 'sub_icb_code', type: 'varchar', description: 'NHS sub-ICB location code.' },
      { name: 'imd_score', type: 'double', description: 'Patient-weighted IMD 2019 score of the practice population (higher = more deprived).' },
      { name: 'imd_decile', type: 'integer', description: 'IMD decile of the practice population, 1 = most deprived.' },
    ],
  },
  {
    name: 'geo_pcn',
    description: 'Primary care networks.',
    source: REFERENCE,
    primaryKey: ['pcn_code'],
    columns: [
      { name: 'pcn_code', type: 'varchar', description: 'ODS PCN code (U...).' },
      { name: 'name', type: 'varchar', description: 'PCN name.' },
      { name: 'place', type: 'varchar', description: 'Place id (see geo_place).' },
      { name: 'sub_icb_code', type: 'varchar', description: 'NHS sub-ICB location code.' },
      { name: 'imd_score', type: 'double', description: 'Patient-weighted IMD 2019 score (higher = more deprived).' },
    ],
  },
  {
    name: 'geo_local_authority',
    description: 'Local authority districts (2019 codes).',
    source: REFERENCE,
    primaryKey: ['lad_code'],
    columns: [
      { name: 'lad_code', type: 'varchar', description: 'Local authority district code.' },
      { name: 'name', type: 'varchar', description: 'Local authority name.' },
      { name: 'place', type: 'varchar', description: 'Place id (see geo_place).' },
    ],
  },
  {
    name: 'geo_place',
    description: 'Places (the sub-ICS level at which partnerships plan services).',
    source: REFERENCE,
    primaryKey: ['place'],
    columns: [
      { name: 'place', type: 'varchar', description: 'Place id, e.g. leeds.' },
      { name: 'name', type: 'varchar', description: 'Place name.' },
      { name: 'ics_name', type: 'varchar', description: 'Integrated care system the place belongs to.' },
      { name: 'population', type: 'integer', description: 'Mid-2015 population, summed over its LSOAs.' },
    ],
  },
] as const satisfies readonly AuxTableDefinition[];

export type GeoTableName = (typeof GEO_TABLES)[number]['name'];

export const META_TABLE: AuxTableDefinition = {
  name: 'meta',
  description:
    'Key/value facts about the database: source (synthetic or import), seed, size, generator, window_start, ' +
    'window_end (first day after the window), window_from (how an import derived the window: activity or fhir-activity), years, generated_at, schema_version, record_key_salt (the salt of the people\'s record keys for disclosure control; never published) ' +
    'and build_id (new for every build; the identity store next to the database holds the same, so the two are known to belong together).',
  source: 'Written by the build',
  primaryKey: ['key'],
  columns: [
    { name: 'key', type: 'varchar', description: 'Name of the fact.' },
    { name: 'value', type: 'varchar', description: 'Its value, as text.' },
  ],
};

export const AUX_TABLES: readonly AuxTableDefinition[] = [...GEO_TABLES, META_TABLE];

const columnSql = (c: { name: string; type: ColumnType; nullable?: boolean }): string =>
  `${ident(c.name)} ${SQL_TYPES[c.type]}${c.nullable ? '' : ' NOT NULL'}`;

const commentsSql = (table: string, description: string, columns: readonly { name: string; description: string }[]): string[] => [
  `COMMENT ON TABLE ${ident(table)} IS ${literal(description)}`,
  ...columns.map((c) => `COMMENT ON COLUMN ${ident(table)}.${ident(c.name)} IS ${literal(c.description)}`),
];

/**
 * CREATE TABLE for a person-level table. No PRIMARY KEY constraint: keys are checked during
 * validation, and indexes would slow the bulk load and enlarge the file.
 */
export const personTableDdl = (def: TableDefinition): string[] => [
  `CREATE TABLE ${ident(def.name)} (\n  ${def.columns.map(columnSql).join(',\n  ')}\n)`,
  ...commentsSql(def.name, def.description, def.columns),
];

export const auxTableDdl = (def: AuxTableDefinition): string[] => [
  `CREATE TABLE ${ident(def.name)} (\n  ${def.columns.map(columnSql).join(',\n  ')}\n)`,
  ...commentsSql(def.name, def.description, def.columns),
];

/** Every statement needed to create an empty OpenPHM database. */
export const schemaDdl = (): string[] => [
  ...TABLE_NAMES.flatMap((name) => personTableDdl(TABLES[name])),
  ...AUX_TABLES.flatMap(auxTableDdl),
];
