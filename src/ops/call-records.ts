/**
 * Call records: one JSON line per finished call in `--records <file>` (default ./calls.jsonl),
 * enough for `ivr replay` to run the call again: the flow version, the start frame's facts, and
 * the timeline of what Plivo sent, each entry with ms from the start.
 *
 * Each line is appended whole (the file is opened O_APPEND, the line written in one `write`) and
 * fsync'd before the call counts as done; a crash can therefore at worst leave one partial line
 * at the end, which `readCallRecords` skips, never a damaged earlier line. A write that fails
 * (disk full, I/O error) may leave part of its line too: the next record then starts with a
 * newline of its own, so it is never glued onto the broken one. That is safer than truncating
 * back: with `--workers`, other processes append to the same file between our writes. Failures
 * are counted (`health()`: `ivr_records_write_errors_total`, `/readyz` "degraded").
 *
 * A record is bounded whatever the call sent: lists keep at most `SUMMARY_LIST_LIMIT` entries
 * (the rest counted in `truncated`), URLs are cut, and a line over `RECORD_LIMITS.bytes` is
 * written without its lists.
 *
 *   const records = await openCallRecords('calls.jsonl');
 *   createServer({ ..., watchers: [recordCalls(records)] });
 *   for (const r of await readCallRecords('calls.jsonl')) console.log(r.callId, r.endReason);
 */
import { createReadStream } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { SUMMARY_LIST_LIMIT, type CallSummary, type FetchRecord, type InputRecord } from '../call/call-session.js';
import { keep } from '../call/call-summary.js';
import type { MediaFormat } from '../audio/types.js';
import type { CallListener, WatchCall } from '../call/call-events.js';
import { describePlay } from '../call/shown-play.js';

/** What Plivo sent, as records keep it: keys as the machine showed them (`*` when heading into a sensitive collect). */
export type InboundEvent =
  | { event: 'dtmf'; digit: string; sensitive: boolean }
  | { event: 'playedStream'; name: string }
  | { event: 'clearedAudio' }
  | { event: 'playFailed' }
  | { event: 'hangup' };

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
  /** Nodes entered, in order; a subflow's nodes as `<subflow id>/<node>`, here and in `inputs`. */
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
  /**
   * Present when the record is not whole: entries dropped per list once it held
   * `SUMMARY_LIST_LIMIT`, and `bytes` (the size the line would have had) when it passed
   * `RECORD_LIMITS.bytes` and was written without its lists. `ivr replay` cannot run such a call again.
   */
  truncated?: { timeline?: number; prompts?: number; sentDtmf?: number; bytes?: number };
}

/** Per-call bounds of a record (README, Reliability). */
export const RECORD_LIMITS = {
  /** Entries kept in `timeline`, `prompts`, `sentDtmf` (as in the summary's own lists). */
  entries: SUMMARY_LIST_LIMIT,
  /** A fetch URL in a record is cut to this many characters. */
  urlLength: 2048,
  /** A line longer than this is written without its lists (`truncated.bytes`). */
  bytes: 512 * 1024,
} as const;

/** How the records file is doing: failures so far, and the last one's message while the latest write failed. */
export interface RecordsHealth {
  writeErrors: number;
  failing?: string;
}

export interface CallRecordWriter {
  readonly file: string;
  /** Resolves once the line is on disk (written and fsync'd). */
  append(record: CallRecord): Promise<void>;
  /** Resolves when every append so far has finished. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface CallRecordFile extends CallRecordWriter {
  health(): RecordsHealth;
}

const NEWLINE = Buffer.from('\n');

/** Opens (creating if needed) the records file for appending. */
export async function openCallRecords(file: string): Promise<CallRecordFile> {
  const handle: FileHandle = await open(file, 'a+');
  let tail: Promise<void> = Promise.resolve();
  // A crash or a failed write left a partial last line: the next record starts on a line of its own.
  let broken = false;
  const { size } = await handle.stat();
  if (size > 0) {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    broken = last[0] !== 0x0a;
  }
  let closed = false;
  const health: RecordsHealth = { writeErrors: 0 };

  const writeLine = async (line: Buffer): Promise<void> => {
    const data = broken ? Buffer.concat([NEWLINE, line]) : line;
    try {
      let offset = 0;
      // One write carries the whole line in practice; a short write (signals, a nearly full disk)
      // is finished, still in order, because appends are chained.
      while (offset < data.length) {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset);
        if (bytesWritten === 0) throw new Error(`short write to ${file}: nothing written`);
        offset += bytesWritten;
      }
      await handle.datasync();
      broken = false;
      delete health.failing;
    } catch (err) {
      // Part of the line may be on disk: whatever comes next starts on a new line.
      broken = true;
      health.writeErrors++;
      health.failing = err instanceof Error ? err.message : String(err);
      throw err;
    }
  };

