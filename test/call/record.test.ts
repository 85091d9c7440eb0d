import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import alawmulaw from 'alawmulaw';
import { decodeWav } from '../../src/audio/wav.js';
import type { MediaFormat } from '../../src/audio/types.js';
import { fileRecordingSink, memoryRecordingSink, safeCallId, type RecordingSink } from '../../src/call/recording-sink.js';
import type { Command, MachineEvent } from '../../src/compile/protocol.js';
import { scriptedCall, settle } from './support/harness.js';
import { until } from './support/http-server.js';

const dir = mkdtempSync(join(tmpdir(), 'ivr-record-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const RATE: Record<MediaFormat, number> = { 'audio/x-mulaw;rate=8000': 8000, 'audio/x-l16;rate=8000': 8000, 'audio/x-l16;rate=16000': 16000 };

/** 20 ms of audio as Plivo sends it: a 440 Hz tone at `amplitude`, or silence at 0. */
function frame(format: MediaFormat, amplitude: number, offset = 0): Buffer {
  const rate = RATE[format];
  const samples = new Int16Array(rate / 50);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 440 * (offset + i)) / rate));
  if (format === 'audio/x-mulaw;rate=8000') return Buffer.from(alawmulaw.mulaw.encode(samples));
  const bytes = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => bytes.writeInt16LE(s, i * 2));
  return bytes;
}

function recordStart(extra: Partial<Extract<Command, { type: 'record.start' }>> = {}): Command {
  return { type: 'record.start', requestId: 1, maxDurationMs: 60_000, silenceTimeoutMs: 5000, ...extra };
}

function recordCall(start: Command, options: { format?: MediaFormat; recordings?: RecordingSink } = {}) {
  const call = scriptedCall(
    { start: [start], 'dtmf:#': [{ type: 'record.stop', requestId: 1 }] },
    { recordings: fileRecordingSink(dir), ...options },
  );
  const result = async (): Promise<MachineEvent> => {
    await until(() => call.received().some((e) => e.type.startsWith('record.')), 'the recording result');
    return call.received().find((e) => e.type.startsWith('record.')) as MachineEvent;
  };
  return { ...call, result };
}

function readWav(path: string) {
  const decoded = decodeWav(readFileSync(path));
  assert.ok(decoded.ok, 'a readable WAV');
  return decoded.wav;
}

