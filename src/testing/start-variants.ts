import { exprRefs, nodeEntries } from '../check/flow-walk.js';
import { splitBucket, splitCase } from '../compile/split-bucket.js';
import { flowLanguages, LANGUAGE_VAR } from '../flow/languages.js';
import type { FlowDoc } from '../flow/types.js';
import { DEFAULT_START_AT } from './start-time.js';
import { dependentNames, mentions } from '../expr/index.js';

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
      const candidates = callIdsFor(node.split.map((c) => c.percent)).map((callId) => ({ callId }));
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

/** `call-<n>`: the lowest n whose id falls in each bucket 0-99 (every bucket has one below 1000). */
let firstIdOfBucket: number[] | undefined;

/** For each case of a split that some bucket takes, in case order, the lowest `call-<n>` it takes. */
function callIdsFor(percents: (number | undefined)[]): string[] {
  if (!firstIdOfBucket) {
    const first: number[] = [];
    for (let n = 1; n < 1000; n++) first[splitBucket(`call-${n}`)] ??= n;
    firstIdOfBucket = first;
  }
  const lowest = new Map<number, number>();
  firstIdOfBucket.forEach((n, bucket) => {
    const taken = splitCase(percents, bucket);
    if (taken >= 0 && n < (lowest.get(taken) ?? Infinity)) lowest.set(taken, n);
  });
  return [...lowest.entries()].sort(([a], [b]) => a - b).map(([, n]) => `call-${n}`);
}

/** `now`, `language`, and the variables assigned (at any remove) from expressions that read them. */
function startDependentNames(doc: FlowDoc): { time: Set<string>; language: Set<string> } {
  const assignments = exprRefs(doc).flatMap((r) => (r.assigns !== undefined ? [{ assigns: r.assigns, text: r.text }] : []));
  return { time: dependentNames(['now'], assignments), language: dependentNames([LANGUAGE_VAR], assignments) };
}
