/**
 * How a route file is written: a list of route definitions, one per entry of the route table
 * (access.ts, which says who may call each and what is audited). A definition names its entry
 * (`'GET /api/…'`), says what the route does (the OpenAPI summary), what it takes (params, query,
 * body), what it answers (`ok`: 200, or `created`: 201) and which errors it documents; its handler
 * parses, calls one function from data/ and replies. `routes(tag, …)` turns a resource's list into
 * the Fastify plugin the server registers.
 */
import type { FastifyBaseLogger, FastifySchema, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault, RouteGenericInterface, RouteHandlerMethod } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ErrorSchema } from '@openphm/api-contract';
import { ROUTES, type RouteKey, type RouteRule } from './access.js';
import type { ServerContext } from './context.js';

/** The error statuses a route documents; every error body has the one shape (ErrorSchema, errors.ts). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 429 | 501;

type ErrorResponses<S extends readonly ErrorStatus[]> = { [K in S[number]]: typeof ErrorSchema };

/** The error responses for some statuses: the one error-response table of the API. */
export const errorResponses = <const S extends readonly ErrorStatus[]>(statuses: S, schema: z.ZodType = ErrorSchema): ErrorResponses<S> =>
  Object.fromEntries(statuses.map((status) => [status, schema])) as ErrorResponses<S>;

/** What a route takes and answers. */
export interface RouteSpec {
  /** What the route does (the OpenAPI summary). */
  readonly summary: string;
  readonly params?: z.ZodType;
  readonly querystring?: z.ZodType;
  readonly body?: z.ZodType;
  /** The 200 response. */
  readonly ok?: z.ZodType;
  /** The 201 response: the route answers 201 with what its handler returns. */
  readonly created?: z.ZodType;
  /** The errors it documents. */
  readonly errors?: readonly ErrorStatus[];
  /** The shape of its error bodies when not the one error shape: FHIR out's OperationOutcome (errors.ts). */
  readonly errorBody?: z.ZodType;
}

type Field<S, K extends string> = S extends { readonly [P in K]: infer T } ? T : undefined;
type Success<S extends RouteSpec> = (S extends { readonly ok: infer T } ? { 200: T } : unknown) & (S extends { readonly created: infer T } ? { 201: T } : unknown);

/** The Fastify schema of a spec: what types a handler's request and reply. */
type SchemaOf<S extends RouteSpec> = {
  params: Field<S, 'params'>;
  querystring: Field<S, 'querystring'>;
  body: Field<S, 'body'>;
  response: Success<S> & ErrorResponses<S extends { readonly errors: infer E extends readonly ErrorStatus[] } ? E : []>;
};

type Handler<Schema extends FastifySchema> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  unknown,
  Schema,
  ZodTypeProvider,
  FastifyBaseLogger
>;

/** One route of a resource: its entry in the route table, its spec and its handler. */
export interface RouteDefinition {
  readonly key: RouteKey;
  readonly spec: RouteSpec;
  readonly handler: Handler<FastifySchema>;
}

/** A route definition; the handler's request and reply are typed by the spec. */
export const route = <const S extends RouteSpec>(key: RouteKey, spec: S, handler: Handler<SchemaOf<S>>): RouteDefinition => ({
  key,
  spec,
  handler: handler as unknown as Handler<FastifySchema>,
});

/** The errors a route documents: its spec's, and 429 when the route table gives it a per-user limit (access.ts). */
export const documentedErrors = (key: RouteKey, spec: RouteSpec): readonly ErrorStatus[] => {
  const limited = (ROUTES[key] as RouteRule).limit !== undefined;
  const errors = spec.errors ?? [];
  return limited && !errors.includes(429) ? [...errors, 429] : errors;
};

/**
 * Whether a route's answers are sent without HTTP compression: a named person's records for their care team (the care
 * relationship's routes and FHIR out's searches by subject). They carry text other users write (alerts, notes, plans) beside
 * the person's own, the pattern compression-ratio attacks on TLS (BREACH) need, and they are a few kilobytes each, where
 * compressing costs more of the server's one JavaScript thread than it saves on the wire (a care record: 13 KB, about
 * 0.12 ms to gzip; docs/decisions/0014-care-record-off-the-main-thread.md).
 */
export const sentUncompressed = (rule: RouteRule): boolean => rule.scope === 'care-relationship' || rule.scope === 'fhir-subject';

const schemaOf = (tag: string, key: RouteKey, spec: RouteSpec): FastifySchema => ({
  tags: [tag],
  summary: spec.summary,
  ...(spec.params && { params: spec.params }),
  ...(spec.querystring && { querystring: spec.querystring }),
  ...(spec.body && { body: spec.body }),
  response: { ...(spec.ok && { 200: spec.ok }), ...(spec.created && { 201: spec.created }), ...errorResponses(documentedErrors(key, spec), spec.errorBody) },
});

/** A resource's routes (tagged `tag` in the OpenAPI document) as the plugin the server registers, in the order listed. */
export const routes =
  (tag: string, define: (ctx: ServerContext) => readonly RouteDefinition[]) =>
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    for (const { key, spec, handler } of define(ctx)) {
      const [method, url] = key.split(' ') as [string, string];
      app.route({
        method,
        url,
        schema: schemaOf(tag, key, spec),
        ...(sentUncompressed(ROUTES[key] as RouteRule) && { compress: false }),
        handler: spec.created
          ? function (request, reply) {
              reply.code(201);
              return handler.call(this, request, reply);
            }
          : handler,
      });
    }
  };
