import t from 'tap';
import type { MeshLists, RouteEndpoint } from '../../dashboard/src/api-types.js';
import { buildGraph, portsLabel } from '../../dashboard/src/graph-model.js';

const ready = (address: string, used = true): RouteEndpoint => ({ address, port: 8080, state: 'ready', used });

function lists(): Pick<MeshLists, 'routes' | 'services' | 'components'> {
  return {
    services: [
      { namespace: 'shop', name: 'web', uid: 'u1', vip: '127.10.0.1', ports: [], endpoints: [ready('127.0.1.10')], component: true },
      { namespace: 'shop', name: 'tomcat', uid: 'u2', vip: '127.10.0.2', ports: [], endpoints: [ready('127.0.1.11'), { ...ready('127.0.1.12', false), state: 'not-ready' }], component: false },
      { namespace: 'cache', name: 'redis', uid: 'u3', vip: '127.10.0.3', ports: [], endpoints: [], component: false },
      { namespace: 'ops', name: 'lonely', uid: 'u4', vip: '127.10.0.4', ports: [], endpoints: [], component: false },
    ],
    components: [{ namespace: 'shop', name: 'web', configMap: 'component-web', dependencies: [], plugins: [{ name: 'net-governance', version: '1.0.0', enabled: true }] }],
    routes: [
      { component: 'shop/web', dependency: 'shop/tomcat', port: 9090, protocol: 'grpc', vip: '127.10.0.2', policy: 'round_robin', endpoints: [ready('127.0.1.11')] },
      { component: 'shop/web', dependency: 'shop/tomcat', port: 8080, protocol: 'http', vip: '127.10.0.2', policy: 'least_request', endpoints: [ready('127.0.1.11')] },
      { component: 'shop/web', dependency: 'cache/redis', port: 6379, protocol: 'tcp', vip: '127.10.0.3', policy: 'round_robin', endpoints: [] },
      { component: 'shop/web', dependency: 'shop/gone', port: 0, protocol: '', vip: '', policy: '', endpoints: [], problem: 'Service shop/gone does not exist' },
    ],
  };
}

t.test('nodes are Services (every one), edges the declared dependencies with their ports', async (t) => {
  const graph = buildGraph(lists());
  t.same(graph.nodes.map((n) => n.id), ['cache/redis', 'ops/lonely', 'shop/gone', 'shop/tomcat', 'shop/web']);
  t.match(graph.nodes.find((n) => n.id === 'shop/web'), { component: true, plugins: [{ name: 'net-governance' }], readyEndpoints: 1, totalEndpoints: 1 });
  t.match(graph.nodes.find((n) => n.id === 'shop/tomcat'), { readyEndpoints: 1, totalEndpoints: 2, exists: true });
  t.match(graph.nodes.find((n) => n.id === 'shop/gone'), { exists: false, namespace: 'shop', name: 'gone' });
  const tomcat = graph.edges.find((e) => e.id === 'shop/web->shop/tomcat');
  t.ok(tomcat);
  if (tomcat) t.equal(portsLabel(tomcat), '8080/http, 9090/grpc', 'one edge per dependency, ports sorted');
  t.same(graph.edges.map((e) => [e.id, e.health]), [
    ['shop/web->cache/redis', 'no-endpoints'],
    ['shop/web->shop/gone', 'broken'],
    ['shop/web->shop/tomcat', 'ok'],
  ]);
});
