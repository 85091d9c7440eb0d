import type { PromptStore } from '../audio/types.js';
import type { CompiledFlow } from '../compile/compiled-flow.js';
import { DEFAULTS } from '../flow/defaults.js';
import { DTMF_KEYS } from '../flow/dtmf-keys.js';
import type { FlowDoc, FlowNode } from '../flow/types.js';
import { CoverageTally, type CoverageItem } from './coverage.js';
import { SimulatedCall, type Observed, type TraceEvent } from './simulated-call.js';
import { regexExample } from './regex-example.js';
import { divergences, type Divergence, type StartVariant } from './start-variants.js';
import type { Expectation } from './test-file.js';

/** Something a caller (or Plivo, or time) can do next in a generated test. */
export type Action = { kind: 'played' } | { kind: 'press'; keys: string } | { kind: 'wait'; ms: number };

export interface GeneratedStep {
  action?: Action;
  expect: Expectation;
}

export interface GeneratedCase {
  /** The node the case is about (for an option or handler, the node it belongs to; '' for the flow's global keys). */
  node: string;
  /** Spec-like: `reaches sorry: press 2 at main, wait 10s at lookup`. */
  name: string;
  /** How the call starts (`start:`), when the default start does not reach the node. */
  start: StartVariant;
  actions: Action[];
  steps: GeneratedStep[];
}

/** A way to run a call: how it starts, then the actions. */
interface Probe {
  start: StartVariant;
  path: Action[];
}

export interface GenerateOptions {
  /** Longest path explored, in actions (default 14). */
  maxDepth?: number;
  /** Calls simulated at most (default 3000): the search stops there and reports what it found. */
  maxRuns?: number;
  /** Documents of the flows it calls as subflows, so the search knows their keys too. */
  subflows?: ReadonlyMap<string, FlowDoc>;
}

export interface GenerateResult {
  cases: GeneratedCase[];
  /** Simulated calls the search ran (at most `maxRuns`, besides one per case to record it). */
  calls: number;
  /** Nodes of the flow no path reached (e.g. only after a successful fetch: add canned answers by hand). */
  unreached: string[];
}

/**
 * Finds, for every coverage item of a flow (coverage.ts: nodes, options, match rules, global
 * keys, handlers), a shortest sequence of caller actions that reaches it — breadth-first over
 * what the real engine does (each candidate path is replayed on a fresh simulated call) — and
 * records what the engine did along the way as `expect` steps: a case per node, then a case for
 * each item the node cases did not reach.
 *
 * Actions tried from each state, in this order (so ties read naturally): acknowledge the
 * playing prompt, press a key the node cares about (options, match examples, global keys, one
 * key that matches nothing), let the next timer fire. Fetches get no canned answer, so they
 * time out: the paths go through `onError`.
 *
 * Branches no key reaches are reached by how the call starts (start-variants.ts): the first
 * time a path passes a `split`, or a `branch` on `now` or the language, the same path is
 * replayed with other call ids, start times (every hour of a week) or languages until each of
 * its targets is reached (or none is left to try); each start that goes somewhere new is
 * searched on from there.
 */
export async function generateCases(flow: CompiledFlow, prompts: PromptStore, options: GenerateOptions = {}): Promise<GenerateResult> {
  const doc = flow.flow.doc;
  const maxDepth = options.maxDepth ?? 14;
  const maxRuns = options.maxRuns ?? 3000;
  // The items built once; each probe's trace is read once, for what it reaches.
  const tally = new CoverageTally(flow.id, doc);
  const items = tally.coverage(flow.flow.file).items;
  /** For each coverage item, the first probe that reached it and everything that probe reached. */
  const found = new Map<string, Reach>();
  const seen = new Set<string>();
  const pending = new Map(divergences(doc).map((d) => [d.node, d]));
  let queue: Probe[] = [{ start: {}, path: [] }];
  let runs = 0;
  const budget = { take: () => runs++ < maxRuns };
  while (queue.length > 0 && found.size < items.length && runs < maxRuns) {
    const nextQueue: Probe[] = [];
    for (const probe of queue) {
      if (!budget.take()) break;
      const { call, visited } = await replay(flow, prompts, probe);
      const reach: Reach = { probe, covers: tally.add(call.trace) };
      for (const id of reach.covers) if (!found.has(id)) found.set(id, reach);
      for (const node of visited) {
        const divergence = pending.get(node);
        if (!divergence) continue;
        pending.delete(node);
        nextQueue.push(...(await otherStarts(flow, prompts, probe, divergence, call.trace, budget)));
      }
      const key = stateKey(call, flow.id);
      if (seen.has(key) || probe.path.length >= maxDepth || call.ended !== undefined) {
        seen.add(key);
        await finish(call);
        continue;
      }
      seen.add(key);
      const here = call.currentFlowId === flow.id ? doc : options.subflows?.get(call.currentFlowId);
      for (const action of actionsFrom(call, here)) nextQueue.push({ start: probe.start, path: [...probe.path, action] });
      await finish(call);
    }
    queue = nextQueue;
  }

  // A case per node, then one for each option or handler those cases left unreached.
  const cases: GeneratedCase[] = [];
  const covered = new Set<string>();
  const byKind = [...items.filter((i) => i.kind === 'node'), ...items.filter((i) => i.kind !== 'node')];
  for (const item of byKind) {
    const reach = found.get(item.id);
    if (!reach || (item.kind !== 'node' && covered.has(item.id))) continue;
    for (const id of reach.covers) covered.add(id);
    const { steps, name } = await record(flow, prompts, reach.probe, item);
    cases.push({ node: item.node, name, start: reach.probe.start, actions: reach.probe.path, steps });
  }
  return { cases, calls: Math.min(runs, maxRuns), unreached: Object.keys(doc.nodes).filter((n) => !found.has(`node:${n}`)) };
}

