import { randomUUID } from 'node:crypto';
import { apiVersionOf, type ResourceType } from './resources.js';
import { ApiError, failure } from './status.js';

/** An object as JSON, the way etcd holds it (with kind and apiVersion). */
export interface JsonObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One committed change; watches filter these per resource and selector. */
export interface LogEntry {
  rv: number;
  resource: ResourceType;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The state before a MODIFIED (so a watch can tell an object left its selector). */
  previous?: JsonObject;
  object: JsonObject;
}

const FIRST_RESOURCE_VERSION = 1000;

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The API server's RFC 3339 timestamps have second precision. */
function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The fake's etcd + watch cache: objects per resource, ONE global
 * monotonically increasing resourceVersion, and a bounded window of past
 * events that watches replay from (older versions are "too old": 410).
 */
export class ObjectStore {
  private rv = FIRST_RESOURCE_VERSION;
  /** Events with rv <= this are no longer retained. */
  private compactedRv = FIRST_RESOURCE_VERSION;
  private readonly objects = new Map<string, Map<string, JsonObject>>();
  private log: LogEntry[] = [];
  private readonly listeners = new Set<(entry: LogEntry) => void>();
  private nextClusterIp = 1;

  constructor(private readonly window: number) {}

  currentRv(): number {
    return this.rv;
  }

  oldestRetainedRv(): number {
    return this.compactedRv;
  }

