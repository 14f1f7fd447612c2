/**
 * The floor of a Node.js UDP server on this machine: every query comes back at once as its own
 * empty answer (QR set, nothing else done). No DNS server written on node:dgram can beat it, so
 * the DNS bench runs it beside dnsmasq to show how much of the gap is the runtime's.
 *
 *   node --import tsx test/bench/dns/udp-echo-floor.ts PORT
 */
import { createSocket } from 'node:dgram';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  process.stderr.write('usage: udp-echo-floor.ts PORT\n');
  process.exit(2);
}
// The same sends as dns-shim's (an IP literal, no lookup tick, no callback), so the floor is comparable.
const socket = createSocket({ type: 'udp4', lookup: (address, _options, callback) => callback(null, address, 4) });
socket.on('message', (msg, rinfo) => {
  if (msg.length < 12) return;
  msg[2] = (msg[2] as number) | 0x80;
  socket.send(msg, rinfo.port, rinfo.address);
});
socket.bind(port, '127.0.0.1', () => process.stdout.write(`listening on 127.0.0.1:${port}\n`));
process.once('SIGTERM', () => socket.close(() => process.exit(0)));
