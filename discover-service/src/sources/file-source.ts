import { watch as fsWatch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { silentLogger, type Logger } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';
import { identityDiff } from './identity-diff.js';
import { ManifestParser, type ManifestObjects } from './manifest-file.js';
import { OBJECT_KINDS, type Source, type SourceSink } from './source.js';

/** Timer functions, injectable so tests drive debounce and polling by hand. */
export interface SourceTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Watches a directory; calls `onEvent` with the changed file name when the platform tells it. */
export type DirectoryWatch = (directory: string, onEvent: (filename: string | undefined) => void) => { close(): void };

export interface FileSourceOptions {
  /** The multi-document YAML file to serve. */
  path: string;
  /**
   * Quiet time after a change event before the file is re-read, in ms: the events of one write
   * (editors write in bursts) make one re-read. Every change waits this long, so it is short. Default 25.
   */
  debounceMs?: number;
  /**
   * Period of the fallback re-read, in ms, for changes no watch event reports
   * (network filesystems, replaced mounts, ConfigMap volume symlink swaps). Default 2000.
   */
  pollIntervalMs?: number;
  /** Directory watcher. Default: `fs.watch` on the file's directory. */
  watch?: DirectoryWatch;
  /** Default: the global timers. */
  timers?: SourceTimers;
  logger?: Logger;
}

type ResolvedFileSourceOptions = Readonly<Required<FileSourceOptions>>;

const FILE_SOURCE_DEFAULTS = Object.freeze({ debounceMs: 25, pollIntervalMs: 2000 });

const defaultWatch: DirectoryWatch = (directory, onEvent) => {
  const watcher = fsWatch(directory, { persistent: false }, (_event, filename) => onEvent(filename ?? undefined));
  // A watcher that dies (directory removed, too many watches) leaves the poll in charge.
  watcher.on('error', () => watcher.close());
  return watcher;
};

const defaultTimers: SourceTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

function resolveOptions(options: FileSourceOptions): ResolvedFileSourceOptions {
  const o = {
    path: options.path,
    debounceMs: options.debounceMs ?? FILE_SOURCE_DEFAULTS.debounceMs,
    pollIntervalMs: options.pollIntervalMs ?? FILE_SOURCE_DEFAULTS.pollIntervalMs,
    watch: options.watch ?? defaultWatch,
    timers: options.timers ?? defaultTimers,
    logger: options.logger ?? silentLogger(),
  };
  const problems: string[] = [];
  if (typeof o.path !== 'string' || o.path === '') problems.push('path must be a file path');
  if (!Number.isInteger(o.debounceMs) || o.debounceMs < 0) problems.push('debounceMs must be an integer >= 0');
  if (!Number.isInteger(o.pollIntervalMs) || o.pollIntervalMs < 10) problems.push('pollIntervalMs must be an integer >= 10');
  if (problems.length > 0) throw new DiscoverErrors.DISC_ERR_INVALID_SOURCE_OPTIONS(`file source: ${problems.join('; ')}`);
  return Object.freeze({ ...o, path: resolve(o.path) });
}

/**
 * Serves the objects of one YAML file, re-read when it changes. A broken
 * file (YAML error, unknown kind, missing name) is reported as a problem with
 * its line while the last good objects stay in place; fixing it clears it.
 */
export class FileSource implements Source {
  readonly name: string;
  private readonly options: ResolvedFileSourceOptions;
  private readonly logger: Logger;
  private sink: SourceSink | undefined;
  private ready = false;
  private stopped = false;
  private watcher: { close(): void } | undefined;
  private debounceTimer: unknown;
  private pollTimer: unknown;
  private lastBytes: Buffer | undefined;
  private readonly parser = new ManifestParser();
  /** The objects last delivered to the sink (the last good file). */
  private delivered: ManifestObjects | undefined;
  private reading: Promise<void> | undefined;
  private again = false;

  constructor(options: FileSourceOptions) {
    this.options = resolveOptions(options);
    this.name = `file:${this.options.path}`;
    this.logger = this.options.logger.child({ component: 'file-source', path: this.options.path });
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Rejects with DISC_ERR_SOURCE_FAILED when the file cannot be read at all (a wrong path fails fast). */
  async start(sink: SourceSink): Promise<void> {
    if (this.sink !== undefined) throw new DiscoverErrors.DISC_ERR_SOURCE_FAILED(`${this.name} is already started`);
    this.sink = sink;
    const { path } = this.options;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      this.stopped = true;
      throw new DiscoverErrors.DISC_ERR_SOURCE_FAILED(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
    if (this.stopped) return;
    this.load(bytes);
    this.ready = true;
    try {
      this.watcher = this.options.watch(dirname(path), (filename) => {
        if (filename === undefined || filename === basename(path)) this.changed();
      });
    } catch (err) {
      this.logger.warn({ err }, 'cannot watch the directory; relying on polling');
    }
    this.schedulePoll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = undefined;
    this.options.timers.clearTimeout(this.debounceTimer);
    this.options.timers.clearTimeout(this.pollTimer);
    await this.reading;
  }

  private changed(): void {
    if (this.stopped) return;
    this.options.timers.clearTimeout(this.debounceTimer);
    this.debounceTimer = this.options.timers.setTimeout(() => void this.reload(), this.options.debounceMs);
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = this.options.timers.setTimeout(() => {
      void this.reload().finally(() => this.schedulePoll());
    }, this.options.pollIntervalMs);
  }

  /** One read at a time; a change during a read triggers one more. */
  private reload(): Promise<void> {
    if (this.reading !== undefined) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    const { path } = this.options;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      if (this.stopped) return;
      this.lastBytes = undefined;
      this.report(path, `cannot read the file (keeping the last good objects): ${(err as Error).message}`);
      return;
    }
    if (!this.stopped) this.load(bytes);
  }

  private load(bytes: Buffer): void {
    const { path } = this.options;
    // The fallback poll re-reads an unchanged file every few seconds: comparing bytes is the cheap way out.
    if (this.lastBytes?.equals(bytes) === true) return;
    this.lastBytes = bytes;
    const parsed = this.parser.parse(bytes);
    if (!parsed.ok) {
      this.report(`${path}:${parsed.problem.line}`, `${parsed.problem.message} (keeping the last good objects)`);
      return;
    }
    const sink = this.sink as SourceSink;
    for (const kind of OBJECT_KINDS) {
      const objects = parsed.objects.get(kind) ?? [];
      const before = this.delivered?.get(kind);
      if (before === undefined) {
        sink.replace(kind, objects);
        continue;
      }
      // Unchanged documents come back as the same objects: only the changed ones go to the sink.
      const { upserts, removals } = identityDiff(before, objects);
      for (const object of removals) sink.remove(kind, object);
      for (const object of upserts) sink.upsert(kind, object);
    }
    this.delivered = parsed.objects;
    sink.problem(this.name, undefined);
    this.logger.debug({ objects: [...parsed.objects.values()].reduce((n, l) => n + l.length, 0) }, 'file loaded');
  }

  private report(where: string, message: string): void {
    this.logger.warn({ where }, message);
    this.sink?.problem(this.name, { where, message });
  }
}
