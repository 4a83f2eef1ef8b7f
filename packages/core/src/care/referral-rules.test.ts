import { describe, expect, it } from 'vitest';
import { parseDirectoryService, type DirectoryService } from './directory.js';
import { referralServiceProblem } from './referral-rules.js';

const service = (over: Record<string, unknown>): DirectoryService =>
  parseDirectoryService({
    id: 'walk-leeds',
    name: 'Walking group',
    description: 'Weekly walks',
    organisation: { id: 'org', name: 'Org' },
    categories: ['physical-activity'],
    areas: ['place:leeds'],
    eligibility: {},
    contact: { phone: '0113 000 0000' },
    schedule: 'Tuesdays',
    cost: 'Free',
    referral: { linkWorker: true, self: true },
    status: 'active',
    lastReviewed: '2026-01-01',
    ...over,
  });

const inLeeds = { neighbourhoodId: 'leeds-01', place: 'leeds' };

describe('referring a resident to a service', () => {
  it.each([
    ['open to link workers in the place', {}, inLeeds, null],
    ['in another place', {}, { neighbourhoodId: 'kirklees-01', place: 'kirklees' }, 'is not open to link-worker referrals in kirklees-01'],
    ['self-referral only', { referral: { linkWorker: false, self: true } }, inLeeds, 'is not open to link-worker referrals'],
    ['inactive', { status: 'inactive' }, inLeeds, 'is not open to link-worker referrals'],
  ])('%s', (_, over, residence, problem) => {
    const found = referralServiceProblem('walk-leeds', service(over), residence);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatchObject({ field: 'serviceId', message: expect.stringContaining(problem) });
  });

  it('names a service missing from the directory', () => {
    expect(referralServiceProblem('gone', undefined, inLeeds)).toEqual({ field: 'serviceId', message: "no service 'gone' in the directory" });
  });
});
