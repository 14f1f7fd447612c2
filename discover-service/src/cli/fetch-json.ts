import type { FlagSpec } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';

/** `--server`, shared by the commands that read the ops API. */
export const SERVER_FLAG: FlagSpec = {
  type: 'string',
  description: 'discover-service base URL',
  default: 'http://127.0.0.1:6100',
};

/** How long a CLI call waits for discover-service. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * GETs `path` from discover-service and parses the JSON answer. Unreachable
 * servers and error answers become catalogue errors whose message says what
 * to check, so the CLI can print it as is.
 */
export async function fetchJson<T>(server: string, path: string): Promise<T> {
  let url: URL;
  try {
    url = new URL(path, server.endsWith('/') ? server : `${server}/`);
  } catch {
    throw new DiscoverErrors.DISC_ERR_SERVER_UNREACHABLE(`'${server}' is not a URL (use --server http://HOST:PORT)`);
  }
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), headers: { accept: 'application/json' } });
  } catch (err) {
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new DiscoverErrors.DISC_ERR_SERVER_UNREACHABLE(`${url.origin} (${why}); is 'meshplug serve' running there? Set --server or MESHPLUG_SERVER`, { cause: err });
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DiscoverErrors.DISC_ERR_SERVER_ANSWER(`${url.href}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const { code, message } = body as { code?: string; message?: string };
    throw new DiscoverErrors.DISC_ERR_SERVER_ANSWER(`${url.href}: HTTP ${res.status} ${code ?? ''} ${message ?? ''}`.trimEnd());
  }
  return body as T;
}
