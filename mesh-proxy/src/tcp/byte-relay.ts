import type { OnReadOpts, Socket } from 'node:net';

/** Reads start small (an idle connection holds little) and grow while reads fill the buffer. */
const FIRST_BUFFER_BYTES = 4096;
const MAX_BUFFER_BYTES = 65536;
const GROWTH = 4;

/**
 * One direction of a TCP splice. The source socket reads into a buffer owned
 * here (net's `onread`) and every read is written to the sink straight from
 * it: no per-read allocation, no Readable machinery, which is what `pipe()`
 * spends most of its CPU on. The buffer is reused only while no write still
 * refers to it: when the sink could not send a chunk at once (the write is
 * pending or queued), the next read goes to a fresh buffer. When the sink's
 * queue is full the source stops reading until it drains; the source's FIN
 * ends the sink (half-close passes through).
 */
export class ByteRelay {
  private buffer = Buffer.allocUnsafeSlow(FIRST_BUFFER_BYTES);
  private readCount = 0;
  // Set by start(); the source reads nothing before (it is created paused).
  private source!: Socket;
  private sink!: Socket;
  private readonly resume = (): void => {
    this.source.resume();
  };

  /** Give to the source socket at creation (`connect({ onread })`, `new Socket({ onread })`), paused. */
  readonly onread: OnReadOpts = {
    buffer: () => this.buffer,
    callback: (bytes, buf) => this.forward(bytes, buf),
  };

  /** Reads relayed so far: a counter is all traffic costs for the idle timeout (IdleWatch). */
  get reads(): number {
    return this.readCount;
  }

  /** Relays what `source` reads to `sink` from now on, and ends `sink` once `source` ended. */
  start(source: Socket, sink: Socket): void {
    this.source = source;
    this.sink = sink;
    source.once('end', () => sink.end());
    source.resume();
  }

  /** Returns false (the source stops reading) when the sink asks for a drain. */
  private forward(bytes: number, buf: Uint8Array): boolean {
    this.readCount += 1;
    const sink = this.sink;
    const full = bytes === buf.length;
    const more = sink.write(full ? buf : buf.subarray(0, bytes));
    const size = full ? Math.min(buf.length * GROWTH, MAX_BUFFER_BYTES) : buf.length;
    // writableLength > 0: the chunk was not sent at once and the write still holds `buf`.
    if (sink.writableLength > 0 || size !== buf.length) this.buffer = Buffer.allocUnsafeSlow(size);
    if (more) return true;
    sink.once('drain', this.resume);
    return false;
  }
}
