import t from 'tap';
import { assignOuterPorts, DEFAULT_OUTER_PORT_RANGE } from '../../src/mesh/outer-ports.js';

t.test('readable preferred slot: same residue modulo the range size', async (t) => {
  const m = assignOuterPorts([8080, 6379, 443]);
  t.equal(m.get(443), 65343);
  t.equal(m.get(8080), 65380);
  t.equal(m.get(6379), 65379);
  // 80 prefers 65380 too; 80 < 8080 so 80 keeps it and 8080 moves on.
  t.same(assignOuterPorts([8080, 80]), new Map([[80, 65380], [8080, 65381]]));
});

t.test('same result for any input order, unique, in range, never an app port', async (t) => {
  const ports = [80, 180, 280, 443, 8080, 8443, 9090, 3306, 5432, 6379, 1080, 65000, 1];
  const base = assignOuterPorts(ports);
  const used = new Set(base.values());
  t.equal(used.size, ports.length);
  for (const v of used) {
    t.ok(v >= DEFAULT_OUTER_PORT_RANGE.min && v <= DEFAULT_OUTER_PORT_RANGE.max);
    t.notOk(ports.includes(v));
  }
  const sorted = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]);
  let differing = 0;
  for (let i = 0; i < 20; i++) {
    const shuffled = [...ports].sort(() => Math.random() - 0.5);
    if (JSON.stringify(sorted(assignOuterPorts(shuffled))) !== JSON.stringify(sorted(base))) differing++;
  }
  t.equal(differing, 0, 'every shuffle gives the same map');
  t.same(assignOuterPorts([8080, 8080]), new Map([[8080, 65380]]), 'duplicates collapse');
});

t.test('a port that does not collide keeps its outer port when others come or go', async (t) => {
  const before = assignOuterPorts([8080, 9000, 5000]);
  const after = assignOuterPorts([8080, 9000, 5000, 1234, 7777, 99]);
  for (const p of [8080, 9000, 5000]) t.equal(after.get(p), before.get(p), `port ${p}`);
  // A loser probing forward skips the slot another port prefers.
  const m = assignOuterPorts([80, 8080, 81]);
  t.same([m.get(80), m.get(81), m.get(8080)], [65380, 65381, 65382]);
});

t.test('wraps around at the top of the range', async (t) => {
  const m = assignOuterPorts([1, 10], { min: 100, max: 108 });
  // size 9: 1 -> 100 + ((1-100) mod 9) = 100; 10 -> 100 too, so it probes to 101.
  t.same(m, new Map([[1, 100], [10, 101]]));
  const w = assignOuterPorts([9, 18], { min: 100, max: 108 });
  t.same(w, new Map([[9, 108], [18, 100]]));
});

t.test('clear errors', async (t) => {
  t.throws(() => assignOuterPorts([1, 2, 3], { min: 100, max: 101 }), {
    code: 'API_ERR_OUTER_PORTS',
    message: /3 ports do not fit in the outer port range 100-101/,
  });
  t.throws(() => assignOuterPorts([65350]), { code: 'API_ERR_OUTER_PORTS', message: /app port 65350 lies inside/ });
  t.throws(() => assignOuterPorts([0]), { code: 'API_ERR_OUTER_PORTS', message: /0 is not a valid port/ });
  t.throws(() => assignOuterPorts([80], { min: 10, max: 5 }), { code: 'API_ERR_OUTER_PORTS', message: /invalid range/ });
});
