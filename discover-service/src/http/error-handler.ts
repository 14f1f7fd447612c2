import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { MeshplugError } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Every error leaves as JSON `{code, message}`: catalogue errors with their
 * status, malformed requests (schema validation, bad bodies) as 400 (or the
 * 4xx fastify chose), and anything unexpected as a logged 500 that does not
 * leak internals.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = describe(error, request);
  void reply.code(status).type(JSON_TYPE).send(body);
}

function describe(error: FastifyError | Error, request: FastifyRequest): { status: number; body: object } {
  if (error instanceof MeshplugError) {
    if (error.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    return { status: error.statusCode, body: error.toJSON() };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation !== undefined) {
    return { status: 400, body: new DiscoverErrors.DISC_ERR_BAD_REQUEST(error.message).toJSON() };
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { status, body: new DiscoverErrors.DISC_ERR_BAD_REQUEST(error.message).toJSON() };
  }
  request.log.error({ err: error }, 'request failed');
  return { status: 500, body: new DiscoverErrors.DISC_ERR_INTERNAL().toJSON() };
}

/** Unknown paths: a JSON 404 naming what was asked for. */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply): void {
  const error = new DiscoverErrors.DISC_ERR_NO_ROUTE(`${request.method} ${request.url.split('?')[0] ?? ''}`);
  void reply.code(error.statusCode).type(JSON_TYPE).send(error.toJSON());
}
