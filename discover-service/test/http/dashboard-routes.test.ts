import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import type { Test } from 'tap';
import { dashboardRoutes } from '../../src/http/routes/dashboard-routes.js';
import { DEFAULT_DASHBOARD_DIR, loadDashboardAssets } from '../../src/http/dashboard-assets.js';

/** A dashboard folder like `discover-service/dashboard/`, with `files` relative to it. */
function dashboardDir(t: Test, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshplug-dashboard-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const BUILT = {
  'static/index.html': '<!doctype html><script type="module" src="/dashboard/main.js"></script>',
  'static/dashboard.css': 'body { margin: 0 }',
  'dist/main.js': 'export {};',
  'dist/main.js.map': '{}',
  'dist/main.d.ts': 'export {};',
  'dist/main.d.ts.map': '{}',
  'dist/tsconfig.tsbuildinfo': '{}',
};

async function app(t: Test, dir: string) {
  const server = Fastify();
  await server.register(dashboardRoutes(dir));
  t.teardown(() => server.close());
  return server;
}

t.test('GET / is the page, /dashboard/<file> its scripts and styles, locked to this origin', async (t) => {
  const server = await app(t, dashboardDir(t, BUILT));
  const page = await server.inject('/');
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /^text\/html/);
  t.match(page.headers['content-security-policy'], /default-src 'self'/);
  t.match(page.headers['content-security-policy'], /connect-src 'self'/);
  t.equal(page.headers['cache-control'], 'no-cache');
  t.equal(page.body, BUILT['static/index.html']);
  const script = await server.inject('/dashboard/main.js');
  t.equal(script.statusCode, 200);
  t.match(script.headers['content-type'], /^text\/javascript/);
  t.equal((await server.inject('/dashboard/dashboard.css')).headers['content-type'], 'text/css; charset=utf-8');
  const again = await server.inject({ url: '/dashboard/main.js', headers: { 'if-none-match': String(script.headers.etag) } });
  t.equal(again.statusCode, 304, 'revalidation without a body');
});

t.test('only browser files are served; nothing outside the folder', async (t) => {
  const server = await app(t, dashboardDir(t, BUILT));
  for (const path of ['/dashboard/main.d.ts', '/dashboard/main.d.ts.map', '/dashboard/tsconfig.tsbuildinfo', '/dashboard/index.html', '/dashboard/..%2Fstatic%2Findex.html', '/dashboard/nope.js']) {
    const res = await server.inject(path);
    t.equal(res.statusCode, 404, path);
    t.equal(res.json().code, 'DISC_ERR_NOT_FOUND', path);
  }
});

t.test('an unbuilt dashboard answers 503 with what to do', async (t) => {
  const server = await app(t, dashboardDir(t, { 'static/index.html': BUILT['static/index.html'] }));
  const res = await server.inject('/');
  t.equal(res.statusCode, 503);
  t.match(res.json(), { code: 'DISC_ERR_DASHBOARD_NOT_BUILT', reason: /npm run build/ });
  const missing = await loadDashboardAssets(join(tmpdir(), 'meshplug-no-such-dir'));
  t.equal(missing.built, false);
});

t.test('the default folder is discover-service/dashboard', async (t) => {
  t.match(DEFAULT_DASHBOARD_DIR, /discover-service\/dashboard\/$/);
});
