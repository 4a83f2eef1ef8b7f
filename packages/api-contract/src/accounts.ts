/** Accounts, role requests approved by a second admin, and log-in lock-outs (routes/accounts.ts). */
import { z } from 'zod';
import { Int } from './common.js';
import { AccountRoleSchema } from './roles.js';
import { UserSchema } from './auth.js';

export const AccountSchema = UserSchema.extend({
  disabled: z.boolean(),
  signIn: z.enum(['local', 'single-sign-on']).describe('A local account (password) or a single sign-on one (role from the identity provider\'s claims)'),
  totp: z.boolean().describe('TOTP is set up'),
  locked: z.boolean().describe('Locked out after too many failed log-ins'),
  createdAt: z.string(),
  serviceIds: z
    .array(z.string())
    .describe("The directory services a care professional works for (sorted): their service inbox, and a care relationship with people referred to them (docs/care-teams.md). Empty: none, so the inbox is their team's"),
});

export const RoleRequestSchema = z
  .object({
    id: Int('request id'),
    kind: z.enum(['create', 'change-role']),
    userId: Int('account id').nullable().describe('The account whose role changes (null for a new account)'),
    email: z.string(),
    displayName: z.string(),
    role: AccountRoleSchema,
    neighbourhoodId: z.string().nullable(),
    requestedBy: Int('account id'),
    requestedByEmail: z.string(),
    requestedAt: z.string(),
    status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']),
    decidedBy: Int('account id').nullable(),
    decidedByEmail: z.string().nullable(),
    decidedAt: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .describe('A grant of a role that needs a second admin (analyst, neighbourhood, admin)');

export const LockoutSchema = z.object({
  id: Int('lock-out id'),
  kind: z.enum(['account', 'address']),
  key: z.string().describe('The email tried, or the client address'),
  failures: Int('failed log-ins counted'),
  lockedAt: z.string(),
});

export const AccountsResponse = z.object({
  accounts: z.array(AccountSchema),
  requests: z.array(RoleRequestSchema).describe('Pending requests first (oldest first), then the 50 most recently decided'),
  lockouts: z.array(LockoutSchema),
});

export const NewAccountBody = z
  .object({
    email: z.string().trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+$/, 'an email address').max(254),
    displayName: z.string().trim().min(1).max(200),
    password: z.string().min(10).max(1024).describe('At least 10 characters; not a common password, a repetition or a sequence'),
    role: AccountRoleSchema,
    neighbourhoodId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((u) => (u.role === 'neighbourhood') === (u.neighbourhoodId !== undefined), {
    message: 'neighbourhoodId is required for, and only for, the neighbourhood role',
    path: ['neighbourhoodId'],
  });

export const RoleChangeBody = z
  .object({ role: AccountRoleSchema, neighbourhoodId: z.string().min(1).max(64).optional() })
  .strict()
  .refine((u) => (u.role === 'neighbourhood') === (u.neighbourhoodId !== undefined), {
    message: 'neighbourhoodId is required for, and only for, the neighbourhood role',
    path: ['neighbourhoodId'],
  });

export const AccountPatchBody = z.object({ disabled: z.boolean() }).strict();

/** The directory services an account works for, replacing the list (PUT /api/admin/users/:userId/services). */
export const AccountServicesBody = z
  .object({
    serviceIds: z
      .array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a directory service id (lower-case words joined by hyphens)').max(80))
      .max(20, 'at most 20 services')
      .describe('Directory service ids (GET /api/directory/services); empty: none'),
  })
  .strict();

export const DecisionBody = z.object({ reason: z.string().trim().max(500).optional() }).strict();

export const UserIdParams = z.object({ userId: z.coerce.number().int().min(1) });
export const RequestIdParams = z.object({ requestId: z.coerce.number().int().min(1) });
export const LockoutIdParams = z.object({ lockoutId: z.coerce.number().int().min(1) });

/** 201: the account was created; 202: a request awaits a second admin. */
export const AccountCreatedResponse = z.object({ status: z.literal('created'), account: AccountSchema });
export const RequestPendingResponse = z.object({ status: z.literal('pending'), request: RoleRequestSchema });
export const RoleChangedResponse = z.object({ status: z.literal('changed'), account: AccountSchema });
export const LockoutLiftedResponse = z.object({ kind: z.enum(['account', 'address']), key: z.string() });

export type AccountT = z.infer<typeof AccountSchema>;
export type RoleRequestT = z.infer<typeof RoleRequestSchema>;
export type LockoutT = z.infer<typeof LockoutSchema>;
export type AccountsResponseT = z.infer<typeof AccountsResponse>;
