/** Roles. `public` is everyone who has not logged in; the others are local accounts. */
export const ROLES = ['public', 'analyst', 'neighbourhood', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type AccountRole = Exclude<Role, 'public'>;
export const ACCOUNT_ROLES = ['analyst', 'neighbourhood', 'admin'] as const satisfies readonly AccountRole[];

/** The logged-in user as the request handlers see it. */
export interface SessionUser {
  readonly id: number;
  readonly email: string;
  readonly displayName: string;
  readonly role: AccountRole;
  /** Set for (and only for) the neighbourhood role: the one neighbourhood the account may see. */
  readonly neighbourhoodId: string | null;
}
