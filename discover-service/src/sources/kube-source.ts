import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';
import { loadKubeConfig } from './kube-client-config.js';
import { KubeKindMerger } from './kube-kind-merger.js';
import { watchedResources } from './kube-resources.js';
import { resolveKubeSourceOptions, type KubeSourceOptions, type ResolvedKubeSourceOptions } from './kube-source-options.js';
import { KubeWatcher } from './kube-watcher.js';
import type { ObjectKind, Source, SourceSink } from './source.js';

/**
 * The `kube` source: client-node informers over Services, EndpointSlices,
 * meshplug's labelled ConfigMaps (and legacy Endpoints behind a flag), fed
 * into the sink. Ready once every informer has listed once; informers that
 * fail are restarted with capped backoff, and reported as one `kube` problem
 * until they recover.
 */
export class KubeSource implements Source {
  readonly name = 'kube';
  private readonly options: ResolvedKubeSourceOptions;
  private readonly kc: KubeConfig;
  private readonly log: Logger;
  private watchers: KubeWatcher[] = [];
  private readonly problems = new Map<string, string>();
  private sink: SourceSink | undefined;
  private ready = false;
  private stopped = false;
  private rejectStart: (err: Error) => void = () => undefined;

  constructor(options: KubeSourceOptions = {}) {
    this.options = resolveKubeSourceOptions(options);
    this.kc = loadKubeConfig(this.options);
    this.log = this.options.logger.child({ component: 'kube-source' });
  }

  async start(sink: SourceSink): Promise<void> {
    if (this.sink) throw new DiscoverErrors.DISC_ERR_SOURCE_FAILED('kube source already started');
    if (this.stopped) throw new DiscoverErrors.DISC_ERR_KUBE_STOPPED('start after stop');
    this.sink = sink;
    const mergers = new Map<ObjectKind, KubeKindMerger>();
    const mergerOf = (kind: ObjectKind): KubeKindMerger => {
      let merger = mergers.get(kind);
      if (!merger) {
        merger = new KubeKindMerger(kind, sink);
        mergers.set(kind, merger);
      }
      return merger;
    };
    this.watchers = watchedResources(this.kc, this.options).map((resource) => {
      const merger = mergerOf(resource.kind);
      return new KubeWatcher(this.kc, resource, this.options, {
        listed: (objects) => merger.replace(resource.id, objects),
        upserted: (object) => merger.upsert(resource.id, object),
        removed: (object) => merger.remove(resource.id, object),
        health: (problem) => this.health(resource.id, problem),
      });
    });
    const stoppedEarly = new Promise<never>((_, reject) => (this.rejectStart = reject));
    const server = this.kc.getCurrentCluster()?.server;
    this.log.info({ server, namespace: this.options.namespace ?? '(all)', resources: this.watchers.length }, 'starting informers');
    for (const watcher of this.watchers) watcher.start();
    await Promise.race([Promise.all(this.watchers.map((watcher) => watcher.firstList)), stoppedEarly]);
    this.ready = true;
    this.log.info('first list of every informer delivered; ready');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.rejectStart(new DiscoverErrors.DISC_ERR_KUBE_STOPPED('stopped before the first list completed'));
    await Promise.all(this.watchers.map((watcher) => watcher.stop()));
    this.log.info('stopped');
  }

  isReady(): boolean {
    return this.ready && !this.stopped;
  }

  /** Keeps one problem per failing informer; the sink sees them as one `kube` problem. */
  private health(resource: string, problem: string | undefined): void {
    const before = [...this.problems.entries()].join('\n');
    if (problem === undefined) this.problems.delete(resource);
    else this.problems.set(resource, problem);
    if ([...this.problems.entries()].join('\n') === before || this.stopped) return;
    const failing = [...this.problems.keys()].sort();
    this.sink?.problem(
      this.name,
      failing.length === 0
        ? undefined
        : {
            where: `kube:${failing.join(',')}`,
            message: failing.map((id) => `${id}: ${this.problems.get(id) ?? ''}`).join('; '),
          },
    );
  }
}
