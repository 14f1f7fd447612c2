import { PluginApiErrors } from '../errors/catalogue.js';
import type { MeshplugError } from '../errors/mesh-error.js';

/** What an API_ERR_DISCOVER_HTTP error carries besides its message. */
export interface DiscoverHttpErrorInfo {
  /** HTTP status discover-service answered with. */
  readonly status: number;
  /** The server's error code (`DISC_ERR_...`), when its body was the JSON error shape. */
  readonly serverCode?: string;
  /** The server's error message. */
  readonly serverMessage?: string;
  /** The server's `reason`, e.g. why a component is unknown. */
  readonly reason?: string;
}

export type DiscoverHttpError = MeshplugError & DiscoverHttpErrorInfo;

/** True for an API_ERR_DISCOVER_HTTP error from DiscoverClient, narrowing to its status and server code. */
export function isDiscoverHttpError(err: unknown): err is DiscoverHttpError {
  return err instanceof PluginApiErrors.API_ERR_DISCOVER_HTTP && typeof (err as Partial<DiscoverHttpErrorInfo>).status === 'number';
}

function stringField(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

/** Builds the error for a non-2xx/304 answer from its status and raw body (the server's JSON error when it is one). */
export function discoverHttpError(url: string, status: number, bodyText: string): DiscoverHttpError {
  let info: DiscoverHttpErrorInfo = { status };
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const obj = parsed as Record<string, unknown>;
      const serverCode = stringField(obj, 'code');
      const serverMessage = stringField(obj, 'message');
      const reason = stringField(obj, 'reason');
      info = {
        status,
        ...(serverCode === undefined ? {} : { serverCode }),
        ...(serverMessage === undefined ? {} : { serverMessage }),
        ...(reason === undefined ? {} : { reason }),
      };
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone describes it.
  }
  const parts = [`GET ${url}: HTTP ${status}`];
  if (info.serverCode !== undefined) parts.push(info.serverCode);
  if (info.serverMessage !== undefined) parts.push(info.serverMessage);
  const detail = parts.join(' ') + (info.reason === undefined ? '' : ` (${info.reason})`);
  return Object.assign(new PluginApiErrors.API_ERR_DISCOVER_HTTP(detail), info);
}

/** An answer that is 200 but unusable (bad JSON, missing ETag, wrong shape). */
export function badResponseError(url: string, problem: string, cause?: unknown): DiscoverHttpError {
  const err = new PluginApiErrors.API_ERR_DISCOVER_HTTP(`GET ${url}: ${problem}`, cause === undefined ? undefined : { cause });
  return Object.assign(err, { status: 200 });
}
