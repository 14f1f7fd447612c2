import t from 'tap';
import type { MeshDocument } from '../../src/model/mesh-document.js';
import type { ResourceSpec } from '../../src/model/resource-spec.js';
import { validateMeshDocument, validateResourceSpec } from '../../src/validation/validate-documents.js';

const resourceSpec = (): ResourceSpec => ({
  base_ports: [
    { service_alias: 'tomcat-client', service_id: 'u1', port: 8080, listen_port: 20080, protocol: 'http', options: { OPEN_LIMIT: 'NO' } },
  ],
  base_services: [
    {
      service_alias: 'tomcat-client',
      service_id: 'u1',
      depend_service_alias: 'tomcat',
      depend_service_id: 'u2',
      port: 8080,
      protocol: 'http',
      options: { Weight: '100' },
    },
  ],
  base_normal: { options: { LOG_LEVEL: 'info' } },
});

const meshDocument = (): MeshDocument => ({
  version: 'abc',
  namespace: 'shop',
  service: 'web',
  inbound: [{ name: 'http', port: 8080, outerPort: 65301, protocol: 'http', mode: 'http', options: {} }],
  outbound: [
    {
      name: 'shop/tomcat:8080',
      namespace: 'shop',
      service: 'tomcat',
      vip: '127.1.2.3',
      port: 8080,
      protocol: 'http',
      mode: 'http',
      policy: 'round_robin',
      options: { Weight: '100' },
      endpoints: [{ address: '127.0.1.11', port: 65301, ready: true, serving: true, terminating: false, weight: 100 }],
    },
  ],
  dns: {
    records: [{ names: ['tomcat', 'tomcat.shop'], service: 'shop/tomcat', address: '127.1.2.3', ports: [{ name: 'http', port: 8080, protocol: 'http' }] }],
    searches: ['shop.svc.cluster.local'],
    upstream: [],
    clusterDomain: 'cluster.local',
    ttl: 5,
  },
});

t.test('the design ResourceSpec is valid; unknown keys are tolerated', async (t) => {
  t.ok(validateResourceSpec(resourceSpec()).ok);
  t.ok(validateResourceSpec({ ...resourceSpec(), base_extra: [] }).ok);
});

t.test('invalid ResourceSpecs', async (t) => {
  const noNormal: Record<string, unknown> = { ...resourceSpec() };
  delete noNormal['base_normal'];
  t.strictSame(validateResourceSpec(noNormal), { ok: false, issues: [{ path: 'base_normal', reason: 'is required' }] });
  const spec = resourceSpec();
  (spec.base_ports[0] as unknown as Record<string, unknown>)['listen_port'] = 70000;
  (spec.base_services[0]!.options as Record<string, unknown>)['Weight'] = 100;
  t.strictSame(validateResourceSpec(spec), {
    ok: false,
    issues: [
      { path: 'base_ports[0].listen_port', reason: 'must be from 1 to 65535' },
      { path: 'base_services[0].options.Weight', reason: 'must be a string (YAML read the number 100: quote the value)' },
    ],
  });
});

t.test('a MeshDocument is valid; unknown keys are tolerated', async (t) => {
  t.ok(validateMeshDocument(meshDocument()).ok);
  t.ok(validateMeshDocument({ ...meshDocument(), extra: 1 }).ok);
});

t.test('invalid MeshDocuments', async (t) => {
  const doc = meshDocument();
  const cluster = doc.outbound[0] as unknown as Record<string, unknown>;
  cluster['policy'] = 'ring_hash';
  cluster['vip'] = '127.1.2';
  (doc.outbound[0]!.endpoints[0] as unknown as Record<string, unknown>)['weight'] = 0;
  (doc.inbound[0] as unknown as Record<string, unknown>)['mode'] = 'udp';
  (doc.dns as unknown as Record<string, unknown>)['ttl'] = 1.5;
  t.strictSame(validateMeshDocument(doc), {
    ok: false,
    issues: [
      { path: 'inbound[0].mode', reason: 'must be one of http, tcp' },
      { path: 'outbound[0].vip', reason: 'must be a valid ipv4 address' },
      { path: 'outbound[0].policy', reason: 'must be one of round_robin, least_request, peak_ewma, random' },
      { path: 'outbound[0].endpoints[0].weight', reason: 'must be from 1 to 1000' },
      { path: 'dns.ttl', reason: 'must be an integer' },
    ],
  });
  t.strictSame(validateMeshDocument(null), { ok: false, issues: [{ path: '', reason: 'must be a map' }] });
});
