import { describe, expect, it } from 'vitest';
import { decidePerson, mapResource, normalisePostcode, patientFacts, type MapContext, type MapResult, type PersonOutcome, type ResidenceContext } from './map.js';
import { FhirRegistry, type FhirJson } from './registry.js';

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const ods = (code: string) => [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: code }];

const PRACTICE: FhirJson = { resourceType: 'Organization', id: 'gp', identifier: ods('B86001') };
const TRUST: FhirJson = { resourceType: 'Organization', id: 'trust', identifier: ods('RR8') };
const patient = (id: string, extra: FhirJson = {}): FhirJson => ({
  resourceType: 'Patient',
  id,
  gender: 'female',
  birthDate: '1950-03-04',
  address: [{ use: 'home', line: ['1 Park Row'], city: 'Leeds', postalCode: 'ls14ap' }],
  generalPractitioner: [{ reference: 'Organization/gp' }],
  ...extra,
});
const PATIENT = patient('p1', {
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }],
  name: [{ use: 'official', family: 'Smith', given: ['Ann', 'May'] }],
  telecom: [{ system: 'phone', value: '0113 000 0000' }],
  extension: [
    { url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory', valueCodeableConcept: { coding: [{ system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategory', code: 'J' }] } },
  ],
});
const EPISODE: FhirJson = { resourceType: 'EpisodeOfCare', id: 'reg', patient: { reference: 'Patient/p1' }, managingOrganization: { reference: 'Organization/gp' }, period: { start: '2001-06-01' } };

const RESIDENCE: ResidenceContext = {
  lsoaOfPostcode: (postcode) => ({ 'LS1 4AP': 'E01011230' })[postcode],
  practiceCodes: new Set(['B86001', 'B82001']),
};

const setUp = (resources: FhirJson[], residence: ResidenceContext = RESIDENCE): { registry: FhirRegistry; context: MapContext; outcomes: Map<string, PersonOutcome> } => {
  const registry = new FhirRegistry();
  resources.forEach((r, i) => {
    registry.add(r, { file: 'test.ndjson', line: i + 1 }, String(i), r.fullUrl as string | undefined);
    registry.note(r);
  });
  registry.settle();
  const outcomes = new Map<string, PersonOutcome>();
  for (const r of resources) if (r.resourceType === 'Patient') outcomes.set(`Patient/${String(r.id)}`, decidePerson(`Patient/${String(r.id)}`, patientFacts(r), registry, residence));
  let n = 0;
  return { registry, outcomes, context: { registry, person: (key) => outcomes.get(key), nextId: () => ++n } };
};

const BASE = [PRACTICE, TRUST, PATIENT, EPISODE, patient('away', { address: [{ postalCode: '02138' }] })];
const map = (resource: FhirJson): MapResult => mapResource(resource, setUp([...BASE, resource]).context);

describe('normalisePostcode', () => {
  it.each([
    ['ls14ap', 'LS1 4AP'],
    [' LS1  4AP ', 'LS1 4AP'],
    ['hx1 1ab', 'HX1 1AB'],
    ['EC1A1BB', 'EC1A 1BB'],
    ['02138', undefined],
    ['01581-1445', undefined],
  ])('%s → %s', (text, expected) => expect(normalisePostcode(text)).toBe(expected));
});

