import t from 'tap';
import { lineAt, splitManifest } from '../../src/sources/manifest-segments.js';

const split = (text: string): { text: string; line: number }[] => {
  const buf = Buffer.from(text, 'utf8');
  return splitManifest(buf).map((s) => ({ text: s.text, line: lineAt(buf, s.offset) }));
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
