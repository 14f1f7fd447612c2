import { PluginApiErrors } from '../errors/catalogue.js';

/** An inclusive port range for generated outer ports. */
export interface PortRange {
  min: number;
  max: number;
}

/** Rainbond's range for plugin listen ports. */
export const DEFAULT_OUTER_PORT_RANGE: Readonly<PortRange> = Object.freeze({ min: 65301, max: 65400 });

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/**
 * Gives every app port of a pod an outer port in `range`.
 *
 * Each port prefers the slot congruent to it modulo the range size (with the
 * default range 8080 -> 65380, 6379 -> 65379), so the outer port is readable and
 * depends only on the port's own number. Ports preferring the same slot are
 * settled by number: the lowest keeps it, the others take the next free slots
 * (in ascending port order) once every uncontested preference is placed, so a
 * port without a collision never moves when other ports come or go.
 *
 * Throws API_ERR_OUTER_PORTS when a port is invalid, an app port lies inside the
 * range (it could shadow an outer port), or the range is too small.
 */
export function assignOuterPorts(appPorts: readonly number[], range: PortRange = DEFAULT_OUTER_PORT_RANGE): Map<number, number> {
  if (!isPort(range.min) || !isPort(range.max) || range.min > range.max) {
    throw new PluginApiErrors.API_ERR_OUTER_PORTS(`invalid range ${range.min}-${range.max}`);
  }
  const ports = [...new Set(appPorts)].sort((a, b) => a - b);
  for (const p of ports) {
    if (!isPort(p)) throw new PluginApiErrors.API_ERR_OUTER_PORTS(`${p} is not a valid port`);
    if (p >= range.min && p <= range.max) {
      throw new PluginApiErrors.API_ERR_OUTER_PORTS(
        `app port ${p} lies inside the outer port range ${range.min}-${range.max}; choose another range`,
      );
    }
  }
  const size = range.max - range.min + 1;
  if (ports.length > size) {
    throw new PluginApiErrors.API_ERR_OUTER_PORTS(
      `${ports.length} ports do not fit in the outer port range ${range.min}-${range.max} (${size} ports)`,
    );
  }
  const preferred = (p: number): number => range.min + ((((p - range.min) % size) + size) % size);
  const taken = new Set<number>();
  const out = new Map<number, number>();
  const losers: number[] = [];
  // Ascending order: the lowest port claiming a slot wins it.
  for (const p of ports) {
    const slot = preferred(p);
    if (taken.has(slot)) {
      losers.push(p);
    } else {
      taken.add(slot);
      out.set(p, slot);
    }
  }
  for (const p of losers) {
    let slot = preferred(p);
    while (taken.has(slot)) slot = slot === range.max ? range.min : slot + 1;
    taken.add(slot);
    out.set(p, slot);
  }
  return out;
}
