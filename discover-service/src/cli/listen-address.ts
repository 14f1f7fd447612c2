import { PluginApiErrors } from '@meshplug/plugin-api';

/**
 * `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces) -> host and port.
 * Port 0 picks a free one (tests, demos).
 */
export function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (match === null || port > 65535) {
    throw new PluginApiErrors.API_ERR_INVALID_OPTION(`--listen '${value}': use HOST:PORT, [IPv6]:PORT or :PORT`);
  }
  const host = match[1] ?? (match[2] === '' || match[2] === undefined ? '0.0.0.0' : match[2]);
  return { host, port };
}
