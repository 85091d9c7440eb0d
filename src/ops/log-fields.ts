/**
 * Bounds on what one log line may carry, whoever provided it: every string (message, fields, a
 * call's bound fields such as `callId`) is cut to `LOG_LIMITS.stringLength` characters and its
 * control characters escaped (src/diagnostics/escape-control.ts); nested values are followed
 * `LOG_LIMITS.depth` levels deep and lists keep `LOG_LIMITS.listLength` items. Applied once, in
 * the logger (logger.ts), so no call site can forget it; log lines are per event, never per media
 * frame, so the walk costs nothing that matters.
 *
 *   safeLogValue({ callId: 'x'.repeat(30_000) }) // { callId: 'xxx…(+28976 chars)' }
 */
import { cutText, escapeControl } from '../diagnostics/escape-control.js';

export const LOG_LIMITS = { stringLength: 1024, depth: 4, listLength: 50 } as const;

export function safeLogText(text: string): string {
  return escapeControl(cutText(text, LOG_LIMITS.stringLength));
}

export function safeLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return safeLogText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= LOG_LIMITS.depth) return '[…]';
  if (Array.isArray(value)) {
    const items = value.slice(0, LOG_LIMITS.listLength).map((v) => safeLogValue(v, depth + 1));
    if (value.length > LOG_LIMITS.listLength) items.push(`…(+${value.length - LOG_LIMITS.listLength} items)`);
    return items;
  }
  if (value instanceof Error) return safeLogText(value.stack ?? value.message);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[safeLogText(k)] = safeLogValue(v, depth + 1);
  return out;
}
