import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON lines to stdout (or `destination`), one logger per process; parts
 * take pino child loggers (`logger.child({ component: 'kube-source' })`).
 * On a terminal the lines are pretty-printed (pino-pretty), as people read
 * them there; pipes and files always get JSON.
 */
export function createLogger(
  name: string,
  options: { level?: string; destination?: NodeJS.WritableStream; pretty?: boolean } = {},
): Logger {
  const opts: LoggerOptions = {
    name,
    level: options.level ?? process.env.MESHPLUG_LOG_LEVEL ?? 'info',
  };
  if (options.destination) return pino(opts, options.destination as pino.DestinationStream);
  if (options.pretty ?? process.stdout.isTTY === true) {
    return pino({ ...opts, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return pino(opts);
}

/** A logger that drops everything: tests and library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
