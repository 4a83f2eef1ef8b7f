/**
 * The person-level data model: one definition drives the database DDL, CSV import validation and
 * docs/data-model.md. Every table is keyed by a pseudonymous `person_id` (no names, NHS numbers,
 * addresses or postcodes are ever held).
 */

export type ColumnType = 'bigint' | 'integer' | 'double' | 'date' | 'timestamp' | 'varchar' | 'boolean';

/** How the values of a column are checked beyond their type. */
export type ColumnCheck =
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'snomed' }
  | { readonly kind: 'icd10' }
  | { readonly kind: 'bnf' }
  | { readonly kind: 'lsoa' }
  | { readonly kind: 'practice' }
  | { readonly kind: 'person' }
  | { readonly kind: 'range'; readonly min: number; readonly max: number }
  /** Ten digits with a valid modulus 11 check digit (core's nhs-number.ts). */
  | { readonly kind: 'nhs-number' }
  /** A UK postcode ("LS1 4AP"; the space may be left out). */
  | { readonly kind: 'postcode' }
  /** Equal to the same column of the row's person in the person table (a table keyed by person_id). */
  | { readonly kind: 'as-person' };

export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
  readonly check?: ColumnCheck;
  readonly description: string;
}

export interface TableDefinition {
  readonly name: TableName;
  readonly description: string;
  /** Real-world source this table stands in for. */
  readonly source: string;
  readonly columns: readonly ColumnDefinition[];
  /** Columns whose values must be unique (primary key). */
  readonly primaryKey?: readonly string[];
  /** Other column sets whose values must be unique. */
  readonly uniqueKeys?: readonly (readonly string[])[];
  /** Column order for a canonical, reproducible row order. */
  readonly orderBy: readonly string[];
  /** Checks between columns of a row: SQL boolean expression over the typed columns, with its message. */
  readonly rowChecks?: readonly { readonly sql: string; readonly field: string; readonly message: string }[];
}

