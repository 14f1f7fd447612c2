import t from 'tap';
import { KubeBackoff } from '../../src/sources/kube-backoff.js';
import { describeKubeError } from '../../src/sources/kube-error-message.js';

t.test('doubles from min to max with equal jitter, resets', async (t) => {
  let r = 1;
  const backoff = new KubeBackoff(100, 1000, () => r);
  t.same([1, 2, 3, 4, 5, 6].map(() => backoff.next()), [100, 200, 400, 800, 1000, 1000]);
  backoff.reset();
  r = 0;
  t.same([1, 2, 3].map(() => backoff.next()), [50, 100, 200]);
  for (let i = 0; i < 100; i++) t.ok(backoff.next() <= 1000);
});

t.test('error descriptions', async (t) => {
  t.equal(describeKubeError(Object.assign(new Error('Service Unavailable'), { statusCode: 503 })), 'HTTP 503');
  t.equal(describeKubeError(Object.assign(new Error('x'), { code: 500, body: '{"kind":"Status","message":"boom"}' })), 'HTTP 500: boom');
  t.equal(describeKubeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1');
  t.equal(describeKubeError('plain'), 'plain');
});
