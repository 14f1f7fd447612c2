import type { DnsTable, MeshDocument } from '@meshplug/plugin-api';

/** Every name form of `name` in `namespace`, as discover-service expands them. */
export function nameForms(name: string, namespace: string, clusterDomain = 'cluster.local'): string[] {
  return [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.${clusterDomain}`];
}

/** The table of shop/web: depends on shop/tomcat (http 8080) and cache/redis (tcp 6379). */
export function sampleTable(overrides: Partial<DnsTable> = {}): DnsTable {
  return {
    records: [
      {
        names: nameForms('tomcat', 'shop'),
        service: 'shop/tomcat',
        address: '127.1.0.10',
        ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      },
      {
        names: ['redis.cache', 'redis.cache.svc', 'redis.cache.svc.cluster.local'],
        service: 'cache/redis',
        address: '127.1.0.11',
        ports: [{ name: 'redis', port: 6379, protocol: 'tcp' }],
      },
    ],
    searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
    upstream: [],
    clusterDomain: 'cluster.local',
    ttl: 5,
    ...overrides,
  };
}

/** A whole MeshDocument around a DNS table, as discover-service serves and mesh-proxy saves it. */
export function sampleDocument(version: string, dns: DnsTable = sampleTable()): MeshDocument {
  return { version, namespace: 'shop', service: 'web', inbound: [], outbound: [], dns };
}
