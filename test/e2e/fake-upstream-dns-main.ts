import { startFakeUpstreamDns } from './lib/fake-upstream-dns.js';

/*
 * `node --import tsx test/e2e/fake-upstream-dns-main.ts HOST PORT NAME=IP...`: the end-to-end test's
 * cluster DNS, run inside the node namespace. Prints one line once it is bound.
 */
const [host = '127.0.0.1', port = '53', ...records] = process.argv.slice(2);
const zone = new Map(records.map((r) => r.split('=') as [string, string]));
const { socket, address } = await startFakeUpstreamDns(host, Number(port), zone);
process.stdout.write(`fake upstream DNS on ${address.address}:${address.port}\n`);
process.once('SIGTERM', () => socket.close());
process.once('SIGINT', () => socket.close());
