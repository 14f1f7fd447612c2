import t from 'tap';
import { foldByte, hashWireName, hashWireSuffixes, MAX_LABELS, wireNameMatches } from '../../src/wire/name-hash.js';
import { nameToKey } from '../../src/wire/name-key.js';

const wire = (name: string): Buffer => Buffer.from(nameToKey(name)!, 'latin1');

t.test('only ASCII letters fold', async (t) => {
  t.equal(foldByte(0x41), 0x61);
  t.equal(foldByte(0x5a), 0x7a);
  t.equal(foldByte(0x40), 0x40);
  t.equal(foldByte(0x5b), 0x5b);
  t.equal(foldByte(0xc1), 0xc1, 'latin1 letters are bytes, not letters (RFC 4343)');
});

t.test('the hash ignores letter case', async (t) => {
  const lower = wire('tomcat.shop');
  const mixed = Buffer.from(lower.toString('latin1').toUpperCase(), 'latin1');
  t.equal(hashWireName(mixed, 0, mixed.length), hashWireName(lower, 0, lower.length));
  t.not(hashWireName(wire('tomcat.shoq'), 0, 13), hashWireName(lower, 0, lower.length));
  const h = hashWireName(lower, 0, lower.length);
  t.ok(Number.isInteger(h) && h >= 0 && h <= 0x3fffffff, 'a small non-negative integer');
  const inMessage = Buffer.concat([Buffer.alloc(12), mixed]);
  t.equal(hashWireName(inMessage, 12, inMessage.length), h, 'read in place at any offset');
});

t.test('a match is the whole name, letters folded', async (t) => {
  const msg = Buffer.concat([Buffer.alloc(12), Buffer.from('\x06TomCat\x04Shop\x00\x00\x01', 'latin1')]);
  t.ok(wireNameMatches(msg, 12, wire('tomcat.shop')));
  t.notOk(wireNameMatches(msg, 12, wire('tomcat')), 'a prefix is not the name');
  t.ok(wireNameMatches(msg, 19, wire('shop')), 'a suffix, from its own offset');
  t.notOk(wireNameMatches(msg, 12, wire('tomcat.shop.svc')), 'never reads past the buffer');
  t.notOk(wireNameMatches(Buffer.from('\x01@\x00', 'latin1'), 0, wire('`')), 'only letters fold: @ is not `');
  t.notOk(wireNameMatches(Buffer.from('\x01[\x00', 'latin1'), 0, wire('{')), 'only letters fold: [ is not {');
});

t.test('one pass gives every label offset and the hash of the suffix it starts', async (t) => {
  const msg = Buffer.concat([Buffer.alloc(12), Buffer.from('\x03Foo\x06TomCat\x04Shop\x00\x00\x01', 'latin1')]);
  const offsets = new Int32Array(MAX_LABELS);
  const hashes = new Int32Array(MAX_LABELS);
  const nameEnd = msg.length - 2;
  t.equal(hashWireSuffixes(msg, 12, nameEnd, offsets, hashes), 3);
  t.same([...offsets.subarray(0, 3)], [12, 16, 23]);
  t.same([...hashes.subarray(0, 3)], [wire('foo.tomcat.shop'), wire('tomcat.shop'), wire('shop')].map((w) => hashWireName(w, 0, w.length)));
  const longest = Buffer.from(`${'\x01a'.repeat(MAX_LABELS)}\x00`, 'latin1');
  t.equal(hashWireSuffixes(longest, 0, longest.length, offsets, hashes), MAX_LABELS, 'a 255-byte name of one-letter labels fits');
  t.equal(hashes[MAX_LABELS - 1], hashWireName(wire('a'), 0, 3));
});
