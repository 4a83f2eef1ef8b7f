import { describe, expect, it } from 'vitest';
import { mapClaims, oidcSettingsFromEnv, parseRoleMap, type OidcSettings } from './oidc.js';

const SETTINGS: OidcSettings = { issuer: 'https://idp.test', clientId: 'c', redirectUrl: 'https://phm.test/api/auth/oidc/callback', roleMap: { 'PHM.Analyst': 'analyst', 'PHM.Team': 'neighbourhood' } };

describe('single sign-on settings and claims', () => {
  it('reads its settings from the environment, and refuses half a configuration', () => {
    expect(oidcSettingsFromEnv({})).toBeUndefined();
    expect(
      oidcSettingsFromEnv({
        PHM_OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
        PHM_OIDC_CLIENT_ID: 'app',
        PHM_OIDC_CLIENT_SECRET: 's',
        PHM_OIDC_REDIRECT_URL: 'https://phm.test/api/auth/oidc/callback',
        PHM_OIDC_ROLE_MAP: 'PHM.Analyst=analyst, PHM.Admin=admin',
        PHM_OIDC_ROLE_CLAIM: 'roles',
        PHM_OIDC_NEIGHBOURHOOD_CLAIM: 'extension_neighbourhood',
        PHM_OIDC_LABEL: 'Sign in with NHS CIS2',
      }),
    ).toEqual({
      issuer: 'https://login.microsoftonline.com/tenant/v2.0',
      clientId: 'app',
      clientSecret: 's',
      redirectUrl: 'https://phm.test/api/auth/oidc/callback',
      roleMap: { 'PHM.Analyst': 'analyst', 'PHM.Admin': 'admin' },
      roleClaim: 'roles',
      neighbourhoodClaim: 'extension_neighbourhood',
      label: 'Sign in with NHS CIS2',
    });
    expect(() => oidcSettingsFromEnv({ PHM_OIDC_ISSUER: 'https://idp.test' })).toThrow(/PHM_OIDC_CLIENT_ID and PHM_OIDC_REDIRECT_URL are not/);
    expect(() => parseRoleMap('PHM.Boss=superuser')).toThrow(/not value=role/);
  });

  it('maps claims to one role and a neighbourhood, or says why not', () => {
    expect(mapClaims({ sub: '1', email: 'A@NHS.test', name: 'A', roles: ['PHM.Analyst', 'Other'] }, SETTINGS)).toEqual({ ok: true, subject: '1', email: 'a@nhs.test', displayName: 'A', role: 'analyst', neighbourhoodId: null });
    expect(mapClaims({ sub: '2', email: 'b@nhs.test', roles: 'PHM.Team', neighbourhood: 'leeds-1' }, SETTINGS)).toMatchObject({ ok: true, role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    expect(mapClaims({ sub: '3', email: 'c@nhs.test', roles: ['analyst'] }, SETTINGS)).toMatchObject({ ok: false, problem: 'no role mapped from claim roles (analyst)' });
    expect(mapClaims({ sub: '4', email: 'd@nhs.test', roles: ['PHM.Team'] }, SETTINGS)).toMatchObject({ ok: false, problem: 'neighbourhood role without a neighbourhood in claim neighbourhood' });
    expect(mapClaims({ sub: '5', roles: ['PHM.Analyst'] }, SETTINGS)).toMatchObject({ ok: false, problem: 'no email in claim email' });
    expect(mapClaims({ sub: '6', preferred_username: 'e@nhs.test', roles: ['__proto__'] }, SETTINGS)).toMatchObject({ ok: false, email: 'e@nhs.test' });
    // Without a role map, a claim value that is a role's name is that role.
    expect(mapClaims({ sub: '7', email: 'f@nhs.test', roles: 'board' }, { ...SETTINGS, roleMap: {} })).toMatchObject({ ok: true, role: 'board' });
  });
});
