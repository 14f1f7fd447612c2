import t from 'tap';
import { shortTime } from '../../dashboard/src/dom.js';

t.test('shortTime: the time of day for today, the date too otherwise', async (t) => {
  const now = new Date(2026, 10, 22, 12, 0, 0);
  const earlierToday = new Date(2026, 10, 22, 1, 5, 13);
  const yesterday = new Date(2026, 10, 21, 23, 59, 0);
  t.equal(shortTime(earlierToday.toISOString(), now), earlierToday.toLocaleTimeString());
  t.equal(shortTime(yesterday.toISOString(), now), yesterday.toLocaleString());
  t.equal(shortTime('not a time', now), 'not a time');
});
