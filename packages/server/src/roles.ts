/**
 * Roles. `public` is everyone who has not logged in; the others are local accounts: analysts (PHM
 * and intelligence), neighbourhood teams (one neighbourhood), admins (accounts and audit only),
 * programme leads (keep the strategies' actions, risks and reported measures up to date) and board
 * members (read the delivery registers and reports).
 */
export const ROLES = ['public', 'analyst', 'neighbourhood', 'admin', 'programme', 'board'] as const;
export type Role = (typeof ROLES)[number];
export type AccountRole = Exclude<Role, 'public'>;
export const ACCOUNT_ROLES = ['analyst', 'neighbourhood', 'admin', 'programme', 'board'] as const satisfies readonly AccountRole[];

/** The logged-in user as the request handlers see it. */
export interface SessionUser {
  readonly id: number;
  readonly email: string;
  readonly displayName: string;
  readonly role: AccountRole;
  /** Set for (and only for) the neighbourhood role: the one neighbourhood the account may see. */
  readonly neighbourhoodId: string | null;
}
