import type { CallRecord } from '../ops/call-records.js';
import { MASK } from '../compile/sensitive.js';
import { isContained, keptName, ratio } from './definitions.js';
import { fetchKey } from './fetch-key.js';
import { Histogram } from './histogram.js';
import type { FetchFigures, FlowFigures, InputFigures, NodeFigures } from './report-data.js';

/**
 * Bounds on what one flow's figures hold, so memory stays flat whatever the records say: names
 * beyond a limit are counted under OTHER. Real flows stay far below them.
 */
export const TALLY_LIMITS = {
  /** Distinct node names per flow. */
  nodes: 1000,
  /** Distinct next nodes per node, keys per input node, end reasons and versions per flow. */
  keys: 100,
  /** Distinct fetch names (method and URL) per flow. */
  fetches: 200,
  /** Distinct names in all of a report's flows together (nodes, next nodes, keys, reasons, fetches). */
  report: 200_000,
} as const;

/** The names a whole report may still hold: shared by its tallies, so many flows cannot add up past it. */
export class NameBudget {
  constructor(private left: number = TALLY_LIMITS.report) {}

  /** Takes one name from the budget; false when it is spent. */
  take(): boolean {
    if (this.left <= 0) return false;
    this.left--;
    return true;
  }
}

/** The name figures beyond a limit are counted under. */
export const OTHER = '(other)';

interface NodeTally {
  entries: number;
  calls: number;
  hangups: number;
  exits: Map<string, number>;
}

interface InputTally {
  attempts: number;
  noInput: number;
  noMatch: number;
  matches: Map<string, number>;
  failed: number;
}

interface FetchTally {
  count: number;
  errors: Map<string, number>;
  ms: Histogram;
}

/**
 * The running figures of one flow (or one flow and version or day): `add` each record once, in
 * any order (records of several servers merge), then `figures()`. Memory depends on the flow's
 * size and the limits above, never on the number of records.
 */
export class FlowTally {
  private calls = 0;
  private contained = 0;
  private readonly outcomes = new Map<string, number>();
  private readonly versions = new Set<string>();
  private readonly duration = new Histogram();
  private readonly nodes = new Map<string, NodeTally>();
  private readonly inputs = new Map<string, InputTally>();
  private readonly fetches = new Map<string, FetchTally>();

  constructor(
    private readonly id: string,
    private readonly group: { version?: string; day?: string } = {},
    private readonly budget: NameBudget = new NameBudget(),
  ) {}

  /** `key` (cut: definitions.ts `keptName`), or OTHER when the map already holds `limit` other names or the report's budget is spent. */
  private capped(map: ReadonlyMap<string, unknown>, key: string, limit: number): string {
    const name = keptName(key);
    return map.has(name) || (map.size < limit && this.budget.take()) ? name : OTHER;
  }

  add(record: CallRecord): void {
    this.calls++;
    bump(this.outcomes, this.capped(this.outcomes, record.endReason, TALLY_LIMITS.keys));
    if (isContained(record.endReason)) this.contained++;
    if (this.versions.size < TALLY_LIMITS.keys) this.versions.add(keptName(record.version));
    this.duration.add(record.durationMs);
    this.addPath(record);
    for (const f of record.fetches) {
      const key = this.capped(this.fetches, fetchKey(f.method, f.url), TALLY_LIMITS.fetches);
      let tally = this.fetches.get(key);
      if (!tally) this.fetches.set(key, (tally = { count: 0, errors: new Map(), ms: new Histogram() }));
      tally.count++;
      if (f.outcome !== 'ok') bump(tally.errors, this.capped(tally.errors, f.outcome, TALLY_LIMITS.keys));
      tally.ms.add(f.ms);
    }
  }

  /** Entries, distinct calls, exits and the hang-up per node; inputs per visit of a node. */
  private addPath(record: CallRecord): void {
    // Names are taken one at a time, so one record's path cannot run past the limit either.
    const path = record.nodes.map((n) => {
      const name = this.capped(this.nodes, n, TALLY_LIMITS.nodes);
      if (!this.nodes.has(name)) this.nodes.set(name, { entries: 0, calls: 0, hangups: 0, exits: new Map() });
      return name;
    });
    const seen = new Set<string>();
    let next = 0;
    path.forEach((name, i) => {
      const node = this.nodes.get(name)!;
      node.entries++;
      if (!seen.has(name)) {
        seen.add(name);
        node.calls++;
      }
      const last = i === path.length - 1;
      if (!last) {
        bump(node.exits, this.capped(node.exits, path[i + 1]!, TALLY_LIMITS.keys));
      } else if (record.endReason === 'hangup') {
        node.hangups++;
      }
      next = this.addVisitInputs(record, next, name, record.nodes[i]!, last);
    });
  }

