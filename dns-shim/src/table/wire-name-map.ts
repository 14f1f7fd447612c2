import { hashWireName, wireNameMatches } from '../wire/name-hash.js';

interface Slot<V> {
  /** The name in wire form, lower case. */
  key: Uint8Array;
  value: V;
  /** Another name with the same hash. */
  next: Slot<V> | undefined;
}

/**
 * Values by DNS name, found straight from a message's bytes: a hash of the
 * folded name picks the slot, a byte comparison confirms it. A lookup
 * allocates nothing (no name string is ever built for it).
 */
export class WireNameMap<V> {
  readonly #slots = new Map<number, Slot<V>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds a name given as its key (see nameToKey); false, and no change, when it is already there. */
  add(key: string, value: V): boolean {
    const bytes = Buffer.from(key, 'latin1');
    const hash = hashWireName(bytes, 0, bytes.length);
    const head = this.#slots.get(hash);
    for (let slot = head; slot !== undefined; slot = slot.next) {
      if (wireNameMatches(bytes, 0, slot.key)) return false;
    }
    this.#slots.set(hash, { key: bytes, value, next: head });
    this.#size++;
    return true;
  }

  /** The value of the wire-form name starting at `buf[start]`, whose {@link hashWireName} is `hash`. */
  find(buf: Uint8Array, start: number, hash: number): V | undefined {
    for (let slot = this.#slots.get(hash); slot !== undefined; slot = slot.next) {
      if (wireNameMatches(buf, start, slot.key)) return slot.value;
    }
    return undefined;
  }
}
