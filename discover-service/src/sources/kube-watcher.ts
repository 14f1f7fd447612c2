import { ADD, DELETE, ERROR, ListWatch, UPDATE, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeObject, Logger } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';
import { KubeBackoff } from './kube-backoff.js';
import { describeKubeError } from './kube-error-message.js';
import { toKubeObject } from './kube-object.js';
import type { WatchedResource } from './kube-resources.js';
import type { ResolvedKubeSourceOptions } from './kube-source-options.js';
import { KubeStoppableWatch } from './kube-stoppable-watch.js';

/** What a watcher reports to the source. */
export interface KubeWatcherHandlers {
  /** A full (re)list: the resource's objects are exactly these. */
  listed(objects: KubeObject[]): void;
  upserted(object: KubeObject): void;
  removed(object: KubeObject): void;
  /** A failure (message) or a recovery (`undefined`). */
  health(problem: string | undefined): void;
}

/**
 * One client-node informer (ListWatch) over one resource, kept alive: the
 * library resumes a cleanly ended watch itself and relists after 410 Gone,
 * but stops on any other error; this restarts it after a capped, jittered
 * backoff. Every list it makes is reported whole (`listed`), so objects
 * deleted while it was away disappear.
 */
export class KubeWatcher {
  private readonly informer: ListWatch<KubernetesObject>;
  private readonly watch: KubeStoppableWatch;
  private readonly backoff: KubeBackoff;
  private readonly log: Logger;
  private stopped = false;
  private errors = 0;
  private timer: unknown;
  private resolveFirst: () => void = () => undefined;
  /** Resolves after the first successful list has been reported. */
  readonly firstList: Promise<void>;

  constructor(
    kc: KubeConfig,
    private readonly resource: WatchedResource,
    private readonly options: ResolvedKubeSourceOptions,
    private readonly handlers: KubeWatcherHandlers,
  ) {
    this.log = options.logger.child({ component: 'kube-source', resource: resource.id });
    this.backoff = new KubeBackoff(options.minBackoffMs, options.maxBackoffMs, options.random);
    this.firstList = new Promise((resolve) => (this.resolveFirst = resolve));
    this.watch = new KubeStoppableWatch(kc);
    this.informer = new ListWatch(resource.path, this.watch, () => this.list(), false, resource.labelSelector);
    const convert = (obj: KubernetesObject): KubeObject => toKubeObject(obj, resource.kind, resource.apiVersion);
    this.informer.on(ADD, (obj) => this.whileRunning(() => handlers.upserted(convert(obj))));
    this.informer.on(UPDATE, (obj) => this.whileRunning(() => handlers.upserted(convert(obj))));
    this.informer.on(DELETE, (obj) => this.whileRunning(() => handlers.removed(convert(obj))));
    this.informer.on(ERROR, (err) => this.whileRunning(() => this.failed(err)));
  }

  start(): void {
    this.run();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.watch.close();
    await this.informer.stop();
  }

  private run(): void {
    const errorsBefore = this.errors;
    this.informer.start().then(
      () => {
        // start() resolves once the watch is connected; no error on the way means we are healthy.
        if (!this.stopped && this.errors === errorsBefore) this.recovered();
      },
      (err: unknown) => this.whileRunning(() => this.failed(err)),
    );
  }

  /** The informer's list function: the library applies the result to its cache right after. */
  private async list(): Promise<{ items: KubernetesObject[]; metadata?: { resourceVersion?: string } }> {
    const list = await this.resource.list();
    if (this.stopped) throw new DiscoverErrors.DISC_ERR_KUBE_STOPPED(this.resource.id);
    const objects = list.items.map((item) => toKubeObject(item, this.resource.kind, this.resource.apiVersion));
    this.log.debug({ count: objects.length, resourceVersion: list.metadata?.resourceVersion }, 'listed');
    this.handlers.listed(objects);
    this.recovered();
    this.resolveFirst();
    return list;
  }

  private failed(err: unknown): void {
    this.errors += 1;
    const reason = describeKubeError(err);
    const delay = this.backoff.next();
    this.log.warn({ err: reason, retryInMs: delay }, 'informer failed; restarting after backoff');
    this.handlers.health(reason);
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped) this.run();
    }, delay);
  }

  private recovered(): void {
    this.backoff.reset();
    this.handlers.health(undefined);
  }

  private whileRunning(fn: () => void): void {
    if (!this.stopped) fn();
  }
}
