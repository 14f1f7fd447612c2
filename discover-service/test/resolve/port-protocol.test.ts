import t from 'tap';
import { appPort, isProxied, portName, portProtocol, proxyMode } from '../../src/resolve/port-protocol.js';

t.test('appProtocol first, then the port name prefix, else tcp', async (t) => {
  const cases: [Parameters<typeof portProtocol>[0], string][] = [
    [{ port: 80, appProtocol: 'http' }, 'http'],
    [{ port: 80, appProtocol: 'HTTP1' }, 'http'],
    [{ port: 80, appProtocol: 'kubernetes.io/h2c', name: 'http' }, 'h2c'],
    [{ port: 80, appProtocol: 'grpc' }, 'grpc'],
    [{ port: 80, appProtocol: 'example.com/custom', name: 'http' }, 'tcp'],
    [{ port: 80, name: 'http' }, 'http'],
    [{ port: 80, name: 'http-web' }, 'http'],
    [{ port: 80, name: 'HTTP2-x' }, 'http2'],
    [{ port: 80, name: 'grpc-web' }, 'grpc-web'],
    [{ port: 80, name: 'grpc' }, 'grpc'],
    [{ port: 80, name: 'tcp-db' }, 'tcp'],
    [{ port: 80, name: 'httpx' }, 'tcp'],
    [{ port: 80, name: 'web' }, 'tcp'],
    [{ port: 80 }, 'tcp'],
    [{ port: 53, name: 'http', protocol: 'UDP' }, 'udp'],
  ];
  for (const [port, want] of cases) t.equal(portProtocol(port), want, JSON.stringify(port));
});

t.test('mode, proxied ports, app ports and names', async (t) => {
  t.equal(proxyMode('http'), 'http');
  t.equal(proxyMode('grpc'), 'tcp');
  t.equal(proxyMode('tcp'), 'tcp');
  t.ok(isProxied({ port: 1 }));
  t.notOk(isProxied({ port: 1, protocol: 'SCTP' }));
  t.equal(appPort({ port: 80, targetPort: 8080 }), 8080);
  t.equal(appPort({ port: 80, targetPort: '8081' }), 8081);
  t.equal(appPort({ port: 80, targetPort: 'http' }), 80);
  t.equal(appPort({ port: 80 }), 80);
  t.equal(portName({ port: 80 }), 'port-80');
  t.equal(portName({ port: 80, name: 'web' }), 'web');
});
