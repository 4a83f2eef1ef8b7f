/**
 * The directory of community services: public search and entries; programme leads add and replace
 * entries (audited, per the route table).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DirectoryQuery, DirectoryResponse, DirectoryServiceOut, ErrorSchema, ServiceBody, ServiceParams } from '@openphm/api-contract';
import { actorOf, audited } from '../access.js';
import type { ServerContext } from '../context.js';
import { addDirectoryEntry, directoryEntry, directorySearch, replaceDirectoryEntry } from '../data/directory.js';

const ERRORS = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } as const;

export const directoryRoutes =
  (ctx: ServerContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/directory/services',
      { schema: { tags: ['care'], summary: 'Search the directory of community services (everyone)', querystring: DirectoryQuery, response: { 200: DirectoryResponse, 400: ErrorSchema } } },
      async (request) => directorySearch(ctx, request.query),
    );

    app.get(
      '/api/directory/services/:serviceId',
      { schema: { tags: ['care'], summary: 'One directory entry (everyone)', params: ServiceParams, response: { 200: DirectoryServiceOut, 404: ErrorSchema } } },
      async (request) => directoryEntry(ctx, request.params.serviceId),
    );

    app.post(
      '/api/directory/services',
      { schema: { tags: ['care'], summary: 'Add a directory entry (programme leads); audited', body: ServiceBody.shape.entry, response: { 201: DirectoryServiceOut, ...ERRORS, 409: ErrorSchema } } },
      async (request, reply) => reply.code(201).send(audited(request, await addDirectoryEntry(ctx, request.body, actorOf(request)))),
    );

    app.put(
      '/api/directory/services/:serviceId',
      {
        schema: {
          tags: ['care'],
          summary: 'Replace a directory entry (programme leads): the whole entry and the version edited (409 if it changed since); audited',
          params: ServiceParams,
          body: ServiceBody,
          response: { 200: DirectoryServiceOut, ...ERRORS, 409: ErrorSchema },
        },
      },
      async (request) => audited(request, await replaceDirectoryEntry(ctx, request.params.serviceId, request.body.entry, request.body.version, actorOf(request))),
    );
  };
