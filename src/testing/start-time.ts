/**
 * `start.at` of a flow test case: when the call starts on the simulated clock. The schema
 * admits the shape (an ISO 8601 time with its offset, at most 29 characters); this decides
 * whether it names a real instant, because `Date.parse` quietly rolls `2026-02-30` over to
 * March 2 and would start the call on a day the author never wrote.
 */

/** Monday 2026-01-05 09:00 UTC: 03:00 in Chicago, 04:00 in New York (before US business hours). */
export const DEFAULT_START_AT = Date.UTC(2026, 0, 5, 9, 0, 0);

/** The same, as `ivr test --help` and flows/README.md show it. */
export const DEFAULT_START_TEXT = 'Monday 2026-01-05T09:00:00Z';

const MIN_YEAR = 1970;
const MAX_YEAR = 9999;
/** Real offsets run from -12:00 to +14:00. */
const MAX_OFFSET_MINUTES = 14 * 60;

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Epoch ms of `text`, or why it is not a time a call can start at.
 *
 * @example
 *   parseStartAt('2026-03-02T14:30:00-05:00'); // { ms: 1772479800000 }
 *   parseStartAt('2026-02-30T10:00:00Z');      // { error: 'February 30 ...' }
 */
export function parseStartAt(text: string): { ms: number } | { error: string } {
  const m = SHAPE.exec(text);
  if (!m) return { error: `start.at must be an ISO 8601 time with its offset, such as 2026-03-02T14:30:00-05:00 or 2026-03-02T19:30:00Z, not \`${text}\`` };
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  if (year < MIN_YEAR || year > MAX_YEAR) return { error: `start.at \`${text}\`: the year must be from ${MIN_YEAR} to ${MAX_YEAR}` };
  if (month < 1 || month > 12) return { error: `start.at \`${text}\`: there is no month ${month}` };
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return { error: `start.at \`${text}\`: ${year}-${m[2]} has no day ${day} (it has ${daysInMonth})` };
  if (hour > 23 || minute > 59 || second > 59) return { error: `start.at \`${text}\`: the time of day must be from 00:00:00 to 23:59:59` };
  let offset = 0;
  if (m[8] !== 'Z') {
    const minutes = Number(m[10]) * 60 + Number(m[11]);
    if (Number(m[11]) > 59 || minutes > MAX_OFFSET_MINUTES) return { error: `start.at \`${text}\`: the offset must be from -14:00 to +14:00` };
    offset = (m[9] === '-' ? -1 : 1) * minutes;
  }
  return { ms: Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000 };
}
