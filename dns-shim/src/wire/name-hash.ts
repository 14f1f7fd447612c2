/**
 * Names compared and hashed straight from message bytes, so looking a
 * question up allocates nothing: wire form (length-prefixed labels, final
 * zero) with ASCII letters folded to lower case (RFC 4343). Length bytes are
 * at most 63, below 'A', so folding never touches them.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Hashes stay small integers (V8 Smis): Map lookups by them never box a number. */
const SMI_MASK = 0x3fffffff;

/** An ASCII upper-case letter's lower-case byte; every other byte unchanged. */
export function foldByte(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

/** FNV-1a of `buf[start..end)`, letters folded. */
export function hashWireName(buf: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ foldByte(buf[i] as number), FNV_PRIME);
  return h & SMI_MASK;
}

/** Whether `buf` holds, from `start`, exactly the (already lower-case) wire name `key`, letters folded. */
export function wireNameMatches(buf: Uint8Array, start: number, key: Uint8Array): boolean {
  if (start + key.length > buf.length) return false;
  for (let i = 0; i < key.length; i++) {
    if (foldByte(buf[start + i] as number) !== key[i]) return false;
  }
  return true;
}
