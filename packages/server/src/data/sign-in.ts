/**
 * Signing in (docs/security.md): local accounts with throttling per account and per address, TOTP
 * for the roles that see person-level rows, and single sign-on with OpenID Connect. Every outcome is
 * written to the audit log here (the route table's audit covers signed-in requests; these are not).
 */
import { PERSON_LEVEL_ROLES, UserError, type Role, type SessionUser } from '@openphm/core';
import { neighbourhoodExists } from '@openphm/store-duckdb';
import type { ServerContext, SignInSettings } from '../context.js';
import { writeAudit, type AuditOutcome } from '../operational/audit.js';
import { claimAttempt, lockIfDue, settleAttempt, type ThrottleKind, type ThrottleRule } from '../operational/login-throttle.js';
import { confirmTotp, credentialsOf, endOidcSessions, normaliseEmail, passwordMatches, setTotpPending, upsertOidcUser, useTotpStep } from '../operational/users.js';
import { createOidcClient, mapClaims, oidcSettingsFromEnv, type OidcPending, type OidcSettings } from './oidc.js';
import { newTotpSecret, totpEnrolment, totpStep, type TotpEnrolment } from './totp.js';

const MINUTE = 60_000;

/** The defaults (docs/security.md): an account waits from its 4th failure and locks at its 10th; an address from its 20th and locks at its 100th. */
export const DEFAULT_THROTTLE: { readonly account: ThrottleRule; readonly address: ThrottleRule } = {
  account: { free: 3, baseMs: 1000, capMs: 15 * MINUTE, lockAfter: 10, windowMs: 60 * MINUTE },
  address: { free: 20, baseMs: 1000, capMs: 15 * MINUTE, lockAfter: 100, windowMs: 60 * MINUTE },
};

/** Whether a role sees person-level rows (TOTP can be required for it). */
export const seesPersonLevelRows = (role: Role): boolean => (PERSON_LEVEL_ROLES as readonly Role[]).includes(role);

export type LoginOutcome =
  | { readonly kind: 'signed-in'; readonly user: SessionUser }
  /** The password was right; the account's TOTP code is needed too. */
  | { readonly kind: 'totp-required' }
  /** The password was right; TOTP is required and must be set up: the first code from this secret completes the sign-in. */
  | { readonly kind: 'totp-enrolment'; readonly enrolment: TotpEnrolment };

const loginAudit = (ctx: ServerContext, ip: string, email: string, outcome: AuditOutcome, status: number, detail: string | null, user?: SessionUser) =>
  writeAudit(ctx.ops, {
    userId: user?.id ?? null,
    userEmail: user?.email ?? email.slice(0, 254),
    role: user?.role ?? 'public',
    action: 'auth.login',
    resource: null,
    outcome,
    status,
    ip,
    detail,
  });

/**
 * A local log-in: the address and the account are throttled (an attempt too soon is refused with
 * 429 and counted; a locked one is refused until an admin lifts it), then the password and, when
 * the account has TOTP, the code are checked. Throws 401 (not recognised) or 429 (throttled, locked).
 */
