import { createHash } from 'node:crypto';
import { PluginApiErrors } from '../errors/catalogue.js';

/*
 * VIPs live in 127.1.0.1 .. 127.255.255.254: outside 127.0.0.0/16 (where the
 * pod's own loopback services and the demo's pod addresses sit), never a .0
 * or .255 last octet. Slots are numbered 0..VIP_SLOTS-1.
 */
const Z_VALUES = 254; // last octet 1..254
const Y_VALUES = 256;
const X_VALUES = 255; // second octet 1..255
const VIP_SLOTS = X_VALUES * Y_VALUES * Z_VALUES;

function slotToAddress(slot: number): string {
  const x = 1 + Math.floor(slot / (Y_VALUES * Z_VALUES));
  const rest = slot % (Y_VALUES * Z_VALUES);
  return `127.${x}.${Math.floor(rest / Z_VALUES)}.${1 + (rest % Z_VALUES)}`;
}

/** Home slots already hashed: reallocating after one Service change re-hashes nothing. Bounded. */
const homeSlots = new Map<string, number>();
const HOME_SLOTS_MAX = 200_000;

function homeSlot(key: string): number {
  let slot = homeSlots.get(key);
  if (slot === undefined) {
    // 48 bits of SHA-1: plenty to spread 16.5M slots evenly.
    slot = createHash('sha1').update(key).digest().readUIntBE(0, 6) % VIP_SLOTS;
    if (homeSlots.size >= HOME_SLOTS_MAX) homeSlots.clear();
    homeSlots.set(key, slot);
  }
  return slot;
}

/** The VIP `key` gets whenever no other key hashes to the same slot. */
export function homeVip(key: string): string {
  return slotToAddress(homeSlot(key));
}

/**
 * Gives every `namespace/name` key a loopback VIP, deterministically: the same
 * key set gives the same map in any order and on every replica.
 *
 * Each key hashes to a home slot. Keys sharing a home slot are sorted; the
 * first keeps it, the others probe upwards for free slots after all home slots
 * are placed. So a key's VIP changes only when it collides directly with a key
 * that is added or removed.
 */
export function allocateVips(keys: readonly string[]): Map<string, string> {
  const unique = [...new Set(keys)].sort();
  if (unique.length > VIP_SLOTS) {
    throw new PluginApiErrors.API_ERR_VIP_SPACE(`${unique.length} services, ${VIP_SLOTS} VIPs`);
  }
  const taken = new Set<number>();
  const slots = new Map<string, number>();
  const losers: string[] = [];
  for (const key of unique) {
    const slot = homeSlot(key);
    if (taken.has(slot)) {
      losers.push(key);
    } else {
      taken.add(slot);
      slots.set(key, slot);
    }
  }
  for (const key of losers) {
    let slot = homeSlot(key);
    while (taken.has(slot)) slot = (slot + 1) % VIP_SLOTS;
    taken.add(slot);
    slots.set(key, slot);
  }
  const out = new Map<string, string>();
  for (const key of unique) out.set(key, slotToAddress(slots.get(key) as number));
  return out;
}
