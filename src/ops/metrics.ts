/**
 * Prometheus metrics of `ivr serve`, on their own registry (nothing global, so tests and several
 * servers in one process never share counters). Labels are limited to what the operator wrote
 * (flow id, version, end reason, frame type, fetch outcome): never a call id, a digit or a URL,
 * so neither caller data nor unbounded label sets reach the time-series database.
 *
 *   const metrics = createMetrics({ stats: () => server.stats() });
 *   createServer({ ..., watchers: [metrics.watchCall] });
 *   res.end(await metrics.registry.metrics());
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServerStatsSnapshot } from '../plivo/server-stats.js';
import type { ServingFlows } from '../plivo/serving-flows.js';
import type { RecordsHealth } from './call-records.js';
import type { WatchCall } from '../call/call-events.js';

export interface IvrMetrics {
  readonly registry: Registry;
  /** The per-call watcher of the call's event stream (call/call-events.ts). */
  readonly watchCall: WatchCall;
  /** After each successful (re)load: which flow versions now serve new calls. */
  flowsLoaded(serving: ServingFlows): void;
  reloadFailed(): void;
  /** Prometheus text exposition, and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** The server's counters (frames in, bad frames), read at each scrape; undefined before there is a server. */
  stats?: () => ServerStatsSnapshot | undefined;
  /** Log lines dropped so far because stdout's reader did not keep up (logger.ts `droppedLogLines`), read at each scrape. */
  logDropped?: () => number;
  /** The call records file's health, read at each scrape. */
  records?: () => RecordsHealth | undefined;
  /**
   * Called once with this process's registry; returns what a scrape answers (default: the
   * registry's own text). Under `--workers`, the whole group's (`groupMetrics` of src/plivo/cluster.ts).
   */
  exposition?: (registry: Registry) => () => Promise<string>;
}

/** Seconds buckets from a fast local answer to a slow webhook. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(options: MetricsOptions = {}): IvrMetrics {
  const registry = new Registry();
  const stats = options.stats;
  const expose = options.exposition?.(registry);

  const activeCalls = new Gauge({ name: 'ivr_active_calls', help: 'Calls in progress.', registers: [registry] });
  const callsTotal = new Counter({ name: 'ivr_calls_total', help: 'Finished calls, by flow and end reason.', labelNames: ['flow', 'reason'], registers: [registry] });
  // Counters the server keeps as plain numbers (no work per frame here), copied at each scrape.
  const fromStats = (name: string, help: string, label: string, pick: (s: ServerStatsSnapshot) => Record<string, number> | undefined): void => {
    new Counter({
      name, help, labelNames: [label], registers: [registry],
      collect() {
        const snapshot = stats?.();
        const counts = snapshot && pick(snapshot);
        if (!counts) return;
        this.reset();
        for (const [value, n] of Object.entries(counts)) this.inc({ [label]: value }, n);
      },
    });
  };
  fromStats('ivr_frames_in_total', 'Frames received from Plivo, by event type.', 'type', (s) => s.framesIn);
  fromStats('ivr_bad_frames_total', 'Frames that could not be used, by kind (invalid JSON, unknown event, ...).', 'kind', (s) => s.badFrames);
  fromStats('ivr_limit_hits_total', 'Streams cut or refused by an overload limit: flood (1008), slow reader, refused at max calls (503).', 'limit', (s) => s.limits);
  // Counts kept elsewhere as one number, copied at each scrape (undefined: nothing to copy yet).
  const fromCount = (name: string, help: string, read: () => number | undefined): void => {
    new Counter({
      name, help, registers: [registry],
      collect() {
        const n = read();
        if (n === undefined) return;
        this.reset();
        this.inc(n);
      },
    });
  };
  fromCount('ivr_records_write_errors_total', 'Call records that could not be written (disk full, I/O error); the next record starts on a new line.', () => options.records?.()?.writeErrors);
  fromCount('ivr_log_lines_dropped_total', 'Log lines dropped because the reader of stdout did not keep up; a "log lines dropped" line says so once it reads again.', () => options.logDropped?.());
  const promptsPlayed = new Counter({ name: 'ivr_prompts_played_total', help: 'Prompt playbacks started, by flow.', labelNames: ['flow'], registers: [registry] });
  const dtmfLatency = new Histogram({
    name: 'ivr_dtmf_response_seconds',
    help: 'Time from a key the engine acted on (took, or stopped a prompt for) to the first frame it sent after it.',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const fetchLatency = new Histogram({
    name: 'ivr_fetch_duration_seconds',
    help: 'HTTP fetches of flows, retries included, by flow and outcome.',
    labelNames: ['flow', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const fetchFailures = new Counter({ name: 'ivr_fetch_failures_total', help: 'Fetches that did not succeed, by flow and outcome.', labelNames: ['flow', 'outcome'], registers: [registry] });
  // `max` across --workers: 1 for each version some worker serves (a sum would count workers).
  const flowVersion = new Gauge({ name: 'ivr_flow_version_info', help: 'The flow versions serving new calls (value 1).', labelNames: ['flow', 'version'], aggregator: 'max', registers: [registry] });
  const flowsLoadedTotal = new Counter({ name: 'ivr_flow_loads_total', help: 'Successful loads of the flows folder (start and reloads).', registers: [registry] });
  const reloadFailures = new Counter({ name: 'ivr_flow_reload_failures_total', help: 'Reloads refused because a flow had errors (the previous version keeps serving).', registers: [registry] });

  return {
    registry,
    watchCall(call) {
      const flow = call.flow.id;
      let lastKeyAt: number | undefined;
      activeCalls.inc();
      return (event, at) => {
        switch (event.type) {
          case 'key':
            // From the latest key the engine acted on: a caller typing several digits is not
            // engine latency, and a key ignored on purpose (no barge-in) gets no answer at all.
            if (event.acted) lastKeyAt = at;
            return;
          case 'sent':
            if (lastKeyAt === undefined) return;
            dtmfLatency.observe((at - lastKeyAt) / 1000);
            lastKeyAt = undefined;
            return;
          case 'play':
            promptsPlayed.inc({ flow });
            return;
          case 'ended': {
            const summary = event.summary;
            activeCalls.dec();
            callsTotal.inc({ flow, reason: summary.endReason });
            for (const f of summary.fetches) {
              fetchLatency.observe({ flow, outcome: f.outcome }, f.ms / 1000);
              if (f.outcome !== 'ok') fetchFailures.inc({ flow, outcome: f.outcome });
            }
            return;
          }
          default:
            return;
        }
      };
    },
    flowsLoaded(serving) {
      flowVersion.reset();
      for (const f of serving.flows.values()) flowVersion.set({ flow: f.id, version: f.version }, 1);
      flowsLoadedTotal.inc();
    },
    reloadFailed() {
      reloadFailures.inc();
    },
    async scrape() {
      return { contentType: registry.contentType, body: await (expose ? expose() : registry.metrics()) };
    },
  };
}
