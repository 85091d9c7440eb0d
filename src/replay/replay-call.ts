import type { PromptStore } from '../audio/types.js';
import { startCall } from '../call/start-call.js';
import { memoryRecordingSink } from '../call/recording-sink.js';
import type { Transport } from '../call/transport.js';
import type { CompiledFlow } from '../compile/compiled-flow.js';
import { recordCalls, type CallRecord, type CallRecordWriter } from '../ops/call-records.js';
import { SimClock } from '../testing/sim-clock.js';
import { settle } from '../testing/simulated-call.js';
import { replayFetcher } from './replay-fetcher.js';

/** The end reason of calls the server stopped while draining (src/ops/drain.ts). */
const SHUTDOWN = 'shutdown';

/** How long past the recorded end a replayed call may run on its own before it is hung up. */
const OVERRUN_MS = 10 * 60_000;

/**
 * Runs a recorded call again against `flow`, in simulated time starting at the recorded start
 * (so `now`-based branches decide as they did): the timeline's events are fed at their recorded
 * offsets. Keys, clears and the hang-up go in as recorded; a playback acknowledgement
 * acknowledges the oldest checkpoint the new run has pending (by order, not by name: checkpoint
 * names carry per-call counters, and a changed flow may queue different ones; with none pending
 * it is dropped, as Plivo would never have sent it). After the last event a call that was not
 * hung up runs on until it ends by itself. Returns the new run's call record, made by the same
 * code `ivr serve` records with.
 */
export async function replayCall(record: CallRecord, flow: CompiledFlow, prompts: PromptStore): Promise<CallRecord> {
  const startedAt = Date.parse(record.startedAt);
  const clock = new SimClock(Number.isFinite(startedAt) ? startedAt : undefined);
  const pending: string[] = [];
  let closed = false;
  const transport: Transport = {
    send(text) {
      if (text.startsWith('{"event":"playAudio"')) return;
      const frame = JSON.parse(text) as { event?: string; name?: string };
      if (frame.event === 'checkpoint' && typeof frame.name === 'string') pending.push(frame.name);
      else if (frame.event === 'clearAudio') pending.length = 0;
    },
    close() {
      closed = true;
    },
  };
  let result: CallRecord | undefined;
  const writer: CallRecordWriter = {
    file: '(replay)',
    append: async (r) => {
      result = r;
    },
    flush: async () => {},
    close: async () => {},
  };
  let fetchIndex = -1;
  const session = startCall(
    { call: { callId: record.callId, streamId: record.streamId, accountId: 'replay', headers: { ...record.headers } }, format: record.format },
    transport,
    {
      flow,
      prompts,
      clock,
      fetcher: replayFetcher(record.fetches, clock, () => fetchIndex),
      recordings: memoryRecordingSink(),
      watchers: [
        recordCalls(writer),
        () => (event) => {
          if (event.type === 'fetch') fetchIndex++;
        },
      ],
    },
  );
  const runUntil = async (target: number): Promise<void> => {
    await settle();
    for (;;) {
      const next = clock.nextDue();
      if (next === undefined || next > target || closed) break;
      clock.advance(next - clock.now());
      await settle();
    }
    if (target > clock.now()) clock.advance(target - clock.now());
    await settle();
  };

  const start = clock.now();
  let hungUp = false;
  for (const entry of record.timeline) {
    await runUntil(start + entry.at);
    if (closed) break;
    switch (entry.event) {
      case 'dtmf':
        session.dtmf(entry.digit);
        break;
      case 'playedStream': {
        const name = pending.shift();
        if (name !== undefined) session.played(name);
        break;
      }
      case 'clearedAudio':
        session.cleared();
        break;
      case 'playFailed':
        // Like an acknowledgement: the oldest playback the new run has pending counts as finished.
        session.playFailed?.(pending.shift());
        break;
      case 'hangup':
        hungUp = true;
        session.hangup();
        break;
    }
  }
  if (!hungUp && !closed && record.endReason === SHUTDOWN) {
    // The server stopped the recorded call (drain timeout): stop this one at the same moment.
    await runUntil(start + record.durationMs);
    if (!closed) session.stop(SHUTDOWN);
  }
  if (!hungUp && !closed) {
    // The engine ended the recorded call: let this one run until it ends too, or give up.
    const limit = start + record.durationMs + OVERRUN_MS;
    while (!closed && clock.nextDue() !== undefined && clock.nextDue()! <= limit) await runUntil(clock.nextDue()!);
    if (!closed) session.hangup();
  }
  await session.done;
  if (!result) throw new Error(`replay of call ${record.callId} made no record`);
  return result;
}
