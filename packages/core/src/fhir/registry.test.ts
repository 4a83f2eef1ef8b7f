import { describe, expect, it } from 'vitest';
import { FhirRegistry, dayOf, digestSubject, parseReference, typeAndIdProblem } from './registry.js';

describe('parseReference', () => {
  it.each([
    ['Patient/123', { kind: 'literal', type: 'Patient', id: '123' }],
    ['https://fhir.example.nhs.uk/R4/Patient/abc-1/_history/2', { kind: 'literal', type: 'Patient', id: 'abc-1' }],
    ['urn:uuid:475d72ca-91c7-7211-97e3-f000af33fc04', { kind: 'url', url: 'urn:uuid:475d72ca-91c7-7211-97e3-f000af33fc04' }],
    ['Organization?identifier=https://github.com/synthetichealth/synthea|e7e7', { kind: 'conditional', type: 'Organization', system: 'https://github.com/synthetichealth/synthea', value: 'e7e7' }],
    ['not a reference', { kind: 'invalid' }],
    ['#contained', { kind: 'invalid' }],
  ])('%s', (reference, expected) => expect(parseReference(reference)).toEqual(expected));
});

describe('dayOf', () => {
  it.each([
    ['2020-03-06T20:20:23-08:00', '2020-03-06'],
    ['2020-03-06', '2020-03-06'],
    ['2020-03', '2020-03-01'],
    ['2020', '2020-01-01'],
    ['06/03/2020', undefined],
    [20200306, undefined],
  ])('%s → %s', (value, day) => expect(dayOf(value)).toBe(day));
});

describe('typeAndIdProblem', () => {
  it.each([
    [{ resourceType: 'Patient', id: 'a.1-B' }, undefined],
    [[1, 2], { path: '(resource)', problem: 'is not a JSON object' }],
    [{ id: 'x' }, { path: 'resourceType', problem: 'is missing: every FHIR resource names its type' }],
    [{ resourceType: 'patient', id: 'x' }, { path: 'resourceType', problem: '"patient" is not a FHIR resource type' }],
    [{ resourceType: 'Patient' }, { path: 'Patient.id', problem: 'is missing: the import needs every resource to have an id' }],
    [{ resourceType: 'Patient', id: 'a b' }, { path: 'Patient.id', problem: `"a b" is not a FHIR id (1-64 letters, digits, '-' or '.')` }],
  ])('%j', (resource, expected) => expect(typeAndIdProblem(resource)).toEqual(expected));
});

describe('FhirRegistry', () => {
  const at = (line: number) => ({ file: 'f.ndjson', line });

  it('finds duplicates and repeats, and resolves every kind of reference', () => {
    const registry = new FhirRegistry();
    const org = { resourceType: 'Organization', id: 'o1', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'b86001' }] };
    expect(registry.add(org, at(1), 'd1', 'urn:uuid:o-1')).toEqual({ kind: 'new', key: 'Organization/o1' });
    expect(registry.add(org, at(2), 'd1')).toEqual({ kind: 'repeat', key: 'Organization/o1', first: at(1) });
    expect(registry.add(org, at(3), 'd2')).toEqual({ kind: 'duplicate', key: 'Organization/o1', first: at(1) });
    expect(registry.odsCodes.get('Organization/o1')).toBe('B86001');
    expect(registry.resolve('Organization/o1')).toBe('Organization/o1');
    expect(registry.resolve('urn:uuid:o-1')).toBe('Organization/o1');
    expect(registry.resolve('Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|b86001')).toBe('Organization/o1');
    expect(registry.resolve('Organization/o2')).toBeUndefined();
    expect(registry.counts.get('Organization')).toBe(1);
  });

  it('numbers patients in the order read and learns registration and first-encounter dates wherever the references point', () => {
    const registry = new FhirRegistry();
    const resources = [
      { resourceType: 'Encounter', id: 'e2', subject: { reference: 'Patient/b' }, period: { start: '2019-05-01T10:00:00Z' } },
      { resourceType: 'Patient', id: 'a' },
      { resourceType: 'Patient', id: 'b' },
      { resourceType: 'Encounter', id: 'e1', subject: { reference: 'Patient/b' }, period: { start: '2018-01-02' } },
      { resourceType: 'EpisodeOfCare', id: 'r', patient: { reference: 'Patient/a' }, managingOrganization: { reference: 'Organization/gp' }, period: { start: '2010-01-01' } },
      { resourceType: 'Organization', id: 'gp', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B86001' }] },
      { resourceType: 'Condition', id: 'c', code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I21.9' }] } },
    ];
    resources.forEach((r, i) => {
      registry.add(r, at(i + 1), String(i));
      registry.note(r);
    });
    registry.settle();
    expect([...registry.personIds]).toEqual([['Patient/a', 1], ['Patient/b', 2]]);
    expect(registry.firstEncounter.get('Patient/b')).toBe('2018-01-02');
    expect(registry.episodeStarts.get('Patient/a')).toEqual({ start: '2010-01-01', organisation: 'B86001' });
    expect(registry.conditionIcd10.get('Condition/c')).toBe('I21.9');
  });

  it('compares organisations and practitioners by their identifiers only, other resources whole', () => {
    const org = { resourceType: 'Organization', id: 'o', identifier: [{ system: 's', value: 'v' }], extension: [{ url: 'count', valueInteger: 3 }] };
    expect(digestSubject(org)).toEqual({ resourceType: 'Organization', id: 'o', identifier: [{ system: 's', value: 'v' }] });
    const patient = { resourceType: 'Patient', id: 'p', gender: 'male' };
    expect(digestSubject(patient)).toBe(patient);
  });
});
