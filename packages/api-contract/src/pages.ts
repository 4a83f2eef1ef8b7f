/**
 * The web app's pages and who may open them: the one page-to-roles table (the roles are core's).
 * A page's roles match the routes it calls (access table in the server's route table).
 */
import { ACCOUNT_ROLES, DELIVERY_READERS, EVERYONE, PERSON_LEVEL_ROLES, type Role } from '@openphm/core';

export interface PageDef {
  readonly id: string;
  readonly label: string;
  readonly roles: readonly Role[];
  /** Reached from the header, not the menu (the signed-in user's own account). */
  readonly inMenu?: false;
}

export const PAGES: readonly PageDef[] = [
  { id: 'dashboard', label: 'Dashboard', roles: EVERYONE },
  { id: 'map', label: 'Map', roles: EVERYONE },
  { id: 'population', label: 'Population', roles: EVERYONE },
  { id: 'scorecard', label: 'Scorecard', roles: EVERYONE },
  { id: 'actions', label: 'Action plan', roles: DELIVERY_READERS },
  { id: 'risks', label: 'Risk register', roles: DELIVERY_READERS },
  { id: 'report', label: 'Board report', roles: DELIVERY_READERS },
  { id: 'directory', label: 'Directory of services', roles: EVERYONE },
  { id: 'referrals', label: 'Referrals', roles: PERSON_LEVEL_ROLES },
  { id: 'caseload', label: 'Caseload', roles: PERSON_LEVEL_ROLES },
  { id: 'find-person', label: 'Find a person', roles: ['neighbourhood'] },
  { id: 'my-work', label: 'My work', roles: ['neighbourhood'] },
  { id: 'meetings', label: 'MDT meetings', roles: ['neighbourhood'] },
  { id: 'inbox', label: 'Service inbox', roles: ['neighbourhood'] },
  { id: 'social-prescribing', label: 'Social prescribing', roles: DELIVERY_READERS },
  { id: 'proactive-care', label: 'Proactive care', roles: DELIVERY_READERS },
  { id: 'cohorts', label: 'Cohort builder', roles: PERSON_LEVEL_ROLES },
  { id: 'worklist', label: 'Worklist', roles: PERSON_LEVEL_ROLES },
  { id: 'person', label: 'Person look-up', roles: PERSON_LEVEL_ROLES },
  { id: 'audit', label: 'Audit log', roles: ['admin'] },
  { id: 'accounts', label: 'Accounts', roles: ['admin'] },
  { id: 'account', label: 'My account', roles: ACCOUNT_ROLES, inMenu: false },
];

export const ROLE_LABEL: Readonly<Record<Role, string>> = {
  public: 'Public',
  analyst: 'Analyst',
  neighbourhood: 'Neighbourhood team',
  admin: 'Administrator',
  programme: 'Programme lead',
  board: 'Board member',
};
