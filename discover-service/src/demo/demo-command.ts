import { formatHelp, parseCommandLine, PluginApiErrors, type CommandSpec } from '@meshplug/plugin-api';
import type { CliIo } from '../cli/cli-io.js';
import { DEMO_DEFAULTS, resolveDemoOptions } from './demo-options.js';
import { DemoRun } from './run-demo.js';

export const demoSpec: CommandSpec = {
  usage: 'meshplug demo [--listen 127.0.0.1:6100] [--requests 30] [--headless]',
  description:
    'Run the whole mesh of manifests/examples/shop.yaml on this machine: discover-service on the file source, three\n' +
    'tomcat pods and a web pod (each on its own 127.0.1.x, with its mesh-proxy, which for web also serves its DNS), send requests\n' +
    'from web to tomcat by name, print the routes and how the requests spread, then keep running until Ctrl-C.',
  flags: {
    listen: { type: 'string', description: "discover-service's ops API, IP:PORT (port 0: a free one)", default: DEMO_DEFAULTS.listen },
    requests: { type: 'string', description: 'requests sent from web to tomcat', default: String(DEMO_DEFAULTS.requests) },
    headless: { type: 'boolean', description: 'print the results and exit (non-zero if a request failed)', default: false },
    logs: { type: 'boolean', description: "pass every process's log lines through to stderr", default: false },
    manifest: { type: 'string', description: 'the example manifest to run', default: 'manifests/examples/shop.yaml' },
    'ready-timeout': { type: 'string', description: 'bound on each readiness wait, ms', default: String(DEMO_DEFAULTS.readyTimeoutMs) },
  },
};

function integer(value: unknown, flag: string): number {
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new PluginApiErrors.API_ERR_INVALID_OPTION(`--${flag} ${String(value)}: not a number`);
  return n;
}

/**
 * `meshplug demo`: Ctrl-C or SIGTERM stops it (during start-up too); every
 * process it started is stopped before it returns.
 */
export async function demoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals, help } = parseCommandLine(demoSpec, argv, io.env);
  if (help) {
    io.stdout.write(formatHelp(demoSpec));
    return 0;
  }
  if (positionals.length > 0) throw new PluginApiErrors.API_ERR_INVALID_OPTION(`unexpected argument '${positionals[0]}'`);
  const manifest = values.manifest as string;
  const options = resolveDemoOptions({
    listen: values.listen as string,
    requests: integer(values.requests, 'requests'),
    headless: values.headless === true,
    logs: values.logs === true,
    ...(manifest === demoSpec.flags.manifest?.default ? {} : { manifest }),
    readyTimeoutMs: integer(values['ready-timeout'], 'ready-timeout'),
  });
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await new DemoRun(options, io, stop.signal).run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
