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
/** The bit that tells an ASCII lower-case letter from its upper case. */
const CASE_BIT = 0x20;

/** An ASCII upper-case letter's lower-case byte; every other byte unchanged. */
export function foldByte(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | CASE_BIT : b;
}

/**
 * FNV-1a of `buf[start..end)`, walked from the end, with bit 0x20 of every
 * byte set: equal for names that differ only in letter case (and, rarely, for
 * others: matches are confirmed byte by byte). Walking backwards makes every
 * suffix's hash a step of the whole name's, so one pass hashes them all
 * (see {@link hashWireSuffixes}).
 */
export function hashWireName(buf: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = end - 1; i >= start; i--) h = Math.imul(h ^ ((buf[i] as number) | CASE_BIT), FNV_PRIME);
  return h & SMI_MASK;
}

/** Labels a valid name can have (255 bytes, each label at least two). */
export const MAX_LABELS = 127;

/**
 * For the valid wire name at `buf[start..end)`: the offset of every label in
 * `offsets` and the {@link hashWireName} of the suffix it starts in `hashes`
 * (index 0 is the whole name; the root is not counted), in one pass. Both
 * arrays hold at least {@link MAX_LABELS}. Returns the label count.
 */
export function hashWireSuffixes(buf: Uint8Array, start: number, end: number, offsets: Int32Array, hashes: Int32Array): number {
  let labels = 0;
  // A valid name ends within MAX_LABELS labels; the bound only keeps a bad caller from writing past the arrays.
  for (let pos = start; buf[pos] !== 0 && labels < MAX_LABELS; pos += 1 + (buf[pos] as number)) offsets[labels++] = pos;
  let h = FNV_OFFSET;
  let i = end - 1;
  for (let label = labels - 1; label >= 0; label--) {
    const from = offsets[label] as number;
    for (; i >= from; i--) h = Math.imul(h ^ ((buf[i] as number) | CASE_BIT), FNV_PRIME);
    hashes[label] = h & SMI_MASK;
  }
  return labels;
}

/** Whether `buf` holds, from `start`, exactly the (already lower-case) wire name `key`, letters folded. */
export function wireNameMatches(buf: Uint8Array, start: number, key: Uint8Array): boolean {
  if (start + key.length > buf.length) return false;
  for (let i = 0; i < key.length; i++) {
    const b = buf[start + i] as number;
    const k = key[i] as number;
    // Nearly always the same byte; otherwise only an upper-case letter may match its lower case.
    if (b !== k && (b < 0x41 || b > 0x5a || (b | CASE_BIT) !== k)) return false;
  }
  return true;
}
