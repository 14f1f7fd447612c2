import { ManagedChild, type ChildSpec } from './managed-child.js';

/**
 * The children one run started: started in order, stopped together, and
 * watched, so a child that dies while it should be running is noticed at once.
 */
export class ChildGroup {
  /** Resolves with the first child that exits without being asked to stop. */
  readonly unexpectedExit: Promise<ManagedChild>;
  private readonly children: ManagedChild[] = [];
  private reportExit: (child: ManagedChild) => void = () => undefined;

  constructor() {
    this.unexpectedExit = new Promise((resolve) => {
      this.reportExit = resolve;
    });
    // Callers race on it; nobody needs to be listening for it to settle safely.
    this.unexpectedExit.catch(() => undefined);
  }

  start(spec: ChildSpec): ManagedChild {
    const child = new ManagedChild(spec);
    this.children.push(child);
    void child.exited.then(() => {
      if (!child.stopRequested) this.reportExit(child);
    });
    return child;
  }

  get size(): number {
    return this.children.length;
  }

  /** Every child's last output lines, for a failure report. */
  tails(): string {
    return this.children.map((c) => `${c.describe()}:\n${c.tail()}`).join('\n');
  }

  /** Stops every child (all at once; each gets `graceMs` before SIGKILL); never rejects. */
  async stopAll(graceMs: number): Promise<void> {
    const all = this.children.splice(0);
    await Promise.allSettled(all.map((c) => c.stop(graceMs)));
  }
}
