import { streamCallRecords, type CallRecord } from '../ops/call-records.js';
import { FlowTally, NameBudget } from './flow-tally.js';
import type { GroupBy, ReportData } from './report-data.js';
import { keptName } from './definitions.js';

export interface ReportOptions {
  /** Only this flow's records. */
  flow?: string;
  /** Only calls that started at or after this time (epoch ms). */
  since?: number;
  /** Only calls that started before this time (epoch ms). */
  until?: number;
  /** One set of figures per flow and version, or per flow and UTC day. */
  by?: GroupBy;
  /** Longest record line read (streamCallRecords' default otherwise). */
  maxLineBytes?: number;
}

/**
 * Most flows (times versions or days with --by) one report holds; records of further ones are
 * counted in `skipped`. Each holds a flow's figures, so this bounds memory against files full of
 * made-up flow ids.
 */
export const MAX_REPORT_GROUPS = 1000;

/**
 * The figures of the call records in `files`, read one line at a time (memory stays flat: only
 * the counters, histograms and one line are held). Records of several servers merge into the
 * same figures whatever the order; lines that are not records are counted in `skipped`.
 *
 * @example
 *   const report = await buildReport(['a.jsonl', 'b.jsonl'], { flow: 'support', by: 'version' });
 *   report.flows[0].containment   // 0.583
 */
export async function buildReport(files: readonly string[], options: ReportOptions = {}): Promise<ReportData> {
  const tallies = new Map<string, FlowTally>();
  const budget = new NameBudget();
  // With --by version, versions are listed in the order their first call started.
  const firstStart = new Map<string, number>();
  let records = 0;
  let skipped = 0;
  const skip = (): void => {
    skipped++;
  };
  for (const file of files) {
    const stream = streamCallRecords(file, options.maxLineBytes === undefined ? { skipped: skip } : { skipped: skip, maxLineBytes: options.maxLineBytes });
    for await (const record of stream) {
      if (options.flow !== undefined && record.flow !== options.flow) continue;
      if (!inWindow(record, options)) continue;
      const flow = keptName(record.flow);
      const found = groupOf(record, options.by);
      const group = found === undefined ? undefined : keptName(found);
      const key = group === undefined ? flow : `${flow}\n${group}`;
      let tally = tallies.get(key);
      if (!tally) {
        if (tallies.size >= MAX_REPORT_GROUPS) {
          skipped++;
          continue;
        }
        tally = new FlowTally(flow, group === undefined ? {} : { [options.by!]: group }, budget);
        tallies.set(key, tally);
      }
      records++;
      tally.add(record);
      if (options.by === 'version') {
        const started = Date.parse(record.startedAt);
        if (!Number.isNaN(started) && !(started >= (firstStart.get(key) ?? Infinity))) firstStart.set(key, started);
      }
    }
  }
  const order = (key: string): [string, number, string] => [key.split('\n')[0]!, firstStart.get(key) ?? 0, key];
  const flows = [...tallies.keys()].map(order).sort((a, b) => compare(a[0], b[0]) || a[1] - b[1] || compare(a[2], b[2]))
    .map(([, , key]) => tallies.get(key)!.figures());
  return options.by ? { records, skipped, by: options.by, flows } : { records, skipped, flows };
}

function inWindow(record: CallRecord, options: ReportOptions): boolean {
  if (options.since === undefined && options.until === undefined) return true;
  const started = Date.parse(record.startedAt);
  if (Number.isNaN(started)) return false;
  return (options.since === undefined || started >= options.since) && (options.until === undefined || started < options.until);
}

function groupOf(record: CallRecord, by: GroupBy | undefined): string | undefined {
  if (by === 'version') return record.version;
  if (by === 'day') {
    const started = Date.parse(record.startedAt);
    return Number.isNaN(started) ? 'unknown' : new Date(started).toISOString().slice(0, 10);
  }
  return undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
