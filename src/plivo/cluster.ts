/**
 * `ivr serve --workers N`: one machine's cores, with node:cluster. The primary forks N workers;
 * each runs the ordinary `ivr serve` (loads and compiles the flows, listens) and the cluster module
 * shares the one port between them, handing each new connection to a worker in turn. A call lives
 * on one socket, so it stays on the worker that accepted it: workers share nothing and need no
 * coordination (the same reason any WebSocket-capable load balancer scales `ivr serve` across
 * machines).
 *
 *   // in the primary
 *   return runPrimary({ workers: 4, out, err, stopSignal });
 *   // in a worker, once listening
 *   reportListening({ port, host });
 *
 * `/metrics` answers for the whole group whichever worker takes the scrape: the worker asks the
 * primary, which collects every worker's registry with prom-client's `AggregatorRegistry` (counters
 * and histograms summed; see each metric's `aggregator`) and sends the text back.
 *
 * SIGTERM/SIGINT to the primary is passed to every worker as an IPC message; each drains its own
 * calls as a single `ivr serve` would, and the primary exits once every worker has. A worker that
 * dies on its own is replaced (its calls are lost, the others go on); one that dies before it ever
 * listened means the configuration cannot work, so the cluster stops with exit 1.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** IPC messages between the primary and its workers. */
type ClusterMessage =
  | { type: 'ivr:listening'; port: number; host: string }
  | { type: 'ivr:stop'; signal: string }
  | { type: 'ivr:metrics'; id: number }
  | { type: 'ivr:metrics-result'; id: number; body?: string; error?: string };

/** A scrape the primary does not answer within this fails (prom-client gives up on a worker after 5 s). */
const GROUP_METRICS_TIMEOUT_MS = 6000;

export interface PrimaryOptions {
  workers: number;
  out(text: string): void;
  err(text: string): void;
  /** Resolves when the primary is asked to stop. */
  stopSignal: Promise<string>;
  /** A replaced worker waits this long first, so a worker that keeps crashing does not spin. Default 1000 ms. */
  restartDelayMs?: number;
  /**
   * How long a worker may take to stop once told to: past it, the primary kills it (SIGKILL) and
   * says so. serve gives the drain timeout plus the log's close (`LOG_CLOSE_MS`) plus 10 s. Without
   * it, a worker that never exits (its log's writes blocked in a pipe a sibling made blocking again
   * as it exited) kept the whole group running.
   */
  stopDeadlineMs?: number;
}

/** True in a process forked by `runPrimary`. */
export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** Worker side: tells the primary this worker listens (the primary prints one line for all). */
export function reportListening(address: { port: number; host: string }): void {
  process.send?.({ type: 'ivr:listening', ...address } satisfies ClusterMessage);
}

/** Worker side: resolves with the signal the primary received. */
export function stopRequested(): Promise<string> {
  return new Promise((resolve) => {
    process.on('message', (message: ClusterMessage) => {
      if (message?.type === 'ivr:stop') resolve(message.signal);
    });
  });
}

/** Worker side: closes the IPC channel once the worker has drained, so its process can exit. */
export function leaveCluster(): void {
  if (cluster.isWorker && process.connected) process.disconnect();
}

/**
 * Worker side: lets the primary collect `registry`, and returns the scrape of the whole group
 * (for `/metrics`): the exposition text of every worker's metrics, aggregated by the primary.
 */
export function groupMetrics(registry: Registry): () => Promise<string> {
  new AggregatorRegistry(); // its constructor makes this worker answer the primary's collection requests
  AggregatorRegistry.setRegistries([registry]);
  const pending = new Map<number, (result: { body?: string; error?: string }) => void>();
  let nextId = 0;
  process.on('message', (message: ClusterMessage) => {
    if (message?.type === 'ivr:metrics-result') pending.get(message.id)?.(message);
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => settle({ error: 'the primary did not answer' }), GROUP_METRICS_TIMEOUT_MS);
      const settle = (result: { body?: string; error?: string }): void => {
        clearTimeout(timer);
        pending.delete(id);
        if (result.body !== undefined) resolve(result.body);
        else reject(new Error(result.error ?? 'no metrics'));
      };
      pending.set(id, settle);
      process.send?.({ type: 'ivr:metrics', id } satisfies ClusterMessage);
    });
}

/** Forks the workers and supervises them until stopped; resolves with the exit code. */
export async function runPrimary(options: PrimaryOptions): Promise<number> {
  const restartDelayMs = options.restartDelayMs ?? 1000;
  // The workers running, each with its slot (1..N: a replacement takes the slot of the one it replaces).
  const live = new Map<Worker, number>();
  const listening = new Set<number>();
  const everListened = new Set<number>();
  let stopping: string | undefined;
  let failed = false;
  let announced = false;
  let allExited: () => void = () => {};
  const exited = new Promise<void>((resolve) => {
    allExited = resolve;
  });

  let deadline: NodeJS.Timeout | undefined;
  const stopAll = (signal: string): void => {
    stopping ??= signal;
    for (const worker of live.keys()) {
      if (worker.isConnected()) worker.send({ type: 'ivr:stop', signal } satisfies ClusterMessage);
    }
    if (options.stopDeadlineMs !== undefined && deadline === undefined) {
      const ms = options.stopDeadlineMs;
      deadline = setTimeout(() => {
        for (const [worker, slot] of live) {
          options.err(`ivr serve: worker ${slot} (pid ${worker.process.pid}) was still running ${ms / 1000} s after the stop: killed\n`);
          failed = true;
          worker.process.kill('SIGKILL');
        }
      }, ms);
    }
  };

  const aggregator = new AggregatorRegistry();
  const fork = (slot: number): void => {
    const worker: Worker = cluster.fork({ IVR_WORKER: String(slot) });
    live.set(worker, slot);
    worker.on('message', (message: ClusterMessage) => {
      if (message?.type === 'ivr:metrics') {
        const reply = (result: { body?: string; error?: string }): void => {
          if (worker.isConnected()) worker.send({ type: 'ivr:metrics-result', id: message.id, ...result } satisfies ClusterMessage);
        };
        aggregator.clusterMetrics().then((body) => reply({ body }), (err: Error) => reply({ error: err.message }));
        return;
      }
      if (message?.type !== 'ivr:listening') return;
      listening.add(worker.id);
      everListened.add(slot);
      if (stopping !== undefined) worker.send({ type: 'ivr:stop', signal: stopping } satisfies ClusterMessage);
      else if (!announced && listening.size === options.workers) {
        announced = true;
        options.out(`listening on http://${message.host}:${message.port} (${options.workers} workers)\n`);
      }
    });
    worker.on('exit', (code, signal) => {
      live.delete(worker);
      listening.delete(worker.id);
      if (stopping === undefined) {
        if (!everListened.has(slot)) {
          options.err(`ivr serve: worker ${slot} exited (${signal ?? `code ${code}`}) before listening: stopping\n`);
          failed = true;
          stopAll('worker-failed');
        } else {
          options.err(`ivr serve: worker ${slot} exited (${signal ?? `code ${code}`}): starting another\n`);
          setTimeout(() => {
            if (stopping === undefined) fork(slot);
          }, restartDelayMs).unref();
        }
      }
      if (live.size === 0 && stopping !== undefined) {
        clearTimeout(deadline);
        allExited();
      }
    });
  };

  for (let slot = 1; slot <= options.workers; slot++) fork(slot);
  void options.stopSignal.then((signal) => stopAll(signal));
  await exited;
  return failed ? 1 : 0;
}