export const TABLE_NAMES = [
  'person',
  'clinical_event',
  'medication',
  'gp_appointment',
  'ae_attendance',
  'hospital_spell',
  'outpatient_appointment',
  'community_contact',
  'mental_health_contact',
  'social_care_event',
  'care_home_stay',
  'birth',
  'death',
  'opt_out',
  'carer_relationship',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** NHS Data Dictionary ethnic category codes (2001 census based, as GP and hospital systems record them). */
export const ETHNIC_CATEGORIES = {
  A: { label: 'White - British', group: 'White' },
  B: { label: 'White - Irish', group: 'White' },
  C: { label: 'White - Any other White background', group: 'White' },
  D: { label: 'Mixed - White and Black Caribbean', group: 'Mixed' },
  E: { label: 'Mixed - White and Black African', group: 'Mixed' },
  F: { label: 'Mixed - White and Asian', group: 'Mixed' },
  G: { label: 'Mixed - Any other mixed background', group: 'Mixed' },
  H: { label: 'Asian or Asian British - Indian', group: 'Asian' },
  J: { label: 'Asian or Asian British - Pakistani', group: 'Asian' },
  K: { label: 'Asian or Asian British - Bangladeshi', group: 'Asian' },
  L: { label: 'Asian or Asian British - Any other Asian background', group: 'Asian' },
  M: { label: 'Black or Black British - Caribbean', group: 'Black' },
  N: { label: 'Black or Black British - African', group: 'Black' },
  P: { label: 'Black or Black British - Any other Black background', group: 'Black' },
  R: { label: 'Other Ethnic Groups - Chinese', group: 'Other' },
  S: { label: 'Other Ethnic Groups - Any other ethnic group', group: 'Other' },
  Z: { label: 'Not stated', group: 'Not stated' },
} as const;
export type EthnicCategory = keyof typeof ETHNIC_CATEGORIES;
/** The five ONS 2011 broad ethnic groups (plus not stated) used for breakdowns. */
export const ETHNIC_GROUPS = ['White', 'Mixed', 'Asian', 'Black', 'Other', 'Not stated'] as const;
export type EthnicGroup = (typeof ETHNIC_GROUPS)[number];

export const SEXES = ['F', 'M'] as const;
export type Sex = (typeof SEXES)[number];

/**
 * Opt-outs from the use of a person's confidential information beyond their individual care:
 * `type-1` is held by the GP practice (SNOMED CT 827241000000103, "Dissent from secondary use of
 * general practitioner patient identifiable data": nothing identifiable leaves the practice for
 * purposes other than direct care); `national` is the national data opt-out, held by NHS England
 * (no confidential patient information used for planning or research). Which apply to which use is
 * in ../access/purposes.ts.
 */
export const OPT_OUT_KINDS = ['type-1', 'national'] as const;
export type OptOutKind = (typeof OPT_OUT_KINDS)[number];

const personId = (description = 'Pseudonymous person identifier (see person.person_id).'): ColumnDefinition => ({
  name: 'person_id',
  type: 'bigint',
  check: { kind: 'person' },
  description,
});
const enumOf = (values: readonly string[]): ColumnCheck => ({ kind: 'enum', values });

export const TABLES: Record<TableName, TableDefinition> = {
  person: {
    name: 'person',
    description: 'One row per person ever registered in the window (alive at its start, or born during it).',
    source: 'GP registration (demographics) linked across care settings',
    primaryKey: ['person_id'],
    orderBy: ['person_id'],
    columns: [
      { name: 'person_id', type: 'bigint', description: 'Pseudonymous identifier, stable across all tables; never an NHS number.' },
      { name: 'sex', type: 'varchar', check: enumOf(SEXES), description: 'Sex as registered: F or M.' },
      { name: 'date_of_birth', type: 'date', description: 'Date of birth (synthetic data: exact; real extracts usually hold the first of the month).' },
      {
        name: 'ethnic_category',
        type: 'varchar',
        check: enumOf(Object.keys(ETHNIC_CATEGORIES)),
        description: 'NHS Data Dictionary ethnic category code A-S, Z = not stated.',
      },
      { name: 'lsoa_code', type: 'varchar', check: { kind: 'lsoa' }, description: 'LSOA 2011 of residence (must be in the partnership).' },
      { name: 'practice_code', type: 'varchar', check: { kind: 'practice' }, description: 'ODS code of the registered GP practice.' },
      { name: 'registration_date', type: 'date', description: 'Start of the current GP registration.' },
      { name: 'is_carer', type: 'boolean', description: 'Recorded as an unpaid carer (SNOMED 224484003 "Patient is a carer").' },
    ],
    rowChecks: [
      { sql: 'registration_date >= date_of_birth', field: 'registration_date', message: 'is before date_of_birth' },
    ],
  },
  clinical_event: {
    name: 'clinical_event',
    description:
      'Coded primary care record: diagnoses (long-term condition registers), smoking status, BMI, frailty deficits. Conditions are found through codelists (see docs/data-model.md).',
    source: 'GP clinical record (SNOMED CT)',
    orderBy: ['person_id', 'event_date', 'snomed_code'],
    columns: [
      personId(),
      { name: 'event_date', type: 'date', description: 'Date the code was recorded or the diagnosis made.' },
      { name: 'snomed_code', type: 'varchar', check: { kind: 'snomed' }, description: 'SNOMED CT concept id.' },
      { name: 'numeric_value', type: 'double', nullable: true, description: 'Value for measurements (e.g. BMI in kg/m2).' },
    ],
  },
  medication: {
    name: 'medication',
    description: 'Prescriptions issued in primary care, by BNF code.',
    source: 'GP prescribing record',
    orderBy: ['person_id', 'issue_date', 'bnf_code'],
    columns: [
      personId(),
      { name: 'issue_date', type: 'date', description: 'Date the prescription was issued.' },
      { name: 'bnf_code', type: 'varchar', check: { kind: 'bnf' }, description: 'BNF code (at least the 4-digit section).' },
    ],
  },
  gp_appointment: {
    name: 'gp_appointment',
    description: 'Appointments in general practice (attended).',
    source: 'GP appointments data',
    orderBy: ['person_id', 'appointment_date', 'staff_role', 'mode'],
    columns: [
      personId(),
      { name: 'appointment_date', type: 'date', description: 'Date of the appointment.' },
      { name: 'staff_role', type: 'varchar', check: enumOf(['GP', 'Nurse', 'Other']), description: 'Who the person saw.' },
      { name: 'mode', type: 'varchar', check: enumOf(['face-to-face', 'telephone', 'home-visit', 'online']), description: 'How.' },
    ],
  },
  ae_attendance: {
    name: 'ae_attendance',
    description: 'Emergency care attendances with arrival and departure times (4-hour standard).',
    source: 'Emergency Care Data Set (ECDS)',
    primaryKey: ['attendance_id'],
    orderBy: ['attendance_id'],
    columns: [
      { name: 'attendance_id', type: 'bigint', description: 'Attendance identifier.' },
      personId(),
      { name: 'arrival_time', type: 'timestamp', description: 'Arrival (local time).' },
      { name: 'departure_time', type: 'timestamp', description: 'Departure from the department (local time).' },
      {
        name: 'department_type',
        type: 'varchar',
        check: enumOf(['01', '02', '03', '04']),
        description: 'ECDS department type: 01 major emergency department, 03 urgent treatment centre.',
      },
      {
        name: 'disposal',
        type: 'varchar',
        check: enumOf(['admitted', 'discharged', 'referred', 'left', 'died']),
        description: 'How the attendance ended.',
      },
    ],
    rowChecks: [{ sql: 'departure_time >= arrival_time', field: 'departure_time', message: 'is before arrival_time' }],
  },
  hospital_spell: {
    name: 'hospital_spell',
    description: 'Admitted patient care spells (emergency, elective and maternity admissions).',
    source: 'Secondary Uses Service, admitted patient care (APC)',
    primaryKey: ['spell_id'],
    orderBy: ['spell_id'],
    columns: [
      { name: 'spell_id', type: 'bigint', description: 'Hospital provider spell identifier.' },
      personId(),
      { name: 'admission_date', type: 'date', description: 'Date of admission.' },
      { name: 'discharge_date', type: 'date', description: 'Date of discharge; length of stay = discharge_date - admission_date.' },
      {
        name: 'admission_method',
        type: 'varchar',
        check: enumOf(['emergency', 'elective', 'maternity']),
        description: 'Grouped admission method (emergency = methods 21-2D, elective = 11-13, maternity = 31-32).',
      },
      { name: 'primary_diagnosis', type: 'varchar', check: { kind: 'icd10' }, description: 'Primary diagnosis, ICD-10 (no dot).' },
      {
        name: 'external_cause',
        type: 'varchar',
        nullable: true,
        check: { kind: 'icd10' },
        description:
          'External cause of an injury or poisoning, ICD-10 chapter XX (V01-Y98, no dot), as HES records it beside the diagnoses (e.g. W19 fall, X61 intentional self-poisoning); empty when there is none. A file without this column is accepted: every value empty.',
      },
      {
        name: 'discharge_destination',
        type: 'varchar',
        check: enumOf(['home', 'care_home', 'other_hospital', 'died']),
        description: 'Grouped discharge destination.',
      },
    ],
    rowChecks: [
      { sql: 'discharge_date >= admission_date', field: 'discharge_date', message: 'is before admission_date' },
      { sql: "external_cause IS NULL OR (external_cause >= 'V01' AND external_cause < 'Y99')", field: 'external_cause', message: 'is not an external cause code (ICD-10 chapter XX, V01-Y98)' },
    ],
  },
  outpatient_appointment: {
    name: 'outpatient_appointment',
    description: 'Hospital outpatient appointments.',
    source: 'Secondary Uses Service, outpatients',
    orderBy: ['person_id', 'appointment_date', 'specialty', 'attended'],
    columns: [
      personId(),
      { name: 'appointment_date', type: 'date', description: 'Date of the appointment.' },
      { name: 'specialty', type: 'varchar', description: 'Treatment function code (e.g. 300 general medicine).' },
      { name: 'attended', type: 'boolean', description: 'false = did not attend.' },
    ],
  },
  community_contact: {
    name: 'community_contact',
    description: 'Contacts with community health services.',
    source: 'Community Services Data Set (CSDS)',
    orderBy: ['person_id', 'contact_date', 'service'],
    columns: [
      personId(),
      { name: 'contact_date', type: 'date', description: 'Date of the contact.' },
      {
        name: 'service',
        type: 'varchar',
        check: enumOf(['district-nursing', 'physiotherapy', 'podiatry', 'health-visiting', 'rehabilitation', 'specialist-nursing']),
        description: 'Community service.',
      },
    ],
  },
  mental_health_contact: {
    name: 'mental_health_contact',
    description: 'Contacts with secondary mental health services and talking therapies.',
    source: 'Mental Health Services Data Set (MHSDS) and NHS Talking Therapies',
    orderBy: ['person_id', 'contact_date', 'service'],
    columns: [
      personId(),
      { name: 'contact_date', type: 'date', description: 'Date of the contact.' },
      {
        name: 'service',
        type: 'varchar',
        check: enumOf(['talking-therapies', 'community-mental-health', 'crisis', 'inpatient', 'memory-service', 'learning-disability']),
        description: 'Mental health service.',
      },
    ],
  },
  social_care_event: {
    name: 'social_care_event',
    description: 'Adult social care requests, assessments, reviews and service starts.',
    source: 'Adult social care client level data (CLD)',
    orderBy: ['person_id', 'event_date', 'event_type'],
    columns: [
      personId(),
      { name: 'event_date', type: 'date', description: 'Date of the event.' },
      {
        name: 'event_type',
        type: 'varchar',
        check: enumOf(['request', 'assessment', 'review', 'home-care-start', 'reablement-start', 'direct-payment-start']),
        description: 'Kind of social care event.',
      },
    ],
  },
  care_home_stay: {
    name: 'care_home_stay',
    description: 'Periods of residence in a care home.',
    source: 'Adult social care client level data and GP residence codes',
    orderBy: ['person_id', 'start_date'],
    columns: [
      personId(),
      { name: 'start_date', type: 'date', description: 'Date the person moved in.' },
      { name: 'end_date', type: 'date', nullable: true, description: 'Date the stay ended (empty = still resident or died there).' },
      { name: 'care_type', type: 'varchar', check: enumOf(['residential', 'nursing']), description: 'Residential or nursing care.' },
      { name: 'permanent', type: 'boolean', description: 'Permanent admission (ASCOF 2A) rather than short-term.' },
      { name: 'council_funded', type: 'boolean', description: 'Placement funded by the council.' },
    ],
    rowChecks: [{ sql: 'end_date IS NULL OR end_date >= start_date', field: 'end_date', message: 'is before start_date' }],
  },
  birth: {
    name: 'birth',
    description: 'Live births to mothers resident in the partnership, linked to the baby and mother.',
    source: 'Maternity Services Data Set (MSDS) / civil registration',
    primaryKey: ['baby_person_id'],
    orderBy: ['baby_person_id'],
    columns: [
      { name: 'baby_person_id', type: 'bigint', check: { kind: 'person' }, description: "The baby's person_id." },
      { name: 'mother_person_id', type: 'bigint', check: { kind: 'person' }, description: "The mother's person_id." },
      { name: 'birth_date', type: 'date', description: 'Date of birth.' },
      { name: 'birth_weight_grams', type: 'integer', check: { kind: 'range', min: 300, max: 6500 }, description: 'Birth weight in grams.' },
      { name: 'gestation_weeks', type: 'integer', check: { kind: 'range', min: 22, max: 44 }, description: 'Gestational age at birth in completed weeks.' },
      { name: 'smoking_at_delivery', type: 'boolean', nullable: true, description: 'Mother a smoker at time of delivery (empty = not known).' },
    ],
  },
  death: {
    name: 'death',
    description: 'Registered deaths with underlying cause.',
    source: 'ONS civil registration deaths',
    primaryKey: ['person_id'],
    orderBy: ['person_id'],
    columns: [
      personId(),
      { name: 'date_of_death', type: 'date', description: 'Date of death.' },
      { name: 'underlying_cause', type: 'varchar', check: { kind: 'icd10' }, description: 'Underlying cause of death, ICD-10 (no dot).' },
      {
        name: 'place_of_death',
        type: 'varchar',
        check: enumOf(['hospital', 'home', 'care_home', 'hospice', 'other']),
        description: 'Place of death.',
      },
    ],
  },
  opt_out: {
    name: 'opt_out',
    description:
      "Opt-outs in effect when the extract was taken: one row per person and kind (a person may hold both). Withdrawn opt-outs are not listed; an opt-out stays after death. People without a row have not opted out. Which uses leave them out is docs/security.md, 'Opt-outs and purposes'.",
    source:
      "GP record (type 1: SNOMED CT 827241000000103, latest of it and 827261000000102 'dissent withdrawn') and NHS England's national data opt-out (the Check for National Data Opt-outs service, MESH)",
    primaryKey: ['person_id', 'kind'],
    orderBy: ['person_id', 'kind'],
    columns: [
      personId(),
      {
        name: 'kind',
        type: 'varchar',
        check: enumOf(OPT_OUT_KINDS),
        description: 'type-1 = type 1 opt-out held by the GP practice; national = national data opt-out.',
      },
      {
        name: 'recorded_date',
        type: 'date',
        nullable: true,
        description: 'Date the opt-out was recorded, when the source says (type 1: the date of the GP code; national: usually empty, as the national service returns only who has opted out).',
      },
    ],
  },
  carer_relationship: {
    name: 'carer_relationship',
    description:
      "Unpaid carers linked to the person they care for: one row per carer, person cared for and period (a carer may care for several people, and a person have several carers). Held for everyone, like every table; a use for planning or research leaves a link out when an opt-out applies to either person (docs/data-model.md, 'Opt-outs').",
    source:
      "GP record (\"is a carer of\" and \"has a carer\" entries naming the other patient, beside SNOMED CT 224484003 'Patient is a carer') and local authority carers' assessments (adult social care client level data)",
    primaryKey: ['carer_person_id', 'cared_for_person_id', 'start_date'],
    orderBy: ['carer_person_id', 'cared_for_person_id', 'start_date'],
    columns: [
      { name: 'carer_person_id', type: 'bigint', check: { kind: 'person' }, description: "The carer's person_id." },
      { name: 'cared_for_person_id', type: 'bigint', check: { kind: 'person' }, description: "The person_id of the person they care for (never the carer's)." },
      { name: 'start_date', type: 'date', description: 'Date the caring was first recorded (or assessed).' },
      { name: 'end_date', type: 'date', nullable: true, description: 'Date the caring ended (the death of either, or the carer stopped); empty = still caring when the extract was taken.' },
    ],
    rowChecks: [
      { sql: 'cared_for_person_id <> carer_person_id', field: 'cared_for_person_id', message: 'is carer_person_id: a carer cannot be linked to themself' },
      { sql: 'end_date IS NULL OR end_date >= start_date', field: 'end_date', message: 'is before start_date' },
    ],
  },
};

export const tableDefinition = (name: TableName): TableDefinition => TABLES[name];
export const isTableName = (name: string): name is TableName => (TABLE_NAMES as readonly string[]).includes(name);
