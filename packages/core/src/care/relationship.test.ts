import { describe, expect, it } from 'vitest';
import { BREAK_GLASS_HOURS, BreakGlassInputSchema, NO_CARE_RELATIONSHIP, breakGlassExpiry, careAccess, type CareRelationshipFacts } from './relationship.js';

const NOW = '2026-03-01T12:00:00.000Z';
const none: CareRelationshipFacts = {
  neighbourhoodId: 'leeds-1',
  serviceIds: [],
  practice: { code: 'B86001', name: 'Leeds Surgery', neighbourhoodIds: ['leeds-2'] },
  caseload: [],
  referrals: [],
  breakGlass: [],
  now: NOW,
};
const facts = (over: Partial<CareRelationshipFacts>): CareRelationshipFacts => ({ ...none, ...over });

describe('the legitimate relationship rule', () => {
  it.each<[string, Partial<CareRelationshipFacts>, string[] | null]>([
    ['nothing connects them', {}, null],
    ['registered with a practice of the neighbourhood', { practice: { code: 'B86001', name: 'Leeds Surgery', neighbourhoodIds: ['leeds-1'] } }, ['registered']],
    ['registered with a practice whose PCN pairs with two neighbourhoods, one of them theirs', { practice: { code: 'B86001', name: 'Leeds Surgery', neighbourhoodIds: ['leeds-2', 'leeds-1'] } }, ['registered']],
    ['no practice known', { practice: null }, null],
    ['a professional without a neighbourhood', { neighbourhoodId: null, practice: { code: 'B86001', name: 'Leeds Surgery', neighbourhoodIds: ['leeds-1'] } }, null],
    ['on an active caseload episode of the neighbourhood', { caseload: [{ neighbourhoodId: 'leeds-1', status: 'active' }] }, ['caseload']],
    ['discharged from the caseload', { caseload: [{ neighbourhoodId: 'leeds-1', status: 'discharged' }] }, null],
    ["on another neighbourhood's caseload", { caseload: [{ neighbourhoodId: 'leeds-2', status: 'active' }] }, null],
    ['referred to a service they work for', { serviceIds: ['walk'], referrals: [{ serviceId: 'walk', serviceName: 'Walking group', status: 'accepted' }] }, ['referral']],
    ['a referral to that service just made', { serviceIds: ['walk'], referrals: [{ serviceId: 'walk', serviceName: 'Walking group', status: 'referred' }] }, ['referral']],
    ['a completed referral', { serviceIds: ['walk'], referrals: [{ serviceId: 'walk', serviceName: 'Walking group', status: 'completed' }] }, null],
    ['a declined referral', { serviceIds: ['walk'], referrals: [{ serviceId: 'walk', serviceName: 'Walking group', status: 'declined' }] }, null],
    ['a referral to a service they do not work for', { serviceIds: ['walk'], referrals: [{ serviceId: 'debt', serviceName: 'Debt advice', status: 'attending' }] }, null],
    ['a live break-glass grant', { breakGlass: [{ grantedAt: '2026-03-01T10:00:00.000Z', expiresAt: '2026-03-01T14:00:00.000Z' }] }, ['break-glass']],
    ['an expired grant', { breakGlass: [{ grantedAt: '2026-03-01T07:00:00.000Z', expiresAt: '2026-03-01T11:00:00.000Z' }] }, null],
    ['a grant expiring now', { breakGlass: [{ grantedAt: '2026-03-01T08:00:00.000Z', expiresAt: NOW }] }, null],
    [
      'several at once, in order',
      {
        practice: { code: 'B86001', name: 'Leeds Surgery', neighbourhoodIds: ['leeds-1'] },
        caseload: [{ neighbourhoodId: 'leeds-1', status: 'active' }],
        serviceIds: ['walk'],
        referrals: [{ serviceId: 'walk', serviceName: 'Walking group', status: 'attending' }],
      },
      ['registered', 'caseload', 'referral'],
    ],
  ])('%s', (_, over, kinds) => {
    const access = careAccess(facts(over));
    if (kinds === null) expect(access).toEqual({ allowed: false, reason: NO_CARE_RELATIONSHIP });
    else expect(access.allowed && access.relationships.map((r) => r.kind)).toEqual(kinds);
  });

  it('says which practice and service, and until when a grant lasts (the latest of several)', () => {
    const access = careAccess(
      facts({
        practice: { code: 'B86001', name: 'Leeds Surgery', neighbourhoodIds: ['leeds-1'] },
        serviceIds: ['walk'],
        referrals: [
          { serviceId: 'walk', serviceName: 'Walking group', status: 'attending' },
          { serviceId: 'walk', serviceName: 'Walking group', status: 'referred' },
        ],
        breakGlass: [
          { grantedAt: '2026-03-01T09:00:00.000Z', expiresAt: '2026-03-01T13:00:00.000Z' },
          { grantedAt: '2026-03-01T11:00:00.000Z', expiresAt: '2026-03-01T15:00:00.000Z' },
        ],
      }),
    );
    expect(access).toEqual({
      allowed: true,
      relationships: [
        { kind: 'registered', detail: 'Registered with Leeds Surgery (B86001), a practice of your neighbourhood' },
        { kind: 'referral', detail: 'Referred to Walking group, a service you work for' },
        { kind: 'break-glass', detail: 'Break glass: you stated a reason to see this record without a care relationship', until: '2026-03-01T15:00:00.000Z' },
      ],
    });
  });

  it(`lasts ${BREAK_GLASS_HOURS} hours`, () => {
    expect(breakGlassExpiry('2026-03-01T22:30:00.000Z')).toBe('2026-03-02T02:30:00.000Z');
  });

  it.each<[unknown, string | null]>([
    [{ reason: 'Called by A&E about an unconscious patient' }, null],
    [{ reason: '  too short ' }, 'say why, in at least 10 characters'],
    [{ reason: 'x'.repeat(501) }, 'at most 500 characters'],
    [{}, 'reason'],
    [{ reason: 'Called by A&E about a patient', extra: 1 }, 'extra'],
  ])('checks the reason %j', (body, problem) => {
    const parsed = BreakGlassInputSchema.safeParse(body);
    if (problem === null) expect(parsed.success).toBe(true);
    else expect(JSON.stringify(parsed.error?.issues)).toContain(problem);
  });
});
