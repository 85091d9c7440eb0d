/**
 * The control frames a call session sends to Plivo (plivo-protocol.md, "Frames to Plivo").
 * `playAudio` frames are not built here: the prompt store pre-serialises them once per prompt.
 */
import type { EncodedAudio } from '../audio/types.js';

export function checkpointFrame(streamId: string, name: string): string {
  return JSON.stringify({ event: 'checkpoint', streamId, name });
}

export function clearAudioFrame(streamId: string): string {
  return JSON.stringify({ event: 'clearAudio', streamId });
}

/** Plivo plays only `0-9*#A-D`; anything else is dropped here even if the machine let it through. */
export function sendDtmfFrame(digits: string): string | undefined {
  const safe = digits.replace(/[^0-9*#A-D]/g, '');
  return safe === '' ? undefined : JSON.stringify({ event: 'sendDTMF', dtmf: safe });
}

/**
 * The `playAudio` frame of a piece of audio: the store's pre-built text when it has one
 * (the normal case, no JSON building per call), else built from the shared base64.
 */
export function playAudioFrame(audio: EncodedAudio): string {
  const prebuilt = (audio as EncodedAudio & { playAudioFrame?: string }).playAudioFrame;
  if (typeof prebuilt === 'string') return prebuilt;
  return JSON.stringify({
    event: 'playAudio',
    media: { contentType: audio.contentType, sampleRate: audio.sampleRate, payload: audio.base64 },
  });
}
