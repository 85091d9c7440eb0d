import type { MediaFormat, PromptStore } from '../audio/types.js';
import type { CallSession } from '../call/call-session.js';
import { startCall } from '../call/start-call.js';
import { memoryRecordingSink } from '../call/recording-sink.js';
import type { CompiledFlow } from '../compile/compiled-flow.js';
import { heldSecrets } from '../compile/sensitive.js';
import { LANGUAGE_VAR } from '../flow/languages.js';
import type { CallEvent, WatchCall } from '../call/call-events.js';
import { sayLabel, shownPlay } from '../call/shown-play.js';
import { CannedFetcher } from './canned-fetcher.js';
import { RecordingTransport, type SentFrame } from './recording-transport.js';
import { SimClock } from './sim-clock.js';
import type { CannedResponse, FetchFailStep } from './test-file.js';

/**
 * What the engine did between two `expect` steps, as output shows it: prompts, tones and fetch
 * URLs in the form the machine showed them (a sensitive collect's value masked: compile/sensitive.ts,
 * call/shown-play.ts), the form the transcript and a failed `expect` print. Under `RAW`, never
 * printed, the unmasked forms an `expect` written without `***` is compared with.
 */
export interface Observed {
  plays: string[];
  clears: number;
  /** Tones sent (`transfer`), each command's. */
  sendDtmf: string[];
  /** "METHOD url", once per fetch node entered. */
  fetches: string[];
  nodes: string[];
  /** Frames sent to Plivo (audio, checkpoints, clears, tones). */
  frames: number;
  /** The close reason, once the stream was closed (still set in later observations). */
  end: string | undefined;
  /** The stream was closed since the previous observation. */
  endedNow: boolean;
  /** The same as the engine made them, for `expect` to compare with (check-expect.ts); never rendered. */
  [RAW]: RawObserved;
}

/**
 * Under a symbol key, which JSON.stringify and renderers skip: what `expect` compares an author's
 * unmasked value with, so a test can tell which secret the flow sent.
 */
export const RAW: unique symbol = Symbol('raw observed');

export interface RawObserved {
  /** As `plays`, but a `say` with its text unmasked (`say: Calling 4321.`); a run of secret items stays `#`. */
  plays: string[];
  sendDtmf: string[];
  fetches: string[];
}

/** One line of a call's story, for failure messages. */
export interface TranscriptLine {
  /** Simulated milliseconds since the call started. */
  at: number;
  text: string;
}

/**
 * What coverage needs to know about a call: nodes entered (`node` as named in its own flow),
 * decisions with the edge they took (`option:1`, `global:0`, `match:2`, `ok`, `noInput`,
 * `noMatch`), errors met. Values are as the machine showed them (masked when sensitive).
 */
export type TraceEvent =
  | { type: 'node'; flow: string; node: string }
  | { type: 'input'; flow: string; node: string; value: string; outcome: 'match' | 'noMatch' | 'noInput'; edge: string }
  | { type: 'error'; node: string };

export interface SimulatedCallOptions {
  flow: CompiledFlow;
  prompts: PromptStore;
  format?: MediaFormat;
  headers?: Record<string, string>;
  vars?: Record<string, unknown>;
  /** Epoch ms the simulated clock starts at (the flow's `now`); default SimClock's. */
  startAt?: number | undefined;
  /** The call's id (default `test-call`): a split node's bucket comes from it. */
  callId?: string | undefined;
  /** Canned answers keyed "METHOD url", answered at once. */
  fetch?: Record<string, CannedResponse>;
  /** Operations watching the call as under `ivr serve` (call records, metrics): the session is started through the call tap. */
  watchers?: readonly WatchCall[];
}

/** Turns of the event loop that let the session's promises settle (a canned fetch answer takes two or three). */
const SETTLE_TURNS = 8;

/**
 * A real call session (src/call/call-session.ts) run against a recording transport, canned
 * HTTP answers and simulated time: the caller's actions are methods, what the engine did is
 * collected until someone `take`s it. Every action lets promises settle before returning, so a
 * canned fetch answer lands within the step that caused the request.
 *
 * @example
 *   const call = await SimulatedCall.start({ flow, prompts });
 *   call.take().plays;            // ['welcome']
 *   await call.played();
 *   await call.press('1');
 *   await call.wait(16_000);      // milliseconds of real time
 */
export class SimulatedCall {
  readonly transcript: TranscriptLine[] = [];
  readonly trace: TraceEvent[] = [];
  readonly transport = new RecordingTransport();
  private readonly clock: SimClock;
  private readonly http: CannedFetcher;
  private readonly format: MediaFormat;
  private readonly startedAt: number;
  private observed: Observed = emptyObserved();
  private endTaken = false;
  /** Why the session ended the call (`hangup` when the caller hung up), from its `ended` event. */
  private endReason: string | undefined;
  private currentFlow = '';
  /** The current node's name in its own flow (`expect: node`, flow-tests.md). */
  private currentNode = '';
  private session!: CallSession;

