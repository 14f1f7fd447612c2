import { ChildGroup } from '../lib/children.js';
import { CONNECTIONS, FIXED_RATE, UPLOAD_MIB } from './proxy-constants.js';
import { FakeDiscoverServer } from '../lib/fake-discover.js';
import { bestOf, type PartResult, type PartSettings } from '../lib/part.js';
import { ProcessSampler } from '../lib/process-sampler.js';
import { runWrk, type WrkResult } from '../lib/wrk.js';
import { runOpenLoop } from './open-loop.js';
import { proxyRows, proxyTable, type FixedRatePath, type FixedRateRun, type ProxyFigures } from './proxy-report.js';
import { startProxyEnvironment, type PathName, type ProxyEnvironment } from './proxy-environment.js';
import { runPingPong, type PingPongResult } from './tcp-ping-pong.js';
import { uploadOnce, type UploadResult } from './upload.js';

const PATHS: readonly PathName[] = ['direct', 'haproxy', 'mesh-proxy'];
/** Uploads per path and round. */
const UPLOADS = 2;
const WARMUP_SECONDS = 2;

/**
 * `npm run bench -- proxy`: direct, HAProxy (one thread) and mesh-proxy side by side, same upstream,
 * same load generators, anchors and meshplug interleaved in every round.
 */
export async function runProxyBench(settings: PartSettings): Promise<PartResult> {
  const children = new ChildGroup();
  const discover = new FakeDiscoverServer();
  try {
    const env = await startProxyEnvironment(children, discover);
    const figures: ProxyFigures = {
      keepAlive: await keepAlive(env, settings),
      fixedRate: await fixedRate(env, settings),
      tcp: await tcp(env, settings),
      upload: await upload(env, settings),
    };
    return { part: 'proxy', rows: proxyRows(figures), details: figures, table: proxyTable(figures) };
  } finally {
    await children.stopAll();
    await discover.close();
  }
}

async function keepAlive(env: ProxyEnvironment, settings: PartSettings): Promise<Record<PathName, WrkResult>> {
  for (const path of PATHS) {
    settings.log(`proxy: warming ${path} (${WARMUP_SECONDS} s)`);
    await runWrk({ url: env.http[path], connections: CONNECTIONS, threads: 1, durationSeconds: WARMUP_SECONDS });
  }
  const runs: Record<PathName, WrkResult[]> = { direct: [], haproxy: [], 'mesh-proxy': [] };
  for (let round = 0; round < settings.rounds; round++) {
    for (const path of PATHS) {
      settings.log(`proxy: HTTP keep-alive, ${CONNECTIONS} connections, ${path}, round ${round + 1}/${settings.rounds}`);
      runs[path].push(await runWrk({ url: env.http[path], connections: CONNECTIONS, threads: 1, durationSeconds: settings.seconds }));
    }
  }
  return mapPaths((path) => bestOf(runs[path], (r) => r.requestsPerSecond));
}


async function fixedRate(env: ProxyEnvironment, settings: PartSettings): Promise<Record<FixedRatePath, FixedRateRun>> {
  const targets: Record<FixedRatePath, { url: string; watch: Record<string, number> }> = {
    direct: { url: env.http.direct, watch: {} },
    haproxy: { url: env.http.haproxy, watch: { haproxy: env.pids.haproxy } },
    'mesh-proxy': { url: env.http['mesh-proxy'], watch: { 'mesh-proxy': env.pids.meshProxy } },
    'haproxy two hops': { url: env.twoHops.haproxy, watch: {} },
    'mesh-proxy two hops': {
      url: env.twoHops['mesh-proxy'],
      watch: { 'mesh-proxy outbound': env.pids.meshProxy, 'mesh-proxy inbound': env.pids.meshProxyInbound },
    },
  };
  // The first fixed-rate run after the max-rate phases would otherwise pay for them (the generator's own warm-up).
  for (const [path, target] of Object.entries(targets)) {
    settings.log(`proxy: warming ${path} at ${FIXED_RATE} req/s (${WARMUP_SECONDS} s)`);
    await runOpenLoop({ url: target.url, rate: FIXED_RATE, durationSeconds: WARMUP_SECONDS });
  }
  const runs = {} as Record<FixedRatePath, FixedRateRun[]>;
  for (let round = 0; round < settings.rounds; round++) {
    for (const [path, target] of Object.entries(targets) as [FixedRatePath, (typeof targets)[FixedRatePath]][]) {
      settings.log(`proxy: HTTP at ${FIXED_RATE} req/s, ${path}, round ${round + 1}/${settings.rounds} (${settings.seconds} s)`);
      const samplers = Object.entries(target.watch).map(([name, pid]) => [name, new ProcessSampler(pid)] as const);
      for (const [, sampler] of samplers) sampler.start();
      const load = await runOpenLoop({ url: target.url, rate: FIXED_RATE, durationSeconds: settings.seconds });
      const usage = Object.fromEntries(samplers.map(([name, sampler]) => [name, sampler.stop()]));
      (runs[path] ??= []).push({ load, usage });
    }
  }
  // Of the rounds, the least disturbed one: other work on the machine only ever adds latency.
  return Object.fromEntries(
    Object.entries(runs).map(([path, list]) => [path, bestOf(list, (r) => -r.load.latencyMs.p99)]),
  ) as Record<FixedRatePath, FixedRateRun>;
}

async function tcp(env: ProxyEnvironment, settings: PartSettings): Promise<Record<PathName, PingPongResult>> {
  const runs: Record<PathName, PingPongResult[]> = { direct: [], haproxy: [], 'mesh-proxy': [] };
  for (let round = 0; round < settings.rounds; round++) {
    for (const path of PATHS) {
      settings.log(`proxy: TCP ping-pong, ${CONNECTIONS} connections, ${path}, round ${round + 1}/${settings.rounds}`);
      runs[path].push(await runPingPong({ ...env.tcp[path], connections: CONNECTIONS, durationSeconds: settings.seconds }));
    }
  }
  return mapPaths((path) => bestOf(runs[path], (r) => r.roundTripsPerSecond));
}

async function upload(env: ProxyEnvironment, settings: PartSettings): Promise<Record<PathName, UploadResult>> {
  const runs: Record<PathName, UploadResult[]> = { direct: [], haproxy: [], 'mesh-proxy': [] };
  for (const path of PATHS) await uploadOnce(env.http[path], 8);
  for (let round = 0; round < settings.rounds * UPLOADS; round++) {
    for (const path of PATHS) {
      settings.log(`proxy: ${UPLOAD_MIB} MiB upload, ${path}, ${round + 1}/${settings.rounds * UPLOADS}`);
      runs[path].push(await uploadOnce(env.http[path], UPLOAD_MIB));
    }
  }
  return mapPaths((path) => bestOf(runs[path], (r) => r.mibPerSecond));
}

function mapPaths<T>(fn: (path: PathName) => T): Record<PathName, T> {
  return { direct: fn('direct'), haproxy: fn('haproxy'), 'mesh-proxy': fn('mesh-proxy') };
}
