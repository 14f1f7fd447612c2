import { connect, type Socket } from 'node:net';

export interface PingPongOptions {
  host: string;
  port: number;
  connections: number;
  durationSeconds: number;
  /** Bytes per message; the echo must return all of them before the next is sent. */
  messageBytes?: number;
}

export interface PingPongResult {
  roundTrips: number;
  roundTripsPerSecond: number;
  errors: number;
}

/** Closed-loop TCP request/response load: each connection sends a message and waits for its echo. */
export async function runPingPong(options: PingPongOptions): Promise<PingPongResult> {
  const size = options.messageBytes ?? 64;
  const message = Buffer.alloc(size, 0x61);
  const sockets: Socket[] = [];
  let roundTrips = 0;
  let errors = 0;
  let running = true;
  await Promise.all(
    Array.from(
      { length: options.connections },
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect({ host: options.host, port: options.port, noDelay: true }, () => resolve());
          socket.once('error', reject);
          sockets.push(socket);
        }),
    ),
  );
  const begin = performance.now();
  for (const socket of sockets) {
    let received = 0;
    socket.removeAllListeners('error');
    socket.on('error', () => {
      errors++;
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      while (received >= size) {
        received -= size;
        roundTrips++;
        if (running) socket.write(message);
      }
    });
    socket.write(message);
  }
  await new Promise((resolve) => setTimeout(resolve, options.durationSeconds * 1000));
  running = false;
  const elapsed = (performance.now() - begin) / 1000;
  const counted = roundTrips;
  for (const socket of sockets) socket.destroy();
  return { roundTrips: counted, roundTripsPerSecond: counted / elapsed, errors };
}
