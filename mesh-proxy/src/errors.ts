import { createErrorCatalogue } from '@meshplug/plugin-api';

/**
 * Errors raised by mesh-proxy. The ones the proxy answers a client with
 * (502/503/504) carry their code in the `x-meshplug-error` response header.
 */
export const MeshProxyErrors = createErrorCatalogue({
  MESH_ERR_INVALID_OPTIONS: { statusCode: 500, message: 'invalid mesh-proxy options' },
  MESH_ERR_NO_ROUTE: { statusCode: 404, message: 'no route for this request (Domains, Prefix, Headers)' },
  MESH_ERR_BAD_REQUEST: { statusCode: 400, message: 'request cannot be forwarded' },
  MESH_ERR_NO_ENDPOINTS: { statusCode: 503, message: 'no healthy upstream endpoint' },
  MESH_ERR_OVERFLOW: { statusCode: 503, message: 'upstream circuit breaker open' },
  MESH_ERR_CONNECT_FAILURE: { statusCode: 502, message: 'upstream connect failure' },
  MESH_ERR_UPSTREAM_RESET: { statusCode: 502, message: 'upstream connection reset' },
  MESH_ERR_TIMEOUT: { statusCode: 504, message: 'upstream request timeout' },
  MESH_ERR_DRAINING: { statusCode: 503, message: 'proxy is draining' },
  MESH_ERR_LISTEN_FAILED: { statusCode: 500, message: 'listener failed to bind' },
  MESH_ERR_STATE_FILE: { statusCode: 500, message: 'state file unreadable' },
  MESH_ERR_INVALID_DOCUMENT: { statusCode: 422, message: 'invalid mesh document' },
  MESH_ERR_NOT_STARTED: { statusCode: 500, message: 'mesh-proxy has not been started' },
  MESH_ERR_FORBIDDEN: { statusCode: 403, message: 'admin endpoint is for local callers only' },
  MESH_ERR_NOT_FOUND: { statusCode: 404, message: 'no such admin endpoint' },
  MESH_ERR_METHOD_NOT_ALLOWED: { statusCode: 405, message: 'method not allowed' },
  MESH_ERR_ADMIN: { statusCode: 500, message: 'admin request failed' },
});
