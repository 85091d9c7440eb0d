/**
 * `start.at` of a flow test case: when the call starts on the simulated clock. The schema
 * admits the shape (an ISO 8601 time with its offset, at most 29 characters); this decides
 * whether it names a real instant, because `Date.parse` quietly rolls `2026-02-30` over to
 * March 2 and would start the call on a day the author never wrote.
 */
import { readInstant } from '../flow/instant.js';

/** Monday 2026-01-05 09:00 UTC: 03:00 in Chicago, 04:00 in New York (before US business hours). */
export const DEFAULT_START_AT = Date.UTC(2026, 0, 5, 9, 0, 0);

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The same, as `ivr test --help` and flows/README.md show it: `Monday 2026-01-05T09:00:00Z`. */
export const DEFAULT_START_TEXT = `${WEEKDAYS[new Date(DEFAULT_START_AT).getUTCDay()]} ${new Date(DEFAULT_START_AT).toISOString().replace('.000Z', 'Z')}`;

/**
 * Epoch ms of `text`, or why it is not a time a call can start at (the rule: src/flow/instant.ts).
 *
 * @example
 *   parseStartAt('2026-03-02T14:30:00-05:00'); // { ms: 1772479800000 }
 *   parseStartAt('2026-02-30T10:00:00Z');      // { error: 'February 30 ...' }
 */
export function parseStartAt(text: string): { ms: number } | { error: string } {
  const read = readInstant(text);
  if ('ms' in read) return read;
  if ('wrong' in read) return { error: `start.at \`${text}\`: ${read.wrong}` };
  return { error: `start.at must be an ISO 8601 time with its offset, such as 2026-03-02T14:30:00-05:00 or 2026-03-02T19:30:00Z, not \`${text}\`` };
}