  private constructor(private readonly o: SimulatedCallOptions) {
    this.format = o.format ?? 'audio/x-mulaw;rate=8000';
    this.http = new CannedFetcher(o.fetch ?? {}, {
      note: (text) => this.note(text),
      failed: () => this.errorHere(),
    });
    this.clock = o.startAt === undefined ? new SimClock() : new SimClock(o.startAt);
    this.startedAt = this.clock.now();
  }

  static async start(o: SimulatedCallOptions): Promise<SimulatedCall> {
    const call = new SimulatedCall(o);
    call.begin();
    await call.settle();
    return call;
  }

  private begin(): void {
    this.transport.onFrame = (frame) => this.onFrame(frame);
    // The close code tells a normal end (1000) from an engine failure (1011) that sent no `end`.
    this.transport.onClose = (code, reason) => this.note(`stream closed: ${code} ${reason}`);
    const call = {
      callId: this.o.callId ?? 'test-call',
      streamId: 'test-stream',
      accountId: 'test-account',
      headers: { ...(this.o.headers ?? {}) },
    };
    this.session = startCall({ call, format: this.format }, this.transport, {
      flow: this.o.flow,
      prompts: this.o.prompts,
      clock: this.clock,
      // The call's Fetcher, run by the machine's fetch actor as under `ivr serve`: canned answers.
      fetcher: this.http.fetch,
      vars: this.o.vars,
      recordings: memoryRecordingSink(),
      watchers: [() => (event) => this.onEvent(event), ...(this.o.watchers ?? [])],
    });
  }

  // ---- the caller and Plivo ----

  /** The caller presses keys: one dtmf frame each, letting the engine react between them. */
  async press(keys: string): Promise<void> {
    for (const key of keys) {
      // Noted from the call's `key` event, masked there (compile/sensitive.ts).
      this.session.dtmf(key);
      await this.settle();
    }
  }

  /** Plivo acknowledges every checkpoint pending now, in queue order. */
  async played(): Promise<void> {
    const names = this.transport.takePendingCheckpoints();
    this.note(names.length === 0 ? 'played (no checkpoint was pending)' : `played ${names.join(', ')}`);
    for (const name of names) {
      this.session.played(name);
      await this.settle();
    }
  }

  /** Simulated time advances by `ms`, timer by timer; real time spent is only the engine's work. */
  async wait(ms: number, label = `${ms}ms`): Promise<void> {
    this.note(`wait ${label}`);
    const target = this.clock.now() + ms;
    await this.settle();
    for (;;) {
      const next = this.clock.nextDue();
      if (next === undefined || next > target) break;
      // One timer at a time, settling in between: work a timer starts (a fetch answered at
      // once, the next prompt's fallback timer) then happens at that timer's time.
      this.clock.advance(next - this.clock.now());
      await this.settle();
    }
    this.clock.advance(target - this.clock.now());
    await this.settle();
  }

  /** The oldest pending fetch fails this way. Returns false when no fetch was pending. */
  async fetchFails(failure: FetchFailStep): Promise<boolean> {
    if (!this.http.fail(failure)) return false;
    await this.settle();
    return true;
  }


  async hangup(): Promise<void> {
    this.note('caller hangs up');
    this.session.hangup();
    await this.settle();
  }

  // ---- what the engine did ----

  /** Everything observed since the previous `take`. */
  take(): Observed {
    const observed = this.observed;
    observed.end = this.ended;
    observed.endedNow = observed.end !== undefined && !this.endTaken;
    this.endTaken = observed.end !== undefined;
    this.observed = emptyObserved();
    return observed;
  }

  /** The node the call is in, named in its own flow (`flow` says which). */
  get node(): string {
    return this.currentNode;
  }

  /** The flow whose node the call is in (a subflow's id while it runs). */
  get currentFlowId(): string {
    return this.currentFlow;
  }

  /** The running flow's variables, and the built-in `language` (the call's, which `expect: { vars }` may check too). */
  vars(): Record<string, unknown> {
    return { ...this.session.vars(), [LANGUAGE_VAR]: this.session.language?.() };
  }

  /** How the call ended: the close reason the engine sent, or the session's reason when the caller hung up (no close frame is ours to send). */
  get ended(): string | undefined {
    return this.transport.closed?.reason ?? this.endReason;
  }

  get hasPendingCheckpoints(): boolean {
    return this.transport.pendingCheckpoints.length > 0;
  }