/** A probe and the coverage items (coverage.ts ids) its call reached. */
interface Reach {
  probe: Probe;
  covers: ReadonlySet<string>;
}

/**
 * `probe` passed `divergence`: the same path from other starts, until every target of the
 * node has been seen. Returns the probes that went somewhere new from there.
 */
async function otherStarts(flow: CompiledFlow, prompts: PromptStore, probe: Probe, divergence: Divergence, trace: readonly TraceEvent[], budget: { take(): boolean }): Promise<Probe[]> {
  const reached = new Set([successor(trace, flow.id, divergence.node)]);
  const out: Probe[] = [];
  for (const candidate of divergence.candidates) {
    if ([...divergence.targets].every((t) => reached.has(t)) || !budget.take()) break;
    const start = { ...probe.start, ...candidate };
    const { call } = await replay(flow, prompts, { start, path: probe.path });
    const next = successor(call.trace, flow.id, divergence.node);
    await finish(call);
    if (next === undefined || reached.has(next)) continue;
    reached.add(next);
    out.push({ start, path: probe.path });
  }
  return out;
}

/** The node entered right after the first visit of `node` (of flow `flowId`). */
function successor(trace: readonly TraceEvent[], flowId: string, node: string): string | undefined {
  const nodes = trace.filter((e) => e.type === 'node');
  const i = nodes.findIndex((e) => e.flow === flowId && e.node === node);
  return i < 0 ? undefined : nodes[i + 1]?.node;
}

/** Runs a probe on a fresh call; returns the call (still live) and the flow's nodes entered. */
async function replay(flow: CompiledFlow, prompts: PromptStore, probe: Probe): Promise<{ call: SimulatedCall; visited: string[] }> {
  const call = await startCall(flow, prompts, probe.start);
  for (const action of probe.path) await perform(call, action);
  const visited = call.trace.flatMap((e) => (e.type === 'node' && e.flow === flow.id ? [e.node] : []));
  return { call, visited };
}

function startCall(flow: CompiledFlow, prompts: PromptStore, start: StartVariant): Promise<SimulatedCall> {
  return SimulatedCall.start({ flow, prompts, startAt: start.at, callId: start.callId, headers: start.lang === undefined ? {} : { lang: start.lang } });
}

async function finish(call: SimulatedCall): Promise<void> {
  if (call.ended === undefined) await call.hangup();
}

async function perform(call: SimulatedCall, action: Action): Promise<void> {
  if (action.kind === 'played') await call.played();
  else if (action.kind === 'press') await call.press(action.keys);
  else await call.wait(action.ms, durationText(action.ms));
}

/**
 * Two paths that leave the call in the same state need not both be explored. The state is the
 * node, whether a prompt is playing, the failures counted in this visit, the next timer, the
 * HTTP attempts made (a retry is a new state) and the variables: all that decides what happens
 * next, as far as a test can see.
 */
function stateKey(call: SimulatedCall, flowId: string): string {
  let flow = flowId;
  let inputs = 0;
  for (const e of call.trace) {
    if (e.type === 'node') {
      flow = e.flow;
      inputs = 0;
    } else if (e.type === 'input') inputs++;
  }
  return JSON.stringify([flow, call.node, call.hasPendingCheckpoints, inputs, call.nextTimerIn ?? null, call.fetchAttempts, call.vars()]);
}

function actionsFrom(call: SimulatedCall, doc: FlowDoc | undefined): Action[] {
  // A prompt is playing: the caller listens to it (keys during prompts are left to hand-written
  // barge-in tests, to keep the search small and the generated tests plain).
  if (call.hasPendingCheckpoints) return [{ kind: 'played' }];
  const actions: Action[] = [];
  const node = doc?.nodes[call.node];
  if (doc && node) for (const keys of keysFor(node, doc)) actions.push({ kind: 'press', keys });
  const next = call.nextTimerIn;
  if (next !== undefined) actions.push({ kind: 'wait', ms: Math.max(next, 0) });
  return actions;
}

