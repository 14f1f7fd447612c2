// The benchmark harness's pure parts (output parsers, targets, table): a wrong parser would print
// plausible but false figures, so they are tested; the benchmarks themselves are not run here.
import t from 'tap';
import { isMet, ratioOf, type BenchRow } from './lib/bench-row.js';
import { percentile, summarize } from './lib/stats.js';
import { markdownTable, resultsTable } from './lib/table.js';
import { parseWrkOutput } from './lib/wrk.js';
import { parseDnsperf } from './dns/dnsperf.js';

t.test('parseWrkOutput reads the done-script line', async (t) => {
  const out = 'Running 8s test @ http://127.0.0.1:1/\n  1 threads and 32 connections\n' +
    'WRK_JSON {"requests":80000,"durationUs":8000000,"errors":3,"mean":1500.5,"p50":1200,"p90":2500,"p99":4000,"max":9000}\n';
  const r = parseWrkOutput(out);
  t.equal(r.requests, 80000);
  t.equal(r.requestsPerSecond, 10000);
  t.equal(r.errors, 3);
  t.same(r.latencyMs, { mean: 1.5005, p50: 1.2, p90: 2.5, p99: 4, max: 9 });
  t.throws(() => parseWrkOutput('no result'), /no result line/);
});

t.test('parseDnsperf reads statistics and per-query latencies', async (t) => {
  const out = [
    '> NOERROR dep-0 A 0.000100',
    '> NOERROR dep-1 A 0.000300',
    '> SERVFAIL dep-2 A 0.002000',
    'Statistics:',
    '  Queries sent:         3',
    '  Queries completed:    3 (100.00%)',
    '  Queries lost:         0 (0.00%)',
    '  Response codes:       NOERROR 2 (66.67%), SERVFAIL 1 (33.33%)',
    '  Queries per second:   69581.291666',
    '  Average Latency (s):  0.001220 (min 0.000016, max 0.027623)',
  ].join('\n');
  const r = parseDnsperf(out, true);
  t.equal(r.sent, 3);
  t.equal(r.lost, 0);
  t.equal(r.failures, 1);
  t.equal(r.queriesPerSecond, 69581.291666);
  t.equal(r.averageLatencyMs, 1.22);
  t.equal(r.latencyMs?.count, 3);
  t.equal(r.latencyMs?.p50, 0.3);
  t.equal(r.latencyMs?.p99, 2);
  t.equal(parseDnsperf(out, false).latencyMs, undefined);
  t.throws(() => parseDnsperf('nothing', false), /Queries sent/);
});

t.test('percentiles are nearest-rank', async (t) => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i);
  t.equal(percentile([...values].sort((a, b) => a - b), 99), 99);
  const s = summarize(values);
  t.equal(s.p50, 50);
  t.equal(s.max, 100);
  t.equal(s.count, 100);
  t.ok(Number.isNaN(summarize([]).p99));
});

t.test('targets: ratios and absolute budgets', async (t) => {
  const base: BenchRow = { part: 'proxy', what: 'x', unit: 'req/s', anchorValue: 100, value: 75, goal: { kind: 'ratio-at-least', value: 0.7 }, target: '' };
  t.equal(ratioOf(base), 0.75);
  t.equal(isMet(base), true);
  t.equal(isMet({ ...base, value: 60 }), false);
  t.equal(isMet({ ...base, goal: { kind: 'ratio-at-most', value: 2 }, value: 250 }), false);
  t.equal(isMet({ ...base, goal: { kind: 'value-at-most', value: 60 }, value: 61 }), false);
  t.equal(isMet({ ...base, goal: { kind: 'none' } }), undefined);
  t.equal(ratioOf({ ...base, anchorValue: -3 }), undefined, 'no ratio against a negative added latency');
  t.equal(isMet({ ...base, value: Number.NaN }), undefined);
});

t.test('tables are markdown with escaped cells', async (t) => {
  t.equal(markdownTable(['a', 'b'], [['1', 'x|y']]), '| a | b |\n| --- | --- |\n| 1 | x\\|y |');
  const table = resultsTable([
    { part: 'dns', what: 'mesh', unit: 'q/s', anchor: 'dnsmasq', anchorValue: 50_000, value: 40_000, goal: { kind: 'ratio-at-least', value: 1 }, target: '>= 1.0x' },
  ]);
  t.match(table, /\| dns \| mesh \| dnsmasq \| 50,000 q\/s \| 40,000 q\/s \| 0\.80x \| >= 1\.0x \| NO \|/);
});