export const localLogin = async (
  ctx: ServerContext,
  body: { readonly email: string; readonly password: string; readonly totp?: string | undefined },
  ip: string,
  retryAfter: (seconds: number) => void,
): Promise<LoginOutcome> => {
  const email = normaliseEmail(body.email).slice(0, 254);
  const { throttle, now } = ctx.signIn;
  const keys: [ThrottleKind, string, ThrottleRule][] = [
    ['address', ip, throttle.address],
    ['account', email, throttle.account],
  ];
  const lockedNow = async (kind: ThrottleKind, key: string) =>
    writeAudit(ctx.ops, { userId: null, userEmail: email, role: 'public', action: 'auth.lockout', resource: `${kind}:${key}`, outcome: 'denied', status: 429, ip, detail: `locked after too many failed log-ins` });
  for (const [kind, key, rule] of keys) {
    const claim = await claimAttempt(ctx.ops, kind, key, rule, now());
    if (claim.verdict === 'proceed') continue;
    if (claim.verdict === 'locked') {
      if (claim.lockedNow) await lockedNow(kind, key);
      await loginAudit(ctx, ip, email, 'denied', 429, `${kind} locked out`);
      throw new UserError(
        kind === 'account'
          ? 'too many failed log-ins: this account is locked until an administrator lifts the lock-out'
          : 'too many failed log-ins from your address: it is locked until an administrator lifts the lock-out',
        'rate-limited',
      );
    }
    const seconds = Math.ceil(claim.retryAfterMs / 1000);
    await loginAudit(ctx, ip, email, 'denied', 429, `${kind} throttled: retry after ${seconds} s`);
    retryAfter(seconds);
    throw new UserError(`too many failed log-ins: try again in ${seconds} second${seconds === 1 ? '' : 's'}`, 'rate-limited');
  }

  const refuse = async (detail: string | null): Promise<never> => {
    for (const [kind, key, rule] of keys) if (await lockIfDue(ctx.ops, kind, key, rule, now())) await lockedNow(kind, key);
    await loginAudit(ctx, ip, email, 'denied', 401, detail);
    throw new UserError('email or password not recognised', 'unauthenticated');
  };
  const settle = async () => {
    for (const [kind, key] of keys) await settleAttempt(ctx.ops, kind, key);
  };

  const found = await credentialsOf(ctx.ops, email);
  const ok = await passwordMatches(found?.passwordHash ?? null, body.password);
  if (!ok || found === null || found.disabled) return refuse(found?.disabled && ok ? 'account disabled' : null);
  const user = found.user;

  if (found.totpSecret !== null) {
    if (body.totp === undefined || body.totp === '') {
      await settle();
      await loginAudit(ctx, ip, email, 'failed', 401, 'password accepted: TOTP code needed', user);
      return { kind: 'totp-required' };
    }
    const step = totpStep(found.totpSecret, body.totp, now().getTime());
    if (step === null || !(await useTotpStep(ctx.ops, user.id, step))) return refuse(step === null ? 'wrong TOTP code' : 'TOTP code used already');
  } else if (ctx.signIn.totpRequired && seesPersonLevelRows(user.role)) {
    if (found.totpPending !== null && body.totp !== undefined && body.totp !== '') {
      const step = totpStep(found.totpPending, body.totp, now().getTime());
      if (step === null) return refuse('wrong TOTP code while setting up TOTP');
      await confirmTotp(ctx.ops, user.id, step);
      await writeAudit(ctx.ops, { userId: user.id, userEmail: user.email, role: user.role, action: 'auth.totp-enrol', resource: `user:${user.id}`, outcome: 'granted', status: 200, ip, detail: 'TOTP set up at log-in (required)' });
    } else {
      await settle();
      const secret = found.totpPending ?? newTotpSecret();
      if (found.totpPending === null) await setTotpPending(ctx.ops, user.id, secret);
      await loginAudit(ctx, ip, email, 'failed', 401, 'password accepted: TOTP must be set up', user);
      return { kind: 'totp-enrolment', enrolment: await totpEnrolment(secret, user.email) };
    }
  }
  await settle();
  await loginAudit(ctx, ip, email, 'granted', 200, null, user);
  return { kind: 'signed-in', user };
};

/** Starts setting up TOTP for a signed-in local account: a new secret, kept until its first code is confirmed. */
export const startTotpSetup = async (ctx: ServerContext, user: SessionUser): Promise<{ value: TotpEnrolment; audit: string }> => {
  const found = await credentialsOf(ctx.ops, user.email);
  if (found?.passwordHash === null) throw new UserError('single sign-on accounts use their identity provider\'s own second factor', 'conflict');
  if (found?.totpSecret) throw new UserError('TOTP is set up already: an administrator can reset it', 'conflict');
  const secret = newTotpSecret();
  await setTotpPending(ctx.ops, user.id, secret);
  return { value: await totpEnrolment(secret, user.email), audit: 'TOTP set-up started' };
};

/** Confirms TOTP with the first code from the new secret; from then on the account's log-ins need a code. */
export const confirmTotpSetup = async (ctx: ServerContext, user: SessionUser, code: string): Promise<{ value: { totp: true }; audit: string }> => {
  const found = await credentialsOf(ctx.ops, user.email);
  if (found?.totpPending == null) throw new UserError('no TOTP set-up in progress: start it first', 'conflict');
  const step = totpStep(found.totpPending, code, ctx.signIn.now().getTime());
  if (step === null) throw new UserError('that code is not right: check the time on your device and try the next code', 'usage');
  await confirmTotp(ctx.ops, user.id, step);
  return { value: { totp: true }, audit: 'TOTP set up' };
};

/** How this server signs people in, for the log-in page. */
export const signInMethods = (ctx: ServerContext) => ({
  local: true as const,
  singleSignOn: ctx.signIn.oidc ? { label: ctx.signIn.oidc.label } : null,
  totpRequired: ctx.signIn.totpRequired,
});

