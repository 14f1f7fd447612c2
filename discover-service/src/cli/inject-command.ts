import { readFile } from 'node:fs/promises';
import { formatHelp, parseCommandLine, PluginApiErrors, type CommandSpec } from '@meshplug/plugin-api';
import { injectManifest } from '../inject/manifest-injector.js';
import type { CliIo } from './cli-io.js';

export const injectSpec: CommandSpec = {
  usage: 'meshplug inject -f FILE [--components FILE]... [options]',
  description:
    'Print the manifests of FILE with the component plugins injected into every workload (Deployment, StatefulSet, ' +
    'DaemonSet, ReplicaSet, Job, CronJob, Pod), as the admission webhook would, and numeric Service targetPorts ' +
    'rewritten to the sidecar port names. Plugin and component ConfigMaps and Services are read from FILE and --components.',
  flags: {
    filename: { type: 'string', short: 'f', description: 'multi-document YAML to inject (- for stdin)' },
    components: { type: 'string', multiple: true, description: 'more YAML with plugin/component ConfigMaps and Services (repeatable)' },
    'discover-host': { type: 'string', description: 'address sidecars dial discover-service at (default: the node IP)' },
    'discover-port': { type: 'string', description: 'discover-service port', default: '6100' },
    'upstream-dns': { type: 'string', description: 'cluster DNS the pod DNS server forwards to, IP:PORT', default: '10.96.0.10:53' },
    'cluster-domain': { type: 'string', description: 'cluster DNS domain', default: 'cluster.local' },
    'native-sidecar': { type: 'boolean', description: 'native sidecars (init containers with restartPolicy: Always)', default: false },
    'access-control': {
      type: 'boolean',
      description: 'mount a projected ServiceAccount token (audience meshplug) for discover-service --auth tokenreview',
      default: false,
    },
  },
};

async function readInput(path: string): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `meshplug inject -f FILE`: injected YAML on stdout, one line per injected workload on stderr. */
export async function injectCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, help, positionals } = parseCommandLine(injectSpec, argv, io.env);
  if (help) {
    io.stdout.write(formatHelp(injectSpec));
    return 0;
  }
  const file = values.filename as string | undefined;
  if (file === undefined) throw new PluginApiErrors.API_ERR_INVALID_OPTION('-f FILE is required');
  if (positionals.length > 0) throw new PluginApiErrors.API_ERR_INVALID_OPTION(`unexpected argument '${positionals[0]}'`);
  const read = async (path: string) => {
    try {
      return { text: await readInput(path), file: path };
    } catch (err) {
      throw new PluginApiErrors.API_ERR_INVALID_OPTION(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  const input = await read(file);
  const context = await Promise.all(((values.components as string[] | undefined) ?? []).map(read));
  const result = injectManifest(input, context, {
    inject: {
      discoverPort: Number(values['discover-port']),
      upstreamDns: values['upstream-dns'] as string,
      clusterDomain: values['cluster-domain'] as string,
      nativeSidecar: values['native-sidecar'] === true,
      accessControl: values['access-control'] === true,
      ...(values['discover-host'] ? { discoverHost: values['discover-host'] as string } : {}),
    },
  });
  io.stdout.write(result.yaml);
  for (const line of result.injected) io.stderr.write(`injected ${line}\n`);
  if (result.injected.length === 0) io.stderr.write('no workload matched a component: nothing injected\n');
  return 0;
}