  get hasPendingFetch(): boolean {
    return this.http.hasPending;
  }

  /** HTTP attempts made so far (a retry is another attempt). */
  get fetchAttempts(): number {
    return this.http.attempts;
  }

  /** When the engine's next timer is due, in ms from now (undefined: nothing is waiting on time). */
  get nextTimerIn(): number | undefined {
    const next = this.clock.nextDue();
    return next === undefined ? undefined : next - this.clock.now();
  }

  get timersPending(): number {
    return this.clock.pending();
  }

  // ---- plumbing ----

  /**
   * Lets the session's promises settle, and speech being synthesized land: a `{ say }` is
   * answered within the step that asked for it, as a canned fetch is (its real synthesis time
   * is not simulated time; `sayTimeout` is tested with a store that never answers).
   */
  private async settle(): Promise<void> {
    await settle();
    await this.o.prompts.settled();
    await settle();
  }

  private onEvent(cmd: CallEvent): void {
    switch (cmd.type) {
      case 'node':
        this.currentFlow = cmd.flow;
        this.currentNode = cmd.name;
        this.observed.nodes.push(cmd.name);
        this.trace.push({ type: 'node', flow: cmd.flow, node: cmd.name });
        this.note(`node ${cmd.node}`);
        return;
      case 'key':
        this.note(`caller presses ${cmd.key}`);
        return;
      case 'play':
        // Shown as serve's logs show a play, at a test's detail (call/shown-play.ts): a value holding a secret is `#`.
        for (const { name, item } of shownPlay(cmd.items, 'tests')) {
          this.observed.plays.push(name);
          this.observed[RAW].plays.push('say' in item ? sayLabel(item.say) : name);
          const text = 'prompt' in item && name === item.prompt ? this.o.prompts.text(item.flow, item.prompt, item.language) : undefined;
          this.note(`play ${name}${text ? `  "${text}"` : ''}`);
        }
        return;
      case 'record.start':
        // The beep, when the node has one, was a `play` of its own: it has played by now.
        this.note('recording starts');
        return;
      case 'record.stop':
        this.note('recording stops');
        return;
      case 'fetch':
        this.observed.fetches.push(`${cmd.request.method.toUpperCase()} ${cmd.shown}`);
        this.observed[RAW].fetches.push(`${cmd.request.method.toUpperCase()} ${cmd.request.url}`);
        return;
      case 'sendDtmf':
        // Its `sendDTMF` frame follows at once with the same tones, unmasked.
        this.observed.sendDtmf.push(cmd.shown);
        this.observed[RAW].sendDtmf.push(cmd.digits);
        this.note(`sendDTMF ${cmd.shown}`);
        return;
      case 'input':
        this.trace.push({ type: 'input', flow: this.currentFlow, node: this.currentNode, value: cmd.value, outcome: cmd.outcome, edge: cmd.edge });
        this.note(`${cmd.node} decided ${cmd.outcome}${cmd.value === '' ? '' : ` on "${cmd.value}"`}`);
        return;
      case 'ended':
        this.endReason = cmd.summary.endReason;
        return;
      case 'log':
        if (cmd.level === 'error') this.errorHere();
        this.note(`log ${cmd.level}: ${cmd.message}`);
        return;
      default:
        return;
    }
  }

  private onFrame(frame: SentFrame): void {
    this.observed.frames++;
    if (frame.event === 'clearAudio') {
      this.observed.clears++;
      this.note('clearAudio');
    }
  }

  /**
   * What output must not show of this call: the values its sensitive collects stored, and the
   * values now of the variables holding one (compile/sensitive.ts `secretVars`).
   */
  secrets(): string[] {
    return heldSecrets(this.session.secrets?.() ?? [], this.o.flow.sensitiveVars, this.session.vars());
  }

  /** Variables holding a `sensitive` collect's digits or a value computed from them (in the flow or its subflows: compile/sensitive.ts `secretVars`): their values are masked in output. */
  sensitiveVars(): ReadonlySet<string> {
    return this.o.flow.sensitiveVars;
  }

  private errorHere(): void {
    this.trace.push({ type: 'error', node: this.currentNode });
  }

  private note(text: string): void {
    this.transcript.push({ at: this.clock.now() - this.startedAt, text });
  }
}

function emptyObserved(): Observed {
  return { plays: [], clears: 0, sendDtmf: [], fetches: [], nodes: [], frames: 0, end: undefined, endedNow: false, [RAW]: { plays: [], sendDtmf: [], fetches: [] } };
}

/** Lets pending promise chains run: a few macrotask turns, no real waiting. */
export async function settle(): Promise<void> {
  for (let i = 0; i < SETTLE_TURNS; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
