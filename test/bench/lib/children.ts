import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { sleep } from './timing.js';

/** What {@link startChild} runs. */
export interface ChildSpec {
  /** Short name used in messages (e.g. `haproxy`, `mesh-proxy`). */
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** A running child process whose output lines are kept (bounded) for error messages and readiness. */
export interface BenchChild {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves with the first output line matching `pattern`; rejects on exit or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** The last output lines (stdout and stderr), for error messages. */
  tail(): string;
  /** Rejects (with the output tail) when the process exits; never resolves. */
  whenExited(): Promise<never>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_LINES = 40;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Whatever happens to the harness (error, Ctrl-C), no benchmark process outlives it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const child of running) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Starts one child process (no shell), collecting its output lines. */
export function startChild(spec: ChildSpec): BenchChild {
  installExitHook();
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  running.add(child);
  const lines: string[] = [];
  const waiters = new Set<(line: string | undefined) => void>();
  let exited = false;
  const onLine = (line: string): void => {
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
    for (const waiter of waiters) waiter(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream !== null) createInterface({ input: stream }).on('line', onLine);
  }
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      running.delete(child);
      for (const waiter of waiters) waiter(undefined);
      resolve();
    });
  });
  const tail = (): string => lines.join('\n');
  return {
    name: spec.name,
    pid: child.pid,
    process: child,
    tail,
    whenExited: () => exitedPromise.then(() => Promise.reject(new Error(`${spec.name} exited (${child.exitCode ?? child.signalCode}):\n${tail()}`))),
    waitForLine(pattern, timeoutMs) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      if (exited) return Promise.reject(new Error(`${spec.name} exited before printing ${pattern}:\n${tail()}`));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${spec.name}: no line ${pattern} within ${timeoutMs} ms:\n${tail()}`));
        }, timeoutMs);
        const waiter = (line: string | undefined): void => {
          if (line !== undefined && !pattern.test(line)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          if (line === undefined) reject(new Error(`${spec.name} exited before printing ${pattern}:\n${tail()}`));
          else resolve(line);
        };
        waiters.add(waiter);
      });
    },
    async stop(graceMs = 3000) {
      if (exited) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([exitedPromise.then(() => true), sleep(graceMs).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    },
  };
}

/** Stops children in reverse start order; collects every child's stop even if one fails. */
export class ChildGroup {
  readonly #children: BenchChild[] = [];

  add(child: BenchChild): BenchChild {
    this.#children.push(child);
    return child;
  }

  start(spec: ChildSpec): BenchChild {
    return this.add(startChild(spec));
  }

  /** `work`, unless one of the group's processes exits first: then that exit, with its output. */
  guard<T>(work: Promise<T>): Promise<T> {
    const exits = this.#children.map((child) => child.whenExited());
    for (const exit of exits) exit.catch(() => undefined);
    return Promise.race([work, ...exits]);
  }

  async stopAll(): Promise<void> {
    const children = this.#children.splice(0).reverse();
    await Promise.allSettled(children.map((child) => child.stop()));
  }
}

/** Spawns a command to completion and returns its output (for `haproxy -v`, `dnsperf`, `wrk`, ...). */
export function runToCompletion(
  command: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    installExitHook();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
