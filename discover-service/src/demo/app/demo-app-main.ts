import { createLogger, formatHelp, MeshplugError, parseCommandLine, type CommandSpec } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../../errors.js';
import { startDemoApp } from './demo-app.js';

/*
 * The process the demo (and the end-to-end test) runs as each pod's app:
 * `node discover-service/dist/demo/app/demo-app-main.js --name tomcat-0 --host 127.0.1.11 --http-port 8080`.
 */
const APP_COMMAND: CommandSpec = {
  usage: 'demo-app-main.js --name NAME --host IP --http-port PORT [--tcp-port PORT]',
  description: 'The app of a demo pod: answers HTTP with its name, echoes TCP.',
  flags: {
    name: { type: 'string', description: 'pod name, the HTTP answer' },
    host: { type: 'string', description: 'address to listen on', default: '127.0.0.1' },
    'http-port': { type: 'string', description: 'HTTP port', default: '8080' },
    'tcp-port': { type: 'string', description: 'TCP echo port (none when unset)' },
  },
};

function port(value: unknown, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new DiscoverErrors.DISC_ERR_DEMO_INVALID_OPTIONS(`--${flag}: not a port: ${String(value)}`);
  return n;
}

const log = createLogger('demo-app');
try {
  const { values, help } = parseCommandLine(APP_COMMAND, process.argv.slice(2));
  if (help) {
    process.stdout.write(formatHelp(APP_COMMAND));
  } else {
    const name = typeof values.name === 'string' && values.name !== '' ? values.name : undefined;
    if (name === undefined) throw new DiscoverErrors.DISC_ERR_DEMO_INVALID_OPTIONS('--name is required');
    const app = await startDemoApp({
      name,
      host: String(values.host),
      httpPort: port(values['http-port'], 'http-port'),
      ...(values['tcp-port'] === undefined ? {} : { tcpPort: port(values['tcp-port'], 'tcp-port') }),
    });
    log.info({ name, http: app.http, tcp: app.tcp }, 'demo app listening');
    const stop = (): void => {
      void app.close().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
} catch (err) {
  log.fatal({ err, code: err instanceof MeshplugError ? err.code : undefined }, 'demo app failed to start');
  process.exitCode = 1;
}
