import { Readable } from 'node:stream';
import { request } from 'undici';

export interface UploadResult {
  bytes: number;
  seconds: number;
  mibPerSecond: number;
}

const CHUNK = Buffer.alloc(1024 * 1024, 0x62);

/** POSTs `mib` MiB (a reused 1 MiB chunk, streamed) and times it until the answer is read. */
export async function uploadOnce(url: string, mib: number): Promise<UploadResult> {
  async function* body(): AsyncGenerator<Buffer> {
    for (let i = 0; i < mib; i++) yield CHUNK;
  }
  const bytes = mib * CHUNK.length;
  const begin = performance.now();
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes) },
    body: Readable.from(body(), { objectMode: false }),
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  await res.body.dump();
  if (res.statusCode !== 200) throw new Error(`upload to ${url}: status ${res.statusCode}`);
  const seconds = (performance.now() - begin) / 1000;
  return { bytes, seconds, mibPerSecond: mib / seconds };
}
