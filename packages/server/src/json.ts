/**
 * Large, cacheable JSON responses (dashboard, results, segments, risk, population): validated
 * against the response schema and serialised ONCE per data version, kept with a gzip copy and an
 * ETag, then sent as bytes. Re-validating and re-serialising a 60 KB document (and compressing it)
 * on every request is what limits throughput under load; this does it once.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { cached, type ServerContext } from './context.js';
import { replied } from './csv.js';
import { isRendered, type RenderedJson } from './rendered-json.js';

export interface PreparedJson {
  readonly text: string;
  readonly gzip: Buffer;
  readonly etag: string;
}

/** Validates (zod: the same check and key stripping as the response serializer) and serialises once. */
export const prepareJson = <S extends z.ZodType>(schema: S, value: z.input<S>): PreparedJson => {
  const text = JSON.stringify(schema.parse(value));
  return { text, gzip: gzipSync(text, { level: 6 }), etag: `"${createHash('sha1').update(text).digest('base64url')}"` };
};

/** The prepared document for (endpoint, params) at the current data version. */
export const cachedJson = <S extends z.ZodType>(ctx: ServerContext, endpoint: string, params: Readonly<Record<string, unknown>>, schema: S, value: () => Promise<z.input<S>>): Promise<PreparedJson> =>
  cached(ctx, `${endpoint}#json`, params, async () => prepareJson(schema, await value()));

/** Sends a prepared document: 304 on a matching If-None-Match, gzip bytes when accepted. */
export const sendPrepared = (request: FastifyRequest, reply: FastifyReply, doc: PreparedJson): void => {
  reply.header('etag', doc.etag);
  reply.header('cache-control', 'no-cache');
  reply.header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === doc.etag) return replied(reply.code(304).send());
  reply.type('application/json; charset=utf-8');
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    reply.header('content-encoding', 'gzip');
    return replied(reply.send(doc.gzip));
  }
  return replied(reply.send(doc.text));
};

/**
 * A large document that changes only with the data (the boundaries' GeoJSON): its ETag is its name
 * and the data version, so a matching If-None-Match is answered 304 before anything is computed;
 * kept serialised (the result cache) and sent as is, without re-serialising per request.
 */
export const sendDataDocument = async (ctx: ServerContext, request: FastifyRequest, reply: FastifyReply, name: string, contentType: string, build: () => Promise<unknown>): Promise<void> => {
  const etag = `"${createHash('sha1').update(`${name}:${ctx.data.version()}`).digest('base64url')}"`;
  reply.header('etag', etag);
  reply.header('cache-control', 'no-cache');
  if (request.headers['if-none-match'] === etag) return replied(reply.code(304).send());
  const text = await cached(ctx, name, {}, async () => JSON.stringify(await build()));
  return replied(reply.type(contentType).send(text));
};

/**
 * A handler's answer: one already validated and serialised elsewhere (rendered-json.ts) is sent as its text; any other is
 * returned to the route's serialiser.
 */
export const sendAnswer = <T>(reply: FastifyReply, value: T | RenderedJson): T => {
  if (!isRendered(value)) return value;
  return replied(reply.type('application/json; charset=utf-8').send(value.text)) as T;
};
