import { existsSync } from 'node:fs';
import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Test } from 'tap';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ChildGroup } from '../../discover-service/src/demo/process/child-group.js';
import { meshplugCommand, REPO_ROOT } from '../../discover-service/src/demo/process/meshplug-command.js';

/*
 * The ops dashboard in a real browser (Debian chromium driven by playwright-core) against
 * `meshplug serve --source file:<copy of the shop example>`: the graph shows the example's
 * components, traffic a sidecar reports shows up in the selected dependency's endpoint table, an
 * endpoint change in the file shows up without a reload, an invalid ConfigMap shows up in the errors list. Screenshots land in test/dashboard/artifacts/;
 * MESHPLUG_UPDATE_SCREENSHOT=1 also refreshes docs/dashboard.png for the README.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(REPO_ROOT, 'test', 'dashboard', 'artifacts');
const SHOP = join(REPO_ROOT, 'manifests', 'examples', 'shop.yaml');
/** Bound on each wait for the page to show something (file re-read, long poll, render). */
const UI_TIMEOUT_MS = 20_000;

const INVALID_COMPONENT = `
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: component-tomcat
  namespace: shop
  labels: { mesh.io/component: tomcat }
data:
  component.yaml: |
    dependencies: [redis.cache]
    plugins:
      - { name: net-governance, version: 1.0, enabled: true }
`;

async function startServe(t: Test, file: string): Promise<string> {
  const children = new ChildGroup();
  t.teardown(() => children.stopAll(10_000));
  let resolveUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const child = children.start(
    meshplugCommand('serve', 'serve', ['--source', `file:${file}`, '--listen', '127.0.0.1:0', '--log-level', 'info'], {
      onLine: (line) => {
        const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(line);
        if (match?.[1] !== undefined) resolveUrl(match[1]);
      },
    }),
  );
  const started = await Promise.race([
    url,
    child.exited.then((exit) => Promise.reject(new Error(`meshplug serve exited (${JSON.stringify(exit)})`))),
    new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('meshplug serve did not start in 30 s')), 30_000).unref()),
  ]);
  // It listens before the file is read: wait for readiness, or the first sidecar poll gets a 503.
  const deadline = Date.now() + 30_000;
  while ((await fetch(`${started}/readyz`)).status !== 200) {
    if (Date.now() > deadline) throw new Error('meshplug serve did not become ready in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return started;
}

async function launch(t: Test): Promise<{ context: BrowserContext; page: Page; outside: string[] }> {
  const profile = await mkdtemp(join(tmpdir(), 'meshplug-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1400, height: 960 },
  });
  t.teardown(async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });
  // Nothing may leave the machine: every request to anything but loopback is refused and recorded.
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, outside };
}

async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A sidecar's poll of /v1/mesh, as mesh-proxy sends it; `wait` holds it open (connected). */
function sidecarPoll(url: string, id: string, applied: string, signal: AbortSignal, wait = false): Promise<Response> {
  const headers: Record<string, string> = { 'x-meshplug-proxy-id': id, 'x-meshplug-proxy-kind': 'mesh-proxy', 'x-meshplug-applied-version': `"${applied}"` };
  if (wait) headers['if-none-match'] = `"${applied}"`;
  return fetch(`${url}/v1/mesh/shop/web${wait ? '?wait=60' : ''}`, { headers, signal });
}

