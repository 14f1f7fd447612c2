import type { FastifyReply, FastifyRequest } from 'fastify';
import { MeshplugError } from '@meshplug/plugin-api';
import type { AccessControl } from '../auth/access-control.js';
import type { AccessDecision, ServerMetrics } from './server-metrics.js';

const DECISIONS: Record<string, AccessDecision> = {
  DISC_ERR_UNAUTHENTICATED: 'unauthenticated',
  DISC_ERR_FORBIDDEN: 'forbidden',
  DISC_ERR_AUTH_UNAVAILABLE: 'unavailable',
};

/**
 * `onRequest` hook of the config routes when access control is on: runs before the
 * document is looked up or a poll is held, so a refused caller learns nothing, not even
 * whether the component exists. Errors leave through the error handler as `{code, message}`.
 */
export function accessHook(access: AccessControl, metrics: ServerMetrics, namespaceOf: (request: FastifyRequest) => string = paramNamespace) {
  return async function checkAccess(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      await access.authorize(request.headers.authorization, namespaceOf(request));
      metrics.countAccess('allowed');
    } catch (err) {
      const decision = err instanceof MeshplugError ? DECISIONS[err.code] : undefined;
      if (decision !== undefined) metrics.countAccess(decision);
      if (decision === 'unauthenticated') void reply.header('www-authenticate', 'Bearer realm="meshplug"');
      if (decision === 'unavailable') void reply.header('retry-after', '1');
      throw err;
    }
  };
}

/** The `:ns` path parameter of the config documents. */
function paramNamespace(request: FastifyRequest): string {
  return (request.params as { ns?: string }).ns ?? '';
}
