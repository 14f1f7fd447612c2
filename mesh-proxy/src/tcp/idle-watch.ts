import type { ProxyTimers } from '../options/proxy-options.js';

/** Checks per period: a connection closes between 1 and 1 + 1/CHECKS periods after its last byte. */
const CHECKS_PER_PERIOD = 4;

/**
 * TCPIdleTimeout of a spliced connection. `socket.setTimeout` re-arms a timer
 * on every read and write; here traffic only bumps a counter (`activity()`,
 * the relays' read counts) and a timer samples it each quarter period:
 * `onIdle` runs after a full period of samples without change.
 */
export class IdleWatch {
  private timer: unknown;
  private seen = 0;
  private quiet = 0;

  constructor(
    private readonly periodMs: number,
    private readonly timers: ProxyTimers,
    private readonly activity: () => number,
    private readonly onIdle: () => void,
  ) {
    this.arm();
  }

  stop(): void {
    this.timers.clearTimeout(this.timer);
  }

  private arm(): void {
    this.timer = this.timers.setTimeout(() => this.sample(), this.periodMs / CHECKS_PER_PERIOD);
  }

  private sample(): void {
    const now = this.activity();
    if (now !== this.seen) {
      this.seen = now;
      this.quiet = 0;
    } else if (++this.quiet >= CHECKS_PER_PERIOD) {
      this.onIdle();
      return;
    }
    this.arm();
  }
}
