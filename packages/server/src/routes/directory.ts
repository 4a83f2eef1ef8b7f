/**
 * The directory of community services: public search and entries; programme leads add and replace
 * entries (audited, per the route table).
 */
import { DirectoryQuery, DirectoryResponse, DirectoryServiceOut, ServiceBody, ServiceParams } from '@openphm/api-contract';
import { actorOf, audited } from '../access.js';
import { addDirectoryEntry, directoryEntry, directorySearch, replaceDirectoryEntry } from '../data/directory.js';
import { route, routes } from '../routing.js';

export const directoryRoutes = routes('care', (ctx) => [
  route(
    'GET /api/directory/services',
    { summary: 'Search the directory of community services (everyone)', querystring: DirectoryQuery, ok: DirectoryResponse, errors: [400] },
    async (request) => directorySearch(ctx, request.query),
  ),
  route(
    'GET /api/directory/services/:serviceId',
    { summary: 'One directory entry (everyone)', params: ServiceParams, ok: DirectoryServiceOut, errors: [404] },
    async (request) => directoryEntry(ctx, request.params.serviceId),
  ),
  route(
    'POST /api/directory/services',
    { summary: 'Add a directory entry (programme leads); audited', body: ServiceBody.shape.entry, created: DirectoryServiceOut, errors: [400, 401, 403, 404, 409] },
    async (request) => audited(request, await addDirectoryEntry(ctx, request.body, actorOf(request))),
  ),
  route(
    'PUT /api/directory/services/:serviceId',
    {
      summary: 'Replace a directory entry (programme leads): the whole entry and the version edited (409 if it changed since); audited',
      params: ServiceParams,
      body: ServiceBody,
      ok: DirectoryServiceOut,
      errors: [400, 401, 403, 404, 409],
    },
    async (request) => audited(request, await replaceDirectoryEntry(ctx, request.params.serviceId, request.body.entry, request.body.version, actorOf(request))),
  ),
]);
