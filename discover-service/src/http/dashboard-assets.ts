import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file of the dashboard, held in memory: it is small and never changes while we run. */
export interface DashboardAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** Content hash, for ETag / If-None-Match. */
  readonly version: string;
}

/** The dashboard as served: `index` at `/`, the rest at `/dashboard/<name>`. */
export interface DashboardAssets {
  readonly index: DashboardAsset | undefined;
  readonly files: ReadonlyMap<string, DashboardAsset>;
  /** The entry module the page loads; without it the dashboard is not built. */
  readonly built: boolean;
}

/** `discover-service/dashboard/`: `static/` (hand-written HTML and CSS) and `dist/` (compiled TypeScript). */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));

/** The module index.html loads. */
export const DASHBOARD_ENTRY = 'main.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

async function readFlat(dir: string): Promise<Map<string, DashboardAsset>> {
  const assets = new Map<string, DashboardAsset>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return assets;
    throw err;
  }
  for (const name of names.sort()) {
    const contentType = CONTENT_TYPES[extname(name)];
    // Only what a browser loads: declaration files and build info stay out.
    if (contentType === undefined || name.endsWith('.d.ts.map')) continue;
    const body = await readFile(join(dir, name));
    assets.set(name, { body, contentType, version: createHash('sha256').update(body).digest('base64url').slice(0, 16) });
  }
  return assets;
}

/** Reads `static/` and `dist/` of `dir` (both flat); a missing folder just contributes nothing. */
export async function loadDashboardAssets(dir: string = DEFAULT_DASHBOARD_DIR): Promise<DashboardAssets> {
  const files = await readFlat(join(dir, 'static'));
  for (const [name, asset] of await readFlat(join(dir, 'dist'))) files.set(name, asset);
  const index = files.get('index.html');
  files.delete('index.html');
  return { index, files, built: index !== undefined && files.has(DASHBOARD_ENTRY) };
}
