import { Pool } from 'undici';

/** What a watcher saw of one document. */
interface WatcherState {
  path: string;
  version: string;
  /** When the version after the change arrived (performance.now()). */
  changedAt?: number;
  changedBody?: string;
}

const WAIT_SECONDS = 60;

function unquote(etag: string | string[] | undefined): string {
  const raw = Array.isArray(etag) ? etag[0] : etag;
  return (raw ?? '').replace(/^W\//, '').replace(/"/g, '');
}

/**
 * Sidecar stand-ins: one long-poll per component document (If-None-Match + ?wait=60), each on its own
 * connection, identifying itself like a mesh-proxy. They record when a new version arrives.
 */
export class Watchers {
  readonly #pool: Pool;
  readonly #states: WatcherState[];
  #stopped = false;
  #errors = 0;
  readonly #loops: Promise<void>[] = [];

  constructor(baseUrl: string, components: readonly string[]) {
    this.#pool = new Pool(baseUrl, {
      connections: components.length + 8,
      pipelining: 1,
      headersTimeout: (WAIT_SECONDS + 30) * 1000,
      bodyTimeout: (WAIT_SECONDS + 30) * 1000,
    });
    this.#states = components.map((c) => ({ path: `/v1/mesh/${c}`, version: '' }));
  }

  get errors(): number {
    return this.#errors;
  }

  /** Fetches every document once (bounded concurrency), so each watcher holds a version. */
  async fetchAll(concurrency = 50): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < this.#states.length; i = next++) {
        const state = this.#states[i] as WatcherState;
        const res = await this.#pool.request({ method: 'GET', path: state.path });
        const body = await res.body.text();
        if (res.statusCode !== 200) throw new Error(`GET ${state.path}: ${res.statusCode} ${body.slice(0, 300)}`);
        state.version = unquote(res.headers.etag);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** Starts one long-poll loop per watcher; each ends once its watcher has seen a new version. */
  startPolling(): void {
    this.#states.forEach((state, index) => this.#loops.push(this.#poll(state, index)));
  }

  async #poll(state: WatcherState, index: number): Promise<void> {
    const seen = state.version;
    while (!this.#stopped && state.changedAt === undefined) {
      try {
        const res = await this.#pool.request({
          method: 'GET',
          path: `${state.path}?wait=${WAIT_SECONDS}`,
          headers: {
            'if-none-match': `"${seen}"`,
            'x-meshplug-proxy-id': `bench-watcher-${index}`,
            'x-meshplug-proxy-kind': 'mesh-proxy',
            'x-meshplug-applied-version': seen,
          },
        });
        const body = await res.body.text();
        if (res.statusCode === 200 && unquote(res.headers.etag) !== seen) {
          state.changedAt = performance.now();
          state.changedBody = body;
        } else if (res.statusCode !== 304 && res.statusCode !== 200) {
          this.#errors++;
        }
      } catch {
        if (this.#stopped) return;
        this.#errors++;
      }
    }
  }

  /** How many watchers have the new version. */
  changedCount(): number {
    return this.#states.filter((s) => s.changedAt !== undefined).length;
  }

  /** Milliseconds from `since` to each watcher's new version (only those that got one). */
  delays(since: number): number[] {
    return this.#states.flatMap((s) => (s.changedAt === undefined ? [] : [s.changedAt - since]));
  }

  /** A new body of one watcher (to check the change really is the one made). */
  sampleBody(): string | undefined {
    return this.#states.find((s) => s.changedBody !== undefined)?.changedBody;
  }

  async close(): Promise<void> {
    this.#stopped = true;
    await this.#pool.destroy();
    await Promise.allSettled(this.#loops);
  }
}
