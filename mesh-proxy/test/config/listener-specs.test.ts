import t from 'tap';
import { listenerSpecs } from '../../src/config/listener-specs.js';
import { endpoint, inbound, meshDoc, outbound } from '../helpers/mesh-doc.js';

t.test('inbound: bind:<outer> -> <bind>:<port> (a shared host); outbound: <vip>:<port> -> endpoints', async (t) => {
  const doc = meshDoc('v1', {
    inbound: [inbound(8080, 65301, { mode: 'tcp', options: { TCPIdleTimeout: '5' } })],
    outbound: [outbound('127.10.0.1', 6379, [endpoint('10.0.0.1', 65301, 3)], { policy: 'least_request' })],
  });
  const [i, o] = listenerSpecs(doc, '127.0.1.5');
  t.match(i, {
    key: 'inbound|127.0.1.5:65301',
    direction: 'inbound',
    host: '127.0.1.5',
    port: 65301,
    mode: 'tcp',
    cluster: { name: 'inbound|8080', policy: 'round_robin', options: { TCPIdleTimeout: '5' }, endpoints: [{ address: '127.0.1.5', port: 8080 }] },
  });
  t.match(o, {
    key: 'outbound|127.10.0.1:6379',
    direction: 'outbound',
    host: '127.10.0.1',
    port: 6379,
    mode: 'http',
    cluster: { name: 'shop/dep-127-10-0-1:6379', policy: 'least_request', endpoints: [{ address: '10.0.0.1', port: 65301, weight: 3 }] },
  });
});

t.test('a sidecar bound to every address forwards inbound to the pod loopback', async (t) => {
  const [i] = listenerSpecs(meshDoc('v1', { inbound: [inbound(8080, 65301)] }), '0.0.0.0');
  t.match(i, { key: 'inbound|0.0.0.0:65301', cluster: { endpoints: [{ address: '127.0.0.1', port: 8080 }] } });
});

t.test("the injector's inbound ports win; options and mode come from the document by name, then port", async (t) => {
  const doc = meshDoc('v1', {
    inbound: [
      inbound(80, 65380, { name: 'http', mode: 'http', options: { OPEN_LIMIT: 'YES' } }),
      inbound(9090, 65390, { name: 'metrics', mode: 'http' }),
    ],
  });
  const specs = listenerSpecs(doc, '0.0.0.0', [
    { name: 'http', port: 8080, outerPort: 65380 },
    { name: 'mp-9090', port: 9090, outerPort: 65390 },
    { name: 'mp-7000', port: 7000, outerPort: 65300 },
  ]);
  t.same(
    specs.map((s) => [s.port, s.mode, s.cluster.endpoints[0]!.port, s.cluster.options]),
    [
      [65380, 'http', 8080, { OPEN_LIMIT: 'YES' }],
      [65390, 'http', 9090, {}],
      [65300, 'tcp', 7000, {}],
    ],
  );
});

t.test('parseInboundPorts reads MESHPLUG_INBOUND and names a bad entry', async (t) => {
  const { parseInboundPorts } = await import('../../src/options/proxy-options.js');
  t.same(parseInboundPorts('http:8080:65380, mp-9090:9090:65390'), [
    { name: 'http', port: 8080, outerPort: 65380 },
    { name: 'mp-9090', port: 9090, outerPort: 65390 },
  ]);
  t.throws(() => parseInboundPorts('http:8080'), { code: 'MESH_ERR_INVALID_OPTIONS', message: /"http:8080" is not NAME:PORT:OUTER_PORT/ });
  t.throws(() => parseInboundPorts('x:0:1'), { message: /"x:0:1"/ });
});
