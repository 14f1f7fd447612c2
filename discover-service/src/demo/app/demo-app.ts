import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';

/** Where the demo app listens and what it calls itself. */
export interface DemoAppOptions {
  /** Pod name, the whole HTTP answer (`tomcat-0\n`) so a client sees which backend served it. */
  name: string;
  /** Address of the "pod": the app listens here, as the pod's main container would. */
  host: string;
  /** HTTP port; 0 picks one. */
  httpPort: number;
  /** TCP echo port (every byte sent comes back); none when undefined. */
  tcpPort?: number;
}

export interface RunningDemoApp {
  http: AddressInfo;
  tcp: AddressInfo | undefined;
  close(): Promise<void>;
}

function listen(server: HttpServer | TcpServer, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function close(server: HttpServer | TcpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * The app of a demo pod: answers every HTTP request with its pod name (and an
 * `x-demo-pod` header), and optionally echoes TCP, the way `tomcat` and `echo`
 * services do in the demo and the end-to-end test.
 */
export async function startDemoApp(options: DemoAppOptions): Promise<RunningDemoApp> {
  const http = createHttpServer((req, res) => {
    // Drain the request body so keep-alive connections stay usable.
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-demo-pod': options.name });
      res.end(`${options.name}\n`);
    });
  });
  http.keepAliveTimeout = 5000;
  const tcp =
    options.tcpPort === undefined
      ? undefined
      : createTcpServer({ allowHalfOpen: true }, (socket) => {
          socket.on('error', () => socket.destroy());
          socket.pipe(socket);
        });
  const httpAddress = await listen(http, options.host, options.httpPort);
  let tcpAddress: AddressInfo | undefined;
  try {
    tcpAddress = tcp === undefined ? undefined : await listen(tcp, options.host, options.tcpPort ?? 0);
  } catch (err) {
    await close(http);
    throw err;
  }
  return {
    http: httpAddress,
    tcp: tcpAddress,
    close: async () => {
      http.closeAllConnections();
      await Promise.all([close(http), ...(tcp === undefined ? [] : [close(tcp)])]);
    },
  };
}
