import type { MediaFormat, PromptStore } from '../audio/types.js';
import type { CallSession, CallSummary } from '../call/call-session.js';
import { startCall } from '../call/start-call.js';
import { realClock, type Clock } from '../call/clock.js';
import type { Fetcher } from '../call/fetcher.js';
import { memoryRecordingSink } from '../call/recording-sink.js';
import type { CompiledFlow } from '../compile/compiled-flow.js';
import type { TryEvent } from './call-display.js';
import { parseOutboundFrame } from '../call/outbound-frames.js';
import { PlivoPlayback } from './plivo-playback.js';
import { ShownFrames } from './shown-frames.js';

export interface LocalCallOptions {
  flow: CompiledFlow;
  prompts: PromptStore;
  fetcher: Fetcher;
  /** `--fast`: prompts count as played as soon as they are queued. Timers stay real, so there is time to type. */
  fast?: boolean;
  /** The call's id (default: generated); it decides a split node's bucket. */
  callId?: string | undefined;
  clock?: Clock;
  show(event: TryEvent): void;
}

export interface TryCall {
  press(key: string): void;
  hangup(): void;
  /** Resolves with the end reason once the call is over. */
  readonly done: Promise<string>;
}

const FORMAT: MediaFormat = 'audio/x-mulaw;rate=8000';

/**
 * A call to a flow in this process, as `ivr serve` would run it (the real session, real HTTP
 * for fetches), with Plivo's part played here: the outbound frames are interpreted by a Plivo-like
 * playback queue that acknowledges checkpoints once their audio has played (or at once, `fast`).
 * What happens is reported through `show`: nodes, prompts (name, text, duration), clears,
 * transfer tones, fetches and the end.
 */
export function startLocalCall(o: LocalCallOptions): TryCall {
  const clock = o.clock ?? realClock;
  // The playback answers the session that owns it: created first, it reaches the session through here.
  const call: { session?: CallSession } = {};
  let over = false;
  const shown = new ShownFrames(o.prompts, FORMAT);
  const playback = new PlivoPlayback({
    clock,
    instant: o.fast === true,
    played: (name) => call.session?.played(name),
    cleared: () => call.session?.cleared(),
  });
  const info = { callId: o.callId ?? `try-${Date.now().toString(36)}`, streamId: 'try-stream', accountId: 'try', headers: {} };
  const started = startCall({ call: info, format: FORMAT }, {
    send(text) {
      const frame = parseOutboundFrame(text);
      if (frame.event === 'playAudio') shown.audio(text, frame.durationMs);
      else if (frame.event === 'checkpoint') {
        // A playback's frames come all at once, then its checkpoint: each is shown as its item.
        for (const { durationMs, event } of shown.playback(frame.name)) {
          if (event === null) playback.audio(durationMs);
          else playback.audio(durationMs, () => o.show(event));
        }
        playback.checkpoint(frame.name);
      } else if (frame.event === 'clearAudio') {
        o.show({ type: 'clear' });
        playback.clear();
      }
      // sendDTMF frames carry the raw tones: shown from the `sendDtmf` command, masked.
    },
    close() {
      over = true;
      playback.stop();
      shown.reset();
    },
  }, {
    flow: o.flow,
    prompts: o.prompts,
    clock,
    fetcher: o.fetcher,
    recordings: memoryRecordingSink(),
    watchers: [() => (cmd) => {
        if (cmd.type === 'node') o.show({ type: 'node', node: cmd.name, flow: cmd.flow === o.flow.id ? '' : cmd.flow });
        else if (cmd.type === 'key') o.show({ type: 'key', key: cmd.key });
        else if (cmd.type === 'play') {
          // A say's text is shown now, its speech may follow later (or never: cleared, failed).
          for (const item of cmd.items) if ('say' in item) o.show({ type: 'prompt', name: 'say', text: item.shown ?? item.say });
          shown.expect(cmd.playbackId, cmd.items);
        } else if (cmd.type === 'sendDtmf') o.show({ type: 'sendDtmf', dtmf: cmd.shown });
        else if (cmd.type === 'fetch') o.show({ type: 'fetch', method: cmd.request.method, url: cmd.shown });
        else if (cmd.type === 'record.start') o.show({ type: 'note', text: 'recording (nothing is heard from this terminal: it ends at its silence or maximum time)' });
        else if (cmd.type === 'log' && cmd.level !== 'info') o.show({ type: 'note', text: `${cmd.level}: ${cmd.message}` });
      }],
  });
  call.session = started;
  return {
    press(key) {
      if (over) return;
      // Shown from the call's `key` event, masked like everywhere (a PIN typed on screen shows as `*`).
      started.dtmf(key);
    },
    hangup() {
      if (over) return;
      over = true;
      playback.stop();
      started.hangup();
    },
    done: started.done.then((summary: CallSummary) => {
      playback.stop();
      o.show({ type: 'end', reason: summary.endReason });
      return summary.endReason;
    }),
  };
}
