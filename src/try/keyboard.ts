import { DTMF_KEY } from '../flow/dtmf-keys.js';

const CTRL_C = '\u0003';

export interface KeyboardHandlers {
  key(digit: string): void;
  /** `q` or Ctrl-C: the caller hangs up. */
  quit(): void;
}

/**
 * Key presses from `input`: raw mode on a terminal (each key at once), otherwise text as it
 * arrives (a pipe, tmux `send-keys` into a non-TTY, tests), each character a key. Anything not
 * a DTMF key, `q` or Ctrl-C is ignored (newlines included). The end of input does not hang up:
 * the call goes on until it ends or `q`. Returns a function that stops listening.
 */
export function readKeys(input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown }, handlers: KeyboardHandlers): () => void {
  const raw = input.isTTY === true && typeof input.setRawMode === 'function';
  if (raw) input.setRawMode?.(true);
  input.setEncoding('utf8');
  const onData = (chunk: string): void => {
    for (const ch of chunk) {
      if (ch === 'q' || ch === 'Q' || ch === CTRL_C) return handlers.quit();
      const key = ch.toUpperCase();
      if (DTMF_KEY.test(key)) handlers.key(key);
    }
  };
  input.on('data', onData);
  input.resume();
  return () => {
    input.off('data', onData);
    if (raw) input.setRawMode?.(false);
    input.pause();
  };
}
