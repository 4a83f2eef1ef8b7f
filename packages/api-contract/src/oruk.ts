/** The directory as an Open Referral UK (HSDS 3.0) feed (routes/oruk.ts). */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';

export const OrukQuery = z.object({
  search: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(200).default(50),
  taxonomy_term_id: z.string().max(64).optional(),
  organization_id: z.string().max(80).optional(),
  modified_after: z.string().max(40).optional(),
});
export const OrukJson = z.record(z.string(), z.unknown());
export const OrukPage = z.object({
  total_items: notAFigure(z.number().int(), 'services listed in the public directory (paging)'),
  total_pages: notAFigure(z.number().int(), 'paging'),
  page_number: notAFigure(z.number().int(), 'paging'),
  size: notAFigure(z.number().int(), 'paging'),
  first_page: z.boolean(),
  last_page: z.boolean(),
  empty: z.boolean(),
  contents: z.array(OrukJson),
});

export const OrukRoot = z.object({ version: z.string(), profile: z.string(), openapi_url: z.string() });
export const OrukServiceParams = z.object({ id: z.string().max(80) });
