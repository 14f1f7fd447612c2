import type { IncomingMessage } from 'node:http';
import type { Dispatcher } from 'undici';

/** The start of a request body: all of it when `complete`, else the first chunks (a bit over the limit). */
export interface BodyStart {
  chunks: Buffer[];
  complete: boolean;
}

/**
 * Reads a request body until it ends or passes `limit` bytes. A body that
 * ends within the limit is sent upstream whole, with a Content-Length: it is
 * replayable for retries, and a framing error anywhere in it (a bad chunk)
 * is found before a single byte goes upstream.
 */
export async function readBodyStart(req: IncomingMessage, limit: number): Promise<BodyStart> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > limit) return { chunks, complete: false };
  }
  return { chunks, complete: true };
}

/**
 * A body larger than the limit, streamed: the chunks already read, then the
 * rest as it comes. An async iterable rather than the request itself, because
 * undici destroys a stream body on any upstream error and that would cut the
 * downstream connection before the 502 goes out. undici documents
 * AsyncIterable bodies; its type declarations lag behind.
 */
export function streamedBody(req: IncomingMessage, start: readonly Buffer[]): Dispatcher.DispatchOptions['body'] {
  async function* body(): AsyncGenerator<Buffer> {
    yield* start;
    for await (const chunk of req.iterator({ destroyOnReturn: false })) yield chunk as Buffer;
  }
  return body() as unknown as Dispatcher.DispatchOptions['body'];
}
