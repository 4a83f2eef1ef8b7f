/**
 * The page and its query in the location hash (#/page?key=value): pages keep their choices there
 * so that views can be shared and survive a reload. Pure: the browser parts are in components/common.
 */

/** The query parameters of a hash ('#/dashboard?area=ics' → area=ics). */
export const paramsOfHash = (hash: string): URLSearchParams => new URLSearchParams(hash.split('?')[1] ?? '');

/** The hash of a page with its parameters; empty and undefined values are left out, so defaults keep addresses short. */
export const hashOf = (page: string, params: Readonly<Record<string, string | undefined>>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const text = q.toString();
  return `#/${page}${text ? `?${text}` : ''}`;
};
