import type { ServerResponse } from 'node:http';
import type { JsonObject, LogEntry, ObjectStore } from './object-store.js';
import { apiVersionOf, type ResourceType } from './resources.js';
import { expired } from './status.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchStreamOptions {
  store: ObjectStore;
  resource: ResourceType;
  /** Namespace, label and field selection of the request. */
  predicate: (object: JsonObject) => boolean;
  /** `resourceVersion` query parameter; absent or "0" starts with the current state as ADDED events. */
  resourceVersion: string | undefined;
  /** Whether the client sent `allowWatchBookmarks=true`. */
  bookmarks: boolean;
  /** Bookmark period. */
  bookmarkIntervalMs: number;
  /** From `timeoutSeconds`: the server ends the stream after it. */
  timeoutMs: number | undefined;
  /** Called once when the stream is over, whoever ended it. */
  onClose: () => void;
}

/**
 * One open watch: chunked JSON lines `{type, object}`. Replays retained
 * events after the requested version, then follows live ones; an object that
 * starts or stops matching the selector is ADDED or DELETED, as with the
 * real watch cache.
 */
export class WatchStream {
  private readonly unsubscribe: () => void;
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private readonly timeoutTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: WatchStreamOptions,
  ) {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
    res.flushHeaders();
    res.on('close', () => this.cleanup());
    const { store, resourceVersion } = options;
    const from = resourceVersion === undefined || resourceVersion === '' || resourceVersion === '0' ? undefined : Number(resourceVersion);
    if (from === undefined) {
      for (const object of store.list(options.resource, options.predicate)) this.send('ADDED', this.withKind(object));
    } else {
      const replay = store.eventsSince(from);
      if (replay === undefined) {
        // The real server reports an expired version inside the stream, then ends it.
        this.send('ERROR', expired(String(resourceVersion), store.oldestRetainedRv()));
        this.unsubscribe = () => undefined;
        this.end();
        return;
      }
      for (const entry of replay) this.deliver(entry);
    }
    this.unsubscribe = store.subscribe((entry) => this.deliver(entry));
    this.setBookmarkInterval(options.bookmarkIntervalMs);
    if (options.timeoutMs !== undefined) this.timeoutTimer = setTimeout(() => this.end(), options.timeoutMs);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Changes the bookmark period of an open watch that asked for bookmarks. */
  setBookmarkInterval(ms: number): void {
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    this.bookmarkTimer = undefined;
    if (this.closed || !this.options.bookmarks) return;
    this.bookmarkTimer = setInterval(() => {
      this.send('BOOKMARK', {
        kind: this.options.resource.kind,
        apiVersion: apiVersionOf(this.options.resource),
        metadata: { resourceVersion: String(this.options.store.currentRv()) },
      });
    }, ms);
  }

  /** Ends the stream cleanly (as the server's watch timeout does). */
  end(): void {
    if (this.closed) return;
    this.cleanup();
    this.res.end();
  }

  /** Cuts the connection without ending the chunked body (a crashed server or a broken network). */
  destroy(): void {
    if (this.closed) return;
    this.cleanup();
    this.res.destroy();
  }

  private deliver(entry: LogEntry): void {
    if (entry.resource.plural !== this.options.resource.plural) return;
    const matches = this.options.predicate;
    if (entry.type !== 'MODIFIED') {
      if (matches(entry.object)) this.send(entry.type, entry.object);
      return;
    }
    const before = entry.previous !== undefined && matches(entry.previous);
    const after = matches(entry.object);
    if (before && after) this.send('MODIFIED', entry.object);
    else if (after) this.send('ADDED', entry.object);
    else if (before && entry.previous) {
      // Left the selection: DELETED with the last state that matched, at this event's version.
      this.send('DELETED', { ...entry.previous, metadata: { ...entry.previous.metadata, resourceVersion: String(entry.rv) } });
    }
  }

  private withKind(object: JsonObject): JsonObject {
    return { ...object, kind: this.options.resource.kind, apiVersion: apiVersionOf(this.options.resource) };
  }

  private send(type: WatchEventType, object: unknown): void {
    if (this.closed) return;
    this.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    this.options.onClose();
  }
}
