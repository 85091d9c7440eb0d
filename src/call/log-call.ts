/**
 * A call's log lines, made from its event stream (call-events.ts): the node entered, each key,
 * each decision, prompt, clear, tones, fetch and the machine's own log lines. Everything is
 * already masked where the machine made it (compile/sensitive.ts); node names follow the one
 * rule (`<subflow id>/<node>` inside a subflow), and the call's flow and version are bound once
 * to the logger (one `flow` per line).
 */
import type { CallListener, WatchCall } from './call-events.js';
import { describePlay } from './shown-play.js';

/** Events that only ever make `info` lines (and the node those lines name). */
const INFO_ONLY: ReadonlySet<string> = new Set(['node', 'key', 'input', 'play', 'clear', 'cleared', 'sendDtmf', 'fetch']);

export const logCall: WatchCall = ({ log }) => {
  if (!log) return undefined;
  // `ivr serve --log-level warn` (the load bench's): a key's info lines would be built, then dropped.
  const info = log.isLevelEnabled?.('info') ?? true;
  let node = '';
  const listener: CallListener = (event) => {
    if (!info && INFO_ONLY.has(event.type)) return;
    switch (event.type) {
      case 'node':
        node = event.node;
        log.info({ node }, 'node');
        return;
      case 'key':
        log.info({ node, key: event.key, ...(event.sensitive ? { sensitive: true } : {}) }, 'key');
        return;
      case 'input':
        log.info({ node: event.node, value: event.value, outcome: event.outcome }, 'input');
        return;
      case 'play':
        log.info({ node, prompt: describePlay(event.items), bargeIn: event.bargeIn }, 'prompt');
        return;
      case 'clear':
        log.info({ node }, 'clear');
        return;
      case 'cleared':
        log.info({ node }, 'audio cleared');
        return;
      // The tones may carry digits rendered from variables: count them, never print them.
      case 'sendDtmf':
        log.info({ node, tones: event.digits.length }, 'transfer');
        return;
      case 'fetch':
        log.info({ requestId: event.requestId, method: event.request.method, url: event.shown }, 'fetch');
        return;
      case 'fetched': {
        const fields = { method: event.method, url: event.url, outcome: event.outcome, status: event.status, ms: event.ms, attempts: event.attempts };
        if (event.outcome === 'ok') log.info(fields, 'fetch done');
        else log.warn(fields, 'fetch failed');
        return;
      }
      case 'log':
        log[event.level]({ node: event.node }, event.message);
        return;
      default:
        return;
    }
  };
  return listener;
};
