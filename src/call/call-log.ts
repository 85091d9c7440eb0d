/**
 * The log a call session writes to: the subset of pino's API it uses, so `ivr serve` passes a
 * pino child logger (bound to callId, flow, version) and tests pass a recorder or nothing.
 *
 * @example
 *   startCall(start, transport, { ...options, log: logger.child({ callId }) });
 */
export interface CallLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  /** pino's: whether a level is written (at `warn`, the per-key `info` lines are not even built). */
  isLevelEnabled?(level: string): boolean;
}

export const silentLog: CallLog = {
  info: () => {},
  warn: () => {},
  error: () => {},
};