describe('decidePerson', () => {
  const decide = (p: FhirJson, residence: ResidenceContext = RESIDENCE) => setUp([PRACTICE, p, EPISODE], residence).outcomes.get(`Patient/${String(p.id)}`);
  it('places a person by postcode and practice, registered from their GP registration episode', () => {
    expect(decide(PATIENT)).toEqual({
      kind: 'person', personId: 1, sex: 'F', dateOfBirth: '1950-03-04', lsoa: 'E01011230', practice: 'B86001', registrationDate: '2001-06-01', sources: ['postcode', 'registration-episode'],
    });
  });
  it.each([
    ['no address', patient('p1', { address: [] }), 'no-postcode'],
    ['a US ZIP code', patient('p1', { address: [{ postalCode: '02138' }] }), 'outside-partnership'],
    ['a postcode outside the partnership', patient('p1', { address: [{ postalCode: 'EC1A 1BB' }] }), 'outside-partnership'],
    ['no partnership practice', patient('p1', { generalPractitioner: [] }), 'no-partnership-practice'],
    ['no birth date', patient('p1', { birthDate: undefined }), 'no-birth-date'],
    ['gender unknown', patient('p1', { gender: 'unknown' }), 'sex-not-male-or-female'],
  ])('excludes a person with %s, counted by reason', (_name, p, reason) => expect(decide(p)).toEqual({ kind: 'excluded', reason }));

  it('with synthetic residence, gives people outside the partnership an LSOA and a practice of its place, the same each time', () => {
    const residence = { ...RESIDENCE, syntheticResidence: { lsoas: [{ code: 'E01010001', practices: ['B82001'] }, { code: 'E01011229', practices: ['B86001'] }] } };
    const away = patient('away', { address: [{ postalCode: '02138' }], generalPractitioner: [] });
    const first = decide(away, residence);
    expect(first).toMatchObject({ kind: 'person', sources: ['synthetic-residence', 'synthetic-practice', 'registration-birth'] });
    expect(decide(away, residence)).toEqual(first);
    const placed = first as Extract<PersonOutcome, { kind: 'person' }>;
    expect([['E01010001', 'B82001'], ['E01011229', 'B86001']]).toContainEqual([placed.lsoa, placed.practice]);
  });
});

