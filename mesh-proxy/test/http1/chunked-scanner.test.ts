import t from 'tap';
import { CHUNKED_ERROR, CHUNKED_MORE, ChunkedScanner } from '../../src/http1/chunked-scanner.js';

const BODY = '5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n';

t.test('finds the end of a chunked body, whole or fed byte by byte, and stops there', async (t) => {
  const next = 'GET / HTTP/1.1\r\n';
  const whole = Buffer.from(BODY + next);
  t.equal(new ChunkedScanner().feed(whole, 0), BODY.length, 'the index just past the body');
  const s = new ChunkedScanner();
  const bytes = Buffer.from(BODY);
  for (let i = 0; i < bytes.length - 1; i++) t.equal(s.feed(bytes.subarray(i, i + 1), 0), CHUNKED_MORE);
  t.equal(s.feed(bytes.subarray(bytes.length - 1), 0), 1, 'the last byte ends it');
  for (let cut = 1; cut < bytes.length; cut += 7) {
    const split = new ChunkedScanner();
    t.equal(split.feed(bytes.subarray(0, cut), 0), CHUNKED_MORE);
    t.equal(split.feed(bytes, cut), bytes.length, `split at ${cut}`);
  }
  t.equal(new ChunkedScanner().feed(Buffer.from('0\r\n\r\n'), 0), 5, 'an empty body');
  t.equal(new ChunkedScanner().feed(Buffer.from('xx0\r\n\r\n'), 2), 7, 'from an offset');
});

t.test('framing errors are reported, not skipped', async (t) => {
  const bad = ['g\r\n', '\r\n', '5\nhello', '5\r\nhelloX\r\n', '5\r\nhello\r\n0\r\n\n', '1234567890abc\r\n', '0\r\nX: a\n', '5;a\n'];
  for (const b of bad) t.equal(new ChunkedScanner().feed(Buffer.from(b), 0), CHUNKED_ERROR, JSON.stringify(b));
});
