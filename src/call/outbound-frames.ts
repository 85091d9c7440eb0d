/**
 * The control frames a call session sends to Plivo (plivo-protocol.md, "Frames to Plivo").
 * `playAudio` frames are not built here: the prompt store pre-serialises them once per prompt
 * (`EncodedAudio.playAudioFrame`), so a call sends the shared string as is.
 */

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
