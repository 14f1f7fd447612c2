import t from 'tap';
import { compileRetryOn, isRetryable, matchesRetryOn, type AttemptOutcome } from '../../src/policy/retry-on.js';

const policy = (v: string) => compileRetryOn(v).policy;

t.test('compileRetryOn: conditions, bare status codes, unknown tokens', async (t) => {
  const { policy: p, unknown } = compileRetryOn(' 5xx, Connect-Failure ,429,bogus,,');
  t.same([...p.conditions].sort(), ['5xx', 'connect-failure', 'retriable-status-codes']);
  t.same([...p.statusCodes], [429]);
  t.same(unknown, ['bogus']);
  t.same([...compileRetryOn(['reset', '503']).policy.statusCodes], [503]);
});

t.test('matchesRetryOn follows Envoy', async (t) => {
  const cases: Array<[string, AttemptOutcome, boolean]> = [
    ['5xx', 500, true],
    ['5xx', 503, true],
    ['5xx', 404, false],
    ['5xx', 'connect-failure', true],
    ['5xx', 'reset', true],
    ['5xx', 'timeout', true],
    ['gateway-error', 500, false],
    ['gateway-error', 502, true],
    ['gateway-error', 504, true],
    ['gateway-error', 'refused-stream', true],
    ['reset', 'reset', true],
    ['reset', 'connect-failure', true],
    ['reset', 503, false],
    ['connect-failure', 'connect-failure', true],
    ['connect-failure', 'reset', false],
    ['connect-failure', 503, false],
    ['connect-failure', 'refused-stream', true],
    ['refused-stream', 'refused-stream', true],
    ['refused-stream', 'reset', false],
    ['refused-stream', 'connect-failure', false],
    ['retriable-4xx', 'refused-stream', false],
    ['retriable-4xx', 409, true],
    ['retriable-4xx', 429, false],
    ['503,429', 429, true],
    ['503,429', 500, false],
    ['retriable-status-codes', 503, false],
    ['5xx,reset,connect-failure', 'overflow', false],
  ];
  for (const [retryOn, outcome, want] of cases) {
    t.equal(matchesRetryOn(outcome, policy(retryOn)), want, `${retryOn} on ${outcome}`);
  }
});

t.test('isRetryable: idempotent methods on any match, others only when the request never arrived', async (t) => {
  const p = policy('5xx');
  for (const m of ['GET', 'head', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']) t.equal(isRetryable(m, 503, p, true), true, m);
  t.equal(isRetryable('POST', 503, p, true), false, 'a 5xx may come after a POST took effect');
  t.equal(isRetryable('POST', 'reset', p, true), false);
  t.equal(isRetryable('POST', 'connect-failure', p, true), true, 'never reached the endpoint');
  t.equal(isRetryable('PATCH', 'refused-stream', p, true), true);
  t.equal(isRetryable('POST', 'refused-stream', policy('connect-failure'), true), true, 'the default RetryOn covers a refused stream');
  t.equal(isRetryable('POST', 'refused-stream', policy('connect-failure'), false), false, 'unless the body was streamed');
  t.equal(isRetryable('GET', 503, p, false), false, 'a streamed body cannot be replayed');
  t.equal(isRetryable('POST', 'connect-failure', p, false), false);
  t.equal(isRetryable('GET', 404, p, true), false);
  t.equal(isRetryable('GET', 'overflow', p, true), false);
});
