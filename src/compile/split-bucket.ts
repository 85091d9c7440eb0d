/**
 * The `split` node's bucket of a call (flow-language v1.1): the FNV-1a 32-bit hash of the
 * callId's UTF-8 bytes, modulo 100. Deterministic, so `ivr test` (through `start.callId`) and
 * `ivr replay` reach and reproduce each branch; FNV-1a spreads similar ids (`call-1`, `call-2`).
 * Constants from the FNV reference (http://www.isthe.com/chongo/tech/comp/fnv/).
 *
 * @example splitBucket('') // 2166136261 % 100 = 61
 */
const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

export function splitBucket(callId: string): number {
  return fnv1a32(callId) % 100;
}

/**
 * The case a bucket takes: the first whose running sum of `percent` is greater than the bucket;
 * a case without percent takes every bucket left. -1 when none does (validate rejects that flow).
 */
export function splitCase(percents: (number | undefined)[], bucket: number): number {
  let sum = 0;
  for (let i = 0; i < percents.length; i++) {
    const percent = percents[i];
    if (percent === undefined) return i;
    sum += percent;
    if (sum > bucket) return i;
  }
  return -1;
}
