/**
 * Steady request rate of the fault scenarios, per second. The issue asks for
 * 500/s "if the machine keeps up"; MESHPLUG_RELIABILITY_RATE overrides it
 * (bounded) so a bigger machine can run the full rate.
 */
export const LOAD_RATE = rateFromEnv(process.env.MESHPLUG_RELIABILITY_RATE, 200);

function rateFromEnv(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n >= 10 && n <= 2000 ? n : fallback;
}

/** How long discover-service stays down in the outage scenario, ms (the 30 s). */
export const OUTAGE_MS = 30_000;
