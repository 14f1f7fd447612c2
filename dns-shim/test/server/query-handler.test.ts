import t from 'tap';
import { silentLogger } from '@meshplug/plugin-api';
import { ManualClock } from '../../src/clock.js';
import { Forwarder } from '../../src/forward/forwarder.js';
import { ResponseCache } from '../../src/forward/response-cache.js';
import { TcpTransport } from '../../src/forward/tcp-transport.js';
import { UdpTransport } from '../../src/forward/udp-transport.js';
import { DnsMetrics } from '../../src/metrics/dns-metrics.js';
import { QueryHandler } from '../../src/server/query-handler.js';
import { MeshTable } from '../../src/table/mesh-table.js';
import { validateDnsTable } from '../../src/table/validate-dns-table.js';
import { FakeUpstream } from '../helpers/fake-upstream.js';
import { decodeReply, query } from '../helpers/dns-client.js';
import { sampleTable } from '../helpers/tables.js';

t.test('mesh names and cached forwarded names are answered synchronously; only misses wait', async (t) => {
  const up = await new FakeUpstream().start();
  const cache = new ResponseCache({ maxEntries: 100, maxTtlSeconds: 3600, maxNegativeTtlSeconds: 300, clock: new ManualClock() });
  const metrics = new DnsMetrics(() => cache.size);
  const udp = new UdpTransport();
  const tcp = new TcpTransport();
  t.teardown(async () => {
    await udp.close();
    await tcp.close();
    await up.stop();
  });
  const logger = silentLogger();
  const forwarder = new Forwarder({ udp, tcp, cache, metrics, logger, timeoutMs: 2000, attemptTimeoutMs: 500, rounds: 1 });
  forwarder.setUpstreams([{ host: '127.0.0.1', port: up.port }]);
  const table = new MeshTable(validateDnsTable(sampleTable()), 'v1');
  const handler = new QueryHandler({ table: () => table, forwarder, metrics, logger, maxUdpPayload: 1232 });

  const mesh = handler.handle(query('tomcat'), 'udp');
  t.ok(Buffer.isBuffer(mesh), 'a mesh name: a reply, not a promise');

  const miss = handler.handle(query('a.example.test', 'A', { id: 1 }), 'udp');
  t.ok(miss instanceof Promise, 'a miss waits on the upstream');
  t.equal(decodeReply((await miss) as Buffer).id, 1);

  const hit = handler.handle(query('A.Example.test', 'A', { id: 2 }), 'udp');
  t.ok(Buffer.isBuffer(hit), 'a cache hit: a reply, not a promise');
  const reply = decodeReply(hit as Buffer);
  t.equal(reply.id, 2);
  t.equal(reply.questions[0]?.name, 'A.Example.test');
  t.same(reply.answers.map((a) => a.data), ['198.18.0.1']);
  t.equal(up.count('a.example.test'), 1);
  const outcomes = (await metrics.queries.get()).values.map((v) => [v.labels.outcome, v.value]);
  t.same(outcomes.sort(), [['cached', 1], ['forwarded', 1], ['mesh', 1]]);
  t.equal((await metrics.cacheHits.get()).values[0]?.value, 1);
  t.equal((await metrics.cacheMisses.get()).values[0]?.value, 1);
});
