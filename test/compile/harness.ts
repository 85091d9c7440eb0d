/** Drives a real compiled flow machine with a SimClock and records the commands it emits. */
import { createActor, fromPromise, type Actor, type AnyStateMachine } from 'xstate';
import { isMap, isScalar, parseDocument } from 'yaml';
import { compileFlow } from '../../src/compile/compile-flow.js';
import type { Command, FetchAttemptInput, FetchRequest, FetchResponse, MachineEvent } from '../../src/compile/protocol.js';
import type { FlowSet, LoadedFlow } from '../../src/flow/loaded-flow.js';
import type { FlowDoc } from '../../src/flow/types.js';
import { SimClock } from '../../src/testing/sim-clock.js';

/** A flow as the front end would load it, from YAML text (variable types from their source text). */
export function loadedFlow(yaml: string, id = 'test'): LoadedFlow {
  const parsed = parseDocument(yaml, { keepSourceTokens: true });
  const doc = parsed.toJS() as FlowDoc;
  const flowId = doc.id ?? id;
  const varTypes: NonNullable<LoadedFlow['varTypes']> = {};
  const vars = parsed.get('vars', true);
  if (isMap(vars)) {
    for (const pair of vars.items) {
      const value = pair.value;
      const text = isScalar(value) && value.srcToken && 'source' in value.srcToken ? value.srcToken.source : '';
      const v = isScalar(value) ? value.value : null;
      varTypes[String(isScalar(pair.key) ? pair.key.value : pair.key)] =
        typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (/^-?\d+$/.test(text) ? 'int' : 'double') : 'dyn';
    }
  }
  return { id: flowId, file: `/flows/${flowId}.yaml`, dir: '/flows', doc, version: 'v1', diagnostics: [], varTypes };
}

export function flowSet(...flows: LoadedFlow[]): FlowSet {
  return { flows: new Map(flows.map((f) => [f.id, f])), diagnostics: [] };
}

/** One attempt of the machine's `fetch` actor, answered by the test. */
export interface FetchAttempt {
  request: FetchRequest | null;
  signal: AbortSignal;
  answer(response: FetchResponse): void;
  fail(error: unknown): void;
}

/** A `fetch` actor whose attempts wait for the test to answer them (`Call.fetches`). */
export function fetchByHand(attempts: FetchAttempt[]) {
  return fromPromise<FetchResponse, FetchAttemptInput | null>(({ input, signal }) =>
    new Promise((resolve, reject) => { attempts.push({ request: input?.request ?? null, signal, answer: resolve, fail: reject }); }));
}

/** Lets promise reactions run (a fetch actor's answer reaches the machine in a later microtask). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class Call {
  readonly clock = new SimClock();
  readonly commands: Command[] = [];
  readonly actor: Actor<AnyStateMachine>;
  private seen = 0;

  constructor(machine: AnyStateMachine, vars?: Record<string, unknown>, fetches: FetchAttempt[] = []) {
    this.fetches = fetches;
    this.actor = createActor(machine, {
      input: { call: { callId: 'c1', streamId: 's1', accountId: 'MA1', headers: {} }, vars },
      clock: this.clock,
    });
    this.actor.on('commands', (batch) => { this.commands.push(...batch.commands); });
    this.actor.start();
  }

  /** Attempts of the machine's fetch actor, oldest first (answer them with `answer`/`fail`, then `await flush()`). */
  readonly fetches: FetchAttempt[];

  static of(yaml: string, options: { vars?: Record<string, unknown>; others?: string[] } = {}): Call {
    const main = loadedFlow(yaml);
    const set = flowSet(main, ...(options.others ?? []).map((y) => loadedFlow(y)));
    const fetches: FetchAttempt[] = [];
    const { machine } = compileFlow(main, set);
    // provide() rebuilds the machine: only for flows that fetch.
    const fetching = [...set.flows.values()].some((f) => Object.values(f.doc.nodes ?? {}).some((n) => 'fetch' in n));
    return new Call(fetching ? machine.provide({ actors: { fetch: fetchByHand(fetches) } }) : machine, options.vars, fetches);
  }

  send(event: MachineEvent): this { this.actor.send(event); return this; }
  press(keys: string): this { for (const digit of keys) this.send({ type: 'dtmf', digit, at: this.clock.now() }); return this; }
  wait(ms: number): this { this.clock.advance(ms); return this; }
  /** Acknowledges the latest playback (the one the machine waits for). */
  played(): this {
    const last = [...this.commands].reverse().find((c) => c.type === 'play');
    if (last?.type === 'play') this.send({ type: 'playback.finished', playbackId: last.playbackId });
    return this;
  }

  /** Commands emitted since the previous call to `take`. */
  take(): Command[] { const out = this.commands.slice(this.seen); this.seen = this.commands.length; return out; }
  /** A compact transcript since the previous `take`: `node:x`, `play:a,b`, `clear`, `end:reason`, ... */
  log(): string[] { return this.take().filter((c) => c.type !== 'key' && c.type !== 'fetched' && (c.type !== 'log' || c.level === 'error')).map(brief); }
  get vars(): Record<string, unknown> { return (this.actor.getSnapshot().context as { vars: Record<string, unknown> }).vars; }
  get done(): boolean { return this.actor.getSnapshot().status === 'done'; }
  /** The latest command of this type. */
  last<T extends Command['type']>(type: T): Extract<Command, { type: T }> | undefined {
    return [...this.commands].reverse().find((c) => c.type === type) as Extract<Command, { type: T }> | undefined;
  }
  lastNode(): string | undefined { const n = [...this.commands].reverse().find((c) => c.type === 'node'); return n?.type === 'node' ? n.node : undefined; }
}

export function brief(c: Command): string {
  switch (c.type) {
    case 'node': return `node:${c.node}`;
    case 'play': return `play:${c.items.map((i) => ('prompt' in i ? i.prompt : 'say' in i ? `say:${i.say}` : `silence${i.silenceMs}`)).join(',')}`;
    case 'clear': return 'clear';
    case 'sendDtmf': return `sendDtmf:${c.digits}`;
    case 'fetch': return `fetch:${c.request.method} ${c.request.url}`;
    case 'fetched': return `fetched:${c.outcome}${c.status === undefined ? '' : ` ${c.status}`}:${c.attempts}`;
    case 'record.start': return 'record.start';
    case 'record.stop': return 'record.stop';
    case 'input': return `input:${c.outcome}:${c.value}`;
    case 'log': return `log:${c.level}:${c.message}`;
    case 'end': return `end:${c.reason}`;
    case 'key': return `key:${c.key}`;
  }
}
