import type { CallRecord } from '../ops/call-records.js';

/** Where a replayed call first behaves differently from its record. */
export interface Divergence {
  /** What differs: the path through the flow, what the caller heard, tones sent, or how it ended. */
  what: 'node' | 'prompt' | 'sendDTMF' | 'end';
  /** 1-based position in that list (the 3rd node entered, the 2nd prompt played). */
  index: number;
  /** Where in the recorded call: `after the caller's 2nd event (dtmf 1 at 3.4 s)`. */
  step: string;
  expected: string;
  actual: string;
}

const NOTHING = '(nothing)';

/**
 * Compares what matters to a caller, in this order: the nodes the call went through, the
 * prompts played (names; spoken values as `#`), the tones sent by transfers (when the record
 * has them), and the end reason. The first difference is reported; timings are not compared
 * (a longer prompt is not a different behaviour).
 */
export function compareCalls(expected: CallRecord, actual: CallRecord): Divergence | undefined {
  const nodes = firstDifference(expected.nodes, actual.nodes);
  if (nodes !== undefined) {
    return { what: 'node', index: nodes + 1, step: `node #${nodes + 1}${after(expected.nodes, nodes)}`, expected: expected.nodes[nodes] ?? NOTHING, actual: actual.nodes[nodes] ?? NOTHING };
  }
  const heard = (r: CallRecord): string[] => r.prompts.map((p) => p.prompt.join(' + '));
  const prompts = firstDifference(heard(expected), heard(actual));
  if (prompts !== undefined) {
    const at = (expected.prompts[prompts] ?? actual.prompts[prompts])?.at ?? 0;
    return {
      what: 'prompt',
      index: prompts + 1,
      step: `prompt #${prompts + 1} at ${seconds(at)}${eventsBefore(expected, at)}`,
      expected: heard(expected)[prompts] ?? NOTHING,
      actual: heard(actual)[prompts] ?? NOTHING,
    };
  }
  if (expected.sentDtmf !== undefined) {
    const sent = firstDifference(expected.sentDtmf, actual.sentDtmf ?? []);
    if (sent !== undefined) {
      return { what: 'sendDTMF', index: sent + 1, step: `transfer tones #${sent + 1}`, expected: expected.sentDtmf[sent] ?? NOTHING, actual: actual.sentDtmf?.[sent] ?? NOTHING };
    }
  }
  if (expected.endReason !== actual.endReason) {
    return { what: 'end', index: 1, step: 'end of the call', expected: expected.endReason, actual: actual.endReason };
  }
  return undefined;
}

function firstDifference(a: readonly string[], b: readonly string[]): number | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return undefined;
}

function after(list: readonly string[], i: number): string {
  return i === 0 ? '' : ` (after ${list[i - 1]})`;
}

/** The caller's events up to `at`, to place a prompt in the recorded call. */
function eventsBefore(record: CallRecord, at: number): string {
  const before = record.timeline.filter((e) => e.at <= at && e.event !== 'playedStream');
  const last = before.at(-1);
  if (!last) return ', before the caller did anything';
  const what = last.event === 'dtmf' ? `key ${last.digit}` : last.event === 'clearedAudio' ? 'audio cleared' : last.event;
  return `, after ${what} at ${seconds(last.at)}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
