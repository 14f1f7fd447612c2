import t from 'tap';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import dns from 'node:dns';
import { createUdpSocket } from '../../src/server/udp-socket.js';

t.test('datagrams to IP literals go out without a trip through dns.lookup', async (t) => {
  const receiver = createSocket('udp4');
  receiver.bind(0, '127.0.0.1');
  await once(receiver, 'listening');
  const { port } = receiver.address();
  const original = dns.lookup;
  let lookups = 0;
  // dgram reads dns.lookup when a socket is made; count the calls made through it.
  dns.lookup = ((...args: Parameters<typeof original>) => {
    lookups++;
    return (original as (...a: unknown[]) => void)(...args);
  }) as typeof original;
  const plain = createSocket('udp4');
  const ours = createUdpSocket('udp4');
  dns.lookup = original;
  t.teardown(() => {
    receiver.close();
    plain.close();
    ours.close();
  });

  const received = once(receiver, 'message');
  plain.send(Buffer.from('plain'), port, '127.0.0.1');
  await received;
  t.ok(lookups > 0, 'a default socket resolves even a literal (the spy works)');

  lookups = 0;
  const again = once(receiver, 'message');
  ours.send(Buffer.from('ours'), port, '127.0.0.1');
  const [msg] = (await again) as [Buffer];
  t.equal(msg.toString(), 'ours');
  t.equal(lookups, 0);
});
