/**
 * A call in progress: the flow's actor, the commands it emits carried out (frames, recordings,
 * timers), and Plivo's frames fed back as machine events. Fetches are the machine's own invoked
 * actors (compile/fetch-actor.ts), run with this call's Fetcher. Nothing escapes it as an
 * exception: a failure ends this call with reason `error`.
 */
import { performance } from 'node:perf_hooks';
import { createActor, type AnyActorRef } from 'xstate';
import type { Command, Commands, MachineEvent } from '../compile/protocol.js';
import type { CallContext } from '../compile/call-context.js';
import { SENT, type CallEvent, type CallListener } from './call-events.js';
import { silentLog, type CallLog } from './call-log.js';
import type { CallSession, CallSessionOptions, StartInfo } from './call-session.js';
import { emptySummary, keep, type CallSummary, type FetchRecord } from './call-summary.js';
import { CallTimers } from './call-timers.js';
import { CLOSE, closeReason } from './close-codes.js';
import { DTMF_KEY } from '../flow/dtmf-keys.js';
import type { Clock } from './clock.js';
import { useFetcher } from '../compile/fetch-actor.js';
import { sendDtmfFrame } from './outbound-frames.js';
import { PlaybackQueue } from './playback-queue.js';
import { logCall } from './log-call.js';
import { Recorder } from './recorder.js';
import type { Transport } from './transport.js';
import { defaultOf } from '../options/option-schema.js';
import { SERVE_OPTIONS } from '../options/serve-options.js';


export class LiveCall implements CallSession {
  readonly callId: string;
  readonly flowId: string;
  readonly version: string;
  readonly done: Promise<CallSummary>;
  node = '';

  private readonly log: CallLog;
  private readonly clock: Clock;
  private readonly timers: CallTimers;
  private readonly playback: PlaybackQueue;
  private readonly recorder: Recorder;
  /** See CallSession.mediaGate: the recorder opens it while capturing, and the call's end stops the capture. */
  readonly mediaGate: { readonly open: boolean };
  private readonly actor: AnyActorRef;
  /** The call's watchers (call-events.ts): its log lines, and whatever the runtime added. */
  private readonly listeners: CallListener[] = [];
  private readonly summary: CallSummary;
  private resolveDone: (summary: CallSummary) => void = () => {};
  private currentFlow: string;
  private readonly startedAt: number;
  private over = false;
  /** Set while the session itself ends the call, so the actor's completion does not end it twice. */
  private ending: string | undefined;

  constructor(
    private readonly start: StartInfo,
    private readonly transport: Transport,
    private readonly o: CallSessionOptions,
  ) {
    this.callId = start.call.callId;
    this.flowId = o.flow.id;
    this.version = o.flow.version;
    this.currentFlow = o.flow.id;
    this.log = o.log ?? silentLog;
    this.clock = o.clock;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.startedAt = o.clock.now();
    this.summary = emptySummary(start.call, o.flow, this.startedAt);
    this.timers = new CallTimers(o.clock, (err) => this.fail('timer', err));
    this.playback = new PlaybackQueue({
      streamId: start.call.streamId,
      format: start.format,
      prompts: o.prompts,
      clock: o.clock,
      timers: this.timers,
      log: this.log,
      graceMs: o.playbackGraceMs ?? defaultOf(SERVE_OPTIONS, 'playbackGraceMs'),
      send: (text) => this.sendFrame(text),
      finished: (playbackId) => this.toMachine({ type: 'playback.finished', playbackId }),
      sayFailed: (playbackId, message) => this.toMachine({ type: 'say.failed', playbackId, message }),
    });
    this.recorder = new Recorder({
      callId: start.call.callId,
      format: start.format,
      timers: this.timers,
      log: this.log,
      sink: o.recordings,
      silenceThreshold: o.silenceThreshold ?? 500,
      answer: (event) => this.toMachine(event),
      saved: (path) => this.summary.recordings.push(path),
    });
    this.mediaGate = this.recorder.gate;

    // A flow version's machine is built at its first call, on this thread (compile-flow.ts): say how long it took.
    const building = o.flow.built === false;
    const buildStarted = building ? performance.now() : 0;
    const machine = o.flow.machine;
    if (building) this.log.info({ flow: this.flowId, version: this.version, buildMs: Math.round((performance.now() - buildStarted) * 10) / 10 }, 'machine built');
    this.actor = createActor(machine, {
      input: { call: start.call, vars: o.vars, env: o.env },
      clock: o.clock,
    });
    useFetcher(this.actor.system, o.fetcher);
    // Watchers start last, once nothing above can throw: a watcher that counts the call (metrics'
    // active calls) must never see a call that failed to start and so never ends.
    for (const watch of [logCall, ...(o.watchers ?? [])]) {
      try {
        const listener = watch({ start, flow: o.flow, log: o.log });
        if (listener) this.listeners.push(listener);
      } catch (err) {
        this.log.error({ err: errorText(err) }, 'a call watcher failed to start (the call goes on)');
      }
    }
    // Subscribed before start: an action that throws on entry must end this call, not the process.
    this.actor.subscribe({
      error: (err: unknown) => this.fail('machine', err),
      complete: () => this.finish(this.ending ?? 'completed', this.ending === undefined),
    });
    this.actor.on('commands', (batch: Commands) => {
      for (const cmd of batch.commands) this.onCommand(cmd);
    });
    this.log.info({ flow: this.flowId, version: this.version, format: start.format }, 'call started');
    try {
      this.actor.start();
    } catch (err) {
      this.fail('machine', err);
    }
  }

