/**
 * The care rules for making a referral, apart from who may make it (the route table's scope: the
 * team's own resident): the service must be in the directory and open to link-worker referrals
 * where the person lives.
 */
import type { FieldProblem } from '../errors/errors.js';
import { searchDirectory, type DirectoryService } from './directory.js';

/** Where the person referred lives. */
export interface Residence {
  readonly neighbourhoodId: string;
  readonly place: string;
}

/** The problem with referring a resident to a service (`serviceId` field), or null when the referral may be made. */
export const referralServiceProblem = (serviceId: string, service: DirectoryService | undefined, residence: Residence): FieldProblem | null => {
  if (service === undefined) return { field: 'serviceId', message: `no service '${serviceId}' in the directory` };
  const reachable = searchDirectory([service], { neighbourhood: { id: residence.neighbourhoodId, place: residence.place }, linkWorkerReferral: true });
  if (reachable.length === 0) {
    return { field: 'serviceId', message: `'${service.name}' is not open to link-worker referrals in ${residence.neighbourhoodId} (inactive, another area, or self-referral only)` };
  }
  return null;
};
