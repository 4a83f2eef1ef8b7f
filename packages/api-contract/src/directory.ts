/** The directory of community services (routes/directory.ts). */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';
import { Int } from './common.js';

export const SlugParam = (what: string) => z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, what).max(80);

export const ServiceParams = z.object({ serviceId: SlugParam('a service id') });

export const DirectoryServiceOut = notAFigure(z.object({
  id: z.string(),
  organisation: z.object({ id: z.string(), name: z.string(), url: z.string().optional(), email: z.string().optional() }),
  name: z.string(),
  description: z.string(),
  status: z.enum(['active', 'inactive']),
  categories: z.array(z.string()),
  areas: z.array(z.string()),
  areaNames: z.array(z.string()),
  neighbourhoods: z.array(z.string()).optional(),
  location: z.object({ name: z.string(), address: z.string(), postcode: z.string().optional() }).optional(),
  schedule: z.string(),
  cost: z.string(),
  eligibility: z.object({ minAge: z.number().optional(), maxAge: z.number().optional(), description: z.string().optional() }),
  accessibility: z.string().optional(),
  contact: z.object({ email: z.string().optional(), phone: z.string().optional(), url: z.string().optional() }),
  referral: z.object({ self: z.boolean(), linkWorker: z.boolean() }),
  lastReviewed: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
}), 'a directory entry (eligible ages, version): public service information');

export const DirectoryQuery = z.object({
  q: z.string().max(200).optional().describe('words that must all appear (name, description, organisation, category)'),
  category: z.string().max(40).optional(),
  place: z.string().max(64).optional(),
  neighbourhood: z.string().max(64).optional(),
  age: z.coerce.number().int().min(0).max(120).optional(),
  linkWorker: z.enum(['true', 'false']).optional().describe('only services a link worker may (true) or may not (false) refer to'),
  inactive: z.enum(['true', 'false']).optional().describe('include inactive services'),
});

export const DirectoryResponse = z.object({
  categories: z.array(z.object({ id: z.string(), label: z.string() })),
  places: z.array(z.object({ id: z.string(), name: z.string() })),
  referralReasons: z.array(z.object({ id: z.string(), label: z.string() })).describe('The reasons a referral records (codes, never free text)'),
  total: Int('services matching the search'),
  services: z.array(DirectoryServiceOut),
});

export const ServiceBody = z.object({ entry: z.record(z.string(), z.unknown()), version: z.number().int().min(1) }).strict();

export type DirectoryResponseT = z.infer<typeof DirectoryResponse>;

export type DirectoryServiceT = z.infer<typeof DirectoryServiceOut>;
