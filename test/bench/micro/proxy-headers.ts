/**
 * Micro-benchmark of mesh-proxy's per-request header work: the upstream
 * request list built from node's rawHeaders, and the downstream response list
 * built from undici's raw header buffers. Not a test; prints ops/s.
 *
 *   node --import tsx test/bench/micro/proxy-headers.ts [--ms 1000]
 */
import { parseArgs } from 'node:util';
import { downstreamRawResponseHeaders, upstreamRequestHeaders } from '../../../mesh-proxy/src/http/forwarded-headers.js';
import { opsPerSecond } from '../lib/ops-per-second.js';

const { values } = parseArgs({ options: { ms: { type: 'string', default: '1000' } } });
const budgetMs = Math.min(Math.max(Number(values.ms) || 1000, 50), 10_000);
const LIMITS = { budgetMs, maxOps: 20_000_000, batch: 1_024 };

const requestRaw = ['Host', '127.77.0.1:8080', 'User-Agent', 'wrk', 'Accept', '*/*', 'Connection', 'keep-alive'];
const requestParsed = { host: '127.77.0.1:8080', 'user-agent': 'wrk', accept: '*/*', connection: 'keep-alive' };
const from = { remoteAddress: '::ffff:127.0.0.1', proto: 'http' as const };
const responseRaw = ['Content-Type', 'text/plain', 'Content-Length', '13', 'Date', 'Sun, 22 Nov 2026 00:00:00 GMT', 'Connection', 'keep-alive', 'Keep-Alive', 'timeout=30'].map((s) =>
  Buffer.from(s, 'latin1'),
);


console.table([
  opsPerSecond('upstreamRequestHeaders (4 fields, Connection: keep-alive)', () => upstreamRequestHeaders(requestRaw, requestParsed, from)?.length, LIMITS),
  opsPerSecond('downstreamRawResponseHeaders (5 fields)', () => downstreamRawResponseHeaders(responseRaw).length, LIMITS),
]);
