/**
 * Every figure `ivr report` gives, defined once: the JSON key, the heading the text and HTML
 * reports print, and the sentence README's "Reading the report" section and the HTML legend show.
 * A test checks that README defines each name with this sentence's meaning, so the words stay
 * the same in text, json, html and docs (shared/report.md, "Definitions").
 */
import { DEFAULTS } from '../flow/defaults.js';
import { shortened } from '../diagnostics/escape-control.js';

export interface Figure {
  /** The JSON key, and the name every format prints. */
  name: string;
  /** What is counted, for readers of the numbers (not only flow authors). */
  means: string;
}

function figures<const T extends Record<string, string>>(defs: T): { [K in keyof T]: Figure } {
  return Object.fromEntries(Object.entries(defs).map(([name, means]) => [name, { name, means }])) as { [K in keyof T]: Figure };
}

/** Figures of the whole report. */
export const REPORT_FIGURES = figures({
  records: 'call records read (after `--since`/`--until`), one per call',
  skipped: 'lines that are not call records: torn (a crash mid-write), not JSON, not a call record, longer than the line limit, or beyond the limit of flows and groups; never fatal',
});

/** Figures of one flow (and version or day with --by). */
export const FLOW_FIGURES = figures({
  calls: 'records of the flow: one per call; a subflow\'s nodes count in the flow that called it, named `<subflow>/<node>`',
  outcomes: 'calls per end reason: `completed`, `transferred`, `hangup`, `error`, `max-call-duration`, `shutdown`, `failed`, or a flow\'s own `end.reason`',
  contained: 'calls that ended inside the flow, without a transfer and without the caller hanging up: `completed` plus the flow\'s own end reasons',
  containment: '`contained` / `calls`',
  durationMs: 'call length in milliseconds: p50, p90, p99 (half, nine in ten, 99 in 100 calls were this long or shorter)',
});

/** Per node (a subflow's nodes as `<subflow>/<node>`). */
export const NODE_FIGURES = figures({
  entries: 'times calls entered the node (a call may enter twice)',
  calls: 'distinct calls that entered the node',
  hangups: 'calls whose caller hung up while in this node (the last node of a `hangup` call): the drop-off',
  exits: 'times calls went from this node to each next node',
  dropOff: '`hangups` / `calls` of the node',
});

/** Per menu and collect node. */
export const INPUT_FIGURES = figures({
  attempts: 'inputs decided in the node: every match, no-input and no-match',
  noInput: 'attempts where the caller pressed nothing before the timeout',
  noMatch: 'attempts whose keys matched no option, pattern or rule',
  matches: 'attempts per key pressed (an option or global key, the digits a `match` pattern or a collect took; `***` in sensitive collects)',
  failed: 'times a call reached the handler\'s `then` (or the flow\'s `onFailure`) after `max` no-inputs or no-matches',
  failureRate: '`failed` / `entries` of the node',
});

/** Per fetch: method and URL, with digits-bearing path segments and query values as {}. */
export const FETCH_FIGURES = figures({
  count: 'requests made (a retry is another request)',
  errors: 'requests that failed, per outcome (`timeout`, `status`, `network`, `invalid-json`, `cancelled`: the call ended first)',
  p50Ms: 'half of the requests took this long or less (milliseconds)',
  p95Ms: '19 in 20 requests took this long or less (milliseconds)',
});

/** Every figure with what it is a figure of: README's table and the HTML legend list them in this order. */
export const ALL_FIGURES: readonly (Figure & { of: string })[] = ([
  ['report', REPORT_FIGURES], ['flow', FLOW_FIGURES], ['node', NODE_FIGURES], ['menu or collect', INPUT_FIGURES], ['fetch', FETCH_FIGURES],
] as const).flatMap(([of, figs]) => Object.values(figs).map((fig: Figure) => ({ ...fig, of })));

/** End reasons that are not the flow's own: everything else (a custom `end.reason`) counts as contained. */
export const ENGINE_END_REASONS = ['completed', 'transferred', 'hangup', 'error', 'max-call-duration', 'shutdown', 'failed'] as const;

/**
 * Longest name a report keeps (flow id, version, node, next node, key, end reason, fetch): a
 * longer one from a records file is cut, so what the name limits (flow-tally.ts) allow is also
 * bounded in bytes. Two names that differ only past this count as one.
 */
export const MAX_NAME_CHARS = 200;

/** `name`, or its first MAX_NAME_CHARS - 1 characters and `…` (never half a surrogate pair). */
export function keptName(name: string): string {
  return shortened(name, MAX_NAME_CHARS);
}

/** Whether a call with this end reason was contained (see FLOW_FIGURES.contained). */
export function isContained(endReason: string): boolean {
  return endReason === DEFAULTS.endReason || !(ENGINE_END_REASONS as readonly string[]).includes(endReason);
}

/** A share rounded to 3 decimals (0.583), 0 when there is nothing to divide by. */
export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000;
}
