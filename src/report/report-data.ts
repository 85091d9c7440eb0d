/**
 * What `ivr report` returns: plain data every renderer (text, json, html) and `ivr graph --heat`
 * reads. Each field is a figure of definitions.ts, under the same name.
 */
export interface NodeFigures {
  entries: number;
  calls: number;
  hangups: number;
  dropOff: number;
  /** Next node -> times calls went there from this node. */
  exits: Record<string, number>;
}

export interface InputFigures {
  attempts: number;
  noInput: number;
  noMatch: number;
  /** Key pressed (`***` in sensitive collects) -> attempts. */
  matches: Record<string, number>;
  failed: number;
  failureRate: number;
}

export interface FetchFigures {
  count: number;
  /** Outcome other than ok -> requests. */
  errors: Record<string, number>;
  p50Ms: number;
  p95Ms: number;
}

export interface FlowFigures {
  id: string;
  /** With `--by version`: the version these figures are for. */
  version?: string;
  /** With `--by day`: the UTC day (YYYY-MM-DD) the calls started. */
  day?: string;
  versions: string[];
  calls: number;
  outcomes: Record<string, number>;
  contained: number;
  containment: number;
  durationMs: { p50: number; p90: number; p99: number };
  nodes: Record<string, NodeFigures>;
  inputs: Record<string, InputFigures>;
  fetches: Record<string, FetchFigures>;
}

export type GroupBy = 'version' | 'day';

export interface ReportData {
  records: number;
  skipped: number;
  /** Set with `--by`: `flows` then holds one entry per flow and version (or day), in order. */
  by?: GroupBy;
  flows: FlowFigures[];
}
