import type { MeshDocument } from '@meshplug/plugin-api';
import { MeshProxy, type ProxyOptions } from '../../src/index.js';
import { FakeDiscover } from './fake-discover.js';
import { NS, SVC } from './mesh-doc.js';

export interface Harness {
  proxy: MeshProxy;
  discover: FakeDiscover;
  admin: string;
  /** Publishes `doc` and waits until the proxy applied it. */
  publish(doc: MeshDocument): Promise<void>;
  close(): Promise<void>;
}

/** A fake discover-service serving `doc` and a MeshProxy following it, with `doc` applied. */
export async function startHarness(doc: MeshDocument, options: Partial<ProxyOptions> = {}): Promise<Harness> {
  const discover = await new FakeDiscover(doc).start();
  const proxy = new MeshProxy({
    configUrl: discover.url,
    namespace: NS,
    service: SVC,
    proxyId: 'test-proxy',
    adminAddress: '127.0.0.1:0',
    bindAddress: '127.0.0.1',
    drainTimeoutMs: 2000,
    // Tests' idle keep-alive clients would otherwise hold every teardown for the grace.
    drainIdleGraceMs: 0,
    waitSeconds: 5,
    ...options,
  });
  await proxy.start();
  if (!(await proxy.whenApplied(doc.version))) throw new Error('proxy did not apply the first document');
  return {
    proxy,
    discover,
    admin: `http://127.0.0.1:${proxy.adminAddress.port}`,
    publish: async (next) => {
      discover.set(next);
      if (!(await proxy.whenApplied(next.version))) throw new Error(`proxy did not apply ${next.version}`);
    },
    close: async () => {
      await proxy.stop();
      await discover.close();
    },
  };
}
