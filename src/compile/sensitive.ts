/**
 * Where a key is masked: the one place that decides what of a caller's keys may be shown.
 *
 * A collect marked `sensitive: true` (a PIN, a date of birth) must never have its digits in a
 * log, a call record, a trace, a test transcript or a fetch URL (flow-language.md, "Collect").
 * The machine applies these rules when it makes each command, so every watcher of the call's
 * event stream (logs, metrics, records, `ivr test`, replay) only ever sees the masked form:
 *
 * - A key taken by a sensitive collect is `*`, whatever the key (`*` and `#` included).
 * - A key the current node does not take itself (typeahead: pressed during a barge-in prompt or
 *   between nodes; or ignored: pressed during a prompt without barge-in, a fetch, a recording)
 *   is `*` when a sensitive collect can still be reached from that node, its subflows and the
 *   flow it returns to (`keysReachSensitive`): the caller may be typing ahead their PIN.
 * - A menu's or collect's decided value (`input` command) is `***` when the collect is sensitive.
 * - A variable holds a secret when a sensitive collect stores into it, or when it is assigned
 *   (`set`, a fetch's `set`, a subflow's `input`/`output`), at any remove, from an expression that
 *   reads such a variable (`secretVars`, decided once when the flow is compiled). A `digits` or
 *   `number` prompt item whose expression reads one is marked secret in the prompt plan, and
 *   test output shows what it speaks as `#` (call/shown-play.ts); `expect: vars` shows its value as `***`.
 * - Values a sensitive collect stored are remembered for the call (`secrets`, a bounded list in
 *   the context). While it holds one, a fetch URL, transfer tones and a `say` text are shown as
 *   rendered a second time with each `{{ }}` part that reads a secret variable as `***`
 *   (`shownRender`): exactly the interpolated secret, never an unrelated digit. The allow-listed
 *   `env` values (API keys, bridge codes) are hidden the same way in those, always. Error
 *   messages, which may quote anything, have replaced the text of the secrets, of the values the
 *   secret variables hold now and of the env values (`heldSecrets`, `maskValues`).
 */
import { exprRefs, readWalks } from '../check/flow-walk.js';
import { calledFlow } from './called-flow.js';
import { dependentNames, mentions, type AssignedFrom } from '../expr/index.js';
import type { LoadedFlow } from '../flow/loaded-flow.js';
import type { ExprScope, Renderer } from './expressions.js';
import { flowEdges, startNode } from '../flow/flow-edges.js';
import type { FlowSet } from '../flow/loaded-flow.js';

/** What a masked value (an input, a secret in a URL) is shown as. */
export const MASK = '***';
/** What a masked key is shown as. */
export const MASKED_KEY = '*';
/** At most this many secrets are remembered per call (a caller looping a PIN prompt cannot grow it). */
export const SECRETS_LIMIT = 16;

/**
 * How the keys pressed in a node are shown: `all` in a sensitive collect, `typeahead` (keys the
 * node does not take) where a sensitive collect is still reachable, `none` elsewhere.
 */
export type KeyMasking = 'all' | 'typeahead' | 'none';

export function keyMasking(sensitiveCollect: boolean, reachesSensitive: boolean): KeyMasking {
  return sensitiveCollect ? 'all' : reachesSensitive ? 'typeahead' : 'none';
}

/** A key as watchers see it: `taken` when the node's own menu/collect takes it. */
export function shownKey(key: string, masking: KeyMasking, taken: boolean): string {
  return masking === 'all' || (masking === 'typeahead' && !taken) ? MASKED_KEY : key;
}

/** Whether a node is a collect marked sensitive. */
export function isSensitiveCollect(node: unknown): boolean {
  return typeof node === 'object' && node !== null && 'collect' in node
    && (node as { collect: { sensitive?: unknown } }).collect?.sensitive === true;
}

/**
 * The nodes of `flow` from which a sensitive collect can be reached: a sensitive collect itself,
 * a subflow node whose flow reaches one, a `return` when the parent continues towards one
 * (`returnReaches`), and every node with an edge (option, handler, `next`, error route) to
 * such a node. `chain` holds the flows above this one: a subflow the node does not run (recursive,
 * with errors: `calledFlow`) is not followed.
 */
