import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { UserError } from '@openphm/core';
import { SESSION_COOKIE } from '../access.js';
import type { ServerContext } from '../context.js';
import { writeAudit } from '../operational/audit.js';
import { createSession, deleteSession, SESSION_HOURS } from '../operational/sessions.js';
import { checkCredentials, normaliseEmail } from '../operational/users.js';
import { ErrorSchema, LoginBody, MeResponse } from '@openphm/api-contract';

export const authRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: ctx.secureCookies, signed: true };

    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Log in with a local account; sets the session cookie',
          body: LoginBody,
          response: { 200: MeResponse, 400: ErrorSchema, 401: ErrorSchema },
        },
      },
      async (request, reply) => {
        const user = await checkCredentials(ctx.ops, request.body.email, request.body.password);
        if (user === null) {
          await writeAudit(ctx.ops, {
            userId: null,
            userEmail: normaliseEmail(request.body.email).slice(0, 254),
            role: 'public',
            action: 'auth.login',
            resource: null,
            outcome: 'denied',
            status: 401,
            ip: request.ip,
          });
          throw new UserError('email or password not recognised', 'unauthenticated');
        }
        const token = await createSession(ctx.ops, user.id);
        await writeAudit(ctx.ops, { userId: user.id, userEmail: user.email, role: user.role, action: 'auth.login', resource: null, outcome: 'granted', status: 200, ip: request.ip });
        reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: SESSION_HOURS * 3600 });
        return { user, role: user.role };
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
  };
