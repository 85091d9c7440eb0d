/** Defaults of the flow language v1 (flow-language.md); the one place they are written. */
export const DEFAULTS = {
  timeout: 5000,
  interDigitTimeout: 3000,
  bargeIn: true,
  language: 'en',
  sayTimeout: 3000,
  maxCallDuration: 30 * 60_000,
  handlerMax: 3,
  collectMin: 1,
  collectTerminator: '#',
  menuTerminator: '#',
  fetchTimeout: 5000,
  fetchRetries: 0,
  fetchMethod: 'GET',
  settlePerTone: 250,
  recordBeep: true,
  recordMaxDuration: 60_000,
  recordSilenceTimeout: 5000,
  recordTerminator: '#',
  endReason: 'completed',
} as const;

/** The system prompt a `record` node plays before recording (`beep: true`): a tone, the same in every language. */
export const BEEP_PROMPT = 'beep';
