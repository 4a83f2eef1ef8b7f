/**
 * Single sign-on with OpenID Connect (NHS Care Identity Service 2 and Microsoft Entra ID are OpenID
 * providers): the authorization code flow with PKCE (S256), state and nonce, by `openid-client`
 * (certified relying party library). The provider's metadata is discovered from its issuer URL on
 * first use. The account's role and neighbourhood come from claims of the ID token or the userinfo
 * endpoint, through a role map; a user whose claims map to no role gets no access.
 */
import * as client from 'openid-client';
import { ACCOUNT_ROLES, UserError, type AccountRole } from '@openphm/core';

export interface OidcSettings {
  /** The provider's issuer URL (its /.well-known/openid-configuration is read). */
  readonly issuer: string;
  readonly clientId: string;
  /** The client secret (client_secret_basic); none for a public client. */
  readonly clientSecret?: string;
  /** Where the provider sends the browser back: this server's /api/auth/oidc/callback, as registered with the provider. */
  readonly redirectUrl: string;
  /** Scopes asked for (default `openid email profile`). */
  readonly scopes?: string;
  /** Claim holding the role (a string or an array of strings; default `roles`, as Entra's app roles). */
  readonly roleClaim?: string;
  /** Claim holding the neighbourhood id of a neighbourhood team (default `neighbourhood`). */
  readonly neighbourhoodClaim?: string;
  /** Claim holding the email (default `email`, then `preferred_username`). */
  readonly emailClaim?: string;
  /** Role claim values → roles; when empty, a value that is a role's name (`analyst`) is that role. */
  readonly roleMap?: Readonly<Record<string, AccountRole>>;
  /** The sign-in button's words (default `Sign in with single sign-on`). */
  readonly label?: string;
}

