/** Facts about the call, from Plivo's `start` frame: what a flow sees as `call.*` in expressions. */
export interface CallInfo {
  callId: string;
  streamId: string;
  accountId: string;
  from?: string;
  to?: string;
  /** `extra_headers`, parsed (`a=1;b=2` or `a=1,b=2`). */
  headers: Record<string, string>;
}

/**
 * A call's `callId`/`streamId` (and `accountId`, `from`, `to`) are kept, logged and recorded cut
 * to this many characters: Plivo's ids are 36-character UUIDs, and a 30 KB id must not ride on
 * every log line of its call. `ivr call --call-id` and a flow test's `start.callId` take no longer one.
 */
export const CALL_ID_MAX_LENGTH = 128;
