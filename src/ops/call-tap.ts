/**
 * One place where operations see a call: what Plivo sent (inbound frames, the hang-up), what the
 * engine sent (outbound frames), the machine's commands, and the summary at the end. It wraps the
 * server's `startCall`, so logs, metrics and call records need no hook inside the session.
 *
 *   createServer({ ..., startCall: tapStartCall(startCall, [metricsWatcher, recordsWatcher]) });
 *
 * Keys pressed while the call is in a `sensitive` collect reach watchers as `*`: no watcher can
 * leak what it never saw. The digits typed there are also scrubbed (as `***`) from every line the
 * session logs and from what `scrub` is given, e.g. a fetch URL built from the collected value.
 * The wrapped session's `done` resolves only once every watcher's `ended` has finished (a call
 * record on disk), so whoever waits for a call also waits for its record.
 */
import type { CallLog } from '../call/call-log.js';
import type { CallObserver, CallSession, CallSessionOptions, CallSummary, StartInfo } from '../call/call-session.js';
import { MASK } from '../call/mask-secrets.js';
import type { Command } from '../compile/protocol.js';
import type { FlowDoc } from '../flow/types.js';
import type { StartCall } from '../plivo/server-options.js';
import type { ServingFlows } from '../plivo/serving-flows.js';

/** What Plivo sent, as operations may see it (digits masked in sensitive collects). */
export type InboundEvent =
  | { event: 'dtmf'; digit: string; sensitive: boolean }
  | { event: 'playedStream'; name: string }
  | { event: 'clearedAudio' }
  | { event: 'playFailed' }
  | { event: 'hangup' };

/** The mask for a key pressed in a sensitive collect. */
export const MASKED_KEY = '*';

export interface TappedCall {
  start: StartInfo;
  options: CallSessionOptions;
  /** Clock time at the start frame. */
  startedAt: number;
  /** The node the call is in, and the flow it belongs to (a subflow's id inside a subflow). */
  node(): { node: string; flow: string };
  /** `text` with every value typed in a sensitive collect of this call replaced by `***`. */
  scrub(text: string): string;
}

/** Per-call listener; every method optional, every failure contained (logged by the tap). */
export interface CallWatcher {
  inbound?(event: InboundEvent): void;
  outbound?(text: string): void;
  command?(cmd: Command): void;
  /** May return a promise (a record being written): the call's `done` waits for it. */
  ended?(summary: CallSummary): void | Promise<void>;
  /** The session could not be created: there will be no `ended`. */
  failedToStart?(): void;
}

export type WatchCall = (call: TappedCall) => CallWatcher | undefined;

export interface TapOptions {
  /** The flows current at each call's start, to find subflows' `sensitive` collects. */
  flows?: () => ServingFlows;
}

