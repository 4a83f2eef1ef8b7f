/** Calls to the OpenPHM API. Types come from the server's zod schemas (type-only import: nothing is bundled). */
import type {
  AuditResponseT,
  FeatureCollection,
  Geography,
  IndicatorCatalogue,
  Me,
  PersonSummaryT,
  PopulationSummaryT,
} from '../../server/src/schemas.js';

export type { AuditResponseT, FeatureCollection, Geography, IndicatorCatalogue, Me, PersonSummaryT, PopulationSummaryT };

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly kind: string,
  ) {
    super(message);
  }
}

const request = async <T>(url: string, init?: RequestInit): Promise<T> => {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', ...init, headers: { accept: 'application/json', ...(init?.headers ?? {}) } });
  } catch {
    throw new ApiError('the server could not be reached', 0, 'network');
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { message?: string; kind?: string } } | undefined)?.error;
    throw new ApiError(error?.message ?? `request failed (${response.status})`, response.status, error?.kind ?? 'internal');
  }
  return body as T;
};

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const api = {
  me: () => request<Me>('/api/auth/me'),
  login: (email: string, password: string) => request<Me>('/api/auth/login', json({ email, password })),
  logout: () => request<Me>('/api/auth/logout', { method: 'POST' }),
  geography: () => request<Geography>('/api/geography'),
  lsoaBoundaries: () => request<FeatureCollection>('/api/geography/lsoa.geojson'),
  neighbourhoodBoundaries: () => request<FeatureCollection>('/api/geography/neighbourhoods.geojson'),
  population: (area: string) => request<PopulationSummaryT>(`/api/population/summary?area=${encodeURIComponent(area)}`),
  populationCsvUrl: (area: string, table: 'pyramid' | 'imd-decile' | 'breakdown') =>
    `/api/population/summary?area=${encodeURIComponent(area)}&format=csv&table=${table}`,
  indicators: () => request<IndicatorCatalogue>('/api/indicators'),
  person: (id: string) => request<PersonSummaryT>(`/api/people/${encodeURIComponent(id)}`),
  audit: (outcome?: string) => request<AuditResponseT>(`/api/audit?limit=200${outcome ? `&outcome=${encodeURIComponent(outcome)}` : ''}`),
  auditCsvUrl: (outcome?: string) => `/api/audit?limit=1000&format=csv${outcome ? `&outcome=${encodeURIComponent(outcome)}` : ''}`,
};

/** Formats a published count: suppressed counts show as "c" (confidential). */
export const fmtCount = (n: number | null | undefined): string => (n === null || n === undefined ? 'c' : n.toLocaleString('en-GB'));
