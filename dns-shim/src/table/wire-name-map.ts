import { hashWireName, wireNameMatches } from '../wire/name-hash.js';

interface Slot<V> {
  /** The name in wire form, lower case. */
  key: Uint8Array;
  hash: number;
  value: V;
  /** Another name in the same bucket. */
  next: Slot<V> | undefined;
}

/** Buckets of an empty map; doubled whenever names outnumber half of them. */
const INITIAL_BUCKETS = 16;

/**
 * Values by DNS name, found straight from a message's bytes: a hash of the
 * folded name picks the bucket, a byte comparison confirms it. A lookup
 * allocates nothing (no name string is ever built for it) and is an array
 * index rather than a Map probe, since it runs for every query.
 */
export class WireNameMap<V> {
  #buckets: (Slot<V> | undefined)[] = new Array<Slot<V> | undefined>(INITIAL_BUCKETS).fill(undefined);
  #mask = INITIAL_BUCKETS - 1;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds a name given as its key (see nameToKey); false, and no change, when it is already there. */
  add(key: string, value: V): boolean {
    const bytes = Buffer.from(key, 'latin1');
    const hash = hashWireName(bytes, 0, bytes.length);
    if (this.find(bytes, 0, hash) !== undefined) return false;
    if (++this.#size > this.#buckets.length / 2) this.#grow();
    const index = hash & this.#mask;
    this.#buckets[index] = { key: bytes, hash, value, next: this.#buckets[index] };
    return true;
  }

  /** The value of the wire-form name starting at `buf[start]`, whose {@link hashWireName} is `hash`. */
  find(buf: Uint8Array, start: number, hash: number): V | undefined {
    for (let slot = this.#buckets[hash & this.#mask]; slot !== undefined; slot = slot.next) {
      if (slot.hash === hash && wireNameMatches(buf, start, slot.key)) return slot.value;
    }
    return undefined;
  }

  #grow(): void {
    const old = this.#buckets;
    this.#buckets = new Array<Slot<V> | undefined>(old.length * 2).fill(undefined);
    this.#mask = this.#buckets.length - 1;
    for (let slot of old) {
      while (slot !== undefined) {
        const next = slot.next;
        const index = slot.hash & this.#mask;
        slot.next = this.#buckets[index];
        this.#buckets[index] = slot;
        slot = next;
      }
    }
  }
}
