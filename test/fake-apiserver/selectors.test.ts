import t from 'tap';
import { FakeApiServer } from './fake-apiserver.js';
import { matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import { call, configMap } from './test-client.js';

t.test('label selector grammar', async (t) => {
  const labels = { app: 'web', tier: 'front', 'mesh.io/plugin': 'net' };
  const cases: [string, boolean][] = [
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web, api)', true],
    ['app in (api)', false],
    ['app notin (api,db)', true],
    ['missing notin (api)', true],
    ['mesh.io/plugin', true],
    ['!mesh.io/plugin', false],
    ['!missing', true],
    ['app=web,tier in (front),!missing', true],
    ['app=web,tier=back', false],
    ['', true],
  ];
  for (const [selector, expected] of cases) t.equal(matchesLabels(parseLabelSelector(selector), labels), expected, selector);
  const thrown = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (err) {
      return err;
    }
    return undefined;
  };
  t.ok(thrown(() => parseLabelSelector('a b c')) instanceof SelectorError);
  t.ok(thrown(() => parseFieldSelector('spec.clusterIP=1')) instanceof SelectorError);
});

t.test('list with label and field selectors over HTTP; a bad selector is a 400 Status', async (t) => {
  const fake = await FakeApiServer.start();
  t.teardown(() => fake.close());
  fake.apply(configMap('a', 'plugin', { 'mesh.io/plugin': 'net' }));
  fake.apply(configMap('a', 'component', { 'mesh.io/component': 'web' }));
  fake.apply(configMap('b', 'other', { team: 'x' }));
  const names = async (query: string): Promise<string[]> =>
    (await call(fake, 'GET', `/api/v1/configmaps?${query}`)).body.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`);
  t.same(await names(`labelSelector=${encodeURIComponent('mesh.io/plugin')}`), ['a/plugin']);
  t.same(await names(`labelSelector=${encodeURIComponent('!mesh.io/plugin')}`), ['a/component', 'b/other']);
  t.same(await names(`labelSelector=${encodeURIComponent('mesh.io/component in (web,api)')}`), ['a/component']);
  t.same(await names(`labelSelector=${encodeURIComponent('team notin (x)')}`), ['a/component', 'a/plugin']);
  t.same(await names(`fieldSelector=${encodeURIComponent('metadata.namespace=b')}`), ['b/other']);
  t.same(await names(`fieldSelector=${encodeURIComponent('metadata.namespace!=b,metadata.name=plugin')}`), ['a/plugin']);
  t.match(await call(fake, 'GET', `/api/v1/configmaps?labelSelector=${encodeURIComponent('a in b')}`), { status: 400, body: { kind: 'Status', reason: 'BadRequest' } });
});
