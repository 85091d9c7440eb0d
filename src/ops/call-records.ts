/**
 * Call records: one JSON line per finished call in `--records <file>` (default ./calls.jsonl),
 * enough for `ivr replay` to run the call again: the flow version, the start frame's facts, and
 * the timeline of what Plivo sent, each entry with ms from the start.
 *
 * Each line is appended whole (the file is opened O_APPEND, the line written in one `write`) and
 * fsync'd before the call counts as done; a crash can therefore at worst leave one partial line
 * at the end, which `readCallRecords` skips, never a damaged earlier line.
 *
 *   const records = await openCallRecords('calls.jsonl');
 *   startCall = tapStartCall(startCall, [recordCalls(records)]);
 *   for (const r of await readCallRecords('calls.jsonl')) console.log(r.callId, r.endReason);
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import type { FetchRecord, InputRecord } from '../call/call-session.js';
import type { MediaFormat } from '../audio/types.js';
import type { CallWatcher, InboundEvent, WatchCall } from './call-tap.js';
import { describePlay } from './logger.js';

export type TimelineEntry = InboundEvent & { at: number };

export interface CallRecord {
  callId: string;
  streamId: string;
  flow: string;
  version: string;
  format: MediaFormat;
  /** The start frame's `extra_headers` (set in the operator's answer XML). */
  headers: Record<string, string>;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** `completed`, `transferred`, `hangup`, `error`, `shutdown`, or a flow's own `end.reason`. */
  endReason: string;
  nodes: string[];
  /** Keys decided on by menus and collects (`***` when sensitive). */
  inputs: InputRecord[];
  fetches: FetchRecord[];
  recordings: string[];
  /** Prompts the engine played, in order (spoken values as `#`): what the caller heard. */
  prompts: { at: number; prompt: string[] }[];
  /** Tones the engine sent (`transfer` nodes' sendDTMF), scrubbed like fetch URLs; `ivr replay` compares them. Absent in older records. */
  sentDtmf?: string[];
  /** What Plivo sent: keys (`*` when sensitive), playback acknowledgements, clears, the hang-up. */
  timeline: TimelineEntry[];
}

export interface CallRecordWriter {
  readonly file: string;
  /** Resolves once the line is on disk (written and fsync'd). */
  append(record: CallRecord): Promise<void>;
  /** Resolves when every append so far has finished. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Opens (creating if needed) the records file for appending. */
export async function openCallRecords(file: string): Promise<CallRecordWriter> {
  const handle: FileHandle = await open(file, 'a+');
  let tail: Promise<void> = Promise.resolve();
  // A crash mid-write left a partial last line: end it, so the next record starts on a line of its own.
  const { size } = await handle.stat();
  if (size > 0) {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) tail = handle.write('\n').then(() => {});
  }
  let closed = false;

  const writeLine = async (line: Buffer): Promise<void> => {
    let offset = 0;
    // One write carries the whole line in practice; a short write (disk full, signals) is finished,
    // still in order, because appends are chained.
    while (offset < line.length) {
      const { bytesWritten } = await handle.write(line, offset, line.length - offset);
      offset += bytesWritten;
    }
    await handle.datasync();
  };

  return {
    file,
    append(record) {
      if (closed) return Promise.reject(new Error(`call records file ${file} is closed`));
      const line = Buffer.from(`${JSON.stringify(record)}\n`);
      const result = tail.then(() => writeLine(line));
      tail = result.catch(() => {});
      return result;
    },
    flush: () => tail,
    async close() {
      if (closed) return;
      closed = true;
      await tail;
      await handle.close();
    },
  };
}

/** Records from JSON Lines text; a partial last line (a crash mid-write) and damaged lines are skipped and counted. */
export function parseCallRecords(text: string): { records: CallRecord[]; skipped: number } {
  const lines = text.split('\n');
  // Text after the last newline was never completed.
  const partial = lines.pop() ?? '';
  let skipped = partial === '' ? 0 : 1;
  const records: CallRecord[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as CallRecord);
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}

export async function readCallRecords(file: string): Promise<CallRecord[]> {
  return parseCallRecords(await readFile(file, 'utf8')).records;
}

/** The watcher that writes one record per call to `writer`, whatever ended it. */
export function recordCalls(writer: CallRecordWriter, onError?: (err: unknown) => void): WatchCall {
  return (call): CallWatcher => {
    const clock = call.options.clock;
    const timeline: TimelineEntry[] = [];
    const prompts: CallRecord['prompts'] = [];
    const sentDtmf: string[] = [];
    const at = (): number => clock.now() - call.startedAt;
    return {
      inbound(event) {
        timeline.push({ at: at(), ...event });
      },
      command(cmd) {
        if (cmd.type === 'play') prompts.push({ at: at(), prompt: describePlay(cmd.items) });
        else if (cmd.type === 'sendDtmf') sentDtmf.push(call.scrub(cmd.digits));
      },
      async ended(summary) {
        const record: CallRecord = {
          callId: summary.callId,
          streamId: summary.streamId,
          flow: summary.flowId,
          version: summary.version,
          format: call.start.format,
          headers: { ...call.start.call.headers },
          startedAt: new Date(summary.startedAt).toISOString(),
          endedAt: new Date(summary.endedAt).toISOString(),
          durationMs: summary.endedAt - summary.startedAt,
          endReason: summary.endReason,
          nodes: [...summary.nodes],
          inputs: summary.inputs.map((i) => (i.sensitive ? { ...i, value: '***' } : i)),
          // A URL may carry a value typed in a sensitive collect (`/accounts/{{ account }}`).
          fetches: summary.fetches.map((f) => ({ ...f, url: call.scrub(f.url) })),
          recordings: summary.recordings ?? [],
          prompts,
          sentDtmf,
          timeline,
        };
        try {
          await writer.append(record);
        } catch (err) {
          onError?.(err);
          throw err;
        }
      },
    };
  };
}
