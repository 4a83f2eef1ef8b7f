/**
 * Postcode search: the areas a postcode lies in (its 2011 LSOA, that LSOA's neighbourhood and
 * place), from the ONS postcode lookup in the shared data (reference-data's loadPostcodeLookup).
 * It answers with areas only: the lookup holds no addresses and no people, and nothing about who
 * searched, or for what, is kept.
 */
import { UserError, parsePostcode } from '@openphm/core';
import { loadPostcodeLookup, POSTCODE_ATTRIBUTION } from '@openphm/reference-data';
import type { PostcodeArea } from '@openphm/api-contract';
import type { ServerContext } from '../context.js';
import { geoNames } from './features.js';
import { OGL } from './boundaries.js';

/** The areas of a postcode as typed; 400 for text that is not a postcode, 404 for one unknown or outside the partnership. */
export const findPostcode = async (ctx: ServerContext, typed: string): Promise<PostcodeArea> => {
  const parsed = parsePostcode(typed);
  if (!parsed.ok) throw new UserError(parsed.problem, 'usage');
  const { postcode } = parsed;
  const [lookup, geo] = await Promise.all([loadPostcodeLookup(ctx.sharedDataDir), geoNames(ctx)]);
  const found = lookup.get(postcode);
  if (found === undefined) {
    throw new UserError(`${postcode} is not a postcode of West Yorkshire or Harrogate that we know: check it, or it may be outside the partnership's area`, 'not-found');
  }
  const lsoa = geo.lsoas.get(found.lsoa11);
  if (lsoa === undefined) throw new UserError(`${postcode} is outside the partnership's area (its LSOA, ${found.lsoa11}, is not one of ours)`, 'not-found');
  const neighbourhood = lsoa.neighbourhoodId === null ? undefined : geo.neighbourhoods.get(lsoa.neighbourhoodId);
  return {
    postcode,
    terminated: found.terminated,
    lsoa: { code: found.lsoa11, name: lsoa.name },
    neighbourhood: neighbourhood === undefined || lsoa.neighbourhoodId === null ? null : { id: lsoa.neighbourhoodId, name: neighbourhood.name },
    place: { id: lsoa.place, name: geo.places.get(lsoa.place) ?? lsoa.place },
    metadata: { attribution: POSTCODE_ATTRIBUTION, licence: OGL, source: 'ONS postcode lookups (postcode to 2011 LSOA), West Yorkshire and Harrogate' },
  };
};
