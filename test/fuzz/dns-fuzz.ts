/**
 * The long DNS fuzz run: `npm run fuzz` (1,000,000 packets) or
 * `node --import tsx test/fuzz/dns-fuzz.ts --count N [--seed S] [--target IP:PORT]`.
 * Without --target it starts a dns-shim (with a mesh table and a fake
 * upstream) in this process; either way it checks the server still answers
 * a mesh name and a forwarded name over UDP and TCP afterwards. Exit 0 = survived.
 */
import { parseArgs } from 'node:util';
import { DnsShim, parseHostPort } from '@meshplug/dns-shim';
import { FakeUpstream } from '../../dns-shim/test/helpers/fake-upstream.js';
import { decodeReply, query, tcpExchange, udpExchange, type LooseReply } from '../../dns-shim/test/helpers/dns-client.js';
import { sampleTable } from '../../dns-shim/test/helpers/tables.js';
import { runFuzz } from './packet-fuzzer.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: String(Date.now() % 0x7fffffff) },
    target: { type: 'string' },
    'time-limit-s': { type: 'string', default: '3600' },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: dns-fuzz --count N [--seed S] [--target IP:PORT] [--time-limit-s S]\n');
  process.exit(2);
}

let host = '127.0.0.1';
let port: number;
let cleanup = async (): Promise<void> => undefined;
if (values.target !== undefined) {
  const target = parseHostPort(values.target);
  if (target === undefined) throw new Error(`--target ${values.target}: not IP:PORT`);
  ({ host, port } = target);
} else {
  const up = await new FakeUpstream().start();
  const shim = new DnsShim({ listen: '127.0.0.1:0', upstreams: [up.address] });
  port = (await shim.start()).port;
  shim.setTable(sampleTable(), 'fuzz');
  cleanup = async () => {
    await shim.stop();
    await up.stop();
  };
}

process.stdout.write(`dns-fuzz: ${count} packets, seed ${seed}, target ${host}:${port}\n`);
const started = Date.now();
let lastReport = 0;
const run = await runFuzz({
  host,
  port,
  count,
  seed,
  timeLimitMs: Number(values['time-limit-s']) * 1000,
  onProgress: (sent) => {
    if (sent - lastReport >= 100_000) {
      lastReport = sent;
      process.stdout.write(`  ${sent} sent (${Math.round(sent / ((Date.now() - started) / 1000))}/s)\n`);
    }
  },
});
process.stdout.write(`sent ${run.sent} (udp ${run.udp}, tcp ${run.tcp}), ${run.replies} replies, ${Date.now() - started} ms\n`);

let ok = run.sent === count;
const check = async (what: string, reply: Promise<Buffer>, expect: (d: LooseReply) => boolean): Promise<void> => {
  try {
    const d = decodeReply(await reply);
    const good = expect(d);
    ok &&= good;
    process.stdout.write(`${good ? 'ok' : 'FAIL'}: ${what}\n`);
  } catch (err) {
    ok = false;
    process.stdout.write(`FAIL: ${what}: ${(err as Error).message}\n`);
  }
};
if (values.target === undefined) {
  await check('mesh name over UDP', udpExchange(port, query('tomcat'), 3000, host), (d) => d.answers?.[0]?.data === '127.1.0.10');
  await check('mesh name over TCP', tcpExchange(port, [query('tomcat')], 3000, host).then((r) => r[0]!), (d) => d.answers?.[0]?.data === '127.1.0.10');
}
await check('forwarded name over UDP', udpExchange(port, query('after.example.test'), 3000, host), (d) => d.rcode !== 'SERVFAIL' || values.target !== undefined);
await check('forwarded name over TCP', tcpExchange(port, [query('after2.example.test')], 3000, host).then((r) => r[0]!), () => true);
await cleanup();
process.exitCode = ok ? 0 : 1;