/** Key strings worth pressing at a node: what it handles, and one thing it does not. */
function keysFor(node: FlowNode, doc: FlowDoc): string[] {
  const keys = new Set<string>();
  const globals = Object.keys(doc.global ?? {});
  if ('menu' in node) {
    const options = Object.keys(node.menu.options ?? {});
    const multi = options.some((k) => k.length > 1) || (node.menu.match ?? []).length > 0;
    const terminator = node.menu.terminator ?? DEFAULTS.menuTerminator;
    for (const key of options) keys.add(multi && key.length < maxLength(options) ? key + terminator : key);
    for (const rule of node.menu.match ?? []) {
      const example = regexExample(rule.pattern);
      if (example) keys.add(multi ? example + terminator : example);
    }
    if (node.menu.global !== false) for (const key of globals) keys.add(key);
    const unused = unusedKey([...options, ...globals]);
    if (unused) keys.add(multi ? unused + terminator : unused);
  } else if ('collect' in node) {
    const spec = node.collect;
    const terminator = spec.terminator ?? DEFAULTS.collectTerminator;
    const length = Math.max(spec.min ?? 1, 1);
    const example = (spec.pattern ? regexExample(spec.pattern) : undefined) ?? '1'.repeat(length);
    keys.add(example + (example.length < (spec.max ?? Infinity) ? terminator : ''));
    if (spec.global !== false) for (const key of globals) keys.add(key);
    keys.add(terminator === '' ? '9' : terminator);
  }
  return [...keys].filter((k) => DTMF_KEYS.test(k));
}

function maxLength(options: string[]): number {
  return Math.max(...options.map((o) => o.length));
}

function unusedKey(taken: string[]): string | undefined {
  return ['9', '8', '7', '*', '6', '5', '4', '3', '2', '1', '0'].find((k) => !taken.some((t) => t.startsWith(k)));
}

/** Replays a found probe and writes down what the engine did after each action. */
async function record(flow: CompiledFlow, prompts: PromptStore, probe: Probe, goal: CoverageItem): Promise<{ steps: GeneratedStep[]; name: string }> {
  const call = await startCall(flow, prompts, probe.start);
  const steps: GeneratedStep[] = [{ expect: expectationOf(call.take(), call, true) }];
  const story: string[] = describeStart(probe.start);
  for (const action of probe.path) {
    if (action.kind !== 'played') story.push(`${describeAction(action)} at ${call.node}`);
    await perform(call, action);
    steps.push({ action, expect: expectationOf(call.take(), call, false) });
  }
  const last = steps[steps.length - 1]!;
  if (goal.kind === 'node' && last.expect.node === undefined && call.node === goal.node) last.expect = { ...withoutNothing(last.expect), node: goal.node };
  await finish(call);
  const how = story.length > 0 ? story.join(', ') : probe.path.length === 0 ? 'at the start' : 'after the prompts play';
  return { steps, name: `reaches ${goal.label}: ${how}` };
}

/** `at 2026-01-05T14:00:00Z`, `as call call-3`, `in es`: how the case starts, for its name. */
function describeStart(start: StartVariant): string[] {
  const parts: string[] = [];
  if (start.at !== undefined) parts.push(`at ${startAtText(start.at)}`);
  if (start.callId !== undefined) parts.push(`as call ${start.callId}`);
  if (start.lang !== undefined) parts.push(`in ${start.lang}`);
  return parts;
}

/** `start.at` as a test file writes it: ISO 8601 UTC, without milliseconds when there are none. */
export function startAtText(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function describeAction(action: Action): string {
  if (action.kind === 'played') return 'played';
  if (action.kind === 'press') return `press ${action.keys}`;
  return `wait ${durationText(action.ms)}`;
}

function withoutNothing(e: Expectation): Expectation {
  const { nothing: _nothing, ...rest } = e;
  return rest;
}

function expectationOf(observed: Observed, call: SimulatedCall, first: boolean): Expectation {
  const e: Expectation = {};
  if (observed.nodes.length > 0 || first) e.node = call.node;
  if (observed.plays.length > 0) e.play = observed.plays;
  if (observed.clears > 0) e.clear = true;
  if (observed.sendDtmf.length > 0) e.sendDtmf = observed.sendDtmf.join('');
  if (observed.fetches.length > 0) e.fetch = observed.fetches.length === 1 ? observed.fetches[0]! : observed.fetches;
  if (observed.endedNow && observed.end !== undefined) e.end = observed.end;
  if (Object.keys(e).length === 0) e.nothing = observed.frames === 0;
  return e;
}

export function durationText(ms: number): string {
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