  return {
    file,
    append(record) {
      if (closed) return Promise.reject(new Error(`call records file ${file} is closed`));
      const result = tail.then(() => writeLine(Buffer.from(`${recordLine(record)}\n`)));
      tail = result.catch(() => {});
      return result;
    },
    flush: () => tail,
    health: () => ({ ...health }),
    async close() {
      if (closed) return;
      closed = true;
      await tail;
      await handle.close();
    },
  };
}

/** The record as one JSON line, within `RECORD_LIMITS.bytes`: over it, the lists are left out. */
export function recordLine(record: CallRecord): string {
  const line = JSON.stringify(record);
  if (line.length <= RECORD_LIMITS.bytes / 4 || Buffer.byteLength(line) <= RECORD_LIMITS.bytes) return line;
  const bytes = Buffer.byteLength(line);
  return JSON.stringify({
    ...record,
    nodes: [], inputs: [], fetches: [], recordings: [], prompts: [], sentDtmf: [], timeline: [],
    truncated: { ...record.truncated, bytes },
  } satisfies CallRecord);
}

/** Records from JSON Lines text; a partial last line (a crash mid-write) and damaged lines (not JSON, or not shaped like a record: parseRecordLine) are skipped and counted. */
export function parseCallRecords(text: string): { records: CallRecord[]; skipped: number } {
  const lines = text.split('\n');
  // Text after the last newline was never completed.
  const partial = lines.pop() ?? '';
  let skipped = partial === '' ? 0 : 1;
  const records: CallRecord[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const record = parseRecordLine(line);
    if (record) records.push(record);
    else skipped++;
  }
  return { records, skipped };
}

export interface StreamRecordsOptions {
  /**
   * Lines longer than this are skipped, never held in memory whole. Default `RECORD_LIMITS.bytes`:
   * the writer never writes a longer line, so a longer one is not a record of this engine.
   */
  maxLineBytes?: number;
  /** Called once per line that is not a record: torn, not JSON, another shape, or too long. */
  skipped?: () => void;
}

/**
 * The records of a file, read line by line in bounded memory (`ivr report` over gigabytes):
 * blank lines are ignored; a torn last line, a damaged or foreign line and an over-long line are
 * reported to `skipped` and never fatal.
 *
 *   for await (const r of streamCallRecords('calls.jsonl', { skipped: () => n++ })) count(r);
 */
export async function* streamCallRecords(file: string, options: StreamRecordsOptions = {}): AsyncGenerator<CallRecord> {
  const max = options.maxLineBytes ?? RECORD_LIMITS.bytes;
  const skip = options.skipped ?? (() => {});
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  const take = (): CallRecord | undefined => {
    const line = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
    const wasTooLong = tooLong;
    parts = [];
    length = 0;
    tooLong = false;
    if (wasTooLong) {
      skip();
      return undefined;
    }
    const text = line.toString('utf8');
    if (text.trim() === '') return undefined;
    const record = parseRecordLine(text);
    if (record === undefined) skip();
    return record;
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, from);
      const end = newline === -1 ? chunk.length : newline;
      if (!tooLong && length + (end - from) > max) {
        tooLong = true;
        parts = [];
        length = 0;
      }
      if (!tooLong && end > from) {
        parts.push(chunk.subarray(from, end));
        length += end - from;
      }
      if (newline === -1) break;
      const record = take();
      if (record) yield record;
      from = newline + 1;
    }
  }
  // Text after the last newline was never completed (a crash mid-write).
  if (tooLong || (length > 0 && Buffer.concat(parts, length).toString('utf8').trim() !== '')) skip();
}