const oidcOf = (ctx: ServerContext) => {
  if (!ctx.signIn.oidc) throw new UserError('single sign-on is not configured on this server', 'not-found');
  return ctx.signIn.oidc;
};

/** The provider's authorization URL for a new single sign-on, and what to keep until it returns. */
export const startSingleSignOn = (ctx: ServerContext): Promise<{ url: string; pending: OidcPending }> => oidcOf(ctx).start();

/**
 * Completes a single sign-on: exchanges the code (state, nonce and PKCE checked), maps the claims to
 * a role and neighbourhood and signs the account in; a user whose claims give no role (or an unknown
 * neighbourhood) gets no access and any sessions of theirs end. Audited either way.
 */
export const finishSingleSignOn = async (ctx: ServerContext, query: string, pending: OidcPending | null, ip: string): Promise<{ user: SessionUser } | { problem: string }> => {
  const oidc = oidcOf(ctx);
  const audit = (outcome: AuditOutcome, status: number, email: string | null, detail: string, user?: SessionUser) =>
    writeAudit(ctx.ops, { userId: user?.id ?? null, userEmail: email, role: user?.role ?? 'public', action: 'auth.sso', resource: null, outcome, status, ip, detail: detail.slice(0, 300) });
  if (pending === null) {
    await audit('failed', 400, null, 'no sign-in in progress (missing or expired state cookie)');
    return { problem: 'expired' };
  }
  let claims;
  try {
    claims = await oidc.finish(query, pending);
  } catch (error) {
    const e = error as Error & { cause?: unknown; code?: string };
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
    await audit('failed', 400, null, `provider's answer refused: ${e.message}${cause}`);
    return { problem: 'failed' };
  }
  const mapped = mapClaims(claims, oidc.settings);
  const refuse = async (email: string | null, problem: string) => {
    if (mapped.subject) await endOidcSessions(ctx.ops, oidc.issuer, mapped.subject);
    await audit('denied', 403, email, `no access: ${problem}`);
    return { problem: 'no-access' };
  };
  if (!mapped.ok) return refuse(mapped.email, mapped.problem);
  if (mapped.role === 'neighbourhood' && !(await neighbourhoodExists(ctx.data, mapped.neighbourhoodId ?? ''))) {
    return refuse(mapped.email, `no neighbourhood '${mapped.neighbourhoodId}' in this database`);
  }
  let account;
  try {
    account = await upsertOidcUser(ctx.ops, { issuer: oidc.issuer, subject: mapped.subject, email: mapped.email, displayName: mapped.displayName, role: mapped.role, neighbourhoodId: mapped.neighbourhoodId });
  } catch (error) {
    if (error instanceof UserError) return refuse(mapped.email, error.message);
    throw error;
  }
  if (account.disabled) return refuse(mapped.email, 'account disabled');
  const user: SessionUser = { id: account.id, email: account.email, displayName: account.displayName, role: account.role, neighbourhoodId: account.neighbourhoodId };
  await audit('granted', 200, user.email, `role ${user.role}${user.neighbourhoodId ? ` (${user.neighbourhoodId})` : ''} from the provider's claims`, user);
  return { user };
};

/** How a server is told to sign people in (ServerOptions.signIn; `phm serve` reads it from the environment: signInOptionsFromEnv). */
export interface SignInOptions {
  readonly oidc?: OidcSettings;
  /** Require TOTP for local accounts of the roles that see person-level rows (PHM_TOTP_REQUIRED=1). */
  readonly totpRequired?: boolean;
  /** Throttling rules (default DEFAULT_THROTTLE). */
  readonly throttle?: { readonly account?: ThrottleRule; readonly address?: ThrottleRule };
  /** The clock (tests move it). */
  readonly now?: () => Date;
}

export const signInSettings = (options: SignInOptions = {}): SignInSettings => ({
  throttle: { account: options.throttle?.account ?? DEFAULT_THROTTLE.account, address: options.throttle?.address ?? DEFAULT_THROTTLE.address },
  totpRequired: options.totpRequired ?? false,
  oidc: options.oidc ? createOidcClient(options.oidc) : undefined,
  now: options.now ?? (() => new Date()),
});

/** Sign-in options from the environment: PHM_OIDC_* (single sign-on) and PHM_TOTP_REQUIRED (docs/security.md). */
export const signInOptionsFromEnv = (env: Readonly<Record<string, string | undefined>>): SignInOptions => {
  const oidc = oidcSettingsFromEnv(env);
  return { ...(oidc ? { oidc } : {}), totpRequired: env.PHM_TOTP_REQUIRED === '1' };
};
