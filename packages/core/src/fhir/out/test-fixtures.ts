/** Records of each kind FHIR out maps, for its tests. */
import type { CarePlan, CaseloadEntry } from '../../care/plans.js';
import type { Referral } from '../../care/referrals.js';
import type { Task } from '../../care/tasks.js';
import type { DirectoryService } from '../../care/directory.js';
import type { PatientInput } from './resources.js';

export const PATIENT: PatientInput = {
  personId: '17',
  sex: 'F',
  dateOfBirth: '1950-03-04',
  practice: { code: 'B86001', name: 'Test Practice' },
  identity: { nhsNumber: '9434765919', givenName: 'Ada Mary', familyName: 'Jones', address: { line1: '1 High Street', line2: null, town: 'Leeds', postcode: 'LS1 4AP' }, phone: '0113 496 0000' },
};
export const PLAN: CarePlan = {
  id: 3, personId: '17', neighbourhoodId: 'leeds-1', whatMatters: 'Staying at home.', goals: [{ goal: 'Walk to the shop', status: 'working-on' }], support: [{ who: 'Daughter', what: 'Shopping' }],
  contingency: 'Ring the practice.', consentToShare: true, reviewDate: '2027-01-01', status: 'active', version: 2, updatedAt: '2026-11-02T10:00:00.000Z', updatedBy: 'nurse@test',
};
export const REFERRAL: Referral = {
  id: 5, personId: '17', neighbourhoodId: 'leeds-1', serviceId: 'walking-group', reason: 'loneliness', status: 'attending', wellbeingBefore: null, wellbeingAfter: null,
  referredBy: 'nurse@test', referredAt: '2026-10-01T09:30:00.000Z', version: 1, updatedAt: '2026-10-01T09:30:00.000Z', updatedBy: 'nurse@test',
};
export const TASK: Task = {
  id: 8, personId: '17', neighbourhoodId: 'leeds-1', title: 'Ring about the review', detail: 'After lunch', assigneeId: null, due: '2026-12-01', status: 'open', source: 'plan-review', sourceRef: '3',
  createdBy: 'nurse@test', createdAt: '2026-11-01 08:00:00', version: 1, updatedAt: '2026-11-01 08:00:00', updatedBy: 'nurse@test',
};
export const EPISODE: CaseloadEntry = {
  id: 4, personId: '17', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Sam Key', nextReview: '2027-01-01', status: 'discharged', outcome: 'goals-met',
  addedAt: '2026-01-05T10:00:00.000Z', version: 3, updatedAt: '2026-06-01T10:00:00.000Z', updatedBy: 'nurse@test',
};
export const SERVICE: DirectoryService = {
  id: 'walking-group', organisation: { id: 'active-leeds', name: 'Active Leeds', url: 'https://example.org' }, name: 'Walking group', description: 'Weekly walks.', status: 'active',
  categories: ['physical-activity', 'social-groups'], areas: ['place:leeds'], location: { name: 'Park cafe', address: 'Park Road, Leeds', postcode: 'LS1 4AP' }, schedule: 'Tuesdays 10:00',
  cost: 'Free', eligibility: { minAge: 18 }, contact: { phone: '0113 496 0001' }, referral: { self: true, linkWorker: true }, lastReviewed: '2026-10-01',
};

