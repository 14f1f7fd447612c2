import t from 'tap';
import { IdleWatch } from '../../src/tcp/idle-watch.js';
import { FakeTimers } from '../helpers/fake-timers.js';

function setup(periodMs = 1000): { timers: FakeTimers; idle: () => number; bump: () => void; watch: IdleWatch } {
  const timers = new FakeTimers();
  let activity = 0;
  let idled = 0;
  const watch = new IdleWatch(periodMs, timers, () => activity, () => (idled += 1));
  return { timers, idle: () => idled, bump: () => (activity += 1), watch };
}

t.test('a silent connection is idle after one period (four quarter samples)', async (t) => {
  const { timers, idle } = setup(1000);
  t.same(timers.delays, [250], 'samples each quarter period');
  for (let i = 0; i < 3; i++) timers.fireAll();
  t.equal(idle(), 0, 'not before the full period');
  timers.fireAll();
  t.equal(idle(), 1, 'idle after four quiet samples');
  t.equal(timers.size, 0, 'and no longer sampled');
});

t.test('traffic restarts the count: idle one full period after the last byte', async (t) => {
  const { timers, idle, bump } = setup(1000);
  timers.fireAll();
  timers.fireAll();
  bump();
  timers.fireAll();
  for (let i = 0; i < 3; i++) timers.fireAll();
  t.equal(idle(), 0, 'three quiet samples after the traffic');
  timers.fireAll();
  t.equal(idle(), 1, 'the fourth closes it');
});

t.test('stop() cancels the sampling', async (t) => {
  const { timers, idle, watch } = setup(1000);
  watch.stop();
  t.equal(timers.size, 0);
  t.equal(idle(), 0);
});