/** A mesh-proxy's traffic report (POST /v1/proxies/report) for shop/web -> shop/tomcat:8080. */
async function reportTraffic(url: string, id: string): Promise<number> {
  const endpoint = (address: string, requests: number, errors: number, ejected: boolean) =>
    ({ address, port: 8080, requests, errors, active: 0, ejected, ejections: ejected ? 1 : 0 });
  const boundsMs = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
  const latencyCounts = boundsMs.map(() => 0).concat(0);
  latencyCounts[2] = 90;
  latencyCounts[6] = 10;
  const report = {
    namespace: 'shop',
    service: 'web',
    intervalSeconds: 10,
    latencyBoundsMs: boundsMs,
    clusters: [
      {
        dependency: 'shop/tomcat',
        port: 8080,
        requests: 363,
        errors: 5,
        latencyCounts,
        latencySumMs: 450,
        endpoints: [endpoint('127.0.1.11', 121, 0, false), endpoint('127.0.1.12', 118, 5, true), endpoint('127.0.1.13', 124, 0, false)],
      },
    ],
  };
  const res = await fetch(`${url}/v1/proxies/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-meshplug-proxy-id': id, 'x-meshplug-proxy-kind': 'mesh-proxy' },
    body: JSON.stringify(report),
  });
  return res.status;
}

t.test('the dashboard in chromium, live against meshplug serve', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: apt-get install -y chromium` }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'meshplug-dashboard-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'shop.yaml');
  await copyFile(SHOP, file);
  const url = await startServe(t, file);

  // Two sidecars of shop/web: web-0 applied the served version and holds its poll open,
  // web-1 reports a version it no longer gets (stale).
  const sidecars = new AbortController();
  t.teardown(() => sidecars.abort());
  const served = (await (await sidecarPoll(url, 'web-0', 'none', sidecars.signal)).json()) as { version: string };
  void sidecarPoll(url, 'web-0', served.version, sidecars.signal, true).catch(() => undefined);
  await (await sidecarPoll(url, 'web-1', 'an-old-version', sidecars.signal)).arrayBuffer();

  const { page, outside } = await launch(t);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${url}/`);

  // The graph: the example's Services, its two dependencies, web's plugin.
  for (const id of ['shop/web', 'shop/tomcat', 'cache/redis']) await page.locator(`[data-node="${id}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
  t.ok(await page.locator('[data-edge="shop/web->shop/tomcat"]').isVisible(), 'edge web -> tomcat');
  t.match(await page.locator('[data-edge="shop/web->shop/tomcat"]').textContent(), /8080\/http/);
  t.match(await page.locator('[data-edge="shop/web->cache/redis"]').textContent(), /6379\/tcp/);
  t.match(await page.locator('[data-node="shop/web"]').textContent(), /net-governance 1\.0\.0/, "web's plugin on its node");
  t.match(await page.locator('[data-node="shop/tomcat"]').textContent(), /3\/3 ready/);

  // The sidecars: served vs applied, the stale one flagged.
  await page.locator('tr.stale[data-proxy="web-1"]').waitFor({ timeout: UI_TIMEOUT_MS });
  t.match(await page.locator('tr[data-proxy="web-1"]').textContent(), /STALE/);
  t.match(await page.locator('tr[data-proxy="web-0"]').textContent(), /in sync/);

  // A selected dependency: VIP, policy, options, endpoints with conditions.
  await page.locator('[data-edge="shop/web->shop/tomcat"] .edge-hit').click({ force: true });
  const detail = page.locator('#detail');
  await detail.locator('code.policy').waitFor({ timeout: UI_TIMEOUT_MS });
  t.equal(await detail.locator('code.policy').textContent(), 'least_request');
  t.match(await detail.locator('code.vip').textContent(), /^127\.\d+\.\d+\.\d+:8080$/);
  t.match(await detail.locator('table.options').textContent(), /LBPolicy.*least_request.*Weight.*50/);
  t.equal(await detail.locator('table.endpoints tbody tr').count(), 3);
  const row13 = detail.locator('table.endpoints tbody tr', { hasText: '127.0.1.13:8080' });
  t.equal(await row13.locator('.condition.on').count(), 2, 'ready and serving');
  t.equal(await row13.locator('.cond-terminating.off').count(), 1, 'not terminating');
  t.match(page.url(), /#edge=shop%2Fweb&to=shop%2Ftomcat$/, 'the selection is in the URL');
  t.equal(await row13.locator('.no-data').count(), 3, 'no traffic reported yet: dashes');

  // A sidecar reports its traffic: the numbers appear in the endpoint table without a reload.
  await page.evaluate(() => Object.assign(globalThis, { meshplugNoReload: true }));
  t.equal(await reportTraffic(url, 'web-0'), 204);
  await row13.locator('.traffic-requests', { hasText: '124' }).waitFor({ timeout: UI_TIMEOUT_MS });
  const row12 = detail.locator('table.endpoints tbody tr', { hasText: '127.0.1.12:8080' });
  t.equal(await row12.locator('.traffic-requests').textContent(), '118');
  t.equal(await row12.locator('.traffic-errors').textContent(), '5 (4%)');
  t.match(await row12.locator('.traffic-ejected').textContent(), /^yes/);
  t.match(await row13.locator('.traffic-ejected').textContent(), /^no/);
  const total = detail.locator('table.endpoints tr.traffic-total');
  t.match(await total.textContent(), /All endpoints \(1 sidecar\): 363 requests, 5 \(1%\) errors/);
  t.equal(await total.locator('.traffic-requests').textContent(), '363');
  t.equal(await total.locator('.traffic-latency').textContent(), 'p50 1.8 ms · p99 47.5 ms', '90 in 1-2.5 ms, 10 in 25-50 ms');
  t.not(await page.locator('tr[data-proxy="web-0"] td:last-child').textContent(), '—', 'the report time is on the sidecar row');
  t.equal(await page.evaluate(() => (globalThis as { meshplugNoReload?: boolean }).meshplugNoReload), true, 'no reload');
  await screenshot(page, '01-graph-and-dependency.png');

  // An endpoint change in the file appears without a reload.
  const shop = await readFile(file, 'utf8');
  const changed = shop.replace(
    /(- addresses: \[127\.0\.1\.13\]\n\s+conditions: \{ )ready: true, serving: true, terminating: false/,
    '$1ready: false, serving: true, terminating: true',
  ).replace('targetRef: { kind: Pod, name: tomcat-2, namespace: shop }', 'targetRef: { kind: Pod, name: tomcat-2, namespace: shop }\n  - addresses: [127.0.1.14]\n    conditions: { ready: true, serving: true, terminating: false }\n    targetRef: { kind: Pod, name: tomcat-3, namespace: shop }');
  t.not(changed, shop, 'the edit applies to the example');
  await writeFile(file, changed);
  await detail.locator('table.endpoints tbody tr', { hasText: '127.0.1.14:8080' }).waitFor({ timeout: UI_TIMEOUT_MS });
  t.equal(await detail.locator('table.endpoints tbody tr', { hasText: '127.0.1.14:8080' }).locator('.no-data').count(), 3, 'the new endpoint has no numbers yet');
  t.equal(await row13.locator('.traffic-requests').textContent(), '124', 'the others keep theirs');
  t.match(await row13.locator('.badge').textContent(), 'terminating', 'the draining endpoint says so');
  t.equal(await row13.locator('.cond-ready.off').count(), 1);
  t.equal(await row13.locator('.cond-terminating.on').count(), 1);
  await page.locator('[data-node="shop/tomcat"]', { hasText: '3/4 ready' }).waitFor({ timeout: UI_TIMEOUT_MS });
  t.equal(await page.evaluate(() => (globalThis as { meshplugNoReload?: boolean }).meshplugNoReload), true, 'no reload');
  // The served version moved on: web-0 applied the old one until its sidecar catches up.
  await page.locator('tr.stale[data-proxy="web-0"]').waitFor({ timeout: UI_TIMEOUT_MS });
  // ... and is in sync again once it applied the new one and polls with it.
  const next = (await (await sidecarPoll(url, 'web-0', served.version, sidecars.signal)).json()) as { version: string };
  t.not(next.version, served.version);
  void sidecarPoll(url, 'web-0', next.version, sidecars.signal, true).catch(() => undefined);
  await page.locator('tr:not(.stale)[data-proxy="web-0"]:not(.disconnected)').waitFor({ timeout: UI_TIMEOUT_MS });
  await screenshot(page, '02-endpoint-change.png');

  // An invalid ConfigMap appears in the errors list; the rest keeps its last good state.
  await appendFile(file, INVALID_COMPONENT);
  const error = page.locator('li.error[data-error-object="ConfigMap shop/component-tomcat"]').first();
  await error.waitFor({ timeout: UI_TIMEOUT_MS });
  t.match(await page.locator('#errors').textContent(), /plugins\[0\]\.version/);
  t.match(await error.textContent(), /kubectl -n shop get configmap component-tomcat/);
  t.ok(await page.locator('[data-edge="shop/web->shop/tomcat"]').isVisible(), 'the graph is still there');
  t.equal(await page.evaluate(() => (globalThis as { meshplugNoReload?: boolean }).meshplugNoReload), true, 'still no reload');
  const last = await screenshot(page, '03-config-error.png');
  if (process.env['MESHPLUG_UPDATE_SCREENSHOT'] === '1') {
    await mkdir(join(REPO_ROOT, 'docs'), { recursive: true });
    await copyFile(last, join(REPO_ROOT, 'docs', 'dashboard.png'));
  }

  t.equal(await page.locator('#status').getAttribute('data-state'), 'live');
  t.same(outside, [], 'no request left loopback');
  t.same(pageErrors, [], 'no script errors');
});
