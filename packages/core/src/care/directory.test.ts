import { describe, expect, it } from 'vitest';
import { parseDirectoryService, searchDirectory, type DirectoryService } from './directory.js';

const base = {
  id: 'walk-and-talk',
  organisation: { id: 'active-leeds', name: 'Active Leeds' },
  name: 'Walk and Talk',
  description: 'A gentle group walk in the park, then tea.',
  status: 'active',
  categories: ['physical-activity', 'social-groups'],
  areas: ['place:leeds'],
  schedule: 'Wednesdays 10:00-11:30',
  cost: 'Free',
  eligibility: { minAge: 18 },
  contact: { phone: '0113 000 0000' },
  referral: { self: true, linkWorker: true },
  lastReviewed: '2026-09-01',
};
const svc = (over: Partial<DirectoryService> & { id: string }): DirectoryService => parseDirectoryService({ ...base, ...over });

describe('parseDirectoryService', () => {
  it('accepts a valid entry', () => {
    expect(parseDirectoryService(base).name).toBe('Walk and Talk');
  });
  it.each<[string, object, RegExp]>([
    ['an unknown category', { categories: ['knitting'] }, /categories\.0: /],
    ['no category', { categories: [] }, /categories: at least one category/],
    ['an unknown place', { areas: ['place:york'] }, /areas\.0: /],
    ['ages the wrong way round', { eligibility: { minAge: 65, maxAge: 18 } }, /eligibility\.maxAge: minAge must not be above maxAge/],
    ['nobody able to refer', { referral: { self: false, linkWorker: false } }, /referral: say who may refer/],
    ['no contact', { contact: {} }, /contact: give at least one way to contact the service/],
    ['a bad postcode', { location: { name: 'Hall', address: '1 Road', postcode: 'LS1' } }, /location\.postcode: a UK postcode/],
    ['an id with capitals', { id: 'Walk' }, /id: lower-case words joined by hyphens/],
  ])('rejects %s, naming the field', (_name, over, message) => {
    expect(() => parseDirectoryService({ ...base, ...over }, 'directory.json: services.3')).toThrow(message);
    expect(() => parseDirectoryService({ ...base, ...over }, 'directory.json: services.3')).toThrow(/^directory\.json: services\.3: /);
  });
});

describe('searchDirectory', () => {
  const SERVICES = [
    svc({ id: 'walk-and-talk' }),
    svc({ id: 'art-club', name: 'Art club', description: 'Painting together.', categories: ['arts-culture'], areas: ['place:kirklees'], eligibility: {} }),
    svc({ id: 'carers-cafe', name: "Carers' café", description: 'A break and a chat for unpaid carers.', categories: ['carers'], areas: ['ics'], referral: { self: true, linkWorker: false } }),
    svc({ id: 'allotment', name: 'Community allotment', description: 'Grow food.', categories: ['nature-gardening'], areas: ['place:leeds'], neighbourhoods: ['leeds-02'], eligibility: { minAge: 16, maxAge: 25 } }),
    svc({ id: 'closed', name: 'Closed choir', categories: ['arts-culture'], areas: ['ics'], status: 'inactive' }),
  ];
  const ids = (q: Parameters<typeof searchDirectory>[1]) => searchDirectory(SERVICES, q).map((s) => s.id);

  it.each<[string, Parameters<typeof searchDirectory>[1], string[]]>([
    ['everything active, by name', {}, ['art-club', "carers-cafe", 'allotment', 'walk-and-talk']],
    ['with the inactive too', { includeInactive: true }, ['art-club', 'carers-cafe', 'closed', 'allotment', 'walk-and-talk']],
    ['a category', { category: 'arts-culture' }, ['art-club']],
    ['a place: its own services and the ICS-wide ones', { place: 'leeds' }, ['carers-cafe', 'allotment', 'walk-and-talk']],
    ['a neighbourhood: services limited to other neighbourhoods drop out', { neighbourhood: { id: 'leeds-01', place: 'leeds' } }, ['carers-cafe', 'walk-and-talk']],
    ['the neighbourhood a service is limited to', { neighbourhood: { id: 'leeds-02', place: 'leeds' } }, ['carers-cafe', 'allotment', 'walk-and-talk']],
    ['an age: 17 is too young for an 18+ service', { age: 17 }, ['art-club', 'allotment']],
    ['an age: 26 is too old for 16-25', { age: 26 }, ['art-club', 'carers-cafe', 'walk-and-talk']],
    ['link-worker referral', { linkWorkerReferral: true }, ['art-club', 'allotment', 'walk-and-talk']],
    ['words, any case, all must match (name, description, organisation, category label)', { text: 'PARK tea' }, ['walk-and-talk']],
    ['a category label as a word', { text: 'gardening' }, ['allotment']],
    ['words that do not all match', { text: 'park painting' }, []],
  ])('%s', (_name, q, expected) => {
    expect(ids(q)).toEqual(expected);
  });
});

describe('the demo directory', () => {
  it('every entry is valid, ids are unique, and every place has services', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = JSON.parse(readFileSync(new URL('../../../../directory/demo-services.json', import.meta.url), 'utf8')) as { services: unknown[] };
    const services = doc.services.map((s, i) => parseDirectoryService(s, `directory/demo-services.json: services.${i}`));
    expect(new Set(services.map((s) => s.id)).size).toBe(services.length);
    for (const place of ['bradford-craven', 'calderdale', 'harrogate', 'kirklees', 'leeds', 'wakefield']) expect(searchDirectory(services, { place }).length).toBeGreaterThan(5);
  });
});
