/**
 * Calls of the outcome map (docs/how-to/outcome-maps.md): place outlines, postcode search and
 * neighbourhood names (admins). Types from the API contract (type-only: nothing is bundled).
 */
import type { FeatureCollection, NeighbourhoodName, PostcodeArea } from '@openphm/api-contract';
import { json, request } from '../api.js';

export type { NeighbourhoodName, PostcodeArea };

export const mapApi = {
  placeBoundaries: () => request<FeatureCollection>('/api/geography/places.geojson'),
  /** The areas a postcode lies in (as typed: the server reads case and spaces). */
  postcode: (typed: string) => request<PostcodeArea>(`/api/geography/postcode?postcode=${encodeURIComponent(typed)}`),
  neighbourhoodNames: () => request<{ neighbourhoods: NeighbourhoodName[] }>('/api/admin/neighbourhoods'),
  /** A new name, or null to name the neighbourhood after its PCN again. */
  renameNeighbourhood: (id: string, name: string | null) => request<NeighbourhoodName>(`/api/admin/neighbourhoods/${encodeURIComponent(id)}/name`, json({ name }, 'PUT')),
};
