import type { Test } from 'tap';
import type { LbPolicy } from '@meshplug/plugin-api';
import { createBalancer, type BalancedEndpoint, type Balancer, type ExcludeFn } from '../../src/balancers/balancer.js';

/** mulberry32: a small seeded PRNG, so every run sees the same picks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A clock tests move by hand. */
export interface FakeClock {
  t: number;
  now: () => number;
}

export function fakeClock(start = 1_000): FakeClock {
  const clock: FakeClock = { t: start, now: () => clock.t };
  return clock;
}

export function endpoints(spec: Record<string, number>): BalancedEndpoint[] {
  return Object.entries(spec).map(([id, weight]) => ({ id, weight }));
}

export interface DriveOptions {
  /** Requests kept in flight: each ends `inFlight` picks after it started, as under steady load. */
  inFlight?: number;
  latencyMs?: (e: BalancedEndpoint) => number;
  exclude?: ExcludeFn;
  /** Clock advanced by 1 ms per pick, so EWMA decay sees time pass. */
  clock?: FakeClock;
}

/**
 * Runs `n` picks with a window of requests in flight (pick, onStart, and
 * onEnd of the request started `inFlight` picks earlier) and counts picks
 * per id (`undefined` under the key "none"). Ends every request before returning.
 */
export function drive(b: Balancer, n: number, opts: DriveOptions = {}): Record<string, number> {
  const inFlight = opts.inFlight ?? 100;
  const latency = opts.latencyMs ?? (() => 10);
  const counts: Record<string, number> = {};
  const window: BalancedEndpoint[] = [];
  for (let i = 0; i < n; i++) {
    const e = b.pick(opts.exclude);
    if (opts.clock) opts.clock.t += 1;
    if (!e) {
      counts.none = (counts.none ?? 0) + 1;
      continue;
    }
    counts[e.id] = (counts[e.id] ?? 0) + 1;
    b.onStart(e);
    window.push(e);
    if (window.length > inFlight) {
      const done = window.shift()!;
      b.onEnd(done, latency(done), true);
    }
  }
  for (const done of window) b.onEnd(done, latency(done), true);
  return counts;
}

function within(t: Test, actual: number, expected: number, tolerance: number, what: string): void {
  t.ok(
    Math.abs(actual - expected) <= expected * tolerance,
    `${what}: ${actual} within ${tolerance * 100}% of ${expected}`,
  );
}

/** The behaviour every policy shares. Call it from each policy's test file. */
export function balancerConformance(t: Test, policy: LbPolicy): void {
  const make = (seed = 42): { b: Balancer; clock: FakeClock } => {
    const clock = fakeClock();
    return { b: createBalancer(policy, { random: seededRandom(seed), now: clock.now }), clock };
  };

  t.test(`${policy}: conformance`, async (t) => {
    t.test('reports its policy', async (t) => {
      t.equal(make().b.policy, policy);
    });

    t.test('empty set picks undefined and ignores unknown endpoints', async (t) => {
      const { b } = make();
      t.equal(b.pick(), undefined);
      b.update([]);
      t.equal(b.pick(), undefined);
      t.equal(b.pick(() => false), undefined);
      const ghost = { id: 'ghost:1', weight: 1 };
      b.onStart(ghost);
      b.onEnd(ghost, 5, false);
      t.equal(b.pick(), undefined);
    });

    t.test('equal endpoints share the traffic evenly', async (t) => {
      const { b, clock } = make();
      b.update(endpoints({ a: 1, b: 1, c: 1, d: 1 }));
      const counts = drive(b, 10_000, { clock });
      t.equal(counts.none, undefined);
      for (const id of ['a', 'b', 'c', 'd']) within(t, counts[id] ?? 0, 2_500, 0.1, id);
    });

    t.test('weights 3:1 give about 3:1', async (t) => {
      const { b, clock } = make();
      b.update(endpoints({ heavy: 3, light: 1 }));
      const counts = drive(b, 10_000, { clock });
      within(t, counts.heavy ?? 0, 7_500, 0.1, 'heavy');
      within(t, counts.light ?? 0, 2_500, 0.1, 'light');
    });

    t.test('weights below 1 count as 1; duplicate ids count once', async (t) => {
      const { b, clock } = make();
      b.update([
        { id: 'a', weight: 0 },
        { id: 'b', weight: Number.NaN },
        { id: 'a', weight: 50 },
      ]);
      const counts = drive(b, 4_000, { clock });
      within(t, counts.a ?? 0, 2_000, 0.1, 'a');
      within(t, counts.b ?? 0, 2_000, 0.1, 'b');
    });

    t.test('exclude: all excluded gives undefined, excluded ones are never picked', async (t) => {
      const { b, clock } = make();
      b.update(endpoints({ a: 1, b: 2, c: 1, d: 1 }));
      t.equal(b.pick(() => true), undefined);
      const counts = drive(b, 3_000, { clock, exclude: (e) => e.id === 'b' || e.id === 'd' });
      t.equal(counts.b, undefined);
      t.equal(counts.d, undefined);
      t.equal(counts.none, undefined);
      within(t, counts.a ?? 0, 1_500, 0.1, 'a');
      within(t, counts.c ?? 0, 1_500, 0.1, 'c');
      const only = drive(b, 100, { clock, exclude: (e) => e.id !== 'd' });
      t.same(only, { d: 100 });
    });

    t.test('endpoints come and go', async (t) => {
      const { b, clock } = make();
      b.update(endpoints({ a: 1, b: 1, c: 1 }));
      const leftover = b.pick()!;
      b.onStart(leftover);
      drive(b, 1_000, { clock });
      b.update(endpoints({ b: 1, c: 1, d: 1 }));
      // A request that started before the update ends after it: no error, no effect.
      b.onEnd(leftover, 10, true);
      const counts = drive(b, 3_000, { clock });
      t.equal(counts.a, undefined, 'removed endpoint never picked');
      t.equal(counts.none, undefined);
      for (const id of ['b', 'c', 'd']) within(t, counts[id] ?? 0, 1_000, 0.15, id);
      b.update(endpoints({ e: 1 }));
      t.same(drive(b, 50, { clock }), { e: 50 });
      b.update([]);
      t.equal(b.pick(), undefined);
    });

    t.test('deterministic with a seeded random', async (t) => {
      const sequence = (): string[] => {
        const { b, clock } = make(7);
        b.update(endpoints({ a: 1, b: 2, c: 3, d: 1 }));
        const ids: string[] = [];
        for (let i = 0; i < 500; i++) {
          const e = b.pick()!;
          ids.push(e.id);
          b.onStart(e);
          clock.t += 1;
          if (i % 3 === 0) b.onEnd(e, 5 + (i % 7), i % 5 !== 0);
        }
        return ids;
      };
      t.same(sequence(), sequence());
    });
  });
}
