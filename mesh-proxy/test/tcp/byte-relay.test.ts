import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import t from 'tap';
import { ByteRelay } from '../../src/tcp/byte-relay.js';

/** Stands in for the sink socket: keeps the chunks it was given (not copies), as a pending write does. */
class FakeSink extends EventEmitter {
  readonly chunks: Buffer[] = [];
  /** What writableLength reports after a write: > 0 means the write is still pending. */
  pending = 0;
  /** What write() returns: false asks the writer to wait for 'drain'. */
  accepts = true;
  writableLength = 0;
  ended = false;

  write(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.writableLength = this.pending;
    return this.accepts;
  }

  end(): void {
    this.ended = true;
  }
}

class FakeSource extends EventEmitter {
  resumed = 0;

  resume(): void {
    this.resumed += 1;
  }
}

function setup(): { relay: ByteRelay; source: FakeSource; sink: FakeSink; read: (text: string) => boolean; next: () => Buffer } {
  const relay = new ByteRelay();
  const source = new FakeSource();
  const sink = new FakeSink();
  relay.start(source as unknown as Socket, sink as unknown as Socket);
  const next = (): Buffer => (relay.onread.buffer as () => Buffer)();
  /** What net does on a read: fill the current buffer, call back. */
  const read = (text: string): boolean => {
    const buf = next();
    const n = buf.write(text, 'latin1');
    return relay.onread.callback(n, buf);
  };
  return { relay, source, sink, read, next };
}

t.test('start resumes the source (sockets are created paused)', async (t) => {
  const { source } = setup();
  t.equal(source.resumed, 1);
});

t.test('a write that completed at once leaves the buffer for the next read', async (t) => {
  const { relay, sink, read, next } = setup();
  const first = next();
  t.equal(read('hello'), true, 'keeps reading');
  t.equal(next(), first, 'the same buffer is read into again');
  t.equal(read('world'), true);
  t.equal(sink.chunks[1]?.toString(), 'world', 'each chunk is exactly what was read');
  t.equal(sink.chunks[0]?.buffer, sink.chunks[1]?.buffer, 'from the same memory: nothing allocated per read');
  t.equal(relay.reads, 2, 'reads are counted');
});

t.test('a pending write keeps its buffer: the next read goes to a fresh one', async (t) => {
  const { sink, read, next } = setup();
  sink.pending = 5;
  const first = next();
  t.equal(read('AAAAA'), true, 'under the high-water mark: keeps reading');
  t.not(next(), first, 'a new buffer for the next read');
  read('BBBBB');
  t.equal(sink.chunks[0]?.toString(), 'AAAAA', 'the pending chunk was not overwritten');
  t.equal(sink.chunks[1]?.toString(), 'BBBBB');
});

t.test('a full sink queue stops the source until it drains', async (t) => {
  const { source, sink, read } = setup();
  sink.accepts = false;
  sink.pending = 1;
  t.equal(read('x'), false, 'the source stops reading');
  t.equal(source.resumed, 1, 'not resumed yet');
  sink.emit('drain');
  t.equal(source.resumed, 2, 'resumed on drain');
  sink.emit('drain');
  t.equal(source.resumed, 2, 'once per stop');
});

t.test('reads that fill the buffer grow it, up to 64 KiB', async (t) => {
  const { relay, next } = setup();
  const sizes: number[] = [];
  for (let i = 0; i < 4; i++) {
    const buf = next();
    sizes.push(buf.length);
    relay.onread.callback(buf.length, buf);
  }
  sizes.push(next().length);
  t.same(sizes, [4096, 16384, 65536, 65536, 65536]);
  const buf = next();
  relay.onread.callback(10, buf);
  t.equal(next(), buf, 'a partial read keeps the buffer');
});

t.test("the source's end ends the sink", async (t) => {
  const { source, sink } = setup();
  source.emit('end');
  t.equal(sink.ended, true);
});
