/**
 * The keys a caller can press and Plivo can send or play: digits, star, pound and the A-D column
 * (plivo-protocol.md). The one place the set is written; every check of a key derives from it.
 */
const KEY_CLASS = '0-9*#A-D';

/** Every key, in keypad order. */
export const DTMF_KEY_LIST = '0123456789*#ABCD';
/** Exactly one key (a `dtmf` frame's digit). */
export const DTMF_KEY = new RegExp(`^[${KEY_CLASS}]$`);
/** One or more keys (a transfer's tones, a test's `press`). */
export const DTMF_KEYS = new RegExp(`^[${KEY_CLASS}]+$`);

/** `text` without the characters that are not keys. */
export function onlyDtmfKeys(text: string): string {
  return text.replace(new RegExp(`[^${KEY_CLASS}]`, 'g'), '');
}
