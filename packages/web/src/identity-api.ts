/**
 * Calls of the care zone's identities (docs/security.md, "Identity model"): finding a person by NHS
 * number or by name and date of birth, who a person is, breaking glass, and the admins' list of
 * break-glass grants. Types from the API contract (type-only: nothing is bundled).
 */
import type { BreakGlassAlertsResponseT, CarePersonResponseT, CareSearchResponseT } from '@openphm/api-contract';
import { json, request } from './api.js';

export type CarePerson = CarePersonResponseT;
export type CareSearch = CareSearchResponseT;
export type CareSearchResult = CareSearchResponseT['results'][number];
export type BreakGlassAlert = BreakGlassAlertsResponseT['alerts'][number];

/** What a search asks: an NHS number, or a family name and date of birth (and the start of the given name). */
export type SearchBy = { readonly nhsNumber: string } | { readonly familyName: string; readonly dateOfBirth: string; readonly givenName?: string };

const query = (by: SearchBy): string =>
  Object.entries(by)
    .filter(([, v]) => typeof v === 'string' && v.trim() !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent((v as string).trim())}`)
    .join('&');

export const identityApi = {
  search: (by: SearchBy) => request<CareSearch>(`/api/care/search?${query(by)}`),
  person: (personId: string) => request<CarePerson>(`/api/care/people/${encodeURIComponent(personId)}`),
  breakGlass: (personId: string, reason: string) =>
    request<{ personId: string; grantedAt: string; expiresAt: string }>(`/api/care/people/${encodeURIComponent(personId)}/break-glass`, json({ reason })),
  alerts: () => request<BreakGlassAlertsResponseT>('/api/admin/break-glass'),
};
