import { readFileSync } from 'node:fs';
import { PluginApiErrors } from '../errors/catalogue.js';
import type { DiscoverClientOptions } from './discover-client-options.js';

/** Rainbond's default discover-service port, used with `XDS_HOST_IP` when no URL is given. */
const DEFAULT_API_HOST_PORT = '6100';

/**
 * Splits a URL that names a document (`http://10.0.0.1:6100/v1/resources/shop/web/p`, Rainbond's
 * DISCOVER_URL) into the service's base URL and the document path. A URL without `/v1/` is a base URL.
 * Rainbond's value may lack a scheme; `http://` is assumed.
 */
export function splitDiscoverUrl(raw: string): { baseUrl: string; documentPath?: string } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (err) {
    throw new PluginApiErrors.API_ERR_INVALID_CLIENT_OPTIONS(`discover URL ${raw}: not a URL`, { cause: err });
  }
  const at = url.pathname.indexOf('/v1/');
  if (at < 0) return { baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
  return { baseUrl: `${url.origin}${url.pathname.slice(0, at)}`, documentPath: url.pathname.slice(at) };
}

/** A token source that re-reads the file on every call: kubelet rotates projected tokens in place. */
export function tokenFromFile(file: string): () => string | undefined {
  return () => {
    try {
      const token = readFileSync(file, 'utf8').trim();
      return token === '' ? undefined : token;
    } catch {
      // Not mounted (yet): send no header and let the server decide.
      return undefined;
    }
  };
}

/**
 * Client options from the environment of a plugin or sidecar container, first match wins:
 * `MESHPLUG_CONFIG_URL` (meshplug sidecars), `DISCOVER_URL` (every plugin container, Rainbond),
 * `http://$XDS_HOST_IP:${API_HOST_PORT:-6100}`. `MESHPLUG_TOKEN_FILE` names a bearer-token file.
 */
export function discoverOptionsFromEnv(env: NodeJS.ProcessEnv): DiscoverClientOptions {
  const configured = [env.MESHPLUG_CONFIG_URL, env.DISCOVER_URL].find((v) => v !== undefined && v.trim() !== '');
  let location: { baseUrl: string; documentPath?: string };
  if (configured !== undefined) location = splitDiscoverUrl(configured.trim());
  else if (env.XDS_HOST_IP !== undefined && env.XDS_HOST_IP !== '') {
    const host = env.XDS_HOST_IP.includes(':') ? `[${env.XDS_HOST_IP}]` : env.XDS_HOST_IP;
    location = { baseUrl: `http://${host}:${env.API_HOST_PORT || DEFAULT_API_HOST_PORT}` };
  } else {
    throw new PluginApiErrors.API_ERR_INVALID_CLIENT_OPTIONS(
      'no discover-service address: set MESHPLUG_CONFIG_URL, DISCOVER_URL or XDS_HOST_IP',
    );
  }
  const tokenFile = env.MESHPLUG_TOKEN_FILE;
  return {
    ...location,
    ...(tokenFile !== undefined && tokenFile !== '' ? { token: tokenFromFile(tokenFile) } : {}),
  };
}
