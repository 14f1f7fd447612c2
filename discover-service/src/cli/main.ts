import { MeshplugError } from '@meshplug/plugin-api';
import { processIo, type CliIo } from './cli-io.js';
import { proxyStatusCommand } from './proxy-status-command.js';
import { routesCommand } from './routes-command.js';
import { serveCommand } from './serve-command.js';
import { demoCommand } from '../demo/demo-command.js';
import { injectCommand } from './inject-command.js';

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  serve: serveCommand,
  routes: routesCommand,
  'proxy-status': proxyStatusCommand,
  demo: demoCommand,
  inject: injectCommand,
};

/**
 * Entry of discover-service's `meshplug` subcommands. Returns the exit code:
 * 0 done, 1 failed (message on stderr), 2 bad command line.
 */
export async function runCli(command: string, argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const run = COMMANDS[command];
  if (run === undefined) {
    io.stderr.write(`meshplug: '${command}' is not a discover-service command (${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    return await run(argv, io);
  } catch (err) {
    if (!(err instanceof MeshplugError)) throw err;
    io.stderr.write(`meshplug ${command}: ${err.message}\n`);
    return err.code === 'API_ERR_INVALID_OPTION' ? 2 : 1;
  }
}
