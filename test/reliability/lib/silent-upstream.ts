import { createServer, type Server, type Socket } from 'node:net';

/** An upstream that accepts connections, reads whatever comes and never answers: the hung backend. */
export class SilentUpstream {
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();

  async listen(host: string, ports: readonly number[]): Promise<void> {
    for (const port of ports) {
      const server = createServer((socket) => {
        this.sockets.add(socket);
        socket.on('data', () => undefined);
        socket.on('error', () => undefined);
        socket.once('close', () => this.sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port, exclusive: true }, () => resolve());
      });
      this.servers.push(server);
    }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
