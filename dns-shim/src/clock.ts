/** Milliseconds since an arbitrary origin; injected so tests can move time by hand. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => performance.now() });

/** A clock tests advance explicitly. */
export class ManualClock implements Clock {
  constructor(private ms = 0) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}