  dtmf(digit: string): void {
    if (this.over) return;
    if (!DTMF_KEY.test(digit)) {
      this.log.warn({ digit: digit.slice(0, 8) }, 'ignored a dtmf frame that is not one of 0-9*#A-D');
      return;
    }
    this.toMachine({ type: 'dtmf', digit, at: this.clock.now() });
  }

  played(checkpointName: string): void {
    if (this.over) return;
    this.publish({ type: 'played', name: checkpointName });
    this.guard('played', () => this.playback.played(checkpointName));
  }

  playFailed(checkpointName?: string): void {
    if (this.over) return;
    this.publish({ type: 'playFailed' });
    this.guard('playFailed', () => this.playback.failed(checkpointName));
  }

  cleared(): void {
    // Nothing else to do: `clear` already forgot the dropped checkpoints when it sent `clearAudio`.
    if (!this.over) this.publish({ type: 'cleared' });
  }

  media(payload: Buffer): void {
    if (this.over || !this.recorder.capturing) return;
    // `guard` inlined: 50 frames a second while recording, and no closure per frame.
    try {
      this.recorder.media(payload);
    } catch (err) {
      this.fail('media', err);
    }
  }

  hangup(): void {
    if (this.over) return;
    this.ending = 'hangup';
    this.publish({ type: 'hangup' });
    this.toMachine({ type: 'hangup' });
    this.finish('hangup', false);
  }

  stop(reason: string): void {
    if (this.over) return;
    this.ending = reason;
    this.finish(reason, true);
  }

  vars(): Record<string, unknown> {
    return { ...(this.context()?.vars ?? {}) };
  }

  language(): string {
    return this.context()?.language ?? '';
  }

  secrets(): readonly string[] {
    return [...(this.context()?.secrets ?? [])];
  }

  private context(): Partial<Pick<CallContext, 'vars' | 'language' | 'fetch' | 'secrets'>> | undefined {
    return (this.actor.getSnapshot() as { context?: Partial<CallContext> }).context;
  }

  // ---- commands out of the machine ----

  private onCommand(cmd: Command): void {
    if (this.over) return;
    this.publish(cmd);
    // `guard`, written out: a key press makes five commands, and a closure each is garbage.
    try {
      this.execute(cmd);
    } catch (err) {
      this.fail(cmd.type, err);
    }
  }

  /**
   * Tells every watcher; a failing watcher is logged, never the call's failure. What they return
   * goes to `results` when given (only `ended` waits for it: nothing is allocated per event).
   */
  private publish(event: CallEvent, results?: unknown[]): void {
    const at = this.clock.now() - this.startedAt;
    for (const listener of this.listeners) {
      try {
        const result = listener(event, at);
        results?.push(result);
      } catch (err) {
        this.log.error({ err: errorText(err), event: event.type }, 'a call watcher failed (the call goes on)');
      }
    }
  }

