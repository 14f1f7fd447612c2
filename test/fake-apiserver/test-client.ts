import { request } from 'node:http';
import type { FakeApiServer } from './fake-apiserver.js';

/** Plain-HTTP helpers for the fake's own tests (no client library in the way). */
export async function call(
  fake: FakeApiServer,
  method: string,
  path: string,
  body?: unknown,
  token = 'fake-admin-token',
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

export interface WatchEventLine {
  type: string;
  object: any;
}

/** An open watch: collects the JSON lines, and tells when the server ended it. */
export class WatchReader {
  readonly events: WatchEventLine[] = [];
  ended = false;
  status = 0;
  private waiters: (() => void)[] = [];
  private readonly abort: () => void;

  constructor(fake: FakeApiServer, path: string) {
    const url = new URL(`${fake.url}${path}`);
    const req = request(url, { headers: { authorization: 'Bearer fake-admin-token' } }, (res) => {
      this.status = res.statusCode ?? 0;
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl = buffer.indexOf('\n');
        while (nl >= 0) {
          this.events.push(JSON.parse(buffer.slice(0, nl)) as WatchEventLine);
          buffer = buffer.slice(nl + 1);
          nl = buffer.indexOf('\n');
        }
        this.wake();
      });
      res.on('close', () => {
        this.ended = true;
        this.wake();
      });
      res.on('error', () => undefined);
    });
    req.on('error', () => {
      this.ended = true;
      this.wake();
    });
    req.end();
    this.abort = () => req.destroy();
  }

  /** Waits (bounded) until `done()` holds for what has arrived. */
  async until(done: (reader: WatchReader) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this)) {
      if (Date.now() > deadline) throw new Error(`watch condition not met in ${timeoutMs} ms: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.abort();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export function service(namespace: string, name: string, labels: Record<string, string> = {}, port = 80): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: { ports: [{ name: 'http', port, protocol: 'TCP' }], selector: { app: name } },
  };
}

export function configMap(namespace: string, name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}, immutable?: boolean): any {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels },
    data,
    ...(immutable === undefined ? {} : { immutable }),
  };
}
