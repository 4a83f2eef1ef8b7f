/**
 * Answers already validated against their response schema and serialised, for a route to send as
 * they are: made where the work is cheaper than on the server's one JavaScript thread (the record
 * renderer's worker). The same check and the same text as the routes' serialiser
 * (fastify-type-provider-zod: the schema's encode, unknown keys stripped, then JSON).
 */
import { z } from 'zod';

export interface RenderedJson {
  readonly rendered: 'json';
  readonly text: string;
}

/** Validates `value` against `schema` (as the routes' serialiser does) and serialises it; throws zod's error when it does not match. */
export const renderJson = (schema: z.ZodType, value: unknown): RenderedJson => ({ rendered: 'json', text: JSON.stringify(z.encode(schema, value)) });

export const isRendered = (value: unknown): value is RenderedJson =>
  typeof value === 'object' && value !== null && (value as { rendered?: unknown }).rendered === 'json' && typeof (value as { text?: unknown }).text === 'string';
