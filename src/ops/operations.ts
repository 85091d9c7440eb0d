/**
 * Everything `ivr serve` needs to be operated, assembled once: the logger, metrics, call records,
 * hot reload, signature checks, `/metrics` + `/readyz`, and the drain on shutdown. `serve.ts` hands
 * the pieces to `createServer` and calls `shutdown` on SIGTERM/SIGINT.
 *
 *   const ops = await setUpOperations(serving, { paths, records: 'calls.jsonl', authToken, log, report });
 *   const server = createServer({ ...options, ...ops.serverOptions });
 *   ops.attach(server);
 *   await ops.watch();
 *   // on SIGTERM:
 *   await ops.shutdown(server);
 */
import type { IncomingMessage } from 'node:http';
import { resolve } from 'node:path';
import type { Registry } from 'prom-client';
import { startCall as realStartCall } from '../call/start-call.js';
import type { WatchCall } from '../call/call-session.js';
import type { IvrServer, RequestHook } from '../plivo/server.js';
import type { Authorization, ServerLog, StartCall } from '../plivo/server-options.js';
import type { ServingFlows } from '../plivo/serving-flows.js';
import { signatureAuthorizer } from '../plivo/signature.js';
import { recordCalls, openCallRecords, type CallRecordFile } from './call-records.js';
import { drain, type DrainResult } from './drain.js';
import { droppedLogLines } from './logger.js';
import { createMetrics, type IvrMetrics } from './metrics.js';
import { opsRoutes } from './ops-routes.js';
import { createFlowReloader, type FlowReloader, type LoadServingFlows } from './reload.js';

export interface OperationsConfig {
  /** The flows folder(s), watched for hot reload. */
  paths: string[];
  /** Call records file; default `calls.jsonl` in the working directory. */
  records?: string;
  /** `PLIVO_AUTH_TOKEN`: when set, upgrades and `/answer` need a valid V3 signature. */
  authToken?: string;
  publicUrl?: string;
  /** Default 30 000 ms. */
  drainTimeoutMs?: number;
  /** Watch the flows and reload on change; default true. */
  reload?: boolean;
  reloadDebounceMs?: number;
  /** The watcher's backstop: rescan the folder this often (default 1 s; 0 = never). */
  rescanMs?: number;
  log: ServerLog;
  /** Where a refused reload's diagnostics are printed (stderr). */
  report?: (text: string) => void;
  /** The session factory; default the real one (tests inject). */
  startCall?: StartCall;
  /** What `/metrics` answers (see `MetricsOptions.exposition`); default this process's metrics. */
  metricsExposition?: (registry: Registry) => () => Promise<string>;
  /** How reloads load the flows; `ivr serve` passes its reload worker thread (reload-thread.ts). Default: in this thread. */
  load?: LoadServingFlows;
}

export interface Operations {
  metrics: IvrMetrics;
  records: CallRecordFile;
  reloader: FlowReloader;
  /** Spread into `createServer`'s options. */
  serverOptions: {
    flows: () => ServingFlows;
    startCall: StartCall;
    /** Metrics and call records, watching every call's event stream. */
    watchers: readonly WatchCall[];
    handleRequest: RequestHook;
    authorize?: (req: IncomingMessage, form?: URLSearchParams) => Authorization;
  };
  /** Binds the server (its frame counters feed the metrics). */
  attach(server: IvrServer): void;
  /** Starts watching the flows (when `reload` is on). */
  watch(): Promise<void>;
  draining(): boolean;
  /** Drain, flush records, close the server and the watcher. */
  shutdown(server: IvrServer): Promise<DrainResult>;
}

export async function setUpOperations(initial: ServingFlows, config: OperationsConfig): Promise<Operations> {
  const log = config.log;
  let server: IvrServer | undefined;
  let isDraining = false;
  const recordsFile = resolve(config.records ?? 'calls.jsonl');
  const records = await openCallRecords(recordsFile);
  const metrics = createMetrics({
    stats: () => server?.stats(),
    records: () => records.health(),
    logDropped: () => droppedLogLines(log),
    ...(config.metricsExposition ? { exposition: config.metricsExposition } : {}),
  });
  const reloader = createFlowReloader(initial, {
    paths: config.paths,
    log,
    ...(config.load ? { load: config.load } : {}),
    ...(config.reloadDebounceMs !== undefined ? { debounceMs: config.reloadDebounceMs } : {}),
    ...(config.rescanMs !== undefined ? { rescanMs: config.rescanMs } : {}),
    ...(config.report ? { report: config.report } : {}),
    onLoaded: (serving) => metrics.flowsLoaded(serving),
    onFailed: () => metrics.reloadFailed(),
  });
  metrics.flowsLoaded(initial);

  const flows = (): ServingFlows => reloader.current();
  const watchers = [metrics.watchCall, recordCalls(records, (err) => log.error({ err: String(err), file: recordsFile }, 'could not write a call record'))];
  const authorize = config.authToken
    ? signatureAuthorizer({
        authToken: config.authToken,
        ...(config.publicUrl !== undefined ? { publicUrl: config.publicUrl } : {}),
        refused: (r) => log.warn(r, `request refused (${r.status}): ${r.reason}`),
      })
    : undefined;
  if (!authorize) log.warn({}, 'PLIVO_AUTH_TOKEN is not set: unsigned streams and /answer requests are accepted');
  log.info({ file: recordsFile }, 'call records');

  return {
    metrics,
    records,
    reloader,
    serverOptions: {
      flows,
      startCall: config.startCall ?? realStartCall,
      watchers,
      handleRequest: opsRoutes({ metrics, readiness: { draining: () => isDraining, flows: () => reloader.status(), records: () => records.health() } }),
      ...(authorize ? { authorize } : {}),
    },
    attach(s) {
      server = s;
    },
    async watch() {
      if (config.reload === false) return;
      await reloader.watch();
    },
    draining: () => isDraining,
    async shutdown(s) {
      await reloader.close();
      return drain(s, {
        timeoutMs: config.drainTimeoutMs ?? 30_000,
        log,
        onDraining: () => {
          isDraining = true;
        },
        flush: () => records.close(),
      });
    },
  };
}
