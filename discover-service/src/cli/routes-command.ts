import { parseCommandLine, formatHelp, PluginApiErrors, type CommandSpec } from '@meshplug/plugin-api';
import type { RouteEndpoint, RouteRow } from '../state/mesh-view.js';
import type { CliIo } from './cli-io.js';
import { fetchJson, SERVER_FLAG } from './fetch-json.js';
import { formatTable } from './table.js';

export const routesSpec: CommandSpec = {
  usage: 'meshplug routes [--server URL] [NAMESPACE[/SERVICE]]',
  description:
    'Print the routes table: each component, its dependency ports with VIP and load-balancing policy, ' +
    'and the endpoints a sidecar would use (state per endpoint), with any problem.',
  flags: {
    server: SERVER_FLAG,
    output: { type: 'string', short: 'o', description: 'table or json', default: 'table' },
  },
};

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function endpointLine(e: RouteEndpoint): string {
  return `${e.address}:${e.port} ${e.state}${e.used ? '' : ' (unused)'}`;
}

/** The table `meshplug routes` prints. */
export function formatRoutes(rows: readonly RouteRow[]): string {
  return formatTable(
    ['COMPONENT', 'DEPENDENCY', 'PORT', 'PROTO', 'VIP', 'POLICY', 'ENDPOINTS', 'PROBLEM'],
    rows.map((r) => [
      r.component,
      r.dependency,
      r.port > 0 ? String(r.port) : '-',
      r.protocol,
      r.vip || '-',
      r.policy,
      r.endpoints.length > 0 ? r.endpoints.map(endpointLine) : '(none)',
      r.problem ?? '',
    ]),
  );
}

export async function routesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals, help } = parseCommandLine(routesSpec, argv, io.env);
  if (help) {
    io.stdout.write(formatHelp(routesSpec));
    return 0;
  }
  const output = values.output as string;
  if (output !== 'table' && output !== 'json') throw new PluginApiErrors.API_ERR_INVALID_OPTION(`--output ${output}: use table or json`);
  if (positionals.length > 1) throw new PluginApiErrors.API_ERR_INVALID_OPTION(`${routesSpec.usage}: one NAMESPACE[/SERVICE] at most`);
  const query = new URLSearchParams();
  const target = positionals[0];
  if (target !== undefined) {
    const [namespace, service, extra] = target.split('/');
    if (extra !== undefined || !NAME.test(namespace ?? '') || (service !== undefined && !NAME.test(service))) {
      throw new PluginApiErrors.API_ERR_INVALID_OPTION(`'${target}' is not NAMESPACE or NAMESPACE/SERVICE`);
    }
    query.set('namespace', namespace as string);
    if (service !== undefined) query.set('service', service);
  }
  const path = `/v1/routes${query.size > 0 ? `?${query}` : ''}`;
  const { items } = await fetchJson<{ items: RouteRow[] }>(values.server as string, path);
  if (output === 'json') io.stdout.write(JSON.stringify(items, null, 2) + '\n');
  else if (items.length === 0) io.stdout.write(target === undefined ? 'No routes.\n' : `No routes for ${target}.\n`);
  else io.stdout.write(formatRoutes(items));
  return 0;
}
