import { startChild, type BenchChild, type ChildSpec } from '../../bench/lib/children.js';

/**
 * The processes of one scenario by name, so a test can kill, stop and restart
 * one "container" and still stop everything at the end (also on failure:
 * the bench helper kills every child when the test process exits).
 */
export class ProcessTable {
  private readonly running = new Map<string, BenchChild>();
  private readonly exits = new Map<string, Promise<void>>();
  private readonly tailsOfExited = new Map<string, string>();

  start(spec: ChildSpec): BenchChild {
    if (this.running.has(spec.name)) throw new Error(`${spec.name} is already running`);
    const child = startChild(spec);
    this.running.set(spec.name, child);
    this.exits.set(
      spec.name,
      child.whenExited().catch(() => undefined),
    );
    return child;
  }

  get(name: string): BenchChild {
    const child = this.running.get(name);
    if (child === undefined) throw new Error(`${name} is not running`);
    return child;
  }

  has(name: string): boolean {
    return this.running.has(name);
  }

  /** Sends `signal` and waits (bounded) until the process is gone; SIGKILL after `graceMs`. Returns the exit code. */
  async signal(name: string, signal: NodeJS.Signals, graceMs = 5000): Promise<number | null> {
    const child = this.get(name);
    const exited = this.exits.get(name) as Promise<void>;
    child.process.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    if ((await Promise.race([exited, late])) === 'late') {
      child.process.kill('SIGKILL');
      await exited;
    }
    clearTimeout(timer);
    this.tailsOfExited.set(name, child.tail());
    this.running.delete(name);
    this.exits.delete(name);
    return child.process.exitCode;
  }

  /** The last output lines of a process stopped with signal(). */
  exitedTail(name: string): string {
    return this.tailsOfExited.get(name) ?? '';
  }

  async stopAll(): Promise<void> {
    const names = [...this.running.keys()].reverse();
    await Promise.allSettled(names.map((name) => this.signal(name, 'SIGTERM', 3000)));
  }
}
