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
