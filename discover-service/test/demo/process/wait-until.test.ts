import t from 'tap';
import { ChildGroup } from '../../../src/demo/process/child-group.js';
import { waitUntil, type ProbeResult } from '../../../src/demo/process/wait-until.js';

/** A clock that only moves when the wait sleeps. */
function fakeTime(): { now: () => number; sleep: (ms: number) => Promise<void> } {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
}

t.test('returns the value once the probe is ready', async (t) => {
  let calls = 0;
  const probe = async (): Promise<ProbeResult<string>> => (++calls < 3 ? { ok: false, reason: 'starting' } : { ok: true, value: 'up' });
  t.equal(await waitUntil(probe, { what: 'thing', timeoutMs: 1000, ...fakeTime() }), 'up');
  t.equal(calls, 3);
});

t.test('gives up at the deadline, naming what and the last reason', async (t) => {
  let calls = 0;
  const probe = async (): Promise<ProbeResult<never>> => ({ ok: false, reason: `attempt ${++calls}` });
  await t.rejects(waitUntil(probe, { what: 'discover /readyz', timeoutMs: 1000, intervalMs: 100, ...fakeTime() }), {
    code: 'DISC_ERR_DEMO_NOT_READY',
    message: /discover \/readyz within 1000 ms \(last: attempt 11\)/,
  });
});

t.test('stops at once when a watched child dies, with its logs', async (t) => {
  const children = new ChildGroup();
  t.teardown(() => children.stopAll(1000));
  const child = children.start({ name: 'crasher', command: process.execPath, args: ['-e', 'console.log("boom"); process.exit(3)'] });
  await child.exited;
  const probe = async (): Promise<ProbeResult<never>> => ({ ok: false, reason: 'no' });
  await t.rejects(waitUntil(probe, { what: 'crasher', timeoutMs: 60_000, children, ...fakeTime() }), {
    code: 'DISC_ERR_DEMO_CHILD_EXITED',
    message: /crasher exited with code 3 while waiting for crasher[\s\S]*crasher \| boom/,
  });
});

t.test('an aborted signal ends the wait', async (t) => {
  const controller = new AbortController();
  const probe = async (): Promise<ProbeResult<never>> => {
    controller.abort();
    return { ok: false, reason: 'no' };
  };
  await t.rejects(waitUntil(probe, { what: 'x', timeoutMs: 60_000, signal: controller.signal, ...fakeTime() }), { code: 'DISC_ERR_DEMO_ABORTED' });
});
