/**
 * The directory of community services that link workers and the public search: what exists, for
 * whom, where and when (the plans: "a directory of services is needed so staff and public can see
 * what exists"). The model is a practical subset of Open Referral UK / HSDS 3 (organisation, service,
 * location, schedule, eligibility, cost, contact, taxonomy terms, service area), so the directory can
 * be published as an Open Referral feed (docs/social-prescribing.md). Pure: validation and search.
 */
import { z } from 'zod';
import { IsoDaySchema } from '../time/iso-day.js';
import { FieldValidationError, fieldProblemsOf } from '../errors/errors.js';
import { AREA_REFS, type AreaRef } from '../delivery/strategy.js';

/** The taxonomy of social prescribing activities (OpenPHM's own terms; each service has one or more). */
export const SERVICE_CATEGORIES = [
  { id: 'arts-culture', label: 'Arts and culture' },
  { id: 'nature-gardening', label: 'Gardening and nature' },
  { id: 'physical-activity', label: 'Physical activity and exercise' },
  { id: 'social-groups', label: 'Social groups and befriending' },
  { id: 'peer-support', label: 'Peer support' },
  { id: 'mental-wellbeing', label: 'Mental wellbeing' },
  { id: 'carers', label: 'Support for unpaid carers' },
  { id: 'advice', label: 'Money, benefits and housing advice' },
  { id: 'learning-volunteering', label: 'Learning, skills and volunteering' },
  { id: 'healthy-eating', label: 'Healthy eating and weight' },
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number]['id'];
const CATEGORY_IDS = SERVICE_CATEGORIES.map((c) => c.id) as [ServiceCategory, ...ServiceCategory[]];

export interface DirectoryService {
  readonly id: string;
  readonly organisation: { readonly id: string; readonly name: string; readonly url?: string; readonly email?: string };
  readonly name: string;
  readonly description: string;
  readonly status: 'active' | 'inactive';
  readonly categories: readonly ServiceCategory[];
  /** Where it is offered: the ICS or places; optionally only some neighbourhoods. */
  readonly areas: readonly AreaRef[];
  readonly neighbourhoods?: readonly string[];
  readonly location?: { readonly name: string; readonly address: string; readonly postcode?: string };
  /** When, in words: "Tuesdays 10:00-12:00". */
  readonly schedule: string;
  /** Free, or what it costs. */
  readonly cost: string;
  readonly eligibility: { readonly minAge?: number; readonly maxAge?: number; readonly description?: string };
  readonly accessibility?: string;
  readonly contact: { readonly email?: string; readonly phone?: string; readonly url?: string };
  /** Who may refer: people themselves, link workers (social prescribing), or both. */
  readonly referral: { readonly self: boolean; readonly linkWorker: boolean };
  /** When the entry was last checked with the provider. */
  readonly lastReviewed: string;
}

const SLUG = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens').max(80);
const TEXT = (max: number) => z.string().trim().min(1, 'required').max(max);
const DATE = IsoDaySchema;
const AGE = z.number().int().min(0).max(120);

export const DirectoryServiceSchema = z
  .object({
    id: SLUG,
    organisation: z.object({ id: SLUG, name: TEXT(200), url: z.string().url().optional(), email: z.string().email().optional() }).strict(),
    name: TEXT(200),
    description: TEXT(4000),
    status: z.enum(['active', 'inactive']),
    categories: z.array(z.enum(CATEGORY_IDS)).min(1, 'at least one category'),
    areas: z.array(z.enum(AREA_REFS as [AreaRef, ...AreaRef[]])).min(1, 'at least one area'),
    neighbourhoods: z.array(z.string().min(1).max(64)).optional(),
    location: z.object({ name: TEXT(200), address: TEXT(300), postcode: z.string().regex(/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/, 'a UK postcode').optional() }).strict().optional(),
    schedule: TEXT(300),
    cost: TEXT(200),
    eligibility: z.object({ minAge: AGE.optional(), maxAge: AGE.optional(), description: z.string().max(1000).optional() }).strict(),
    accessibility: z.string().max(1000).optional(),
    contact: z.object({ email: z.string().email().optional(), phone: z.string().max(40).optional(), url: z.string().url().optional() }).strict(),
    referral: z.object({ self: z.boolean(), linkWorker: z.boolean() }).strict(),
    lastReviewed: DATE,
  })
  .strict()
  .refine((s) => s.eligibility.minAge === undefined || s.eligibility.maxAge === undefined || s.eligibility.minAge <= s.eligibility.maxAge, { message: 'minAge must not be above maxAge', path: ['eligibility', 'maxAge'] })
  .refine((s) => s.referral.self || s.referral.linkWorker, { message: 'say who may refer: self, linkWorker or both', path: ['referral'] })
  .refine((s) => Object.values(s.contact).some((v) => v !== undefined), { message: 'give at least one way to contact the service', path: ['contact'] });

/** Validates a directory entry; errors name the source and each field. */
export const parseDirectoryService = (input: unknown, source = 'service'): DirectoryService => {
  const parsed = DirectoryServiceSchema.safeParse(input);
  if (!parsed.success) throw new FieldValidationError(source, fieldProblemsOf(parsed.error.issues));
  return parsed.data as DirectoryService;
};

export interface DirectoryQuery {
  /** Words that must all appear in the name, description, organisation or category labels (any case). */
  readonly text?: string;
  readonly category?: ServiceCategory;
  /** Only services offered in this place (services for the whole ICS count everywhere). */
  readonly place?: string;
  /** Only services offered in this neighbourhood (of the place), or across its place or the ICS. */
  readonly neighbourhood?: { readonly id: string; readonly place: string };
  /** Only services open to someone of this age. */
  readonly age?: number;
  /** Only services a link worker may refer to. */
  readonly linkWorkerReferral?: boolean;
  /** Include inactive services (default false). */
  readonly includeInactive?: boolean;
}

const labelOf = (c: ServiceCategory): string => SERVICE_CATEGORIES.find((x) => x.id === c)!.label;

/** Whether a service is offered in a place (in the place itself, or across the ICS). */
const offeredIn = (s: DirectoryService, place: string): boolean => s.areas.includes('ics') || s.areas.includes(`place:${place}` as AreaRef);

/** The services matching a query, by name. */
export const searchDirectory = (services: readonly DirectoryService[], q: DirectoryQuery): DirectoryService[] => {
  const words = (q.text ?? '').toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  return services
    .filter((s) => q.includeInactive || s.status === 'active')
    .filter((s) => q.category === undefined || s.categories.includes(q.category))
    .filter((s) => q.place === undefined || offeredIn(s, q.place))
    .filter((s) => q.neighbourhood === undefined || (offeredIn(s, q.neighbourhood.place) && (s.neighbourhoods === undefined || s.neighbourhoods.includes(q.neighbourhood.id))))
    .filter((s) => q.age === undefined || ((s.eligibility.minAge ?? 0) <= q.age && q.age <= (s.eligibility.maxAge ?? 120)))
    .filter((s) => q.linkWorkerReferral === undefined || s.referral.linkWorker === q.linkWorkerReferral)
    .filter((s) => {
      if (words.length === 0) return true;
      const haystack = [s.name, s.description, s.organisation.name, ...s.categories.map(labelOf)].join(' ').toLowerCase();
      return words.every((w) => haystack.includes(w));
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || a.id.localeCompare(b.id));
};
