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