describe('mapResource', () => {
  it('maps a Patient to person, identity (NHS number) and death', () => {
    const result = mapResource({ ...PATIENT, deceasedDateTime: '2024-01-02T10:00:00Z' }, setUp(BASE).context);
    expect(result.problems).toEqual([]);
    expect(result.rows).toEqual([
      { table: 'person', values: { person_id: 1, sex: 'F', date_of_birth: '1950-03-04', ethnic_category: 'J', lsoa_code: 'E01011230', practice_code: 'B86001', registration_date: '2001-06-01', is_carer: false } },
      { table: 'death', values: { person_id: 1, date_of_death: '2024-01-02', underlying_cause: 'R99', place_of_death: 'other' } },
      {
        table: 'identity',
        values: { person_id: 1, nhs_number: '9990000018', given_name: 'Ann May', family_name: 'Smith', date_of_birth: '1950-03-04', sex: 'F', address_line_1: '1 Park Row', address_line_2: null, town: 'Leeds', postcode: 'LS1 4AP', phone: '0113 000 0000' },
      },
    ]);
  });

  const subject = { subject: { reference: 'Patient/p1' } };
  const event = (snomed: string, date: string, value: number | null = null) => ({ table: 'clinical_event', values: { person_id: 1, event_date: date, snomed_code: snomed, numeric_value: value } });

  it.each<[string, FhirJson, Partial<MapResult>]>([
    [
      'a SNOMED CT condition',
      { resourceType: 'Condition', id: 'c1', ...subject, code: { coding: [{ system: SNOMED, code: '44054006' }] }, onsetDateTime: '2015-02-03T09:00:00+01:00' },
      { rows: [event('44054006', '2015-02-03')] },
    ],
    [
      'an ICD-10 condition through the register list',
      { resourceType: 'Condition', id: 'c2', ...subject, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11.9' }] }, recordedDate: '2016-01-01' },
      { rows: [event('44054006', '2016-01-01')] },
    ],
    [
      'smoking status (LOINC) by its SNOMED CT value, brought to OpenPHM\'s current-smoker code',
      { resourceType: 'Observation', id: 'o1', status: 'final', ...subject, code: { coding: [{ system: LOINC, code: '72166-2' }] }, valueCodeableConcept: { coding: [{ system: SNOMED, code: '449868002' }] }, effectiveDateTime: '2020-05-06' },
      { rows: [event('77176002', '2020-05-06')] },
    ],
    [
      'BMI with its value',
      { resourceType: 'Observation', id: 'o2', status: 'final', ...subject, code: { coding: [{ system: LOINC, code: '39156-5' }] }, valueQuantity: { value: 31.2 }, effectiveDateTime: '2020-05-06' },
      { rows: [event('60621009', '2020-05-06', 31.2)] },
    ],
    [
      'a blood pressure panel through its components',
      {
        resourceType: 'Observation', id: 'o3', status: 'final', ...subject, code: { coding: [{ system: LOINC, code: '85354-9' }] }, effectiveDateTime: '2020-05-06',
        component: [
          { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: 142 } },
          { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: 91 } },
        ],
      },
      { rows: [event('271649006', '2020-05-06', 142), event('271650006', '2020-05-06', 91)] },
    ],
    [
      'a SNOMED-coded frailty score with its value',
      { resourceType: 'Observation', id: 'o4', status: 'final', ...subject, code: { coding: [{ system: SNOMED, code: '763264000' }] }, valueQuantity: { value: 6 }, effectiveDateTime: '2021-01-01' },
      { rows: [event('763264000', '2021-01-01', 6)] },
    ],
    [
      'an RxNorm prescription to BNF',
      { resourceType: 'MedicationRequest', id: 'm1', status: 'active', ...subject, medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '2123111' }] }, authoredOn: '2019-07-08' },
      { rows: [{ table: 'medication', values: { person_id: 1, issue_date: '2019-07-08', bnf_code: '0301011R0' } }] },
    ],
    [
      'a CVX flu vaccine to the vaccination procedure',
      { resourceType: 'Immunization', id: 'i1', status: 'completed', patient: { reference: 'Patient/p1' }, vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '140' }] }, occurrenceDateTime: '2020-10-01' },
      { rows: [event('86198006', '2020-10-01')] },
    ],
    [
      'an allergy',
      { resourceType: 'AllergyIntolerance', id: 'a1', patient: { reference: 'Patient/p1' }, code: { coding: [{ system: SNOMED, code: '91936005' }] }, recordedDate: '2010-01-01' },
      { rows: [event('91936005', '2010-01-01')] },
    ],
    [
      'a care plan by its category',
      { resourceType: 'CarePlan', id: 'cp', status: 'active', intent: 'plan', ...subject, category: [{ coding: [{ system: SNOMED, code: '736376001' }] }], period: { start: '2020-03-06' } },
      { rows: [event('736376001', '2020-03-06')] },
    ],
    [
      'an emergency encounter to an A&E attendance',
      { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'EMER' }, ...subject, period: { start: '2022-01-01T10:00:00Z', end: '2022-01-01T13:30:00Z' } },
      { rows: [{ table: 'ae_attendance', values: { attendance_id: 1, person_id: 1, arrival_time: '2022-01-01 10:00:00', departure_time: '2022-01-01 13:30:00', department_type: '01', disposal: 'discharged' } }] },
    ],
    [
      'an inpatient encounter to a hospital spell with its ICD-10 reason',
      {
        resourceType: 'Encounter', id: 'e2', status: 'finished', class: { code: 'IMP' }, priority: { coding: [{ code: 'EM' }] }, ...subject, period: { start: '2022-02-01', end: '2022-02-05' },
        reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'J44.1' }] }], hospitalization: { dischargeDisposition: { coding: [{ code: 'snf' }] } },
      },
      { rows: [{ table: 'hospital_spell', values: { spell_id: 1, person_id: 1, admission_date: '2022-02-01', discharge_date: '2022-02-05', admission_method: 'emergency', primary_diagnosis: 'J441', external_cause: null, discharge_destination: 'care_home' } }] },
    ],
    [
      'an ambulatory encounter at the practice to a GP appointment',
      { resourceType: 'Encounter', id: 'e3', status: 'finished', class: { code: 'AMB' }, ...subject, serviceProvider: { reference: 'Organization/gp' }, period: { start: '2022-03-01' } },
      { rows: [{ table: 'gp_appointment', values: { person_id: 1, appointment_date: '2022-03-01', staff_role: 'GP', mode: 'face-to-face' } }] },
    ],
    [
      'an ambulatory encounter at a trust to an outpatient appointment',
      { resourceType: 'Encounter', id: 'e4', status: 'finished', class: { code: 'AMB' }, ...subject, serviceProvider: { reference: 'Organization/trust' }, serviceType: { coding: [{ code: '320' }] }, period: { start: '2022-03-02' } },
      { rows: [{ table: 'outpatient_appointment', values: { person_id: 1, appointment_date: '2022-03-02', specialty: '320', attended: true } }] },
    ],
  ])('maps %s', (_name, resource, expected) => {
    const result = map(resource);
    expect(result.problems).toEqual([]);
    expect(result.rows).toEqual(expected.rows);
  });

  it.each<[string, FhirJson, Partial<MapResult>]>([
    ['a LOINC code no list maps', { resourceType: 'Observation', id: 'o', status: 'final', ...subject, code: { coding: [{ system: LOINC, code: '8310-5', display: 'Body temperature' }] }, effectiveDateTime: '2020-01-01' }, { skipped: 'unmapped', unmapped: [{ system: LOINC, code: '8310-5', display: 'Body temperature' }] }],
    ['an OPCS-4 procedure', { resourceType: 'Procedure', id: 'pr', status: 'completed', ...subject, code: { coding: [{ system: 'http://fhir.nhs.net/Id/opcs-4', code: 'W37.1' }] }, performedDateTime: '2020-01-01' }, { skipped: 'unmapped', unmapped: [{ system: 'http://fhir.nhs.net/Id/opcs-4', code: 'W37.1' }] }],
    ['a dm+d medicine not in the list', { resourceType: 'MedicationStatement', id: 'ms', status: 'active', ...subject, medicationCodeableConcept: { coding: [{ system: SNOMED, code: '39113611000001102' }] }, effectiveDateTime: '2020-01-01' }, { skipped: 'unmapped', unmapped: [{ system: SNOMED, code: '39113611000001102' }] }],
    ['a condition entered in error', { resourceType: 'Condition', id: 'x', ...subject, verificationStatus: { coding: [{ code: 'entered-in-error' }] }, code: { coding: [{ system: SNOMED, code: '44054006' }] } }, { skipped: 'entered-in-error', unmapped: [] }],
    ['a resource of an excluded person', { resourceType: 'Condition', id: 'y', subject: { reference: 'Patient/away' }, code: { coding: [{ system: SNOMED, code: '44054006' }] }, onsetDateTime: '2020-01-01' }, { skipped: 'person-excluded', unmapped: [] }],
    ['a Claim', { resourceType: 'Claim', id: 'cl' }, { skipped: 'type-not-used', unmapped: [] }],
    ['an Organization', PRACTICE, { skipped: 'reference-only', unmapped: [] }],
  ])('loads nothing for %s, and says why', (_name, resource, expected) => {
    const result = map(resource);
    expect(result.problems).toEqual([]);
    expect(result.rows).toEqual([]);
    expect(result.skipped).toBe(expected.skipped);
    expect(result.unmapped).toEqual(expected.unmapped);
  });

  it.each<[string, FhirJson, { path: string; problem: string }]>([
    ['an invalid SNOMED CT code', { resourceType: 'Condition', id: 'c', ...subject, code: { coding: [{ system: SNOMED, code: '44054007' }] }, onsetDateTime: '2020-01-01' }, { path: 'Condition.code.coding[0].code', problem: "'44054007' is not a valid SNOMED CT concept id (6-18 digits with a Verhoeff check digit)" }],
    ['an invalid ICD-10 code', { resourceType: 'Condition', id: 'c', ...subject, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: '11E' }] }, onsetDateTime: '2020-01-01' }, { path: 'Condition.code.coding[0].code', problem: "'11E' is not a valid ICD-10 code" }],
    ['a reference to a missing patient', { resourceType: 'Condition', id: 'c', subject: { reference: 'Patient/nobody' }, code: { coding: [{ system: SNOMED, code: '44054006' }] }, onsetDateTime: '2020-01-01' }, { path: 'Condition.subject.reference', problem: 'refers to Patient/nobody, which is not in the files read' }],
    ['a subject that is not a Patient', { resourceType: 'Condition', id: 'c', subject: { reference: 'Organization/gp' }, code: { coding: [{ system: SNOMED, code: '44054006' }] }, onsetDateTime: '2020-01-01' }, { path: 'Condition.subject.reference', problem: 'refers to Organization/gp, not a Patient' }],
    ['a malformed date', { resourceType: 'Condition', id: 'c', ...subject, code: { coding: [{ system: SNOMED, code: '44054006' }] }, onsetDateTime: '2020-13-45' }, { path: 'Condition.onsetDateTime', problem: '"2020-13-45" is not a FHIR date or dateTime' }],
    ['no date', { resourceType: 'Procedure', id: 'p', status: 'completed', ...subject, code: { coding: [{ system: SNOMED, code: '80146002' }] } }, { path: 'Procedure.performedDateTime', problem: 'is missing: a Procedure needs a date (performedDateTime, performedPeriod.start)' }],
    ['a value that is not a number', { resourceType: 'Observation', id: 'o', status: 'final', ...subject, code: { coding: [{ system: LOINC, code: '39156-5' }] }, valueQuantity: { value: '31' }, effectiveDateTime: '2020-01-01' }, { path: 'Observation.valueQuantity.value', problem: '"31" is not a number' }],
    ['an invalid NHS number', { ...PATIENT, identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000019' }] }, { path: 'Patient.identifier[0].value', problem: expect.stringContaining("'9990000019' is not an NHS number") as unknown as string }],
    ['an ethnic category that is not one', { ...PATIENT, extension: [{ url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory', valueCodeableConcept: { coding: [{ code: 'Q' }] } }] }, { path: 'Patient.extension[0].valueCodeableConcept.coding[0].code', problem: '"Q" is not an NHS ethnic category (A-S, Z)' }],
    ['an encounter without a class', { resourceType: 'Encounter', id: 'e', status: 'finished', ...subject, period: { start: '2020-01-01' } }, { path: 'Encounter.class.code', problem: expect.stringContaining('is missing') as unknown as string }],
  ])('rejects %s, naming the element', (_name, resource, problem) => {
    const result = mapResource(resource, setUp(resource.resourceType === 'Patient' ? [PRACTICE, resource] : [...BASE, resource]).context);
    expect(result.problems).toEqual([problem]);
    expect(result.rows).toEqual([]);
  });
});

describe('the round trip\'s resources, as other sources may send them', () => {
  const BNF = 'https://www.nhsbsa.nhs.uk/bnf';
  const prescription = (code: string, extra: FhirJson = {}): FhirJson => ({
    resourceType: 'MedicationRequest', id: 'm1', status: 'completed', intent: 'order', subject: { reference: 'Patient/p1' }, authoredOn: '2025-01-02', medicationCodeableConcept: { coding: [{ system: BNF, code }] }, ...extra,
  });
  it('a BNF-coded prescription is a medication row as it is; an invalid BNF code is a problem at its path', () => {
    expect(map(prescription('0302')).rows).toEqual([{ table: 'medication', values: { person_id: 1, issue_date: '2025-01-02', bnf_code: '0302' } }]);
    expect(map(prescription('3.2')).problems).toEqual([{ path: 'MedicationRequest.medicationCodeableConcept.coding[0].code', problem: "'3.2' is not a BNF code (a 4-digit BNF section, then up to 11 digits and capitals)" }]);
    expect(map(prescription('0302', { status: 'cancelled' })).skipped).toBe('not-done');
  });

  it('an admission method of any code of its group; an external cause among the reason codes, wherever it comes', () => {
    const spell = (method: string, reasons: string[]): FhirJson => ({
      resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'IMP' }, subject: { reference: 'Patient/p1' }, period: { start: '2024-01-01', end: '2024-01-02' },
      reasonCode: reasons.map((code) => ({ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code }] })),
      hospitalization: { extension: [{ url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-AdmissionMethod', valueCodeableConcept: { coding: [{ system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-AdmissionMethodEngland', code: method }] } }] },
    });
    const row = (r: MapResult) => r.rows[0]!.values;
    expect([row(map(spell('2B', ['X61', 'T39.1']))).admission_method, row(map(spell('2B', ['X61', 'T39.1']))).primary_diagnosis, row(map(spell('2B', ['X61', 'T39.1']))).external_cause]).toEqual(['emergency', 'T391', 'X61']);
    expect(row(map(spell('32', ['O800']))).admission_method).toBe('maternity');
    expect(row(map(spell('12', ['K802']))).admission_method).toBe('elective');
    expect(row(map(spell('12', ['K802']))).external_cause).toBe(null);
  });

  it('a missed appointment (noshow) with a treatment function is an outpatient appointment not attended; other appointments give no row', () => {
    const appointment = (status: string, serviceType: FhirJson[]): FhirJson => ({
      resourceType: 'Appointment', id: 'a1', status, serviceType, start: '2024-07-01T09:00:00Z', end: '2024-07-01T09:20:00Z', participant: [{ actor: { reference: 'Patient/p1' }, status: 'accepted' }],
    });
    const specialty = [{ coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/Specialty-1', code: '330' }] }];
    expect(map(appointment('noshow', specialty)).rows).toEqual([{ table: 'outpatient_appointment', values: { person_id: 1, appointment_date: '2024-07-01', specialty: '330', attended: false } }]);
    expect(map(appointment('noshow', [])).skipped).toBe('no-table');
    expect(map(appointment('booked', specialty)).skipped).toBe('not-done');
    expect(map({ ...appointment('noshow', specialty), participant: [{ actor: { reference: 'Organization/gp' }, status: 'accepted' }] }).problems[0]!.path).toBe('Appointment.participant.actor');
  });

  it('a Consent is an opt-out only when it denies, under a type 1 dissent code or the national data opt-out', () => {
    const consent = (extra: FhirJson): FhirJson => ({ resourceType: 'Consent', id: 'c1', status: 'active', patient: { reference: 'Patient/p1' }, provision: { type: 'deny' }, ...extra });
    expect(map(consent({ policyRule: { coding: [{ system: SNOMED, code: '827241000000103' }] }, dateTime: '2022-03-04' })).rows[0]!.values).toEqual({ person_id: 1, kind: 'type-1', recorded_date: '2022-03-04' });
    expect(map(consent({ policy: [{ uri: 'https://digital.nhs.uk/services/national-data-opt-out' }] })).rows[0]!.values).toEqual({ person_id: 1, kind: 'national', recorded_date: null });
    expect(map(consent({ policy: [{ uri: 'https://digital.nhs.uk/services/national-data-opt-out' }], provision: { type: 'permit' } })).skipped).toBe('no-table');
    expect(map(consent({ policyRule: { coding: [{ system: SNOMED, code: '827241000000103' }] }, status: 'inactive' })).skipped).toBe('not-done');
  });

  it('a cause of death not in ICD-10 is a problem at its path; a RelatedPerson Carer no Patient links to gives no row', () => {
    const death: FhirJson = { resourceType: 'Observation', id: 'd1', status: 'final', subject: { reference: 'Patient/p1' }, code: { coding: [{ system: SNOMED, code: '184305005' }] }, valueCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'XYZ' }] } };
    const { context } = setUp([...BASE, death]);
    expect(mapResource(death, context).problems).toEqual([{ path: 'Observation.valueCodeableConcept.coding[0].code', problem: "'XYZ' is not a valid ICD-10 code (the underlying cause of death)" }]);
    expect(mapResource({ ...PATIENT, deceasedDateTime: '2026-01-01' }, context).rows.find((r) => r.table === 'death')!.values.underlying_cause).toBe('R99');
    const valid = { ...death, effectiveDateTime: '2026-01-05', valueCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I21.9' }] } };
    // Without deceasedDateTime, the person died on the date of the Observation of their cause of death (not when deceasedBoolean is false).
    expect(mapResource(PATIENT, setUp([...BASE, valid]).context).rows.find((r) => r.table === 'death')!.values).toEqual({ person_id: 1, date_of_death: '2026-01-05', underlying_cause: 'I219', place_of_death: 'other' });
    expect(mapResource({ ...PATIENT, deceasedBoolean: false }, setUp([...BASE, valid]).context).rows.find((r) => r.table === 'death')).toBeUndefined();
    expect(mapResource(valid, setUp([...BASE, valid]).context).skipped).toBe('read-with-another');
    expect(mapResource({ ...PATIENT, deceasedDateTime: '2026-01-01' }, setUp([...BASE, valid]).context).rows.find((r) => r.table === 'death')!.values.underlying_cause).toBe('I219');
    const carer: FhirJson = { resourceType: 'RelatedPerson', id: 'r1', patient: { reference: 'Patient/p1' }, relationship: [{ coding: [{ system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-AdditionalPersonRelationshipRole', code: 'Carer' }] }], period: { start: '2024-01-01' } };
    const result = map(carer);
    expect([result.rows, result.skipped, result.defaults]).toEqual([[], 'no-table', ['carer_relationship.not-loaded-no-linked-patient']]);
  });

  it("an address's LSOA extension places a person when it is a partnership LSOA; otherwise the postcode does", () => {
    const withLsoa = (code: string) => patient('p1', { address: [{ use: 'home', postalCode: 'LS1 4AP', extension: [{ url: 'https://openphm.org/StructureDefinition/address-lsoa-2011', valueCode: code }] }] });
    const residence = { ...RESIDENCE, partnershipLsoas: new Set(['E01011230', 'E01011231']) };
    const decide = (p: FhirJson) => setUp([PRACTICE, p, EPISODE], residence).outcomes.get('Patient/p1');
    expect(decide(withLsoa('E01011231'))).toMatchObject({ kind: 'person', lsoa: 'E01011231', sources: ['lsoa-extension', 'registration-episode'] });
    expect(decide(withLsoa('E01099999'))).toMatchObject({ kind: 'person', lsoa: 'E01011230', sources: ['postcode', 'registration-episode'] });
    // A context that does not know the partnership's LSOAs ignores the extension.
    expect(setUp([PRACTICE, withLsoa('E01011231'), EPISODE]).outcomes.get('Patient/p1')).toMatchObject({ lsoa: 'E01011230' });
  });

  it('community, mental health and social care contacts by their service type', () => {
    const contact = (system: string, code: string): FhirJson => ({ resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, serviceType: { coding: [{ system, code }] }, subject: { reference: 'Patient/p1' }, period: { start: '2025-02-03' } });
    expect(map(contact('https://openphm.org/CodeSystem/community-service', 'podiatry')).rows).toEqual([{ table: 'community_contact', values: { person_id: 1, contact_date: '2025-02-03', service: 'podiatry' } }]);
    expect(map(contact('https://openphm.org/CodeSystem/mental-health-service', 'crisis')).rows[0]!.table).toBe('mental_health_contact');
    expect(map(contact('https://openphm.org/CodeSystem/social-care-event', 'review')).rows[0]!.values).toEqual({ person_id: 1, event_date: '2025-02-03', event_type: 'review' });
    expect(map(contact('https://fhir.nhs.uk/CodeSystem/Specialty-1', '300')).rows[0]!.table).toBe('gp_appointment');
  });
});