export function tapStartCall(inner: StartCall, watchers: readonly WatchCall[], tapOptions: TapOptions = {}): StartCall {
  return (start, transport, options) => {
    const docs = new Map<string, FlowDoc>([[options.flow.id, options.flow.flow.doc]]);
    const serving = tapOptions.flows?.();
    let where = { node: '', flow: options.flow.id };
    let over = false;
    // Digits typed in sensitive collects: one entry per attempt, the current attempt in `typing`.
    // Shorter than 3 digits they are not scrubbed: masking every lone "1" would garble the logs.
    const secrets: string[] = [];
    let typing = '';
    const remember = (): void => {
      if (typing.length >= 3) secrets.push(typing);
      typing = '';
    };
    const scrub = (text: string): string => {
      const all = typing.length >= 3 ? [...secrets, typing] : secrets;
      if (all.length === 0) return text;
      let out = text;
      for (const secret of [...all].sort((a, b) => b.length - a.length)) out = out.split(secret).join(MASK);
      return out;
    };
    const call: TappedCall = { start, options, startedAt: options.clock.now(), node: () => where, scrub };
    const log = options.log;
    const listeners: CallWatcher[] = [];
    const each = (what: string, fn: (w: CallWatcher) => void): void => {
      for (const w of listeners) {
        try {
          fn(w);
        } catch (err) {
          log?.error({ err: String(err), where: what }, 'a call watcher failed (the call goes on)');
        }
      }
    };
    for (const watch of watchers) {
      try {
        const w = watch(call);
        if (w) listeners.push(w);
      } catch (err) {
        log?.error({ err: String(err) }, 'a call watcher failed to start (the call goes on)');
      }
    }

    const sensitiveHere = (): boolean => {
      let doc = docs.get(where.flow);
      if (doc === undefined && serving !== undefined) {
        doc = serving.flows.get(where.flow)?.flow.doc;
        if (doc) docs.set(where.flow, doc);
      }
      const node = doc?.nodes?.[where.node] as { collect?: { sensitive?: boolean } } | undefined;
      return node?.collect?.sensitive === true;
    };

    const observer: CallObserver = {
      command(cmd, session) {
        if (cmd.type === 'node' || (cmd.type === 'input' && cmd.sensitive)) remember();
        if (cmd.type === 'node') where = { node: cmd.node, flow: cmd.flow };
        if (cmd.type === 'end') over = true;
        each('command', (w) => w.command?.(cmd));
        options.observer?.command?.(cmd, session);
      },
      frameOut(text) {
        each('outbound', (w) => w.outbound?.(text));
        options.observer?.frameOut?.(text);
      },
      ended(summary) {
        options.observer?.ended?.(summary);
      },
    };
    const tappedTransport = {
      send: (text: string) => transport.send(text),
      close: (code: number, reason: string) => {
        // The session closes the stream when it ends the call: a later socket close is no hang-up.
        over = true;
        transport.close(code, reason);
      },
    };
    let session: CallSession;
    try {
      session = inner(start, tappedTransport, { ...options, observer, ...(log ? { log: scrubbingLog(log, scrub) } : {}) });
    } catch (err) {
      each('failedToStart', (w) => w.failedToStart?.());
      throw err;
    }

    const done = session.done.then(async (summary) => {
      const pending: (void | Promise<void>)[] = [];
      each('ended', (w) => pending.push(w.ended?.(summary)));
      for (const result of await Promise.allSettled(pending)) {
        if (result.status === 'rejected') log?.error({ err: String(result.reason) }, 'a call watcher failed at the end of the call');
      }
      return summary;
    });

    const tapped: CallSession = {
      get callId() {
        return session.callId;
      },
      get flowId() {
        return session.flowId;
      },
      get version() {
        return session.version;
      },
      get wantsMedia() {
        return session.wantsMedia;
      },
      // The inner session's own object, so the per-frame check does not go through this wrapper.
      ...(session.mediaGate ? { mediaGate: session.mediaGate } : {}),
      get node() {
        return session.node;
      },
      done,
      dtmf(digit) {
        if (!over) {
          const sensitive = sensitiveHere();
          if (sensitive && /^[0-9]$/.test(digit)) typing += digit;
          each('inbound', (w) => w.inbound?.({ event: 'dtmf', digit: sensitive ? MASKED_KEY : digit, sensitive }));
        }
        session.dtmf(digit);
      },
      played(name) {
        if (!over) each('inbound', (w) => w.inbound?.({ event: 'playedStream', name }));
        session.played(name);
      },
      playFailed(name) {
        if (!over) each('inbound', (w) => w.inbound?.({ event: 'playFailed' }));
        session.playFailed?.(name);
      },
      cleared() {
        if (!over) each('inbound', (w) => w.inbound?.({ event: 'clearedAudio' }));
        session.cleared();
      },
      media(payload) {
        session.media(payload);
      },
      hangup() {
        if (!over) each('inbound', (w) => w.inbound?.({ event: 'hangup' }));
        over = true;
        session.hangup();
      },
      stop(reason) {
        over = true;
        session.stop(reason);
      },
      vars: () => session.vars(),
    };
    return tapped;
  };
}

/** The session's log with sensitive digits scrubbed from the message and every string field. */
function scrubbingLog(log: CallLog, scrub: (text: string) => string): CallLog {
  const fields = (obj: object): object => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = typeof v === 'string' ? scrub(v) : v;
    return out;
  };
  return {
    info: (obj, msg) => log.info(fields(obj), scrub(msg)),
    warn: (obj, msg) => log.warn(fields(obj), scrub(msg)),
    error: (obj, msg) => log.error(fields(obj), scrub(msg)),
  };
}
