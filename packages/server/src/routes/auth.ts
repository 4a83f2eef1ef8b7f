import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE, audited } from '../access.js';
import type { ServerContext } from '../context.js';
import { confirmTotpSetup, finishSingleSignOn, localLogin, signInMethods, startSingleSignOn, startTotpSetup } from '../data/sign-in.js';
import type { OidcPending } from '../data/oidc.js';
import { createSession, deleteSession, SESSION_HOURS } from '../operational/sessions.js';
import { ErrorSchema, LoginBody, LoginResponse, MeResponse, SignInMethodsResponse, TotpCodeBody, TotpConfirmed, TotpEnrolmentSchema } from '@openphm/api-contract';
import type { SessionUser } from '@openphm/core';

/** The cookie that carries a single sign-on's state, nonce and PKCE verifier to the callback (signed; SameSite=Lax, as the provider's redirect back is a cross-site navigation). */
const OIDC_COOKIE = 'phm_oidc';
const OIDC_PATH = '/api/auth/oidc';

const PendingSchema = z.object({ state: z.string(), nonce: z.string(), verifier: z.string() });

export const authRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: ctx.secureCookies, signed: true };
    const signIn = async (user: SessionUser, reply: { setCookie: (name: string, value: string, options: object) => unknown }) => {
      const token = await createSession(ctx.ops, user.id);
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: SESSION_HOURS * 3600 });
    };

    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Log in with a local account; sets the session cookie (throttled per account and address; TOTP when the account has it)',
          body: LoginBody,
          response: { 200: LoginResponse, 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema },
        },
      },
      async (request, reply) => {
        const outcome = await localLogin(ctx, request.body, request.ip, (seconds) => reply.header('retry-after', String(seconds)));
        if (outcome.kind === 'totp-required') return { user: null, role: 'public' as const, next: 'totp' as const };
        if (outcome.kind === 'totp-enrolment') return { user: null, role: 'public' as const, next: 'totp-enrolment' as const, enrolment: outcome.enrolment };
        await signIn(outcome.user, reply);
        return { user: outcome.user, role: outcome.user.role };
      },
    );

    app.post(
      '/api/auth/logout',
      { schema: { tags: ['auth'], summary: 'End the session (always succeeds)', response: { 200: MeResponse } } },
      async (request, reply) => {
        const raw = request.cookies[SESSION_COOKIE];
        const unsigned = raw ? request.unsignCookie(raw) : undefined;
        if (unsigned?.valid && unsigned.value) await deleteSession(ctx.ops, unsigned.value);
        if (request.auth.user)        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { user: null, role: 'public' as const };
      },
    );

    app.get(
      '/api/auth/me',
      { schema: { tags: ['auth'], summary: 'The current user (null and role public when not logged in)', response: { 200: MeResponse } } },
      async (request) => ({ user: request.auth.user, role: request.auth.role }),
    );

    app.get(
      '/api/auth/methods',
      { schema: { tags: ['auth'], summary: 'How to sign in here: local accounts, single sign-on (when configured), whether TOTP is required', response: { 200: SignInMethodsResponse } } },
      async () => signInMethods(ctx),
    );

    app.get(
      `${OIDC_PATH}/login`,
      { schema: { tags: ['auth'], summary: 'Starts single sign-on (OpenID Connect, authorization code with PKCE): redirects to the identity provider', response: { 404: ErrorSchema } } },
      async (_request, reply) => {
        const { url, pending } = await startSingleSignOn(ctx);
        reply.setCookie(OIDC_COOKIE, JSON.stringify(pending), { path: OIDC_PATH, httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies, signed: true, maxAge: 600 });
        return reply.redirect(url, 302);
      },
    );

    app.get(
      `${OIDC_PATH}/callback`,
      {
        schema: {
          tags: ['auth'],
          summary: 'Where the identity provider returns: checks state, nonce and PKCE, maps the claims to a role, signs in and redirects to the app',
          querystring: z.record(z.string(), z.string()),
          response: { 404: ErrorSchema },
        },
      },
      async (request, reply) => {
        const raw = request.cookies[OIDC_COOKIE];
        const unsigned = raw ? request.unsignCookie(raw) : undefined;
        let pending: OidcPending | null = null;
        try {
          if (unsigned?.valid && unsigned.value) pending = PendingSchema.parse(JSON.parse(unsigned.value));
        } catch {
          pending = null;
        }
        reply.clearCookie(OIDC_COOKIE, { path: OIDC_PATH });
        const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        const result = await finishSingleSignOn(ctx, query, pending, request.ip);
        if ('problem' in result) return reply.redirect(`/#/login?sso=${result.problem}`, 302);
        await signIn(result.user, reply);
        return reply.redirect('/#/dashboard', 302);
      },
    );

    app.post(
      '/api/auth/totp',
      {
        schema: {
          tags: ['auth'],
          summary: 'Starts setting up TOTP for the signed-in local account: a new secret, its otpauth URL and QR code (confirmed by its first code)',
          response: { 200: TotpEnrolmentSchema, 401: ErrorSchema, 409: ErrorSchema },
        },
      },
      async (request) => audited(request, await startTotpSetup(ctx, request.auth.user!)),
    );

    app.post(
      '/api/auth/totp/confirm',
      {
        schema: {
          tags: ['auth'],
          summary: 'Confirms TOTP with the first code from the app; from then on log-ins need a code',
          body: TotpCodeBody,
          response: { 200: TotpConfirmed, 400: ErrorSchema, 401: ErrorSchema, 409: ErrorSchema },
        },
      },
      async (request) => audited(request, await confirmTotpSetup(ctx, request.auth.user!, request.body.code)),
    );
  };
