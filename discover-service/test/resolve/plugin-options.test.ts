import t from 'tap';
import type { PluginVersion } from '@meshplug/plugin-api';
import { groupOptions, serviceValues, valuesFromConfigMap } from '../../src/resolve/plugin-options.js';
import { TEST_PLUGIN } from './fixtures.js';

const plugin = TEST_PLUGIN as unknown as PluginVersion;

t.test('merge order and limits', async (t) => {
  t.same(groupOptions(plugin, 'none', undefined, {}, undefined), { LOG_LEVEL: 'info', REGION: 'eu', FIXED: 'locked' });
  t.same(
    groupOptions(plugin, 'none', undefined, { REGION: 'us', LOG_LEVEL: 'warn', FIXED: 'x', UNKNOWN: 'y' }, { LOG_LEVEL: 'debug', FIXED: 'z' }),
    { LOG_LEVEL: 'debug', REGION: 'us', FIXED: 'locked' },
  );
  t.same(groupOptions(plugin, 'component-port', 'tcp', {}, { OPEN_LIMIT: 'YES' }), { MaxConnections: '1024' });
  t.same(groupOptions(plugin, 'component-port', 'http', {}, { OPEN_LIMIT: 'YES' }), { OPEN_LIMIT: 'YES', MaxConnections: '1024' });
});

t.test('valuesFrom keys: prefix stripped, others ignored', async (t) => {
  const cm = { metadata: { name: 'g' }, data: { 'g.A': '1', 'g.': 'empty name', B: '2', 'h.C': '3' } };
  t.same(valuesFromConfigMap(cm, 'g.'), { A: '1' });
  t.same(valuesFromConfigMap(cm, ''), { 'g.A': '1', 'g.': 'empty name', B: '2', 'h.C': '3' });
});

t.test('service values match by what the key names, in sorted key order', async (t) => {
  const services = { 'tomcat:8080': { A: '1', B: '1' }, 'tomcat.shop:8080': { B: '2' }, 'tomcat:9090': { C: '3' }, 'tomcat.other:8080': { D: '4' } };
  t.same(serviceValues(services, 'shop', { name: 'tomcat', namespace: 'shop' }, 8080), { A: '1', B: '1' }, 'tomcat.shop:8080 sorts before tomcat:8080');
  t.equal(serviceValues(services, 'shop', { name: 'redis', namespace: 'shop' }, 8080), undefined);
  t.equal(serviceValues(undefined, 'shop', { name: 'tomcat', namespace: 'shop' }, 8080), undefined);
});
