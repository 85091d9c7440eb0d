import { exprRefs, nodeEntries } from '../check/flow-walk.js';
import { splitBucket, splitCase } from '../compile/split-bucket.js';
import { flowLanguages, LANGUAGE_VAR } from '../flow/languages.js';
import type { FlowDoc } from '../flow/types.js';
import { DEFAULT_START_AT } from './start-time.js';

/**
 * What a generated test case may set before its first step (`start:` in the test file), for
 * the branches no key press reaches: when the call starts (`start.at`: a branch on `now`), its
 * id (`start.callId`: a `split`'s bucket) and its language (`start.headers.lang`).
 */
export interface StartVariant {
  /** Epoch ms. */
  at?: number;
  callId?: string;
  lang?: string;
}

/**
 * A node whose way on depends on how the call started, with the starts worth trying there, in
 * the order a generated test would best show them (the earliest time after the default clock,
 * the lowest call id).
 */
export interface Divergence {
  node: string;
  /** Every node it can go to. */
  targets: ReadonlySet<string>;
  candidates: readonly StartVariant[];
}

const HOUR = 3_600_000;
/** Every hour of one week from the default clock: each hour of each weekday in every time zone a flow names (whole-hour offsets; half-hour ones land on :30). */
const WEEK_OF_HOURS: readonly StartVariant[] = Array.from({ length: 7 * 24 }, (_, i) => ({ at: DEFAULT_START_AT + (i + 1) * HOUR }));

/**
 * The flow's nodes whose successor depends on the call's start: every `split` (one call id per
 * case), and every `branch` whose conditions read `now` or the language, directly or through a
 * variable assigned from them (`hour: "now.getHours(tz)"`, then `if: "hour >= 8"`).
 */
export function divergences(doc: FlowDoc): Divergence[] {
  const reads = startDependentNames(doc);
  const languages = flowLanguages(doc).slice(1).map((lang) => ({ lang }));
  const out: Divergence[] = [];
  for (const [name, node] of nodeEntries(doc)) {
    if ('split' in node) {
      const percents = node.split.map((c) => c.percent);
      const candidates = node.split.map((_, i) => ({ callId: callIdFor(percents, i) })).filter((v): v is { callId: string } => v.callId !== undefined);
      out.push({ node: name, targets: new Set(node.split.map((c) => c.goto)), candidates });
    } else if ('branch' in node) {
      const conditions = node.branch.map((c) => c.if ?? '');
      const candidates = [
        ...(conditions.some((c) => mentions(c, reads.time)) ? WEEK_OF_HOURS : []),
        ...(conditions.some((c) => mentions(c, reads.language)) ? languages : []),
      ];
      if (candidates.length > 0) out.push({ node: name, targets: new Set(node.branch.map((c) => c.goto)), candidates });
    }
  }
  return out;
}

/** The lowest `call-<n>` whose bucket takes case `index` of a split (undefined: no bucket does). */
function callIdFor(percents: (number | undefined)[], index: number): string | undefined {
  for (let n = 1; n <= 1000; n++) if (splitCase(percents, splitBucket(`call-${n}`)) === index) return `call-${n}`;
  return undefined;
}

/** `now`, `language`, and the variables assigned (at any remove) from expressions that read them. */
function startDependentNames(doc: FlowDoc): { time: Set<string>; language: Set<string> } {
  const time = new Set(['now']);
  const language = new Set([LANGUAGE_VAR]);
  const assignments = exprRefs(doc).filter((r) => r.assigns !== undefined);
  for (const names of [time, language]) {
    for (let grew = true; grew; ) {
      grew = false;
      for (const ref of assignments) {
        if (!names.has(ref.assigns!) && mentions(ref.text, names)) {
          names.add(ref.assigns!);
          grew = true;
        }
      }
    }
  }
  return { time, language };
}

/** Whether CEL text names one of `names` (outside string literals). */
function mentions(text: string, names: ReadonlySet<string>): boolean {
  const code = text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '');
  for (const word of code.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) if (names.has(word)) return true;
  return false;
}
