import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from './object-store.js';
import { ApiError, failure } from './status.js';

/** The API server's request body limit (3 MiB). */
const MAX_BODY = 3 * 1024 * 1024;

/** Go's strconv.ParseBool truthy spellings, as the server parses `watch=`. */
export function isTrue(value: string | null): boolean {
  return value !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

export async function readJson(req: IncomingMessage): Promise<JsonObject> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new ApiError(failure(413, 'RequestEntityTooLarge', 'the request body is too large'));
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonObject;
  } catch (err) {
    throw new ApiError(failure(400, 'BadRequest', `the body could not be decoded: ${(err as Error).message}`));
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
