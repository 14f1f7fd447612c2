import { parseCommandLine, formatHelp, PluginApiErrors, type CommandSpec } from '@meshplug/plugin-api';
import type { ProxyStatus } from '../proxies/proxy-registry.js';
import type { CliIo } from './cli-io.js';
import { fetchJson, SERVER_FLAG } from './fetch-json.js';
import { formatAge, formatTable } from './table.js';

export const proxyStatusSpec: CommandSpec = {
  usage: 'meshplug proxy-status [--server URL]',
  description:
    'Which sidecar has which config version, like istioctl proxy-status: SYNCED when the version it ' +
    'applied is the one discover-service serves now, STALE otherwise.',
  flags: {
    server: SERVER_FLAG,
    output: { type: 'string', short: 'o', description: 'table or json', default: 'table' },
  },
};

/** The table `meshplug proxy-status` prints; ages are relative to `now`. */
export function formatProxyStatus(rows: readonly ProxyStatus[], now: number): string {
  return formatTable(
    ['NAME', 'KIND', 'COMPONENT', 'SERVED', 'APPLIED', 'STATUS', 'CONNECTED', 'LAST SEEN'],
    rows.map((p) => [
      p.id,
      p.kind,
      `${p.namespace}/${p.service}`,
      p.servedVersion ?? '-',
      p.appliedVersion ?? '-',
      p.stale ? 'STALE' : 'SYNCED',
      p.connected ? 'yes' : 'no',
      formatAge(now - Date.parse(p.lastSeen)),
    ]),
  );
}

export async function proxyStatusCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals, help } = parseCommandLine(proxyStatusSpec, argv, io.env);
  if (help) {
    io.stdout.write(formatHelp(proxyStatusSpec));
    return 0;
  }
  const output = values.output as string;
  if (output !== 'table' && output !== 'json') throw new PluginApiErrors.API_ERR_INVALID_OPTION(`--output ${output}: use table or json`);
  if (positionals.length > 0) throw new PluginApiErrors.API_ERR_INVALID_OPTION(`${proxyStatusSpec.usage}: no arguments expected`);
  const { items } = await fetchJson<{ items: ProxyStatus[] }>(values.server as string, '/v1/proxies');
  if (output === 'json') io.stdout.write(JSON.stringify(items, null, 2) + '\n');
  else if (items.length === 0) io.stdout.write('No sidecars have polled discover-service yet.\n');
  else io.stdout.write(formatProxyStatus(items, io.now()));
  return 0;
}