  list(resource: ResourceType, predicate: (object: JsonObject) => boolean): JsonObject[] {
    const bucket = this.objects.get(resource.plural) ?? new Map<string, JsonObject>();
    return [...bucket.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, object]) => object)
      .filter(predicate)
      .map((object) => structuredClone(object));
  }

  get(resource: ResourceType, namespace: string, name: string): JsonObject {
    const found = this.bucket(resource).get(keyOf(namespace, name));
    if (!found) throw this.notFound(resource, name);
    return structuredClone(found);
  }

  create(resource: ResourceType, namespace: string, body: JsonObject): JsonObject {
    const object = this.checkBody(resource, namespace, body);
    let name = object.metadata.name;
    if (!name && object.metadata.generateName) {
      name = `${object.metadata.generateName}${randomUUID().slice(0, 5)}`;
    }
    if (!name) throw new ApiError(failure(422, 'Invalid', `${resource.kind} is invalid: metadata.name: Required value: name or generateName is required`));
    const bucket = this.bucket(resource);
    if (bucket.has(keyOf(namespace, name))) {
      throw new ApiError(failure(409, 'AlreadyExists', `${resource.plural} "${name}" already exists`, { name, kind: resource.plural }));
    }
    object.metadata = {
      ...object.metadata,
      name,
      namespace,
      uid: randomUUID(),
      creationTimestamp: now(),
      resourceVersion: String(this.rv + 1),
    };
    if (resource.kind === 'Service') this.allocateClusterIp(object);
    bucket.set(keyOf(namespace, name), object);
    this.commit({ rv: ++this.rv, resource, type: 'ADDED', object });
    return structuredClone(object);
  }

  update(resource: ResourceType, namespace: string, name: string, body: JsonObject): JsonObject {
    const object = this.checkBody(resource, namespace, body);
    if (object.metadata.name !== undefined && object.metadata.name !== name) {
      throw new ApiError(failure(400, 'BadRequest', `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`));
    }
    const bucket = this.bucket(resource);
    const previous = bucket.get(keyOf(namespace, name));
    if (!previous) throw this.notFound(resource, name);
    const wanted = object.metadata.resourceVersion;
    if (wanted !== undefined && wanted !== '' && wanted !== previous.metadata.resourceVersion) {
      throw new ApiError(
        failure(409, 'Conflict', `Operation cannot be fulfilled on ${resource.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, kind: resource.plural }),
      );
    }
    if (resource.kind === 'ConfigMap' && previous['immutable'] === true) this.checkImmutable(previous, object, name);
    object.metadata = {
      ...object.metadata,
      name,
      namespace,
      uid: previous.metadata.uid,
      creationTimestamp: previous.metadata.creationTimestamp,
      resourceVersion: String(this.rv + 1),
    };
    if (resource.kind === 'Service') this.keepClusterIp(previous, object, name);
    bucket.set(keyOf(namespace, name), object);
    this.commit({ rv: ++this.rv, resource, type: 'MODIFIED', previous, object });
    return structuredClone(object);
  }

  delete(resource: ResourceType, namespace: string, name: string): JsonObject {
    const bucket = this.bucket(resource);
    const last = bucket.get(keyOf(namespace, name));
    if (!last) throw this.notFound(resource, name);
    bucket.delete(keyOf(namespace, name));
    // The DELETED event carries the last state, stamped with the deletion's version.
    const object: JsonObject = { ...last, metadata: { ...last.metadata, resourceVersion: String(this.rv + 1) } };
    this.commit({ rv: ++this.rv, resource, type: 'DELETED', object });
    return structuredClone(object);
  }

  /** Events after `rv`, or `undefined` when some of them are no longer retained. */
  eventsSince(rv: number): LogEntry[] | undefined {
    if (rv < this.compactedRv) return undefined;
    return this.log.filter((entry) => entry.rv > rv);
  }

  subscribe(listener: (entry: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets every retained event: any version older than the current one is now too old. */
  compact(): void {
    this.log = [];
    this.compactedRv = this.rv;
  }

  private commit(entry: LogEntry): void {
    this.log.push(entry);
    while (this.log.length > this.window) {
      const dropped = this.log.shift();
      if (dropped) this.compactedRv = dropped.rv;
    }
    for (const listener of [...this.listeners]) listener(entry);
  }

  private bucket(resource: ResourceType): Map<string, JsonObject> {
    let bucket = this.objects.get(resource.plural);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(resource.plural, bucket);
    }
    return bucket;
  }

  private checkBody(resource: ResourceType, namespace: string, body: JsonObject): JsonObject {
    if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof body.metadata !== 'object' || body.metadata === null) {
      throw new ApiError(failure(400, 'BadRequest', `the body of the request was not a ${resource.kind} object`));
    }
    if (body.kind !== undefined && body.kind !== resource.kind) {
      throw new ApiError(failure(400, 'BadRequest', `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersionOf(resource)}) or kind ${String(body.kind)} is not ${resource.kind}`));
    }
    if (body.metadata.namespace !== undefined && body.metadata.namespace !== namespace) {
      throw new ApiError(failure(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'));
    }
    const object = structuredClone(body);
    object.kind = resource.kind;
    object.apiVersion = apiVersionOf(resource);
    return object;
  }

  private checkImmutable(previous: JsonObject, next: JsonObject, name: string): void {
    const causes: string[] = [];
    if (!sameJson(previous['data'], next['data'])) causes.push('data: Forbidden: field is immutable when `immutable` is set');
    if (!sameJson(previous['binaryData'], next['binaryData'])) causes.push('binaryData: Forbidden: field is immutable when `immutable` is set');
    if (next['immutable'] !== true) causes.push('immutable: Forbidden: field is immutable when `immutable` is set');
    if (causes.length > 0) {
      throw new ApiError(failure(422, 'Invalid', `ConfigMap "${name}" is invalid: [${causes.join(', ')}]`, { name, kind: 'ConfigMap' }));
    }
  }

  /** Services get a ClusterIP from 10.96.0.0/16 (data only: nothing here ever dials it). */
  private allocateClusterIp(object: JsonObject): void {
    const spec = (object['spec'] ?? {}) as Record<string, unknown>;
    if (spec['clusterIP'] === undefined || spec['clusterIP'] === '') {
      const n = this.nextClusterIp++;
      spec['clusterIP'] = `10.96.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
      spec['clusterIPs'] = [spec['clusterIP']];
    }
    object['spec'] = spec;
  }

  private keepClusterIp(previous: JsonObject, next: JsonObject, name: string): void {
    const before = ((previous['spec'] ?? {}) as Record<string, unknown>)['clusterIP'];
    const spec = (next['spec'] ?? {}) as Record<string, unknown>;
    if (spec['clusterIP'] === undefined || spec['clusterIP'] === '') {
      spec['clusterIP'] = before;
      spec['clusterIPs'] = [before];
    } else if (spec['clusterIP'] !== before) {
      throw new ApiError(failure(422, 'Invalid', `Service "${name}" is invalid: spec.clusterIPs[0]: Invalid value: "${String(spec['clusterIP'])}": may not change once set`, { name, kind: 'Service' }));
    }
    next['spec'] = spec;
  }

  private notFound(resource: ResourceType, name: string): ApiError {
    return new ApiError(
      failure(404, 'NotFound', `${resource.plural}${resource.group ? `.${resource.group}` : ''} "${name}" not found`, {
        name,
        ...(resource.group ? { group: resource.group } : {}),
        kind: resource.plural,
      }),
    );
  }
}
