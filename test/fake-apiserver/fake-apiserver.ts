import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ObjectStore, type JsonObject } from './object-store.js';
import { isTrue, readJson, sendJson } from './http-io.js';
import { kubeconfigOptions, kubeconfigYaml, type KubeconfigOptions } from './kubeconfig.js';
import { resolveRoute, type Verb } from './request-route.js';
import { apiVersionOf, resourceByKind, type ResourceType } from './resources.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import { ApiError, failure, type Status } from './status.js';
import { TokenReviewer, type TokenUser } from './token-reviewer.js';
import { WatchStream } from './watch-stream.js';

export interface FakeApiServerOptions {
  /** Bearer token every request must carry (the kubeconfig's user has it). Default `fake-admin-token`. */
  token?: string;
  /** Tokens TokenReview accepts, and who they are. */
  users?: Record<string, TokenUser>;
  /** How many past events are retained for watches to resume from. Default 1000. */
  eventWindow?: number;
  /** Period of BOOKMARK events for watches with `allowWatchBookmarks=true`. Default 60 s (real: ~1 min). */
  bookmarkIntervalMs?: number;
}

/** Make requests fail on purpose: the next `count` requests matching `verb`/`plural` answer `code`. */
export interface FailureRule {
  verb?: Verb;
  plural?: string;
  /** HTTP status, default 503. */
  code?: number;
  /** How many requests fail; default: every one until `failRequests(undefined)`. */
  count?: number;
}

/**
 * A test double of the Kubernetes API server (core/v1 services, endpoints,
 * configmaps; discovery.k8s.io/v1 endpointslices; TokenReview) speaking the
 * real list/watch protocol over plain HTTP on 127.0.0.1, plus controls that
 * let tests break it on purpose (compact, dropWatches, failRequests, holdLists).
 */
