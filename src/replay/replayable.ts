import type { CallRecord } from '../ops/call-records.js';

/**
 * Why a recorded call cannot be replayed faithfully, or undefined when it can. Nothing is guessed:
 * - keys typed in a `sensitive` collect were recorded as `*`: the digits are gone;
 * - a fetch that was answered (2xx): records keep no response bodies (they may hold customer
 *   data), and a flow reads the body, so the call's path after it cannot be known. Failed
 *   fetches (timeout, network, HTTP status, invalid JSON) replay as the same failure;
 * - the record was cut at its bounds (`truncated`, call-records.ts): part of the timeline is gone.
 */
export function notReplayable(record: CallRecord): string | undefined {
  if (record.truncated !== undefined) {
    const parts = Object.entries(record.truncated).map(([list, n]) => (list === 'bytes' ? `a ${n}-byte line written without its lists` : `${n} ${list} entries dropped`));
    return `the record was cut at its bounds (${parts.join(', ')})`;
  }
  const masked = record.timeline.filter((e) => e.event === 'dtmf' && e.sensitive).length;
  if (masked > 0) return `${masked} key(s) were typed in a sensitive collect and recorded masked`;
  const answered = record.fetches.findIndex((f) => f.outcome === 'ok');
  if (answered >= 0) {
    return `fetch #${answered + 1} (${record.fetches[answered]!.method.toUpperCase()}) was answered and call records keep no response bodies`;
  }
  return undefined;
}
