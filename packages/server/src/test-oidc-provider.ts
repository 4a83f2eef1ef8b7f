/**
 * A real OpenID provider for the tests: `oidc-provider` (a certified OpenID Connect implementation)
 * on a loopback port, with its development log-in form (any login name signs in as that account; the
 * password is not checked) and one confidential client that must use PKCE. The accounts and their
 * claims (email, name, roles, neighbourhood) are the tests'. Consent is granted without a prompt, as
 * an organisation's provider does for its own applications. Not part of the build.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccountClaims {
  readonly email?: string;
  readonly name?: string;
  readonly roles?: string | readonly string[];
  readonly neighbourhood?: string;
}

export interface TestProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly close: () => Promise<void>;
}

/** A free loopback port (for a server that must know its own URL before it starts). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

export const startTestProvider = async (redirectUris: readonly string[], accounts: Readonly<Record<string, TestAccountClaims>>): Promise<TestProvider> => {
  const http: Server = createHttpServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  const clientId = 'openphm';
  const clientSecret = 'openphm-test-client-secret-0123456789';
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [...redirectUris], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
    pkce: { required: () => true },
    cookies: { keys: ['openphm-test-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], roles: ['roles', 'neighbourhood'] },
    scopes: ['openid', 'email', 'profile', 'roles'],
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => {
        const a = accounts[sub] ?? {};
        return {
          sub,
          ...(a.email ? { email: a.email, email_verified: true } : {}),
          ...(a.name ? { name: a.name } : {}),
          ...(a.roles !== undefined ? { roles: a.roles } : {}),
          ...(a.neighbourhood ? { neighbourhood: a.neighbourhood } : {}),
        };
      },
    }),
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile roles');
      await grant.save();
      return grant;
    },
  });
  http.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
};
