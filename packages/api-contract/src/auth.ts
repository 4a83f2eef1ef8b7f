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
  totp: z.string().trim().regex(/^\d{6}$/, 'six digits').optional().describe('The code from the authenticator app, when the account has TOTP (or is setting it up)'),
});

export const MeResponse = z.object({ user: UserSchema.nullable(), role: RoleSchema });

export const TotpEnrolmentSchema = z
  .object({
    secret: z.string().describe('The shared secret (base32), to type in when the QR code cannot be scanned'),
    otpauthUrl: z.string().describe('otpauth://totp/… for an authenticator app'),
    qrCode: z.string().describe('The otpauth URL as a QR code: an SVG image in a data: URL'),
  })
  .describe('What an authenticator app needs to set up TOTP (RFC 6238)');

export const LoginResponse = MeResponse.extend({
  next: z
    .enum(['totp', 'totp-enrolment'])
    .optional()
    .describe('Not signed in yet: the password was right and the TOTP code is needed (totp), or TOTP must be set up first with the enrolment given (totp-enrolment); send the log-in again with the code'),
  enrolment: TotpEnrolmentSchema.optional(),
});

export const SignInMethodsResponse = z.object({
  local: z.literal(true).describe('Local accounts (email and password) are always available'),
  singleSignOn: z.object({ label: z.string() }).nullable().describe('Single sign-on with OpenID Connect, when configured: GET /api/auth/oidc/login starts it'),
  totpRequired: z.boolean().describe('Whether local accounts of roles that see person-level rows must use TOTP'),
});

export const TotpCodeBody = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'six digits') }).strict();

export const TotpConfirmed = z.object({ totp: z.literal(true) });

export type LoginResult = z.infer<typeof LoginResponse>;
export type SignInMethods = z.infer<typeof SignInMethodsResponse>;
export type TotpEnrolment = z.infer<typeof TotpEnrolmentSchema>;

export type Me = z.infer<typeof MeResponse>;

export type User = z.infer<typeof UserSchema>;