export class FakeApiServer {
  readonly store: ObjectStore;
  private readonly watches = new Set<WatchStream>();
  private readonly counts = new Map<string, number>();
  private readonly reviewer: TokenReviewer;
  private bookmarkIntervalMs: number;
  private failureRule: FailureRule | undefined;
  private held: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly token: string,
    options: FakeApiServerOptions,
  ) {
    this.store = new ObjectStore(options.eventWindow ?? 1000);
    this.reviewer = new TokenReviewer(options.users ?? {});
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 60_000;
    server.on('request', (req, res) => {
      this.handle(req, res).catch((err: unknown) => this.fail(res, err));
    });
  }

  static async start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const server = createServer();
    const fake = new FakeApiServer(server, options.token ?? 'fake-admin-token', options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** For `KubeConfig.loadFromOptions()`. */
  kubeconfig(): KubeconfigOptions {
    return kubeconfigOptions(this.url, this.token);
  }

  /** The same as a kubeconfig file (`--kubeconfig PATH`, `KubeConfig.loadFromString()`). */
  kubeconfigYaml(): string {
    return kubeconfigYaml(this.url, this.token);
  }

  /** Creates or replaces an object directly (no HTTP), as `kubectl apply` would; returns the stored state. */
  apply<T extends { kind?: string; metadata: { name?: string; namespace?: string } }>(input: T): JsonObject {
    const object = input as unknown as JsonObject;
    const resource = this.resourceOf(object);
    const namespace = object.metadata.namespace ?? 'default';
    const name = object.metadata.name ?? '';
    const body: JsonObject = { ...object, metadata: { ...object.metadata, namespace } };
    delete body.metadata.resourceVersion;
    try {
      this.store.get(resource, namespace, name);
    } catch {
      return this.store.create(resource, namespace, body);
    }
    return this.store.update(resource, namespace, name, body);
  }

  /** Deletes an object directly (no HTTP); false when it did not exist. */
  remove(kind: string, namespace: string, name: string): boolean {
    const resource = resourceByKind(kind);
    if (!resource) throw new Error(`fake-apiserver does not serve kind ${kind}`);
    try {
      this.store.delete(resource, namespace, name);
      return true;
    } catch {
      return false;
    }
  }

  /** Drops every retained event: watches from any older version get 410 Expired. */
  compact(): void {
    this.store.compact();
  }

  /** Ends every open watch: `clean` finishes the chunked body (a server-side timeout), `abrupt` resets the socket. */
  dropWatches(mode: 'clean' | 'abrupt' = 'clean'): number {
    const open = [...this.watches];
    for (const watch of open) {
      if (mode === 'clean') watch.end();
      else watch.destroy();
    }
    return open.length;
  }

  setBookmarkInterval(ms: number): void {
    this.bookmarkIntervalMs = ms;
    for (const watch of this.watches) watch.setBookmarkInterval(ms);
  }

  /** Requests matching `rule` fail with a Status until the count is used up; `undefined` stops it. */
  failRequests(rule: FailureRule | undefined): void {
    this.failureRule = rule === undefined ? undefined : { ...rule };
  }

  /** Holds every list request until the returned function is called. */
  holdLists(): () => void {
    let release: () => void = () => undefined;
    this.held = new Promise<void>((resolve) => {
      release = () => {
        this.held = undefined;
        resolve();
      };
    });
    return release;
  }

  setTokenUser(token: string, user: TokenUser | undefined): void {
    this.reviewer.set(token, user);
  }

  /** Requests served so far, by `"<verb> <plural>"` (e.g. `"watch configmaps"`). */
  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  requestCount(verb: Verb | 'review', plural: string): number {
    return this.counts.get(`${verb} ${plural}`) ?? 0;
  }

  openWatches(): number {
    return this.watches.size;
  }

  async close(): Promise<void> {
    this.dropWatches('abrupt');
    this.held = undefined;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private resourceOf(object: JsonObject): ResourceType {
    const resource = resourceByKind(object.kind ?? '');
    if (!resource) throw new Error(`fake-apiserver does not serve kind ${String(object.kind)}`);
    return resource;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      throw new ApiError(failure(401, 'Unauthorized', 'Unauthorized'));
    }
    if (url.pathname === '/version') {
      sendJson(res, 200, { major: '1', minor: '31', gitVersion: 'v1.31.0-meshplug-fake', platform: 'linux/amd64' });
      return;
    }
    if (url.pathname === '/apis/authentication.k8s.io/v1/tokenreviews') {
      if (req.method !== 'POST') throw new ApiError(failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
      this.count('review', 'tokenreviews');
      sendJson(res, 201, this.reviewer.review(await readJson(req)));
      return;
    }
    const { resource, namespace, name, verb } = resolveRoute(req.method ?? 'GET', url);
    this.count(verb, resource.plural);
    this.injectFailure(verb, resource);
    switch (verb) {
      case 'list':
        if (this.held) await this.held;
        this.list(res, resource, namespace, url.searchParams);
        return;
      case 'watch':
        this.watch(res, resource, namespace, url.searchParams);
        return;
      case 'get':
        sendJson(res, 200, this.store.get(resource, namespace ?? '', name ?? ''));
        return;
      case 'create':
        sendJson(res, 201, this.store.create(resource, namespace ?? '', await readJson(req)));
        return;
      case 'update':
        sendJson(res, 200, this.store.update(resource, namespace ?? '', name ?? '', await readJson(req)));
        return;
      case 'delete':
        sendJson(res, 200, this.store.delete(resource, namespace ?? '', name ?? ''));
        return;
    }
  }

  private count(verb: string, plural: string): void {
    const key = `${verb} ${plural}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  private injectFailure(verb: Verb, resource: ResourceType): void {
    const rule = this.failureRule;
    if (!rule || (rule.verb !== undefined && rule.verb !== verb) || (rule.plural !== undefined && rule.plural !== resource.plural)) return;
    if (rule.count !== undefined) {
      rule.count -= 1;
      if (rule.count <= 0) this.failureRule = undefined;
    }
    const code = rule.code ?? 503;
    throw new ApiError(failure(code, code === 503 ? 'ServiceUnavailable' : 'InternalError', `injected failure (${code})`));
  }

  private predicate(namespace: string | undefined, params: URLSearchParams): (object: JsonObject) => boolean {
    try {
      const labels = parseLabelSelector(params.get('labelSelector') ?? '');
      const fields = parseFieldSelector(params.get('fieldSelector') ?? '');
      return (object) =>
        (namespace === undefined || object.metadata.namespace === namespace) &&
        matchesLabels(labels, object.metadata.labels) &&
        matchesFields(fields, object.metadata);
    } catch (err) {
      if (err instanceof SelectorError) throw new ApiError(failure(400, 'BadRequest', err.message));
      throw err;
    }
  }

  private list(res: ServerResponse, resource: ResourceType, namespace: string | undefined, params: URLSearchParams): void {
    const predicate = this.predicate(namespace, params);
    const wanted = params.get('resourceVersion');
    const current = this.store.currentRv();
    if (wanted !== null && wanted !== '' && wanted !== '0') {
      const asked = Number(wanted);
      if (!Number.isInteger(asked)) throw new ApiError(failure(400, 'BadRequest', `invalid resource version "${wanted}"`));
      if (asked > current) throw new ApiError(failure(504, 'Timeout', `Too large resource version: ${asked}, current: ${current}`));
      // Past states are not kept: an exact older version is as gone as after compaction.
      if (params.get('resourceVersionMatch') === 'Exact' && asked !== current) {
        throw new ApiError(failure(410, 'Expired', `The resourceVersion for the provided list is too old.`));
      }
    }
    const items = this.store.list(resource, predicate).map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
    sendJson(res, 200, {
      kind: `${resource.kind}List`,
      apiVersion: apiVersionOf(resource),
      metadata: { resourceVersion: String(current) },
      items,
    });
  }

  private watch(res: ServerResponse, resource: ResourceType, namespace: string | undefined, params: URLSearchParams): void {
    const predicate = this.predicate(namespace, params);
    const resourceVersion = params.get('resourceVersion') ?? undefined;
    if (resourceVersion !== undefined && resourceVersion !== '' && !/^\d+$/.test(resourceVersion)) {
      throw new ApiError(failure(400, 'BadRequest', `invalid resource version "${resourceVersion}"`));
    }
    const timeout = params.get('timeoutSeconds');
    let stream: WatchStream | undefined = undefined;
    stream = new WatchStream(res, {
      store: this.store,
      resource,
      predicate,
      resourceVersion,
      bookmarks: isTrue(params.get('allowWatchBookmarks')),
      bookmarkIntervalMs: this.bookmarkIntervalMs,
      timeoutMs: timeout === null ? undefined : Number(timeout) * 1000,
      onClose: () => {
        if (stream) this.watches.delete(stream);
      },
    });
    if (stream.isOpen) this.watches.add(stream);
  }

  private fail(res: ServerResponse, err: unknown): void {
    const status: Status = err instanceof ApiError ? err.status : failure(500, 'InternalError', `internal error: ${String(err)}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendJson(res, status.code, status);
  }
}
