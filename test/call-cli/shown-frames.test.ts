/**
 * ShownFrames pairs `ivr call`'s audio frames with the playback that sent them (the items of its
 * play command, by its checkpoint), and shows a value-speaking system prompt as `#` whenever the
 * frame is not its own playback's item.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MediaFormat, PromptStore } from '../../src/audio/types.js';
import { checkpointName, playbackOfCheckpoint } from '../../src/call/outbound-frames.js';
import type { PlayItem } from '../../src/compile/protocol.js';
import { prepareFlows } from '../../src/pipeline/prepare-flows.js';
import { ShownFrames } from '../../src/try/shown-frames.js';

const FORMAT: MediaFormat = 'audio/x-mulaw;rate=8000';
const FLOW = 'leading-zero';

describe('ShownFrames', () => {
  let store: PromptStore;
  before(async () => {
    store = (await prepareFlows(['test/call-cli/fixtures/sensitive-dropped/leading-zero.yaml'])).value.prompts;
  });
  const frame = (prompt: string): string => store.get(FLOW, prompt, FORMAT)!.playAudioFrame;
  const item = (prompt: string, secret?: true): PlayItem => (secret ? { prompt, flow: FLOW, secret } : { prompt, flow: FLOW });
  /** Sends `prompts`' frames and the checkpoint of `playbackId`: the names shown (null: heard, not shown). */
  function sent(shown: ShownFrames, playbackId: number, prompts: string[]): (string | null)[] {
    for (const p of prompts) shown.audio(frame(p), 400);
    return shown.playback(checkpointName(playbackId, playbackId)).map(({ event }) =>
      event === null ? null : event.type === 'prompt' ? event.name : event.type);
  }

  test('names each frame as its own playback\'s item, a secret run as one #', () => {
    const shown = new ShownFrames(store, FORMAT);
    shown.expect(1, [item('welcome'), item('digit-4'), item('digit-8', true), item('digit-2', true)]);
    assert.deepEqual(sent(shown, 1, ['welcome', 'digit-4', 'digit-8', 'digit-2']), ['welcome', 'digit-4', '#', null]);
  });

  test('a playback that never sent its frames (cleared, say failed) names nothing of a later one', () => {
    const shown = new ShownFrames(store, FORMAT);
    shown.expect(1, [{ say: 'Your account is', flow: FLOW }, item('digit-4'), item('digit-8')]);
    shown.expect(2, [item('digit-4', true), item('digit-8', true)]);
    assert.deepEqual(sent(shown, 2, ['digit-4', 'digit-8']), ['#', null]);
  });

  test('a value frame that is not its playback\'s item is #, other audio its duration', () => {
    const shown = new ShownFrames(store, FORMAT);
    shown.expect(1, [item('digit-4'), item('digit-8')]);
    assert.deepEqual(sent(shown, 1, ['digit-4', 'digit-8']), ['digit-4', 'digit-8']);
    // Playback 2 was never announced; playback 3 expected other audio than it sent.
    assert.deepEqual(sent(shown, 2, ['digit-4', 'welcome']), ['#', 'audio']);
    shown.expect(3, [item('welcome'), item('welcome')]);
    assert.deepEqual(sent(shown, 3, ['welcome', 'digit-8']), ['welcome', '#']);
  });

  test('a checkpoint names its playback', () => {
    assert.equal(playbackOfCheckpoint(checkpointName(12, 40)), 12);
    assert.equal(playbackOfCheckpoint('welcome#1'), undefined);
    assert.equal(playbackOfCheckpoint('p1.2.3'), undefined);
  });
});
