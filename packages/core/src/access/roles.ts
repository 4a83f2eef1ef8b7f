/**
 * Roles: who may see and do what. `public` is everyone who has not logged in; the others are
 * accounts: analysts (PHM and intelligence), neighbourhood teams (one neighbourhood), admins
 * (accounts and audit only), programme leads (keep the strategies' actions, risks and reported
 * measures up to date) and board members (read the delivery registers and reports). The one list:
 * the API contract, the server's route table and the web app's pages all take it from here.
 * @module
 */
export const ROLES = ['public', 'analyst', 'neighbourhood', 'admin', 'programme', 'board'] as const;
export type Role = (typeof ROLES)[number];
export type AccountRole = Exclude<Role, 'public'>;
export const ACCOUNT_ROLES = ['analyst', 'neighbourhood', 'admin', 'programme', 'board'] as const satisfies readonly AccountRole[];

/** Every role, signed in or not. */
export const EVERYONE = ROLES;
/** Who reads the action plans, risk registers and board reports: staff and board members (not admins, whose role is accounts). */
export const DELIVERY_READERS = ['analyst', 'neighbourhood', 'programme', 'board'] as const satisfies readonly Role[];
/** Who sees pseudonymous person-level rows (a neighbourhood team only for its own residents). */
export const PERSON_LEVEL_ROLES = ['analyst', 'neighbourhood'] as const satisfies readonly Role[];

/** The signed-in user as request handlers see it. */
export interface SessionUser {
  readonly id: number;
  readonly email: string;
  readonly displayName: string;
  readonly role: AccountRole;
  /** Set for (and only for) the neighbourhood role: the one neighbourhood the account may see. */
  readonly neighbourhoodId: string | null;
}
