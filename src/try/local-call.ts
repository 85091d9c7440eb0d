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
import { shownPlay } from '../call/shown-play.js';

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
  /** What each queued playAudio frame is, by its (shared) text, in queue order; `null`: heard, not shown. */
  const playing = new Map<string, (TryEvent | null)[]>();
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
      if (frame.event === 'playAudio') {
        // Prompt frames are shared strings (built once per prompt): the play command said which is which.
        const shown = playing.get(text)?.shift();
        if (shown === null) playback.audio(frame.durationMs);
        else playback.audio(frame.durationMs, () => o.show(shown ?? { type: 'audio', durationMs: frame.durationMs }));
      }
      else if (frame.event === 'checkpoint') playback.checkpoint(frame.name);
      else if (frame.event === 'clearAudio') {
        o.show({ type: 'clear' });
        playback.clear();
      }
      // sendDTMF frames carry the raw tones: shown from the `sendDtmf` command, masked.
    },
    close() {
      over = true;
      playback.stop();
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
          // Shown as `ivr test` shows a play (call/shown-play.ts): a value holding a secret is one
          // `#` for its whole run (the run's other items are heard, not shown), a say its masked text.
          const shown = new Map(shownPlay(cmd.items, 'tests').map(({ name, item }) => [item, name]));
          // Shown when each starts playing (the frames follow this command at once).
          for (const item of cmd.items) {
            const name = shown.get(item);
            // Synthesized at call time: shown now, its audio follows when ready.
            if ('say' in item) {
              o.show({ type: 'prompt', name: 'say', text: item.shown ?? item.say });
              continue;
            }
            const audio = 'silenceMs' in item ? o.prompts.silence(item.silenceMs, FORMAT) : o.prompts.get(item.flow, item.prompt, FORMAT, item.language);
            if (!audio) continue;
            const event: TryEvent | null = name === undefined ? null
              : 'silenceMs' in item ? { type: 'prompt', name: 'silence', durationMs: item.silenceMs }
              : name !== item.prompt ? { type: 'prompt', name }
              : { type: 'prompt', name, text: o.prompts.text(item.flow, item.prompt, item.language), durationMs: audio.durationMs };
            const list = playing.get(audio.playAudioFrame) ?? [];
            list.push(event);
            playing.set(audio.playAudioFrame, list);
          }
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
