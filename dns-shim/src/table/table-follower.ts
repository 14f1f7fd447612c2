import type { Logger } from 'pino';
import type { DiscoverClient, DnsTable, MeshDocument } from '@meshplug/plugin-api';
import type { DnsShim } from '../dns-shim.js';
import { StateStore } from './state-store.js';

/** Options of {@link TableFollower}. */
export interface TableFollowerOptions {
  /** The shim whose table is kept current. */
  shim: DnsShim;
  /** Client of discover-service; none means the state dir is the only source. */
  client?: DiscoverClient;
  /** The followed document, `/v1/mesh/{namespace}/{service}`; required with `client`. */
  path?: string;
  /** Directory shared with mesh-proxy (`mesh.json`), where `dns.json` is written; none disables both. */
  stateDir?: string;
  logger: Logger;
}

/**
 * Feeds the shim its table: first the newest saved one from the state dir,
 * then every version discover-service publishes (long-poll). A failing or
 * invalid source never removes the table in use.
 */
export class TableFollower {
  private readonly store: StateStore | undefined;
  private readonly log: Logger;
  private watch: { stop(): Promise<void> } | undefined;

  constructor(private readonly options: Readonly<TableFollowerOptions>) {
    this.store = options.stateDir === undefined ? undefined : new StateStore(options.stateDir);
    this.log = options.logger.child({ component: 'dns-table-follower' });
  }

  /** Loads the saved table (if any) and starts following; resolves once the saved table is applied. */
  async start(): Promise<void> {
    const { shim, client, path } = this.options;
    if (this.store !== undefined) {
      const { saved, problems } = await this.store.load();
      for (const err of problems) this.log.warn({ err: err.message }, 'ignoring unreadable state file');
      if (saved !== undefined) {
        try {
          shim.setTable(saved.dns, saved.version, 'state-file');
        } catch (err) {
          this.log.warn({ file: saved.file, err: (err as Error).message }, 'ignoring invalid saved table');
        }
      }
    }
    if (client === undefined || path === undefined) return;
    const initialVersion = shim.table?.version;
    this.watch = client.watch<MeshDocument>(path, {
      ...(initialVersion === undefined ? {} : { initialVersion }),
      appliedVersion: () => shim.table?.version,
      // Failures are logged by the client itself (warn once, then debug); the table in use simply stays.
      onUpdate: (body, version) => this.apply(body, version),
    });
  }

  async stop(): Promise<void> {
    await this.watch?.stop();
    this.watch = undefined;
  }

  /**
   * Only the document's `dns` part is dns-shim's: setTable validates it (validateDnsTable). The rest is
   * mesh-proxy's to check; validating it here too would load ajv and its compiled schemas into the
   * sidecar for nothing. An invalid table is logged, not thrown: the watch then waits for the next
   * version instead of retrying this one.
   */
  private async apply(body: unknown, version: string): Promise<void> {
    const dns: unknown = typeof body === 'object' && body !== null ? (body as { dns?: unknown }).dns : undefined;
    try {
      if (!this.options.shim.setTable(dns, version, 'discover')) return;
    } catch (err) {
      this.log.error({ version, err: (err as Error).message }, 'rejected table; keeping the last one');
      return;
    }
    try {
      await this.store?.save(version, dns as DnsTable);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not save the table to the state dir');
    }
  }
}