describe('record', () => {
  for (const format of ['audio/x-mulaw;rate=8000', 'audio/x-l16;rate=16000', 'audio/x-l16;rate=8000'] as const) {
    test(`writes a PCM16 WAV as long as the media sent (${format})`, async () => {
      const { session, result } = recordCall(recordStart(), { format });
      assert.equal(session.mediaGate.open, true);
      const sent = Array.from({ length: 50 }, (_, i) => frame(format, 8000, i * (RATE[format] / 50)));
      for (const media of sent) session.media(media);
      session.dtmf('#');
      const event = await result();
      assert.equal(event.type, 'record.done');
      if (event.type !== 'record.done') return;
      assert.equal(event.reason, 'terminator');
      assert.equal(event.durationMs, 1000);
      assert.equal(session.mediaGate.open, false);
      const wav = readWav(event.path);
      assert.equal(wav.encoding, 'pcm16');
      assert.equal(wav.sampleRate, RATE[format]);
      assert.equal(wav.samples.length, RATE[format]);
      if (format !== 'audio/x-mulaw;rate=8000') {
        const bytes = Buffer.concat(sent);
        const expected = Array.from({ length: bytes.length / 2 }, (_, i) => bytes.readInt16LE(i * 2));
        assert.deepEqual([...wav.samples], expected, 'L16 is kept sample for sample');
      }
    });
  }

  test('the media gate is closed before and after a recording: media then costs nothing', async () => {
    const { session, received } = recordCall({ type: 'log', level: 'info', message: 'no recording yet', node: 'x' });
    assert.equal(session.mediaGate.open, false);
    session.media(frame('audio/x-mulaw;rate=8000', 8000));
    session.hangup();
    assert.deepEqual((await session.done).recordings, []);
    assert.deepEqual(received(), []);
  });

  test('record.start captures at once and sends nothing to Plivo (the beep has played before it)', () => {
    const { transport, session } = recordCall(recordStart());
    assert.deepEqual(transport.take(), []);
    assert.equal(session.mediaGate.open, true);
  });

  test('ends on silence, keeping half a second after the last loud frame', async () => {
    const { session, clock, result } = recordCall(recordStart({ silenceTimeoutMs: 1500 }));
    for (let i = 0; i < 50; i++) {
      session.media(frame('audio/x-mulaw;rate=8000', 8000, i * 160));
      clock.advance(20);
    }
    let quiet = 0;
    while (session.mediaGate.open) {
      session.media(frame('audio/x-mulaw;rate=8000', 0));
      quiet++;
      clock.advance(20);
    }
    // The last loud frame arrived at 980 ms; the silence timer fires at 2480 ms, after the quiet frame of 2460 ms.
    assert.equal(quiet, 74);
    const event = await result();
    assert.equal(event.type === 'record.done' && event.reason, 'silence');
    assert.equal(event.type === 'record.done' && event.durationMs, 1500);
    if (event.type === 'record.done') assert.equal(readWav(event.path).samples.length, 12_000);
  });

  test('the first silence wait is silenceTimeout from record.start, with no lead-in', async () => {
    const { clock, result, received } = recordCall(recordStart({ silenceTimeoutMs: 1000 }));
    clock.advance(999);
    await settle();
    assert.deepEqual(received(), []);
    clock.advance(1);
    const event = await result();
    assert.equal(event.type === 'record.done' && event.reason, 'silence');
  });

  test('stops at maxDuration: excess media is never buffered', async () => {
    const { session, result } = recordCall(recordStart({ maxDurationMs: 500 }));
    let sent = 0;
    while (session.mediaGate.open && sent < 100) {
      session.media(frame('audio/x-mulaw;rate=8000', 8000, sent * 160));
      sent++;
    }
    assert.equal(sent, 25);
    const event = await result();
    assert.equal(event.type === 'record.done' && event.reason, 'max-duration');
    assert.equal(event.type === 'record.done' && event.durationMs, 500);
  });

  test('stops at maxDuration on the clock when media stops arriving', async () => {
    const { clock, result } = recordCall(recordStart({ maxDurationMs: 3000, silenceTimeoutMs: 10_000 }));
    clock.advance(3000);
    const event = await result();
    assert.equal(event.type === 'record.done' && event.reason, 'max-duration');
  });

  test('without a recordings sink the recording fails at once', async () => {
    const call = scriptedCall({ start: [recordStart()] });
    await settle();
    assert.equal(call.session.mediaGate.open, false);
    const [event] = call.received();
    assert.equal(event?.type, 'record.failed');
    assert.match(event?.type === 'record.failed' ? event.message : '', /not configured/);
  });

  test('a sink that cannot write fails the recording', async () => {
    const { session, result } = recordCall(recordStart(), { recordings: { save: () => Promise.reject(new Error('disk full')) } });
    session.media(frame('audio/x-mulaw;rate=8000', 8000));
    session.dtmf('#');
    const event = await result();
    assert.equal(event.type, 'record.failed');
    assert.match(event.type === 'record.failed' ? event.message : '', /disk full/);
  });

  test('a caller who hangs up mid-recording leaves the recording: done waits for the file', async () => {
    const sink = memoryRecordingSink();
    const { session, clock } = recordCall(recordStart(), { recordings: sink });
    for (let i = 0; i < 10; i++) session.media(frame('audio/x-mulaw;rate=8000', 8000, i * 160));
    session.hangup();
    assert.equal(clock.pending(), 0);
    const summary = await session.done;
    assert.equal(summary.endReason, 'hangup');
    assert.deepEqual(summary.recordings, ['memory:12345678-1234-1234-1234-123456789abc-1.wav']);
    assert.equal(sink.recordings[0]?.samples.length, 1600);
  });

  test('file names hold only the sanitised call id, a timestamp and a counter', async () => {
    const sink = fileRecordingSink(join(dir, 'names'));
    const a = await sink.save('../../etc/passwd', new Int16Array(8), 8000);
    const b = await sink.save('CA 1/2:3', new Int16Array(8), 8000);
    assert.match(basename(a), /^etcpasswd-\d{8}T\d{9}Z-1\.wav$/);
    assert.match(basename(b), /^CA123-\d{8}T\d{9}Z-2\.wav$/);
    assert.deepEqual(readdirSync(join(dir, 'names')).sort(), [basename(b), basename(a)].sort());
    assert.equal(safeCallId('///'), 'call');
  });
});
