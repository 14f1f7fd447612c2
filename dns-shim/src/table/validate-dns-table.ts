import { isIP } from 'node:net';
import type { DnsTable } from '@meshplug/plugin-api';
import { DnsShimErrors } from '../errors.js';
import { nameToKey } from '../wire/name-key.js';
import { parseHostPort } from '../config/host-port.js';

const MAX_TTL_SECONDS = 86_400;

/**
 * Checks a table once when it arrives (from discover-service or a state
 * file) and returns it frozen; throws DNS_ERR_INVALID_TABLE naming the path
 * of the first bad field, so the last good table stays in use.
 */
export function validateDnsTable(value: unknown, where = 'dns'): Readonly<DnsTable> {
  const fail = (path: string, reason: string): never => {
    throw new DnsShimErrors.DNS_ERR_INVALID_TABLE(`${where}${path}: ${reason}`);
  };
  if (!isObject(value)) return fail('', 'not an object');
  if (!Array.isArray(value.records)) fail('.records', 'not an array');
  if (typeof value.clusterDomain !== 'string' || nameToKey(value.clusterDomain) === undefined) {
    fail('.clusterDomain', 'not a DNS name');
  }
  if (!Number.isInteger(value.ttl) || (value.ttl as number) < 0 || (value.ttl as number) > MAX_TTL_SECONDS) {
    fail('.ttl', `not an integer in 0..${MAX_TTL_SECONDS}`);
  }
  for (const key of ['searches', 'upstream'] as const) {
    const list = value[key];
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) fail(`.${key}`, 'not an array of strings');
  }
  (value.upstream as string[]).forEach((u, i) => {
    if (parseHostPort(u) === undefined) fail(`.upstream[${i}]`, `'${u}' is not IP:PORT`);
  });
  (value.records as unknown[]).forEach((r, i) => {
    const at = `.records[${i}]`;
    if (!isObject(r)) return fail(at, 'not an object');
    if (typeof r.service !== 'string' || !/^[^/]+\/[^/]+$/.test(r.service)) fail(`${at}.service`, 'not namespace/name');
    if (typeof r.address !== 'string' || isIP(r.address) === 0) fail(`${at}.address`, 'not an IP address');
    if (!Array.isArray(r.names) || r.names.length === 0) return fail(`${at}.names`, 'not a non-empty array');
    r.names.forEach((n, j) => {
      if (typeof n !== 'string' || nameToKey(n) === undefined) fail(`${at}.names[${j}]`, 'not a DNS name');
    });
    if (!Array.isArray(r.ports)) return fail(`${at}.ports`, 'not an array');
    r.ports.forEach((p, j) => {
      if (!isObject(p) || typeof p.name !== 'string' || typeof p.protocol !== 'string') {
        return fail(`${at}.ports[${j}]`, 'needs name and protocol strings');
      }
      if (!Number.isInteger(p.port) || (p.port as number) < 1 || (p.port as number) > 65535) {
        fail(`${at}.ports[${j}].port`, 'not a port number');
      }
    });
  });
  return deepFreeze(value as unknown as DnsTable);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}