export function keysReachSensitive(flow: LoadedFlow, flows: FlowSet, returnReaches: boolean, chain: readonly string[] = []): Set<string> {
  const doc = flow.doc;
  const reach = new Set<string>();
  for (const [name, node] of Object.entries(doc.nodes ?? {})) {
    if (isSensitiveCollect(node)) reach.add(name);
    else if ('return' in node && returnReaches) reach.add(name);
    else if ('subflow' in node) {
      // Only a flow the node runs: one with errors (or recursive) is compiled as a node that fails.
      const above = [...chain, flow.id];
      const called = calledFlow(flows, node.subflow.flow, above);
      if ('child' in called && startReaches(called.child, flows, above)) reach.add(name);
    }
  }
  if (reach.size === 0) return reach;
  // Backwards over the flow's edges (flow/flow-edges.ts, the list the checks and the graph read):
  // whoever leads to a reaching node reaches too. The flow's onError, onFailure and global keys can
  // be taken from (nearly) anywhere: reaching one of them, every node reaches.
  const into = new Map<string, string[]>();
  const fromAnywhere = new Set<string>();
  for (const edge of flowEdges(doc)) {
    if (edge.to === undefined) continue;
    if (edge.from === undefined) {
      if (edge.kind !== 'start') fromAnywhere.add(edge.to);
      continue;
    }
    const list = into.get(edge.to) ?? [];
    list.push(edge.from);
    into.set(edge.to, list);
  }
  const queue = [...reach];
  while (queue.length > 0) {
    const node = queue.pop()!;
    if (fromAnywhere.has(node)) return new Set(Object.keys(doc.nodes ?? {}));
    for (const from of into.get(node) ?? []) {
      if (!reach.has(from)) {
        reach.add(from);
        queue.push(from);
      }
    }
  }
  return reach;
}

/**
 * Whether a called flow's start reaches a sensitive collect, once per flow of a set: asked again
 * for every path to it, flows calling each other's subflows `n` levels deep would cost fan^n.
 * (In a set with recursive subflows, which is never served, the first chain's answer is kept.)
 */
const startReachesByFlow = new WeakMap<FlowSet, Map<string, boolean>>();

function startReaches(child: LoadedFlow, flows: FlowSet, chain: readonly string[]): boolean {
  let known = startReachesByFlow.get(flows);
  if (known === undefined) {
    known = new Map();
    startReachesByFlow.set(flows, known);
  }
  const cached = known.get(child.id);
  if (cached !== undefined) return cached;
  const reaches = keysReachSensitive(child, flows, false, chain).has(startNode(child.doc) ?? '');
  known.set(child.id, reaches);
  return reaches;
}

/**
 * The variables that hold a sensitive collect's value or one computed from it, by name, in
 * `flow` and the subflows it calls (a call's machine holds them all): every sensitive collect's
 * `into`, then every variable assigned from an expression that reads one of those
 * (expr/mentions.ts, the rule ivr test's start variants also follow).
 *
 * @example
 *   // collect { into: pin, sensitive: true }; set: { last2: "pin.substring(2, 4)" }
 *   secretVars(flow, flows) // Set { 'pin', 'last2' }
 */
export function secretVars(flow: LoadedFlow, flows: FlowSet): Set<string> {
  const seeds: string[] = [];
  const called: LoadedFlow[] = [];
  const seen = new Set<string>();
  const queue = [flow];
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (seen.has(f.id)) continue;
    seen.add(f.id);
    called.push(f);
    for (const node of Object.values(f.doc.nodes ?? {})) {
      if (isSensitiveCollect(node) && 'collect' in node) seeds.push(node.collect.into);
      const child = 'subflow' in node ? flows.flows.get(node.subflow.flow) : undefined;
      if (child) queue.push(child);
    }
  }
  // Most flows collect nothing sensitive: then no assignment can carry a secret (dependentNames,
  // expr/mentions.ts, would find none), and the expressions are not even listed.
  if (seeds.length === 0) return new Set();
  const assignments: AssignedFrom[] = [];
  for (const f of called) {
    for (const ref of readWalks(f.doc, exprRefs)) if (ref.assigns !== undefined) assignments.push({ assigns: ref.assigns, text: ref.text });
    for (const node of Object.values(f.doc.nodes ?? {})) {
      if (!('subflow' in node)) continue;
      // input: the child's variable from the caller's expression; output: the caller's from the child's.
      for (const set of [node.subflow.input, node.subflow.output]) {
        for (const [assigns, text] of Object.entries(set ?? {})) if (typeof text === 'string') assignments.push({ assigns, text });
      }
    }
  }
  return dependentNames(seeds, assignments);
}

