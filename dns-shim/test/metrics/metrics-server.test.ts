import t from 'tap';
import { DnsShim } from '../../src/dns-shim.js';
import { MetricsServer } from '../../src/metrics/metrics-server.js';
import { sampleTable } from '../helpers/tables.js';

t.test('/ready is 503 until listening with a table; /stats is Prometheus text; others 404', async (t) => {
  const shim = new DnsShim({ listen: '127.0.0.1:0' });
  const server = new MetricsServer(shim);
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(async () => {
    await server.close();
    await shim.stop();
  });
  const base = `http://127.0.0.1:${port}`;
  let res = await fetch(`${base}/ready`);
  t.equal(res.status, 503);
  t.match(await res.json(), { code: 'DNS_ERR_NOT_READY', reason: 'not listening' });
  await shim.start();
  res = await fetch(`${base}/ready`);
  t.match(await res.json(), { reason: 'no mesh table yet' });
  shim.setTable(sampleTable(), 'v7');
  res = await fetch(`${base}/ready`);
  t.equal(res.status, 200);
  t.match(await res.json(), { ready: true, version: 'v7' });
  res = await fetch(`${base}/stats`);
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /text\/plain/);
  t.match(await res.text(), /# TYPE meshplug_dns_queries_total counter/);
  res = await fetch(`${base}/nope`);
  t.equal(res.status, 404);
  t.match(await res.json(), { code: 'DNS_ERR_NOT_FOUND' });
  res = await fetch(`${base}/stats`, { method: 'POST' });
  t.equal(res.status, 404);
});
