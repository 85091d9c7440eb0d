import { isDeepStrictEqual } from 'node:util';
import { sayLabel } from '../call/shown-play.js';
import { MASK } from '../compile/sensitive.js';
import { RAW, type Observed } from './simulated-call.js';
import type { Expectation } from './test-file.js';

/** One `expect` key that did not hold. */
export interface Mismatch {
  key: keyof Expectation;
  expected: unknown;
  actual: unknown;
}

/** The call's state when an `expect` step runs: what was observed since the last one, and now. */
export interface CallState {
  observed: Observed;
  node: string;
  /** The id of the flow running now; `vars` and `node` are this flow's. */
  flow: string;
  vars: Record<string, unknown>;
  /** Variables whose values must not appear in output (holding a sensitive collect's value: compile/sensitive.ts `secretVars`). */
  sensitive?: ReadonlySet<string>;
}

/**
 * Compares an `expect` step with what the engine did (flow-tests.md, "expect keys"): each key
 * is checked only when present. Returns every key that did not hold, so one failure message
 * shows all of them. A `play` say text, a fetch and tones are compared by `sameOutput`: as the
 * engine made them, or as output shows them when the author wrote a masked `***`. A mismatch's
 * `actual` is always the shown form.
 */
export function checkExpect(expect: Expectation, state: CallState): Mismatch[] {
  const { observed } = state;
  const raw = observed[RAW];
  const out: Mismatch[] = [];
  if (expect.play !== undefined) {
    // `{ say: "text" }` is written as the transcript names it (call/shown-play.ts).
    const expected = expect.play.map((item) => (typeof item === 'string' ? item : sayLabel(item.say)));
    if (!sameOutputs(expected, observed.plays, raw.plays)) out.push({ key: 'play', expected, actual: observed.plays });
  }
  if (expect.clear !== undefined && expect.clear !== observed.clears > 0) {
    out.push({ key: 'clear', expected: expect.clear, actual: observed.clears > 0 });
  }
  if (expect.sendDtmf !== undefined && !sameOutput(expect.sendDtmf, observed.sendDtmf.join(''), raw.sendDtmf.join(''))) {
    out.push({ key: 'sendDtmf', expected: expect.sendDtmf, actual: observed.sendDtmf.length === 0 ? null : observed.sendDtmf.join('') });
  }
  if (expect.fetch !== undefined) {
    const expected = typeof expect.fetch === 'string' ? [expect.fetch] : expect.fetch;
    if (!sameOutputs(expected, observed.fetches, raw.fetches)) out.push({ key: 'fetch', expected: expect.fetch, actual: observed.fetches });
  }
  if (expect.node !== undefined && expect.node !== state.node) {
    out.push({ key: 'node', expected: expect.node, actual: state.node });
  }
  if (expect.flow !== undefined && expect.flow !== state.flow) {
    out.push({ key: 'flow', expected: expect.flow, actual: state.flow });
  }
  if (expect.vars !== undefined) {
    // Built with fromEntries: a name like `__proto__` from a test file stays a name.
    const entries: Array<[string, unknown]> = [];
    let differs = false;
    for (const [name, value] of Object.entries(expect.vars)) {
      const known = Object.hasOwn(state.vars, name);
      // A subflow has only its own variables: a caller's name is not silently `undefined`.
      entries.push([name, !known ? `(no variable ${name} in flow ${state.flow}, which is running)` : state.sensitive?.has(name) ? '***' : state.vars[name]]);
      if (!known || !sameValue(value, state.vars[name])) differs = true;
    }
    if (differs) out.push({ key: 'vars', expected: expect.vars, actual: Object.fromEntries(entries) });
  }
  if (expect.end !== undefined && expect.end !== observed.end) {
    out.push({ key: 'end', expected: expect.end, actual: observed.end ?? '(the stream is still open)' });
  }
  if (expect.nothing === true && observed.frames > 0) {
    out.push({ key: 'nothing', expected: 'no frame sent', actual: `${observed.frames} frame(s) sent` });
  }
  if (expect.nothing === false && observed.frames === 0) {
    out.push({ key: 'nothing', expected: 'some frame sent', actual: 'nothing sent' });
  }
  return out;
}

/**
 * Whether an author's expected text matches one output: its unmasked form when the text has no
 * `***` (the stronger check: a test tells which secret was sent), else the form output shows.
 *
 * @example
 *   sameOutput('*24321#', '*2***#', '*24321#') // true
 *   sameOutput('*2***#', '*2***#', '*29999#')  // true: a masked expectation cannot tell secrets apart
 *   sameOutput('*29999#', '*2***#', '*24321#') // false
 */
export function sameOutput(expected: string, shown: string, raw: string): boolean {
  return expected === (expected.includes(MASK) ? shown : raw);
}

function sameOutputs(expected: readonly string[], shown: readonly string[], raw: readonly string[]): boolean {
  return expected.length === shown.length && expected.every((e, i) => sameOutput(e, shown[i]!, raw[i]!));
}

/** YAML says `42` where CEL may hold `42.0` or a bigint: numbers compare by value. */
function sameValue(expected: unknown, actual: unknown): boolean {
  if ((typeof expected === 'number' || typeof expected === 'bigint') && (typeof actual === 'number' || typeof actual === 'bigint')) {
    return Number(expected) === Number(actual);
  }
  return isDeepStrictEqual(expected, actual);
}
