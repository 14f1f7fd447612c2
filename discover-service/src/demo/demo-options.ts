import { isIP } from 'node:net';
import { join } from 'node:path';
import { DiscoverErrors } from '../errors.js';
import { REPO_ROOT } from './process/meshplug-command.js';

/** What `meshplug demo` is asked to do; see {@link DEMO_DEFAULTS}. */
export interface DemoOptions {
  /** discover-service's ops API, `IP:PORT`; port 0 picks a free one. Default `127.0.0.1:6100`. */
  listen?: string;
  /** Requests sent from `web` to `tomcat` by name, 1..10000. Default 30. */
  requests?: number;
  /** Print the results and exit (0 when every request succeeded) instead of running until Ctrl-C. Default false. */
  headless?: boolean;
  /** Pass every child's log lines through to stderr, prefixed with its name. Default false. */
  logs?: boolean;
  /** The example the demo serves; its `web` and `tomcat` slices name the pods. Default `manifests/examples/shop.yaml`. */
  manifest?: string;
  /** Bound on each readiness wait (discover-service, each proxy, DNS), ms. Default 20000. */
  readyTimeoutMs?: number;
  /** Bound on one demo request, ms. Default 5000. */
  requestTimeoutMs?: number;
  /** How long a child gets after SIGTERM before SIGKILL, ms. Default 5000. */
  stopGraceMs?: number;
}

export interface ResolvedDemoOptions {
  readonly listenHost: string;
  /** 0 until the demo picked a free port. */
  readonly listenPort: number;
  readonly requests: number;
  readonly headless: boolean;
  readonly logs: boolean;
  readonly manifest: string;
  readonly readyTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly stopGraceMs: number;
}

/** The defaults, in one place. */
export const DEMO_DEFAULTS = Object.freeze({
  listen: '127.0.0.1:6100',
  requests: 30,
  headless: false,
  logs: false,
  manifest: join(REPO_ROOT, 'manifests', 'examples', 'shop.yaml'),
  readyTimeoutMs: 20_000,
  requestTimeoutMs: 5000,
  stopGraceMs: 5000,
});

/** The mesh the demo runs: what `manifests/examples/shop.yaml` describes. */
export const DEMO_TOPOLOGY = Object.freeze({ namespace: 'shop', client: 'web', backend: 'tomcat' });

/** Ports every demo pod uses on its own 127.0.1.x, like the in-pod defaults (DNS on an unprivileged port). */
export const DEMO_POD_PORTS = Object.freeze({ admin: 15000, dns: 5353, dnsMetrics: 15053 });

/** Applies defaults, validates once, freezes; a bad option throws DISC_ERR_DEMO_INVALID_OPTIONS naming it. */
export function resolveDemoOptions(input: DemoOptions): ResolvedDemoOptions {
  const bad = (field: string, why: string): never => {
    throw new DiscoverErrors.DISC_ERR_DEMO_INVALID_OPTIONS(`${field}: ${why}`);
  };
  const listen = input.listen ?? DEMO_DEFAULTS.listen;
  const m = /^(.+):(\d{1,5})$/.exec(listen);
  const host = m?.[1] ?? '';
  const port = Number(m?.[2]);
  if (isIP(host) !== 4 || port > 65535) bad('listen', `expected IPv4:PORT, got ${listen}`);
  const int = (field: 'requests' | 'readyTimeoutMs' | 'requestTimeoutMs' | 'stopGraceMs', min: number, max: number): number => {
    const v = input[field] ?? DEMO_DEFAULTS[field];
    if (!Number.isInteger(v) || v < min || v > max) bad(field, `expected an integer in ${min}..${max}, got ${String(v)}`);
    return v;
  };
  return Object.freeze({
    listenHost: host,
    listenPort: port,
    requests: int('requests', 1, 10_000),
    headless: input.headless ?? DEMO_DEFAULTS.headless,
    logs: input.logs ?? DEMO_DEFAULTS.logs,
    manifest: input.manifest ?? DEMO_DEFAULTS.manifest,
    readyTimeoutMs: int('readyTimeoutMs', 100, 600_000),
    requestTimeoutMs: int('requestTimeoutMs', 100, 600_000),
    stopGraceMs: int('stopGraceMs', 0, 600_000),
  });
}
