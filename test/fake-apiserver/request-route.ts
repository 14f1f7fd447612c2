import { isTrue } from './http-io.js';
import { prefixOf, RESOURCES, type ResourceType } from './resources.js';
import { ApiError, failure } from './status.js';

export type Verb = 'list' | 'watch' | 'get' | 'create' | 'update' | 'delete';

export interface Route {
  resource: ResourceType;
  /** Absent for a cluster-wide collection. */
  namespace?: string;
  /** Present for a single object. */
  name?: string;
  verb: Verb;
}

function notAllowed(): never {
  throw new ApiError(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
}

function verbOf(method: string, url: URL, namespace: string | undefined, name: string | undefined): Verb {
  if (name !== undefined) {
    if (method === 'GET') return 'get';
    if (method === 'PUT') return 'update';
    if (method === 'DELETE') return 'delete';
    return notAllowed();
  }
  if (method === 'GET') return isTrue(url.searchParams.get('watch')) ? 'watch' : 'list';
  if (method === 'POST' && namespace !== undefined) return 'create';
  return notAllowed();
}

/**
 * Maps `/api/v1/[namespaces/{ns}/]{plural}[/{name}]` (and `/apis/{group}/{version}/...`)
 * plus the method to a resource and verb, as the API server's request info resolver does.
 */
export function resolveRoute(method: string, url: URL): Route {
  const segments = url.pathname.split('/').filter((s) => s !== '');
  for (const resource of RESOURCES) {
    const prefix = prefixOf(resource).split('/').filter((s) => s !== '');
    if (!prefix.every((part, i) => segments[i] === part)) continue;
    const rest = segments.slice(prefix.length);
    if (rest.length === 1 && rest[0] === resource.plural) return { resource, verb: verbOf(method, url, undefined, undefined) };
    if (rest[0] === 'namespaces' && rest[2] === resource.plural && rest[1] !== undefined) {
      const namespace = rest[1];
      if (rest.length === 3) return { resource, namespace, verb: verbOf(method, url, namespace, undefined) };
      if (rest.length === 4 && rest[3] !== undefined) return { resource, namespace, name: rest[3], verb: verbOf(method, url, namespace, rest[3]) };
    }
  }
  throw new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource'));
}
