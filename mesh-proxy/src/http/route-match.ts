import type { IncomingHttpHeaders } from 'node:http';
import type { TrafficPolicy } from '@meshplug/plugin-api';

/** Whether a Host value matches one `Domains` entry: `*`, `*.x.com` / `*-x.com` (suffix), `x.*` (prefix) or exact. */
function domainMatches(pattern: string, host: string): boolean {
  // A pattern without a port matches any port, as the Host of a plain `svc` call carries none.
  const subject = pattern.includes(':') ? host : host.replace(/:\d+$/, '');
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return subject.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return subject.startsWith(pattern.slice(0, -1));
  return subject === pattern;
}

/**
 * Whether a request is one this port's route serves (Rainbond's `Domains`,
 * `Prefix` and `Headers` options). The defaults (`*`, `/`, none) match all.
 */
export function routeMatches(policy: TrafficPolicy, host: string | undefined, path: string, headers: IncomingHttpHeaders): boolean {
  const h = (host ?? '').toLowerCase();
  if (!policy.domains.some((d) => domainMatches(d, h))) return false;
  if (!path.startsWith(policy.prefix)) return false;
  for (const m of policy.headers) {
    const v = headers[m.name];
    if (v === undefined) return false;
    const values = Array.isArray(v) ? v : [v];
    if (!values.some((x) => x.startsWith(m.value))) return false;
  }
  return true;
}
