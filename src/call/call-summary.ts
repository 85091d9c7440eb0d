/** What a finished call leaves behind: the data of call records, logs and `ivr test` reports. */
import type { FetchFailure } from '../compile/protocol.js';

export interface InputRecord {
  node: string;
  /** `***` when the collect is `sensitive`. */
  value: string;
  sensitive: boolean;
  outcome: 'match' | 'noMatch' | 'noInput';
  /** Milliseconds since the call started. */
  at: number;
}

export interface FetchRecord {
  /** The rendered URL with every `env` value masked. */
  url: string;
  method: string;
  /** `cancelled`: the call ended while the request was in flight. */
  outcome: 'ok' | FetchFailure | 'cancelled';
  status?: number;
  ms: number;
}

export interface CallSummary {
  callId: string;
  streamId: string;
  flowId: string;
  version: string;
  startedAt: number;
  endedAt: number;
  /** The `end` command's reason, `hangup`, `error`, or the reason given to `stop`. */
  endReason: string;
  /** Nodes entered, in order; a subflow's nodes as `<flow>/<node>`. Each list keeps at most `SUMMARY_LIST_LIMIT` entries. */
  nodes: string[];
  inputs: InputRecord[];
  fetches: FetchRecord[];
  /** Paths of the recordings saved during the call (added to the shared interface). */
  recordings: string[];
}


/**
 * Summary lists stop growing at this many entries: a caller looping a menu for the whole
 * `maxCallDuration` must not grow the call's memory without bound.
 */
export const SUMMARY_LIST_LIMIT = 1000;

/** Appends unless the list is full; false when the item was dropped. */
export function keep<T>(list: T[], item: T): boolean {
  if (list.length >= SUMMARY_LIST_LIMIT) return false;
  list.push(item);
  return true;
}




export function emptySummary(call: { callId: string; streamId: string }, flow: { id: string; version: string }, startedAt: number): CallSummary {
  return {
    callId: call.callId,
    streamId: call.streamId,
    flowId: flow.id,
    version: flow.version,
    startedAt,
    endedAt: 0,
    endReason: '',
    nodes: [],
    inputs: [],
    fetches: [],
    recordings: [],
  };
}
