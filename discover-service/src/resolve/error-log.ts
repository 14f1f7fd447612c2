import type { Logger } from '@meshplug/plugin-api';
import type { ConfigError } from '../state/mesh-view.js';

/** An error before it is dated. */
export type ErrorIssue = Omit<ConfigError, 'since'>;

const order = (e: ConfigError): string => [e.kind, e.namespace ?? '', e.name, e.path, e.reason].join('\u0000');

/**
 * The current errors, each dated when first seen: an error that persists
 * across updates keeps its `since`, and is logged once, when it appears.
 */
export class ErrorLog {
  private readonly since = new Map<string, string>();
  private current: ConfigError[] = [];

  constructor(
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  update(issues: readonly ErrorIssue[]): void {
    const seen = new Set<string>();
    const list: ConfigError[] = [];
    for (const issue of issues) {
      const id = JSON.stringify([issue.kind, issue.namespace, issue.name, issue.path, issue.reason]);
      if (seen.has(id)) continue;
      seen.add(id);
      let since = this.since.get(id);
      if (since === undefined) {
        since = this.now().toISOString();
        this.since.set(id, since);
        this.logger.warn({ kind: issue.kind, namespace: issue.namespace, name: issue.name, path: issue.path }, issue.reason);
      }
      list.push({ ...issue, since });
    }
    for (const id of this.since.keys()) if (!seen.has(id)) this.since.delete(id);
    this.current = list.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  }

  list(): ConfigError[] {
    return this.current;
  }
}
