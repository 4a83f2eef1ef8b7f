/**
 * One error mapping for the whole API: core's httpStatusFor(error) decides the status, the body is
 * always `{ error: { message, kind } }`; request validation errors are 400 and name the fields.
 * Internal errors are logged by route pattern only (never with request parameters or person data).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { FieldValidationError, ISSUE_TYPE_OF_KIND, PhmError, httpStatusFor, operationOutcome, type ErrorKind, type FieldProblem } from '@openphm/core';

export interface ErrorBody {
  error: { message: string; kind: string; fields?: { field: string; message: string }[] };
}

/** A request whose body or query failed a check made after validation: 400, naming each field (core's FieldValidationError). */
export const invalidRequest = (where: 'body' | 'querystring', fields: readonly FieldProblem[]): FieldValidationError => new FieldValidationError(`invalid ${where}`, fields, 'usage');

/** Control characters written visibly (\\x1b, \\n …), so text echoed from a request cannot drive a terminal or forge a log line. */
export const escapeControl = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

export const errorBody = (message: string, kind: string, fields?: { field: string; message: string }[]): ErrorBody => ({
  error: { message: escapeControl(message), kind, ...(fields ? { fields: fields.map((f) => ({ field: escapeControl(f.field), message: escapeControl(f.message) })) } : {}) },
});

/** Request validation problems by field: an unknown field is named itself (`body.extra: unknown field`). */
const validationFields = (validation: readonly { instancePath: string; message?: string; keyword?: string; params?: Record<string, unknown> }[], where: string) =>
  validation.flatMap((v) => {
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (v.keyword === 'unrecognized_keys' && Array.isArray(v.params?.keys)) {
      return (v.params.keys as unknown[]).map((k) => ({ field: path ? `${path}.${String(k)}` : String(k), message: 'unknown field' }));
    }
    return [{ field: path || where, message: v.message ?? 'invalid' }];
  });

const KIND_OF_STATUS: Record<number, string> = { 400: 'usage', 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found', 409: 'conflict' };

/** Whether a request is to FHIR out (/fhir): its errors are OperationOutcomes (docs/fhir-api.md). */
export const isFhirRequest = (url: string): boolean => url === '/fhir' || url.startsWith('/fhir/') || url.startsWith('/fhir?');

export const FHIR_CONTENT_TYPE = 'application/fhir+json; charset=utf-8';

/** The one error body as a FHIR OperationOutcome: an error issue of the kind's issue type, the fields as expressions. */
export const fhirErrorBody = (body: ErrorBody) =>
  operationOutcome([
    {
      severity: 'error',
      code: ISSUE_TYPE_OF_KIND[body.error.kind as ErrorKind] ?? 'processing',
      diagnostics: body.error.message,
      ...(body.error.fields ? { expression: body.error.fields.map((f) => f.field) } : {}),
    },
  ]);

export const installErrorHandler = (app: FastifyInstance): void => {
  app.setErrorHandler((error: FastifyError, request, realReply) => {
    // FHIR out answers the same status with the same words as an OperationOutcome.
    const reply = isFhirRequest(request.url)
      ? { code: (status: number) => ({ send: (body: ErrorBody) => realReply.code(status).type(FHIR_CONTENT_TYPE).serializer(JSON.stringify).send(fhirErrorBody(body)) }) }
      : realReply;
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const fields = validationFields(error.validation, where);
      return reply.code(400).send(errorBody(`invalid ${where}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, 'usage', fields));
    }
    if (error instanceof FieldValidationError) return reply.code(httpStatusFor(error)).send(errorBody(error.message, error.kind, error.fields.map((f) => ({ ...f }))));
    if (error instanceof PhmError) {
      const status = httpStatusFor(error);
      const internal = error.kind === 'internal';
      if (internal) request.log.error({ route: request.routeOptions.url, kind: error.kind, err: { message: error.message } }, 'internal error');
      return reply.code(status).send(errorBody(internal ? 'internal error' : error.message, error.kind));
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody(error.message, KIND_OF_STATUS[status] ?? 'usage'));
    request.log.error({ route: request.routeOptions.url, err: { message: error.message, code: error.code } }, 'internal error');
    return reply.code(500).send(errorBody('internal error', 'internal'));
  });
};
