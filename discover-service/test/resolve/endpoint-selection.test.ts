import t from 'tap';
import { legacyEndpoints, sliceEndpoints, usableEndpoints } from '../../src/resolve/endpoint-selection.js';
import { slice } from './fixtures.js';

const port = { name: 'http', port: 80 };

t.test('conditions: absent/null ready counts as ready; serving defaults to ready; terminating to false', async (t) => {
  const all = sliceEndpoints(
    [
      slice('n', 's-1', 's', [
        { ip: '10.0.0.1' },
        { ip: '10.0.0.2', conditions: { ready: null, serving: null, terminating: null } },
        { ip: '10.0.0.3', conditions: { ready: false, serving: true, terminating: true }, zone: 'z1', pod: 'p3' },
        { ip: '10.0.0.4', conditions: { ready: false } },
      ]),
    ],
    port,
  );
  t.same(
    all.map((e) => [e.address, e.state, e.ready, e.serving, e.terminating]),
    [
      ['10.0.0.1', 'ready', true, true, false],
      ['10.0.0.2', 'ready', true, true, false],
      ['10.0.0.3', 'terminating', false, true, true],
      ['10.0.0.4', 'not-ready', false, false, false],
    ],
  );
  t.match(all[2], { zone: 'z1', target: 'n/p3' });
  t.same(usableEndpoints(all).map((e) => e.address), ['10.0.0.1', '10.0.0.2']);
  t.same(usableEndpoints(all.slice(2)).map((e) => e.address), ['10.0.0.3']);
  t.same(usableEndpoints(all.slice(3)), []);
});

t.test('dedupe across slices keeps the best state; FQDN slices and port-less slices are skipped', async (t) => {
  const a = slice('n', 's-a', 's', [{ ip: '10.0.0.9', conditions: { ready: false } }, { ip: '10.0.0.1' }]);
  const b = slice('n', 's-b', 's', [{ ip: '10.0.0.9' }]);
  const fqdn = { ...slice('n', 's-c', 's', [{ ip: 'example.com' }]), addressType: 'FQDN' as const };
  const noPort = slice('n', 's-d', 's', [{ ip: '10.0.0.7' }], [{ name: 'http' }]);
  const all = sliceEndpoints([a, b, fqdn, noPort], port);
  t.same(all.map((e) => [e.address, e.state]), [['10.0.0.1', 'ready'], ['10.0.0.9', 'ready']]);
});

t.test('legacy Endpoints: addresses ready, notReadyAddresses not', async (t) => {
  const all = legacyEndpoints(
    {
      metadata: { name: 's', namespace: 'n' },
      subsets: [
        { addresses: [{ ip: '10.1.0.1', targetRef: { name: 'p1' } }], notReadyAddresses: [{ ip: '10.1.0.2' }], ports: [{ name: 'http', port: 8080 }] },
        { addresses: [{ ip: '10.1.0.3' }], ports: [{ name: 'other', port: 1 }] },
      ],
    },
    port,
  );
  t.same(all.map((e) => [e.address, e.port, e.state, e.target]), [['10.1.0.1', 8080, 'ready', 'n/p1'], ['10.1.0.2', 8080, 'not-ready', undefined]]);
});
