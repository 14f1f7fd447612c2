import t from 'tap';
import { Resolver } from '../../src/resolve/resolver.js';
import { shopObjects, storeWith } from './fixtures.js';

t.test('routes rows carry the resolved options and every endpoint its conditions (what the dashboard shows)', async (t) => {
  const r = new Resolver(storeWith(shopObjects()));
  const [tomcat] = r.routes({ namespace: 'shop', service: 'web' }).filter((row) => row.dependency === 'shop/tomcat');
  t.same(tomcat?.options, { LBPolicy: 'least_request', Weight: '50' }, "the component's own value wins, the shared one fills the rest");
  t.equal(tomcat?.policy, 'least_request');
  t.same(tomcat?.endpoints[0]?.conditions, { ready: true, serving: true, terminating: false });
  const mesh = r.mesh('shop', 'web');
  const cluster = mesh.ok ? mesh.value.outbound.find((c) => c.service === 'tomcat') : undefined;
  t.same(tomcat?.options, cluster?.options, 'the same options the sidecar gets');
});
