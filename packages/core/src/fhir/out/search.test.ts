import { describe, expect, it } from 'vitest';
import { FieldValidationError } from '../../errors/errors.js';
import { matchesDate, operationOutcome, parseDateFilter, parseToken, referenceId, searchBundle } from './search.js';
import { capabilityStatement, FHIR_OFFER } from './capability.js';
import { FHIR_OUT_TYPES } from './profiles.js';

describe('date search parameters', () => {
  // [values, days that match, days that do not]
  it.each([
    [['2025-03-04'], ['2025-03-04'], ['2025-03-03', '2025-03-05']],
    [['2025-03'], ['2025-03-01', '2025-03-31'], ['2025-02-28', '2025-04-01']],
    [['2024-02'], ['2024-02-29'], ['2024-03-01']],
    [['2025'], ['2025-01-01', '2025-12-31'], ['2024-12-31', '2026-01-01']],
    [['ge2025-03-04'], ['2025-03-04', '2030-01-01'], ['2025-03-03']],
    [['gt2025-03'], ['2025-04-01'], ['2025-03-31']],
    [['le2025'], ['2025-12-31'], ['2026-01-01']],
    [['lt2025-03-04'], ['2025-03-03'], ['2025-03-04']],
    [['ge2025-01-01', 'lt2025-02-01'], ['2025-01-01', '2025-01-31'], ['2024-12-31', '2025-02-01']],
    [['ne2025-03'], ['2025-02-28', '2025-04-01'], ['2025-03-15']],
    [['eq2025-03-04T10:00:00Z'], ['2025-03-04'], ['2025-03-05']],
  ])('%j', (values, yes, no) => {
    const filter = parseDateFilter('date', values);
    for (const day of yes) expect(matchesDate(filter, day), day).toBe(true);
    for (const day of no) expect(matchesDate(filter, day), day).toBe(false);
  });

  it('no value matches everything, even a missing date; a filter never matches a missing date', () => {
    expect(matchesDate(parseDateFilter('date', undefined), null)).toBe(true);
    expect(matchesDate(parseDateFilter('date', 'ge2025'), null)).toBe(false);
  });

  it.each(['yesterday', 'xx2025', '2025-13', '2025-02-30', 'ge', '2025-01-01,2025-02-01', 'ge25'])('%s is a 400 naming the parameter', (value) => {
    let error: unknown;
    try {
      parseDateFilter('recorded-date', value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FieldValidationError);
    expect((error as FieldValidationError).kind).toBe('usage');
    expect((error as FieldValidationError).fields[0]!.field).toBe('recorded-date');
  });
});

describe('references and tokens', () => {
  it.each([
    ['Patient/123', '123'],
    ['123', '123'],
    ['https://phm.example/fhir/Patient/123', '123'],
  ])('%s names %s', (value, id) => expect(referenceId('patient', 'Patient', value)).toBe(id));

  it.each(['Practitioner/1', 'Patient/', 'Patient/1 2', ''])('%s is refused', (value) => expect(() => referenceId('patient', 'Patient', value)).toThrow(/patient/));

  it.each([
    ['https://fhir.nhs.uk/Id/nhs-number|9434765919', 'https://fhir.nhs.uk/Id/nhs-number', '9434765919'],
    ['9434765919', undefined, '9434765919'],
    ['|9434765919', '', '9434765919'],
  ])('token %s', (value, system, v) => expect(parseToken(value)).toEqual({ system, value: v }));
});

describe('searchset Bundles', () => {
  const resources = Array.from({ length: 5 }, (_, i) => ({ resourceType: 'Condition', id: `c${i}` }));
  const page = (count: number, offset: number) => searchBundle({ base: 'https://x/fhir', type: 'Condition', params: [['patient', 'Patient/1']], count, offset }, resources);

  it('pages with _count, links self, next and previous, and counts the total', () => {
    const first = page(2, 0) as Record<string, any>;
    expect(first.type).toBe('searchset');
    expect(first.total).toBe(5);
    expect(first.entry.map((e: any) => e.resource.id)).toEqual(['c0', 'c1']);
    expect(first.entry[0]).toEqual({ fullUrl: 'https://x/fhir/Condition/c0', resource: resources[0], search: { mode: 'match' } });
    expect(first.link).toEqual([
      { relation: 'self', url: 'https://x/fhir/Condition?patient=Patient%2F1&_count=2' },
      { relation: 'next', url: 'https://x/fhir/Condition?patient=Patient%2F1&_count=2&_offset=2' },
    ]);
    const last = page(2, 4) as Record<string, any>;
    expect(last.entry.map((e: any) => e.resource.id)).toEqual(['c4']);
    expect(last.link.map((l: any) => l.relation)).toEqual(['self', 'previous']);
    expect(last.link[1].url).toBe('https://x/fhir/Condition?patient=Patient%2F1&_count=2&_offset=2');
    expect((page(10, 0) as Record<string, any>).link.map((l: any) => l.relation)).toEqual(['self']);
  });

  it('adds outcome entries after the matches', () => {
    const b = searchBundle({ base: 'https://x/fhir', type: 'Patient', params: [], count: 10, offset: 0 }, [], [operationOutcome([{ severity: 'information', code: 'forbidden', diagnostics: 'found' }])]) as Record<string, any>;
    expect(b.total).toBe(0);
    expect(b.entry).toEqual([{ resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'forbidden', diagnostics: 'found' }] }, search: { mode: 'outcome' } }]);
  });
});

describe('CapabilityStatement', () => {
  it('lists every type with its UK Core profile, interactions and search parameters', () => {
    const c = capabilityStatement('https://x/fhir', '2026-12-01', '0.1.0') as Record<string, any>;
    expect(c.fhirVersion).toBe('4.0.1');
    expect(c.rest[0].resource.map((r: any) => r.type)).toEqual([...FHIR_OUT_TYPES]);
    const condition = c.rest[0].resource.find((r: any) => r.type === 'Condition');
    expect(condition.profile).toBe('https://fhir.hl7.org.uk/StructureDefinition/UKCore-Condition');
    expect(condition.interaction).toEqual([{ code: 'search-type' }]);
    expect(condition.searchParam.map((p: any) => p.name)).toEqual(['patient', 'recorded-date', 'onset-date', '_count', '_offset']);
    expect(c.rest[0].resource.find((r: any) => r.type === 'Patient').interaction).toEqual([{ code: 'read' }, { code: 'search-type' }]);
    expect(Object.keys(FHIR_OFFER)).toEqual([...FHIR_OUT_TYPES]);
  });
});