  /**
   * The inputs decided during one visit of a node: those recorded for it from `from` on, up to
   * and including a match (a match leaves the node). A visit whose last input is a no-input or
   * no-match and that did not end with the call still there (or ended it as `failed`) went to
   * the handler's `then` after `max`: it failed. Returns where the next visit's inputs start.
   */
  private addVisitInputs(record: CallRecord, from: number, name: string, recordedName: string, last: boolean): number {
    const inputs = record.inputs;
    let i = from;
    let lastOutcome: string | undefined;
    while (i < inputs.length && sameNode(inputs[i]!.node, recordedName)) {
      const input = inputs[i++]!;
      let figures = this.inputs.get(name);
      if (!figures) this.inputs.set(name, (figures = { attempts: 0, noInput: 0, noMatch: 0, matches: new Map(), failed: 0 }));
      figures.attempts++;
      lastOutcome = input.outcome;
      if (input.outcome === 'noInput') figures.noInput++;
      else if (input.outcome === 'noMatch') figures.noMatch++;
      else {
        const key = input.sensitive || input.value === MASK ? MASK : input.value;
        bump(figures.matches, this.capped(figures.matches, key, TALLY_LIMITS.keys));
        break;
      }
    }
    if (lastOutcome !== undefined && lastOutcome !== 'match' && (!last || record.endReason === 'failed')) this.inputs.get(name)!.failed++;
    return i;
  }

  figures(): FlowFigures {
    // Object.fromEntries defines own properties: a name like `__proto__` from a file stays a name.
    const fetches = Object.fromEntries(sortedEntries(this.fetches, (t) => t.count).map(([key, t]): [string, FetchFigures] => [key, {
      count: t.count, errors: Object.fromEntries(sortedEntries(t.errors, (n) => n)), p50Ms: t.ms.percentile(0.5), p95Ms: t.ms.percentile(0.95),
    }]));
    const nodes = Object.fromEntries(sortedEntries(this.nodes, (n) => n.entries).map(([name, n]): [string, NodeFigures] => [name, {
      entries: n.entries, calls: n.calls, hangups: n.hangups, dropOff: ratio(n.hangups, n.calls), exits: Object.fromEntries(sortedEntries(n.exits, (c) => c)),
    }]));
    const inputs = Object.fromEntries(sortedEntries(this.inputs, (f) => f.attempts).map(([name, f]): [string, InputFigures] => [name, {
      attempts: f.attempts, noInput: f.noInput, noMatch: f.noMatch, matches: Object.fromEntries(sortedEntries(f.matches, (c) => c)), failed: f.failed,
      failureRate: ratio(f.failed, this.nodes.get(name)?.entries ?? 0),
    }]));
    return {
      id: this.id,
      ...this.group,
      versions: [...this.versions].sort(),
      calls: this.calls,
      outcomes: Object.fromEntries(sortedEntries(this.outcomes, (n) => n)),
      contained: this.contained,
      containment: ratio(this.contained, this.calls),
      durationMs: { p50: this.duration.percentile(0.5), p90: this.duration.percentile(0.9), p99: this.duration.percentile(0.99) },
      nodes,
      inputs,
      fetches,
    };
  }
}

/**
 * Whether an input recorded as `inputNode` belongs to the path entry `pathNode`. Inputs inside a
 * subflow may be named `<subflow>/<node>` like the path, or by the bare node (older records).
 */
function sameNode(inputNode: string, pathNode: string): boolean {
  return inputNode === pathNode || pathNode.endsWith(`/${inputNode}`);
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}


/** Largest first, then by name: the same order whatever order the records came in. */
function sortedEntries<T>(map: ReadonlyMap<string, T>, size: (v: T) => number): [string, T][] {
  return [...map.entries()].sort((a, b) => size(b[1]) - size(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