/** What is kept in the browser (a signed, HttpOnly cookie) between sending it to the provider and its return. */
export interface OidcPending {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

export type Claims = Readonly<Record<string, unknown>>;

export interface OidcClient {
  readonly settings: OidcSettings;
  readonly issuer: string;
  readonly label: string;
  /** The provider's authorization URL for a new sign-in, and what to keep until it returns. */
  readonly start: () => Promise<{ url: string; pending: OidcPending }>;
  /** Exchanges the code the provider returned (the callback's query string) and returns the user's claims (ID token, then userinfo). */
  readonly finish: (query: string, pending: OidcPending) => Promise<Claims>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const createOidcClient = (settings: OidcSettings): OidcClient => {
  const issuerUrl = new URL(settings.issuer);
  // Plain HTTP only for a provider on this computer (tests, local development).
  const insecure = issuerUrl.protocol === 'http:' && LOOPBACK.has(issuerUrl.hostname);
  let config: Promise<client.Configuration> | undefined;
  const configuration = () => {
    config ??= client
      .discovery(issuerUrl, settings.clientId, settings.clientSecret, settings.clientSecret ? client.ClientSecretBasic(settings.clientSecret) : client.None(), insecure ? { execute: [client.allowInsecureRequests] } : {})
      .catch((error: unknown) => {
        config = undefined;
        throw new UserError(`the single sign-on provider ${settings.issuer} cannot be reached: ${(error as Error).message}`, 'not-found', { cause: error });
      });
    return config;
  };
  return {
    settings,
    issuer: settings.issuer,
    label: settings.label ?? 'Sign in with single sign-on',
    start: async () => {
      const c = await configuration();
      const pending = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() };
      const url = client.buildAuthorizationUrl(c, {
        redirect_uri: settings.redirectUrl,
        scope: settings.scopes ?? 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },
    finish: async (query, pending) => {
      const c = await configuration();
      const current = new URL(settings.redirectUrl);
      current.search = query;
      const tokens = await client.authorizationCodeGrant(c, current, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
      const idClaims = tokens.claims()!;
      let userinfo: Claims = {};
      if (c.serverMetadata().userinfo_endpoint) userinfo = await client.fetchUserInfo(c, tokens.access_token, idClaims.sub);
      return { ...userinfo, ...idClaims };
    },
  };
};

export type Mapped =
  | { readonly ok: true; readonly subject: string; readonly email: string; readonly displayName: string; readonly role: AccountRole; readonly neighbourhoodId: string | null }
  | { readonly ok: false; readonly subject: string; readonly email: string | null; readonly problem: string };

const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The account a user's claims give: email, name, one role and (for a neighbourhood team) its neighbourhood; or why they give none. */
export const mapClaims = (claims: Claims, settings: OidcSettings): Mapped => {
  const subject = String(claims.sub ?? '');
  const emailValue = strings(claims[settings.emailClaim ?? 'email'])[0] ?? (settings.emailClaim ? undefined : strings(claims.preferred_username)[0]);
  const email = emailValue?.trim().toLowerCase() ?? null;
  if (email === null || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) return { ok: false, subject, email, problem: `no email in claim ${settings.emailClaim ?? 'email'}` };
  const roleClaim = settings.roleClaim ?? 'roles';
  const map = settings.roleMap && Object.keys(settings.roleMap).length > 0 ? settings.roleMap : Object.fromEntries(ACCOUNT_ROLES.map((r) => [r, r]));
  const values = strings(claims[roleClaim]);
  const roles = [...new Set(values.flatMap((v) => (Object.hasOwn(map, v) ? [map[v]!] : [])))];
  if (roles.length === 0) return { ok: false, subject, email, problem: `no role mapped from claim ${roleClaim} (${values.length === 0 ? 'absent' : values.slice(0, 5).join(', ').slice(0, 120)})` };
  if (roles.length > 1) return { ok: false, subject, email, problem: `claim ${roleClaim} maps to more than one role (${roles.join(', ')}): assign one` };
  const role = roles[0]!;
  let neighbourhoodId: string | null = null;
  if (role === 'neighbourhood') {
    const nClaim = settings.neighbourhoodClaim ?? 'neighbourhood';
    neighbourhoodId = strings(claims[nClaim])[0] ?? null;
    if (neighbourhoodId === null || !/^[A-Za-z0-9_-]{1,64}$/.test(neighbourhoodId)) return { ok: false, subject, email, problem: `neighbourhood role without a neighbourhood in claim ${nClaim}` };
  }
  const displayName = (strings(claims.name)[0] ?? email).slice(0, 200);
  return { ok: true, subject, email, displayName, role, neighbourhoodId };
};

/** `PHM_OIDC_ROLE_MAP`: `value=role` pairs separated by commas (`PHM Analyst=analyst,PHM Admin=admin`). */
export const parseRoleMap = (text: string): Record<string, AccountRole> => {
  const out: Record<string, AccountRole> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    const value = pair.slice(0, at).trim();
    const role = ACCOUNT_ROLES.find((r) => r === pair.slice(at + 1).trim());
    if (at <= 0 || role === undefined) throw new UserError(`PHM_OIDC_ROLE_MAP: '${pair}' is not value=role with a role of ${ACCOUNT_ROLES.join(', ')}`);
    out[value] = role;
  }
  return out;
};

/** Single sign-on settings from the environment (docs/security.md), or undefined when PHM_OIDC_ISSUER is not set. */
export const oidcSettingsFromEnv = (env: Readonly<Record<string, string | undefined>>): OidcSettings | undefined => {
  const get = (name: string) => env[name]?.trim() || undefined;
  const issuer = get('PHM_OIDC_ISSUER');
  if (issuer === undefined) return undefined;
  const clientId = get('PHM_OIDC_CLIENT_ID');
  const redirectUrl = get('PHM_OIDC_REDIRECT_URL');
  const missing = [clientId === undefined ? 'PHM_OIDC_CLIENT_ID' : '', redirectUrl === undefined ? 'PHM_OIDC_REDIRECT_URL' : ''].filter(Boolean);
  if (missing.length > 0) throw new UserError(`PHM_OIDC_ISSUER is set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not`);
  for (const [name, value] of [['PHM_OIDC_ISSUER', issuer], ['PHM_OIDC_REDIRECT_URL', redirectUrl!]] as const) {
    if (!URL.canParse(value)) throw new UserError(`${name} is not a URL: ${value}`);
  }
  const roleMap = get('PHM_OIDC_ROLE_MAP');
  return {
    issuer,
    clientId: clientId!,
    redirectUrl: redirectUrl!,
    ...(get('PHM_OIDC_CLIENT_SECRET') ? { clientSecret: get('PHM_OIDC_CLIENT_SECRET')! } : {}),
    ...(get('PHM_OIDC_SCOPES') ? { scopes: get('PHM_OIDC_SCOPES')! } : {}),
    ...(get('PHM_OIDC_ROLE_CLAIM') ? { roleClaim: get('PHM_OIDC_ROLE_CLAIM')! } : {}),
    ...(get('PHM_OIDC_NEIGHBOURHOOD_CLAIM') ? { neighbourhoodClaim: get('PHM_OIDC_NEIGHBOURHOOD_CLAIM')! } : {}),
    ...(get('PHM_OIDC_EMAIL_CLAIM') ? { emailClaim: get('PHM_OIDC_EMAIL_CLAIM')! } : {}),
    ...(roleMap ? { roleMap: parseRoleMap(roleMap) } : {}),
    ...(get('PHM_OIDC_LABEL') ? { label: get('PHM_OIDC_LABEL')! } : {}),
  };
};
