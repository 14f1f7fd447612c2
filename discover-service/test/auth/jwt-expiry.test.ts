import t from 'tap';
import { jwtExpiryMs } from '../../src/auth/jwt-expiry.js';

const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

t.test('reads exp (seconds) of a JWT as ms, without verifying', async (t) => {
  t.equal(jwtExpiryMs(`${part({ alg: 'RS256' })}.${part({ exp: 1_700_000_000, aud: ['meshplug'] })}.c2ln`), 1_700_000_000_000);
});

t.test('anything else has no expiry', async (t) => {
  for (const token of ['opaque-token', 'a.b', `${part({})}.${part({ exp: 'soon' })}.x`, `${part({})}.${part({})}.x`, 'a.%%%.c', 'a.b.c.d']) {
    t.equal(jwtExpiryMs(token), undefined, token);
  }
});
