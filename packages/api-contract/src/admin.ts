/** The audit log and accounts (routes/admin.ts). */
import { z } from 'zod';
import { IsoDaySchema, notAFigure } from '@openphm/core';
import { FormatQuery, Int } from './common.js';
import { AccountRoleSchema, RoleSchema } from './roles.js';
import { UserSchema } from './auth.js';

export const AuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  action: z.string().max(100).optional(),
  outcome: z.enum(['granted', 'denied', 'unauthenticated', 'not-found', 'failed']).optional(),
  user: z.string().max(254).optional().describe('user email'),
  person: z.string().regex(/^\d{1,18}$/).optional().describe("rows about one person's record (pseudonymous id)"),
  from: IsoDaySchema.optional().describe('from this day (UTC), inclusive'),
  to: IsoDaySchema.optional().describe('to this day (UTC), inclusive'),
  format: FormatQuery,
});

export const AuditRecordSchema = notAFigure(z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  userEmail: z.string().nullable(),
  role: RoleSchema,
  action: z.string(),
  resource: z.string().nullable(),
  outcome: z.string(),
  status: z.number().int(),
  ip: z.string().nullable(),
  detail: z.string().nullable(),
}), 'the audit log (administrators only)');

export const AuditResponse = z.object({ total: Int('audit rows matching'), rows: z.array(AuditRecordSchema) });

export const NewUserBody = z
  .object({
    email: z.string().trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+$/, 'an email address'),
    displayName: z.string().trim().min(1).max(200),
    password: z.string().min(10).max(1024),
    role: AccountRoleSchema,
    neighbourhoodId: z.string().min(1).max(64).optional(),
  })
  .refine((u) => (u.role === 'neighbourhood') === (u.neighbourhoodId !== undefined), {
    message: 'neighbourhoodId is required for, and only for, the neighbourhood role',
    path: ['neighbourhoodId'],
  });

export const UsersResponse = z.object({ users: z.array(UserSchema.extend({ disabled: z.boolean() })) });

export type AuditResponseT = z.infer<typeof AuditResponse>;
