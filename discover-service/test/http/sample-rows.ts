import type { FakeView } from './fake-view.js';

/** Fills a FakeView's ops lists with a small shop mesh: web -> tomcat (3 endpoints), web -> redis.cache. */
export function fillShop(view: FakeView): void {
  const tomcatEndpoints = [
    { address: '127.0.1.11', port: 8080, state: 'ready' as const, used: true },
    { address: '127.0.1.12', port: 8080, state: 'ready' as const, used: true, zone: 'a' },
    { address: '127.0.1.13', port: 8080, state: 'terminating' as const, used: false },
  ];
  view.routeRows = [
    { component: 'shop/web', dependency: 'shop/tomcat', port: 8080, protocol: 'http', vip: '127.10.0.1', policy: 'least_request', endpoints: tomcatEndpoints },
    { component: 'shop/web', dependency: 'cache/redis', port: 6379, protocol: 'tcp', vip: '127.20.0.2', policy: 'round_robin', endpoints: [] , problem: 'no ready endpoints' },
    { component: 'shop/api', dependency: 'shop/missing', port: 0, protocol: 'tcp', vip: '', policy: 'round_robin', endpoints: [], problem: 'Service shop/missing does not exist' },
  ];
  view.serviceRows = [
    { namespace: 'shop', name: 'tomcat', uid: 'uid-tomcat', vip: '127.10.0.1', ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'http' }], endpoints: tomcatEndpoints, component: false },
    { namespace: 'shop', name: 'web', uid: 'uid-web', vip: '127.10.0.3', ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'http' }], endpoints: [], component: true },
  ];
  view.pluginRows = [{ name: 'net-governance', version: '1.0.0', type: 'net-inout', image: 'meshplug/mesh-proxy:1.0.0', namespace: 'meshplug-system', configMap: 'plugin-net-governance-1.0.0' }];
  view.componentRows = [{ namespace: 'shop', name: 'web', configMap: 'component-web', dependencies: ['shop/tomcat', 'cache/redis'], plugins: [{ name: 'net-governance', version: '1.0.0', enabled: true }] }];
  view.errorRows = [{ kind: 'component', namespace: 'shop', name: 'component-api', path: 'plugins[0].version', reason: 'must be a non-empty string', since: '2025-01-01T00:00:00.000Z' }];
}
