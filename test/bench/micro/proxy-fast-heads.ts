/**
 * Micro-benchmark of the HTTP/1.1 fast path's per-request work: parsing and
 * rewriting a request head, parsing a response head, and finding the end of a
 * chunked body. Compare with proxy-headers.ts (the node:http path's header
 * lists, which also pay node's parser and undici's). Not a test; prints ops/s.
 *
 *   node --import tsx test/bench/micro/proxy-fast-heads.ts [--ms 1000]
 */
import { parseArgs } from 'node:util';
import { ChunkedScanner } from '../../../mesh-proxy/src/http1/chunked-scanner.js';
import { parseRequestHead } from '../../../mesh-proxy/src/http1/request-head.js';
import { parseResponseHead } from '../../../mesh-proxy/src/http1/response-head.js';
import { opsPerSecond } from '../lib/ops-per-second.js';

const { values } = parseArgs({ options: { ms: { type: 'string', default: '1000' } } });
const budgetMs = Math.min(Math.max(Number(values.ms) || 1000, 50), 10_000);
const LIMITS = { budgetMs, maxOps: 20_000_000, batch: 1_024 };

const request = Buffer.from('GET / HTTP/1.1\r\nHost: 127.77.0.1:8080\r\nUser-Agent: wrk\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n', 'latin1');
const response = Buffer.from(
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nDate: Sun, 22 Nov 2026 00:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=30\r\n\r\nhello, world\n',
  'latin1',
);
const chunked = Buffer.from(`${'400\r\n'}${'x'.repeat(1024)}\r\n${'400\r\n'}${'y'.repeat(1024)}\r\n0\r\n\r\n`, 'latin1');


const length = (r: unknown): number => (r !== null && typeof r === 'object' && 'headLength' in r ? (r.headLength as number) : 0);

console.table([
  opsPerSecond('parseRequestHead (4 fields, Connection: keep-alive)', () => length(parseRequestHead(request, '127.0.0.1')), LIMITS),
  opsPerSecond('parseResponseHead (5 fields, keep-alive)', () => length(parseResponseHead(response, false)), LIMITS),
  opsPerSecond('ChunkedScanner.feed (2 x 1 KiB chunks)', () => new ChunkedScanner().feed(chunked, 0), LIMITS),
]);
