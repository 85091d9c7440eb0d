import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav } from '../audio/pcm.js';

/** Where `record` nodes put what the caller said. Returns the path the flow stores in `into`. */
export interface RecordingSink {
  save(callId: string, samples: Int16Array, sampleRate: number): Promise<string>;
}

/**
 * Recordings as PCM16 WAV files in `dir` (created on first use), named
 * `<callId>-<UTC timestamp>-<n>.wav`. Nothing the caller controls goes into the path: the call
 * id (chosen by Plivo) is reduced to `[A-Za-z0-9-]`, and files are never overwritten.
 *
 * @example
 *   const recordings = fileRecordingSink('/var/lib/ivr/recordings');
 *   // -> /var/lib/ivr/recordings/12345678-1234-1234-1234-123456789abc-20260115T101500123Z-1.wav
 */
export function fileRecordingSink(dir: string): RecordingSink {
  let count = 0;
  return {
    async save(callId, samples, sampleRate) {
      await mkdir(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[-:.]/g, '');
      const path = join(dir, `${safeCallId(callId)}-${stamp}-${++count}.wav`);
      await writeFile(path, encodeWav(samples, sampleRate), { flag: 'wx' });
      return path;
    },
  };
}

export interface SavedRecording {
  path: string;
  callId: string;
  samples: Int16Array;
  sampleRate: number;
}

/** Recordings kept in memory (`ivr test`, unit tests): paths are `memory:<callId>-<n>.wav`. */
export function memoryRecordingSink(): RecordingSink & { recordings: SavedRecording[] } {
  const recordings: SavedRecording[] = [];
  return {
    recordings,
    save(callId, samples, sampleRate) {
      const path = `memory:${safeCallId(callId)}-${recordings.length + 1}.wav`;
      recordings.push({ path, callId, samples, sampleRate });
      return Promise.resolve(path);
    },
  };
}

/** A call id as a file-name part: only `[A-Za-z0-9-]`, at most 64 characters, never empty. */
export function safeCallId(callId: string): string {
  const safe = callId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 64);
  return safe === '' ? 'call' : safe;
}
