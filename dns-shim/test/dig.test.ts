import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DnsShim } from '../src/dns-shim.js';
import { FakeUpstream } from './helpers/fake-upstream.js';
import { sampleTable } from './helpers/tables.js';

const run = promisify(execFile);

/** `dig +short`-style lines plus the status, from the real client (bind9-dnsutils). */
async function dig(port: number, ...args: string[]): Promise<{ status: string; answers: string[]; flags: string; text: string }> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=3', '+nocmd', '+nostats', ...args], {
    timeout: 10_000,
  });
  const status = /status: (\w+)/.exec(stdout)?.[1] ?? 'none';
  const flags = /;; flags: ([^;]+);/.exec(stdout)?.[1] ?? '';
  const section = /;; ANSWER SECTION:\n([\s\S]*?)(?:\n\n|$)/.exec(stdout)?.[1] ?? '';
  const answers = section
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(/\s+/).slice(3).join(' '));
  return { status, answers, flags, text: stdout };
}

const hasDig = await run('dig', ['-v']).then(
  () => true,
  () => false,
);

t.test('dig against the shim', { skip: hasDig ? false : 'dig (bind9-dnsutils) is not installed' }, async (t) => {
  const up = await new FakeUpstream().start();
  const shim = new DnsShim({ listen: '127.0.0.1:0', upstreams: [up.address] });
  const { port } = await shim.start();
  shim.setTable(sampleTable(), 'v1');
  t.teardown(async () => {
    await shim.stop();
    await up.stop();
  });

  for (const name of ['tomcat', 'tomcat.shop', 'tomcat.shop.svc', 'TomCat.Shop.Svc.Cluster.Local.']) {
    const r = await dig(port, name, 'A');
    t.equal(r.status, 'NOERROR', name);
    t.same(r.answers, ['A 127.1.0.10'], name);
    t.match(r.flags, /\baa\b/, `${name}: authoritative`);
  }
  const aaaa = await dig(port, 'tomcat.shop.svc.cluster.local', 'AAAA');
  t.equal(aaaa.status, 'NOERROR');
  t.same(aaaa.answers, []);
  t.match(aaaa.text, /AUTHORITY SECTION:\ncluster\.local\.\s+5\s+IN\s+SOA/);

  const srv = await dig(port, '_http._tcp.tomcat.shop.svc.cluster.local', 'SRV');
  t.same(srv.answers, ['SRV 0 100 8080 tomcat.shop.svc.cluster.local.']);
  t.match(srv.text, /ADDITIONAL SECTION:\ntomcat\.shop\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+127\.1\.0\.10/);

  t.equal((await dig(port, 'nope.tomcat.shop.svc.cluster.local', 'A')).status, 'NXDOMAIN');

  const forwarded = await dig(port, 'www.example.test', 'A');
  t.same(forwarded.answers, ['A 198.18.0.1']);
  t.equal((await dig(port, 'missing.test', 'A')).status, 'NXDOMAIN');

  const tcp = await dig(port, '+tcp', 'tomcat', 'A');
  t.same(tcp.answers, ['A 127.1.0.10']);
  const tcpForwarded = await dig(port, '+tcp', 'www.example.test', 'A');
  t.same(tcpForwarded.answers, ['A 198.18.0.1']);

  const big = await dig(port, '+ignore', 'big.example.test', 'A');
  t.match(big.flags, /\btc\b/, 'UDP answer truncated for the client');
  const bigRetried = await dig(port, 'big.example.test', 'A');
  t.equal(bigRetried.answers.length, 60, 'dig retries over TCP and gets every record');
});
