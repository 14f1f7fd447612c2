import type { FastifyRequest } from 'fastify';
import { PROXY_KINDS, type ProxyIdentity, type ProxyKind } from '../proxies/proxy-registry.js';
import { DiscoverErrors } from '../errors.js';
import { parseIfNoneMatch } from './etag.js';

/** Pod and host names, plus `:` and `_` for ids built from several parts. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$/;
const VERSION_PATTERN = /^[A-Za-z0-9._:+/=-]{1,128}$/;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The polling sidecar, from `x-meshplug-proxy-id`, `x-meshplug-proxy-kind` and
 * `x-meshplug-applied-version`; `undefined` for anonymous callers (people, curl).
 * Throws DISC_ERR_BAD_REQUEST when the headers are present but malformed, so a
 * misconfigured sidecar is told rather than silently missing from /v1/proxies.
 */
export function proxyIdentity(request: FastifyRequest, namespace: string, service: string): ProxyIdentity | undefined {
  const id = header(request, 'x-meshplug-proxy-id');
  if (id === undefined) return undefined;
  if (!ID_PATTERN.test(id)) {
    throw new DiscoverErrors.DISC_ERR_BAD_REQUEST(`x-meshplug-proxy-id '${id.slice(0, 64)}' must be a pod or host name`);
  }
  const kind = header(request, 'x-meshplug-proxy-kind');
  if (kind === undefined || !(PROXY_KINDS as readonly string[]).includes(kind)) {
    throw new DiscoverErrors.DISC_ERR_BAD_REQUEST(`x-meshplug-proxy-kind must be one of ${PROXY_KINDS.join(', ')}`);
  }
  const appliedHeader = header(request, 'x-meshplug-applied-version');
  const applied = appliedHeader === undefined ? undefined : parseIfNoneMatch(appliedHeader)[0];
  if (applied !== undefined && !VERSION_PATTERN.test(applied)) {
    throw new DiscoverErrors.DISC_ERR_BAD_REQUEST('x-meshplug-applied-version must be a config version');
  }
  return { id, kind: kind as ProxyKind, namespace, service, ...(applied !== undefined ? { appliedVersion: applied } : {}) };
}