  private execute(cmd: Command): void {
    switch (cmd.type) {
      case 'node':
        this.node = cmd.node;
        this.currentFlow = cmd.flow;
        keep(this.summary.nodes, cmd.node);
        return;
      case 'play':
        this.playback.play(cmd.playbackId, cmd.items, cmd.sayTimeoutMs);
        return;
      case 'clear':
        this.playback.clear();
        return;
      case 'sendDtmf': {
        const frame = sendDtmfFrame(cmd.digits);
        if (frame) this.sendFrame(frame);
        else this.log.warn({ node: this.node }, 'sendDtmf with no valid digit: nothing sent');
        return;
      }
      case 'fetched': {
        const record: FetchRecord = { url: cmd.url, method: cmd.method, outcome: cmd.outcome, ms: cmd.ms };
        if (cmd.status !== undefined) record.status = cmd.status;
        keep(this.summary.fetches, record);
        return;
      }
      case 'record.start':
        this.recorder.start(cmd.requestId, cmd.maxDurationMs, cmd.silenceTimeoutMs);
        return;
      case 'record.stop':
        this.recorder.stop(cmd.requestId);
        return;
      case 'input':
        keep(this.summary.inputs, { node: cmd.node, value: cmd.value, sensitive: cmd.sensitive, outcome: cmd.outcome, at: this.elapsed() });
        return;
      // A fetch in progress is the machine's own (its context's `fetch`, read when the call ends).
      case 'fetch':
      case 'key':
      case 'log':
        return;
      case 'end':
        this.ending = cmd.reason;
        this.finish(cmd.reason, true);
        return;
    }
  }

  // ---- the edges ----

  private toMachine(event: MachineEvent): void {
    if (this.over) return;
    try {
      this.actor.send(event);
    } catch (err) {
      this.fail('machine', err);
    }
  }

  private sendFrame(text: string): void {
    this.publish(SENT);
    try {
      this.transport.send(text);
    } catch (err) {
      this.log.warn({ err: errorText(err) }, 'could not send a frame');
    }
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.fail(what, err);
    }
  }

  /** An engine failure ends this call (reason `error`), never the process. */
  private fail(where: string, err: unknown): void {
    this.log.error({ where, node: this.node, err: errorText(err) }, 'call failed');
    if (this.over) return;
    this.ending = 'error';
    this.finish('error', true, CLOSE.internal);
  }

  private finish(reason: string, close: boolean, code: number = CLOSE.normal): void {
    if (this.over) return;
    this.over = true;
    this.summary.endReason = reason;
    this.summary.endedAt = this.clock.now();
    // Keep what a caller said into a voicemail before hanging up: saving finishes before `done`.
    this.recorder.hangup();
    this.playback.close();
    // The fetch the machine is running (its context's, from `fetch` to `fetched`) is `cancelled`:
    // stopping the actor (below) stops its fetch actor, which aborts the HTTP request.
    const f = this.context()?.fetch;
    if (f) keep(this.summary.fetches, { url: f.shown, method: f.request.method, outcome: 'cancelled', ms: this.summary.endedAt - f.startedAt });
    this.timers.cancelAll();
    try {
      this.actor.stop();
    } catch (err) {
      this.log.error({ err: errorText(err) }, 'could not stop the actor');
    }
    if (close) {
      try {
        this.transport.close(code, closeReason(reason));
      } catch (err) {
        this.log.warn({ err: errorText(err) }, 'could not close the stream');
      }
    }
    this.log.info({ reason, ms: this.summary.endedAt - this.summary.startedAt }, 'call ended');
    void this.recorder.settled().then(async () => {
      // `done` waits for the watchers (a call record on disk): whoever waits for a call waits for its record.
      const watching: unknown[] = [];
      this.publish({ type: 'ended', summary: this.summary }, watching);
      for (const result of await Promise.allSettled(watching)) {
        if (result.status === 'rejected') this.log.error({ err: errorText(result.reason) }, 'a call watcher failed at the end of the call');
      }
      this.resolveDone(this.summary);
    });
  }

  private elapsed(): number {
    return this.clock.now() - this.summary.startedAt;
  }
}


function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

