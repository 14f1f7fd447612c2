import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mustRun, runCommand } from './run-command.js';

/** A pod as a network namespace on the node's bridge. */
export interface NetPod {
  /** Short name in the test (`web`, `tomcat-0`). */
  name: string;
  /** The network namespace, `mp-e2e-<id>-<name>`. */
  ns: string;
  address: string;
}

/** Where the netns pods' DNS files live: `ip netns exec` bind-mounts them over /etc. */
const ETC_NETNS = '/etc/netns';

/**
 * A "node" network namespace holding a bridge (198.18.0.1/24), and pods as
 * namespaces joined to it by veth pairs. Everything it creates carries the
 * run's random id and is removed by destroy(), which never throws, so parallel
 * runs do not collide and a failed run leaves nothing behind.
 */
export class PodNetwork {
  readonly node: NetPod;
  readonly pods: NetPod[] = [];
  private readonly namespaces: string[] = [];
  private readonly etcDirs: string[] = [];

  constructor(
    readonly id: string,
    readonly nodeAddress = '198.18.0.1',
  ) {
    this.node = { name: 'node', ns: `mp-e2e-${id}-node`, address: nodeAddress };
  }

  async createNode(): Promise<void> {
    const ns = this.node.ns;
    await this.addNamespace(ns);
    await mustRun('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    await mustRun('ip', ['-n', ns, 'link', 'add', 'br0', 'type', 'bridge']);
    await mustRun('ip', ['-n', ns, 'addr', 'add', `${this.nodeAddress}/24`, 'dev', 'br0']);
    await mustRun('ip', ['-n', ns, 'link', 'set', 'br0', 'up']);
  }

  async addPod(name: string, address: string): Promise<NetPod> {
    const pod: NetPod = { name, ns: `mp-e2e-${this.id}-${name}`, address };
    const veth = `vp${this.pods.length}`;
    await this.addNamespace(pod.ns);
    await mustRun('ip', ['-n', pod.ns, 'link', 'set', 'lo', 'up']);
    // Created inside the node namespace: nothing appears in the root namespace.
    await mustRun('ip', ['-n', this.node.ns, 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod.ns]);
    await mustRun('ip', ['-n', this.node.ns, 'link', 'set', veth, 'master', 'br0', 'up']);
    await mustRun('ip', ['-n', pod.ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
    await mustRun('ip', ['-n', pod.ns, 'link', 'set', 'eth0', 'up']);
    this.pods.push(pod);
    return pod;
  }

  /** Writes `/etc/netns/<ns>/resolv.conf`, which every later `ip netns exec` in the pod sees as /etc/resolv.conf. */
  async writeResolvConf(pod: NetPod, text: string): Promise<void> {
    const dir = join(ETC_NETNS, pod.ns);
    await mkdir(dir, { recursive: true });
    this.etcDirs.push(dir);
    await writeFile(join(dir, 'resolv.conf'), text);
  }

  async destroy(): Promise<void> {
    for (const ns of this.namespaces.splice(0).reverse()) await runCommand('ip', ['netns', 'del', ns], 10_000);
    for (const dir of this.etcDirs.splice(0)) await rm(dir, { recursive: true, force: true });
    // /etc/netns itself only while some run uses it; another run's files keep it (rmdir fails then).
    await rmdir(ETC_NETNS).catch(() => undefined);
  }

  private async addNamespace(ns: string): Promise<void> {
    await mustRun('ip', ['netns', 'add', ns]);
    this.namespaces.push(ns);
  }
}