/** Whether an expression (a `digits`/`number` prompt item's) reads one of `secretVars`: what it speaks is a secret. */
export function readsSecret(expr: string, secret: ReadonlySet<string>): boolean {
  return mentions(expr, secret);
}

/**
 * `text` with every secret replaced by `***`, raw and URL-encoded, longest first so a value
 * containing another is masked whole.
 *
 * @example
 *   maskValues('/pin/1234?key=s3cr3t', ['1234', 's3cr3t']) // '/pin/***?key=***'
 */
export function maskValues(text: string, values: Iterable<string>): string {
  const all = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'string' || value === '') continue;
    all.add(value);
    all.add(encodeURIComponent(value));
  }
  if (all.size === 0) return text;
  let out = text;
  for (const secret of [...all].sort((a, b) => b.length - a.length)) out = out.split(secret).join(MASK);
  return out;
}

/**
 * `value` (JSON-like: an author's expectation) with `maskValues` applied to every string in it,
 * and a number whose text is a secret replaced by `***`; keys are kept.
 *
 * @example
 *   maskDeep({ vars: { pin: '4321', tries: 1 } }, ['4321']) // { vars: { pin: '***', tries: 1 } }
 */
export function maskDeep(value: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return maskValues(value, secrets);
  if ((typeof value === 'number' || typeof value === 'bigint') && secrets.includes(String(value))) return MASK;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, secrets));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, secrets)]));
  return value;
}

/** The name every allow-listed environment value is read through in CEL (`env.API_KEY`). */
const ENV_NAME = 'env';
const ONLY_ENV: ReadonlySet<string> = new Set([ENV_NAME]);
const withEnvBySecretVars = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();

/** `secretVars` and `env`, one set per flow version's `secretVars`. */
function withEnv(secretVars: ReadonlySet<string>): ReadonlySet<string> {
  let names = withEnvBySecretVars.get(secretVars);
  if (names === undefined) {
    names = new Set([...secretVars, ENV_NAME]);
    withEnvBySecretVars.set(secretVars, names);
  }
  return names;
}

/**
 * A template as output shows it (`raw` is its rendering): rendered again with every `{{ }}` part
 * that reads `env` (the operator's allow-listed values: API keys, bridge codes) or, while the call
 * holds a secret, one of `secretVars`, as `***`; then any env value that still shows (read through
 * another variable) replaced by `***` too. Nothing more is done for a call with neither: the
 * rendering given is shown.
 *
 * @example
 *   // url: "https://api2.example.com/v2/accounts/{{ pin }}?n={{ balance }}", pin 2, balance 12
 *   shownRender(url, scope, raw, ['2'], new Set(['pin']), { urlEncode: true })
 *   // 'https://api2.example.com/v2/accounts/***?n=12'
 */
export function shownRender(template: Renderer, scope: ExprScope, raw: string, secrets: readonly string[], secretVars: ReadonlySet<string>, opts: { urlEncode?: boolean } = {}): string {
  const hideSecrets = secrets.length > 0 && secretVars.size > 0;
  const env = scope.env ?? {};
  let hasEnv = false;
  for (const name in env) if (env[name] !== '') hasEnv = true;
  if (!hideSecrets && !hasEnv) return raw;
  const names = hideSecrets ? (hasEnv ? withEnv(secretVars) : secretVars) : ONLY_ENV;
  const shown = String(template.render(scope, { ...opts, hide: { names, as: MASK } }));
  return hasEnv ? maskValues(shown, Object.values(env)) : shown;
}

/**
 * What output must not show of a call besides its keys: the values its sensitive collects stored
 * (`secrets`) and the values now held by `secretVars`, in the running flow and in the flows that
 * called it (`callers`: their saved variables). Error messages, which may quote any value, and
 * `ivr test`'s failure output are masked with these.
 */
export function heldSecrets(secrets: readonly string[], secretVars: ReadonlySet<string>, vars: Readonly<Record<string, unknown>>, callers: readonly { vars: Readonly<Record<string, unknown>> }[] = []): string[] {
  const held = new Set(secrets);
  for (const scope of [vars, ...callers.map((frame) => frame.vars)]) {
    for (const name of secretVars) {
      const value = scope[name];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') held.add(String(value));
    }
  }
  held.delete('');
  return [...held];
}

/** Adds a sensitive collect's value to the call's secrets (bounded; the oldest is dropped). */
export function withSecret(secrets: readonly string[], value: string): string[] {
  if (value === '' || secrets.includes(value)) return [...secrets];
  return [...secrets, value].slice(-SECRETS_LIMIT);
}
