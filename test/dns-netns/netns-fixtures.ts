/**
 * Runs INSIDE the test network namespace: the fake upstream DNS server on
 * 127.0.0.53:53 and a fake discover-service on 127.0.0.1:6100 serving
 * `/v1/mesh/shop/web`. Each stdin line `{"version": "...", "doc": {...}}`
 * publishes a new document. Prints `ready` once both listen.
 */
import { createInterface } from 'node:readline';
import { FakeDiscover } from '../../dns-shim/test/helpers/fake-discover.js';
import { FakeUpstream } from '../../dns-shim/test/helpers/fake-upstream.js';

const upstream = await new FakeUpstream().start('127.0.0.53', 53);
const discover = new FakeDiscover();
await discover.start(6100);
createInterface({ input: process.stdin }).on('line', (line) => {
  const { version, doc } = JSON.parse(line) as { version: string; doc: unknown };
  discover.publish(doc, version);
  process.stdout.write(`published ${version}\n`);
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void Promise.all([upstream.stop(), discover.stop()]).then(() => process.exit(0));
});