/** One line as a call record, or undefined when it is not JSON or not shaped like one. */
export function parseRecordLine(line: string): CallRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return isCallRecord(value) ? value : undefined;
}

/**
 * Whether a parsed line has what readers of records rely on: the flow, version, start, end
 * reason, duration, the nodes as strings, and well-formed inputs and fetches. Anything else on
 * the line (timeline, prompts) is not checked.
 */
export function isCallRecord(value: unknown): value is CallRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  const str = (v: unknown): v is string => typeof v === 'string';
  if (!str(r.flow) || !str(r.version) || !str(r.endReason) || !str(r.startedAt) || typeof r.durationMs !== 'number') return false;
  if (!Array.isArray(r.nodes) || !r.nodes.every(str)) return false;
  const okInput = (i: unknown): boolean => i !== null && typeof i === 'object' && str((i as InputRecord).node) && str((i as InputRecord).value)
    && ['match', 'noMatch', 'noInput'].includes((i as InputRecord).outcome);
  const okFetch = (f: unknown): boolean => f !== null && typeof f === 'object' && str((f as FetchRecord).url) && str((f as FetchRecord).method)
    && str((f as FetchRecord).outcome) && typeof (f as FetchRecord).ms === 'number';
  return Array.isArray(r.inputs) && r.inputs.every(okInput) && Array.isArray(r.fetches) && r.fetches.every(okFetch);
}

export async function readCallRecords(file: string): Promise<CallRecord[]> {
  return parseCallRecords(await readFile(file, 'utf8')).records;
}

/** The watcher that writes one record per call to `writer`, whatever ended it. */
export function recordCalls(writer: CallRecordWriter, onError?: (err: unknown) => void): WatchCall {
  return (call): CallListener => {
    const timeline: TimelineEntry[] = [];
    const prompts: CallRecord['prompts'] = [];
    const sentDtmf: string[] = [];
    const dropped = { timeline: 0, prompts: 0, sentDtmf: 0 };
    const inbound = (entry: TimelineEntry): void => {
      if (!keep(timeline, entry)) dropped.timeline++;
    };
    return (event, at) => {
      switch (event.type) {
        case 'key':
          return inbound({ at, event: 'dtmf', digit: event.key, sensitive: event.sensitive });
        case 'played':
          return inbound({ at, event: 'playedStream', name: event.name });
        case 'playFailed':
          return inbound({ at, event: 'playFailed' });
        case 'cleared':
          return inbound({ at, event: 'clearedAudio' });
        case 'hangup':
          return inbound({ at, event: 'hangup' });
        case 'play':
          if (!keep(prompts, { at, prompt: describePlay(event.items) })) dropped.prompts++;
          return undefined;
        case 'sendDtmf':
          if (!keep(sentDtmf, event.shown)) dropped.sentDtmf++;
          return undefined;
        case 'ended':
          return write(event.summary);
        default:
          return undefined;
      }
    };

    async function write(summary: CallSummary): Promise<void> {
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
        // Masked already, by the machine (compile/sensitive.ts): inputs of sensitive collects, secrets in URLs; URLs cut.
        inputs: [...summary.inputs],
        fetches: summary.fetches.map((f) => ({ ...f, url: f.url.slice(0, RECORD_LIMITS.urlLength) })),
        recordings: summary.recordings ?? [],
        prompts,
        sentDtmf,
        timeline,
      };
      const truncated = Object.fromEntries(Object.entries(dropped).filter(([, n]) => n > 0));
      if (Object.keys(truncated).length > 0) record.truncated = truncated;
      try {
        await writer.append(record);
      } catch (err) {
        onError?.(err);
        throw err;
      }
    }
  };
}
