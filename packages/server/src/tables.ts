/**
 * Published tables (the dashboard, indicator results and trends, segments, risk, population): one
 * result per data version, kept in the result cache under its endpoint and parameters, sent as the
 * prepared JSON document (json.ts) or as a CSV file of the same figures.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { cached, type ServerContext } from './context.js';
import { sendCsv } from './csv.js';
import { cachedJson, sendPrepared } from './json.js';

/** A CSV export: its file name and text. */
export interface CsvFile {
  readonly fileName: string;
  readonly text: string;
}

/** How to compute a published table (`T`: what it computes, checked against `S` as JSON) and write it as CSV. */
export interface PublishedTable<S extends z.ZodType, T extends z.input<S> = z.input<S>> {
  /** Keys the result cache, with `params`. */
  readonly endpoint: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The response schema the JSON document is checked against. */
  readonly schema: S;
  readonly compute: () => Promise<T>;
  readonly csv: (body: T) => CsvFile;
}

/** Sends a published table in the format asked for, computing it at most once per data version. */
export const sendTable = async <S extends z.ZodType, T extends z.input<S>>(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  format: 'json' | 'csv',
  table: PublishedTable<S, T>,
): Promise<void> => {
  const body = () => cached(ctx, table.endpoint, table.params, table.compute);
  if (format === 'json') return sendPrepared(request, reply, await cachedJson(ctx, table.endpoint, table.params, table.schema, body));
  const file = table.csv(await body());
  return sendCsv(reply, file.fileName, file.text);
};
