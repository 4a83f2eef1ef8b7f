/** Signing in and out (routes/auth.ts). */
import { z } from 'zod';
import { Int } from './common.js';
import { AccountRoleSchema, RoleSchema } from './roles.js';

export const UserSchema = z.object({
  id: Int('account id'),
  email: z.string(),
  displayName: z.string(),
  role: AccountRoleSchema,
  neighbourhoodId: z.string().nullable(),
});

export const LoginBody = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(1024),
});

export const MeResponse = z.object({ user: UserSchema.nullable(), role: RoleSchema });

export type Me = z.infer<typeof MeResponse>;

export type User = z.infer<typeof UserSchema>;
