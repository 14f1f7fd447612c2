import t from 'tap';
import { commonPrefix, commonSuffix, lineAt, splitManifest } from '../../src/sources/manifest-segments.js';

const split = (text: string): { text: string; line: number }[] => {
  const buf = Buffer.from(text, 'utf8');
  return splitManifest(buf).map((s) => ({ text: buf.toString('utf8', s.body, s.end), line: lineAt(buf, s.body) }));
};

t.test('splits at column-0 document markers; a marker with more on its line stays with its document', async (t) => {
  t.same(split('a: 1\n---\nb: 2\n--- # c\nc: 3\n---\n'), [
    { text: 'a: 1\n', line: 1 },
    { text: 'b: 2\n', line: 3 },
    { text: '--- # c\nc: 3\n', line: 4 },
    { text: '', line: 7 },
  ]);
  t.same(split('---\na: 1\n'), [{ text: 'a: 1\n', line: 2 }], 'a leading bare marker is dropped');
  t.same(split('a: 1\r\n---\r\nb: 2\r\n'), [
    { text: 'a: 1\r\n', line: 1 },
    { text: 'b: 2\r\n', line: 3 },
  ], 'CRLF');
  t.same(split('a: 1\n---{x: 1}\n'), [{ text: 'a: 1\n---{x: 1}\n', line: 1 }], 'not a marker without a blank after it');
});

t.test('dashes that are not markers stay inside their document', async (t) => {
  const text = 'a: |\n  ---\n  text\nb: "x\n  ---"\nc: ----\n';
  t.same(split(text), [{ text, line: 1 }]);
});

t.test('a file with directives is one segment (directives belong to the next document)', async (t) => {
  const text = '%YAML 1.2\n---\na: 1\n---\nb: 2\n';
  t.same(split(text), [{ text, line: 1 }]);
});

t.test('multi-byte characters: offsets are bytes, text is decoded per segment', async (t) => {
  t.same(split('a: "é€"\n---\nb: 😀\n'), [
    { text: 'a: "é€"\n', line: 1 },
    { text: 'b: 😀\n', line: 3 },
  ]);
  t.same(split(''), [{ text: '', line: 1 }]);
});

t.test('a range splits only inside it; segments tile the range', async (t) => {
  const buf = Buffer.from('a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n');
  const all = splitManifest(buf);
  t.strictSame(all.map((s) => [s.start, s.end]), [[0, 5], [5, 14], [14, 23], [23, 32]]);
  t.strictSame(splitManifest(buf, 5, 23), [{ start: 5, body: 9, end: 14 }, { start: 14, body: 18, end: 23 }]);
});

t.test('common prefix and suffix, across chunk borders', async (t) => {
  const a = Buffer.alloc(200_000, 'x');
  const b = Buffer.from(a);
  b[150_000] = 0x79;
  t.equal(commonPrefix(a, b), 150_000);
  t.equal(commonSuffix(a, b, 200_000), 49_999);
  t.equal(commonPrefix(a, a), 200_000);
  t.equal(commonSuffix(a, Buffer.concat([Buffer.from('yy'), a]), 200_000), 200_000, 'limited by the shorter');
  t.equal(commonSuffix(a, a, 10), 10, 'limited by the limit');
  t.equal(commonPrefix(Buffer.from('abc'), Buffer.from('abd')), 2);
});
