import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { childEnv } from './meshplug-command.js';

/** What to run. No shell is involved: `command` and `args` are passed as they are. */
export interface ChildSpec {
  /** Short name used in messages and log prefixes, e.g. `mesh-proxy tomcat-0`. */
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  /** The child's whole environment, nothing else is inherited. Default {@link childEnv}(). */
  env?: NodeJS.ProcessEnv;
  /** Called with every output line (stdout and stderr), e.g. to pass logs through. */
  onLine?: (line: string) => void;
}

/** How a child ended: an exit code, a signal, or a spawn error. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** Output lines kept per child for error messages. */
const TAIL_LINES = 60;

function describeExit(exit: ChildExit): string {
  if (exit.error !== undefined) return `could not start (${exit.error.message})`;
  return exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;
}

/**
 * One child process in its own process group (so stopping it also stops
 * whatever it forked, and a Ctrl-C in the terminal reaches only the parent,
 * which then stops its children in order), with its last output lines kept.
 */
export class ManagedChild {
  readonly name: string;
  /** Settles once, when the process is gone; never rejects. */
  readonly exited: Promise<ChildExit>;
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private exit: ChildExit | undefined;
  private stopping = false;

  constructor(spec: ChildSpec) {
    this.name = spec.name;
    this.child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const onLine = (line: string): void => {
      this.lines.push(line);
      if (this.lines.length > TAIL_LINES) this.lines.shift();
      spec.onLine?.(line);
    };
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (stream !== null) createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
    }
    this.exited = new Promise<ChildExit>((resolve) => {
      const done = (exit: ChildExit): void => {
        if (this.exit !== undefined) return;
        this.exit = exit;
        resolve(exit);
      };
      this.child.once('error', (error) => done({ code: null, signal: null, error }));
      // 'close' (not 'exit'): every output line has been read by then.
      this.child.once('close', (code, signal) => done({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether stop() was called: an exit after it is expected. */
  get stopRequested(): boolean {
    return this.stopping;
  }

  /** How it ended, once it has. */
  get exitStatus(): ChildExit | undefined {
    return this.exit;
  }

  /** `tomcat-0 exited with code 1`, or `tomcat-0 is running`. */
  describe(): string {
    return `${this.name} ${this.exit === undefined ? 'is running' : describeExit(this.exit)}`;
  }

  /** The last output lines, indented, for error messages. */
  tail(): string {
    if (this.lines.length === 0) return `  (${this.name} printed nothing)`;
    return this.lines.map((l) => `  ${this.name} | ${l}`).join('\n');
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs: number): Promise<ChildExit> {
    this.stopping = true;
    if (this.exit !== undefined) return this.exit;
    this.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    const first = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (first !== undefined) return first;
    this.signal('SIGKILL');
    return this.exited;
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone; fall back to the process itself.
      this.child.kill(signal);
    }
  }
}
