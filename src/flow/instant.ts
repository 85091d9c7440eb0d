/**
 * A point in time as authors and operators write it: an ISO 8601 time with its offset
 * (`2026-03-02T14:30:00-05:00`, `2026-03-02T19:30:00Z`), or where a day is enough a bare date
 * (`2026-12-01`, midnight UTC). The one reader of both: a flow test's `start.at`
 * (src/testing/start-time.ts) and the `--since`/`--until` options (src/options/option-schema.ts).
 * `Date.parse` is not used: it rolls `2026-02-30` over to March 2, reads `1` as the year 2001
 * and a time without an offset in the machine's own zone.
 */

const MIN_YEAR = 1970;
const MAX_YEAR = 9999;
/** Real offsets run from -12:00 to +14:00. */
const MAX_OFFSET_MINUTES = 14 * 60;

const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Epoch ms of `text`; `{ shape: false }` when it is not written as a time (or, with `dates`, a
 * date); `{ wrong }` when it is, but names no real instant (what is wrong, for a message).
 *
 * @example
 *   readInstant('2026-03-02T14:30:00-05:00');       // { ms: 1772479800000 }
 *   readInstant('2026-12-01', { dates: true });     // { ms: 1796083200000 }
 *   readInstant('2026-02-30T10:00:00Z');            // { wrong: '2026-02 has no day 30 (it has 28)' }
 */
export function readInstant(text: string, options: { dates?: boolean } = {}): { ms: number } | { shape: false } | { wrong: string } {
  const m = TIME.exec(text) ?? (options.dates === true ? DATE.exec(text) : null);
  if (!m) return { shape: false };
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  if (year < MIN_YEAR || year > MAX_YEAR) return { wrong: `the year must be from ${MIN_YEAR} to ${MAX_YEAR}` };
  if (month < 1 || month > 12) return { wrong: `there is no month ${month}` };
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return { wrong: `${year}-${m[2]} has no day ${day} (it has ${daysInMonth})` };
  if (hour > 23 || minute > 59 || second > 59) return { wrong: 'the time of day must be from 00:00:00 to 23:59:59' };
  let offset = 0;
  if (m[8] !== undefined && m[8] !== 'Z') {
    const minutes = Number(m[10]) * 60 + Number(m[11]);
    if (Number(m[11]) > 59 || minutes > MAX_OFFSET_MINUTES) return { wrong: 'the offset must be from -14:00 to +14:00' };
    offset = (m[9] === '-' ? -1 : 1) * minutes;
  }
  return { ms: Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000 };
}
