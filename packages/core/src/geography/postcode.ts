/**
 * UK postcodes as people type them ("ls1 4dy", "LS14DY", " Ls1  4Dy ") made into the form the ONS
 * postcode lookups use ("LS1 4DY": outward code, one space, inward code). Pure, for the server's
 * postcode search and the web's search box alike. A postcode names an area of a few dozen
 * addresses, never a person: the search answers with areas only.
 */
import type { Brand } from '../codes/brand.js';

/** A postcode in the ONS lookups' form: upper case, outward and inward codes separated by one space. */
export type Postcode = Brand<string, 'Postcode'>;

/** Outward code (area, district, optional sub-district letter) then inward code (sector digit, unit letters). */
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;

export type PostcodeParse = { readonly ok: true; readonly postcode: Postcode } | { readonly ok: false; readonly problem: string };

/** The longest text worth reading as a postcode (8 characters and some spaces). */
export const POSTCODE_MAX_LENGTH = 16;

/** Reads what someone typed as a postcode: spaces and case do not matter; anything else that is not a UK postcode is a problem, said in words. */
export const parsePostcode = (text: string): PostcodeParse => {
  if (text.length > POSTCODE_MAX_LENGTH) return { ok: false, problem: `'${text.slice(0, POSTCODE_MAX_LENGTH)}…' is too long for a postcode` };
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (compact === '') return { ok: false, problem: 'type a postcode, such as LS1 4DY' };
  const m = POSTCODE.exec(compact);
  if (m === null) return { ok: false, problem: `'${text.trim()}' is not a UK postcode (a postcode looks like LS1 4DY or BD10 8AB)` };
  return { ok: true, postcode: `${m[1]} ${m[2]}` as Postcode };
};
