/** WebSocket close codes the engine uses (RFC 6455 §7.4.1), and the close reason's size rule. */
export const CLOSE = {
  /** The flow ended the call (`end`, hang-up handled, a limit of the flow). */
  normal: 1000,
  /** The server is shutting down. */
  goingAway: 1001,
  /** No start frame in time, an unusable start frame, an unknown flow; reason `frame flood`: frames far above Plivo's rate (limits.ts). */
  policy: 1008,
  /** Sent by `ws` itself when a message exceeds `maxPayload`. */
  tooBig: 1009,
  /** The engine failed: the call could not start, or failed while running. */
  internal: 1011,
} as const;

/** RFC 6455 §5.5: a close frame's payload is at most 125 bytes, 2 of them the code. */
export const CLOSE_REASON_MAX_BYTES = 123;

/** `reason` cut to at most 123 bytes of UTF-8, never inside a character. */
export function closeReason(reason: string): string {
  if (reason.length <= CLOSE_REASON_MAX_BYTES / 3 || Buffer.byteLength(reason) <= CLOSE_REASON_MAX_BYTES) return reason;
  let bytes = 0;
  let out = '';
  for (const ch of reason) {
    bytes += Buffer.byteLength(ch);
    if (bytes > CLOSE_REASON_MAX_BYTES) break;
    out += ch;
  }
  return out;
}
