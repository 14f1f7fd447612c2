import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON lines to stdout (or `destination`), one logger per process; parts
 * take pino child loggers (`logger.child({ component: 'kube-source' })`).
 */
export function createLogger(
  name: string,
  options: { level?: string; destination?: NodeJS.WritableStream } = {},
): Logger {
  const opts: LoggerOptions = {
    name,
    level: options.level ?? process.env.MESHPLUG_LOG_LEVEL ?? 'info',
  };
  return options.destination ? pino(opts, options.destination as pino.DestinationStream) : pino(opts);
}

/** A logger that drops everything: tests and library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
