/**
 * `ivr serve [flows folder]`: loads, checks and compiles the flows once, then serves them to
 * Plivo. Refuses to start (exit 1, diagnostics printed as `ivr validate` prints them) when any
 * flow has errors; exit 2 on bad options. Runs until SIGINT/SIGTERM, then drains (calls in progress
 * finish, up to --drain-timeout; see src/ops/drain.ts) and exits 0.
 *
 *   ivr serve flows/ --port 8080 --public-url https://ivr.example.com --var support.billingApi=http://billing:8080
 *
 * With `--workers N` this process checks the flows, then forks N workers that each run all of the
 * above and share the port (src/plivo/cluster.ts).
 */
import { resolve } from 'node:path';
import { fileRecordingSink } from '../call/recording-sink.js';
import { countBySeverity } from '../diagnostics/report.js';
import { renderText } from '../diagnostics/render-text.js';
import { groupMetrics, isClusterWorker, leaveCluster, reportListening, runPrimary, stopRequested } from '../plivo/cluster.js';
import { createServer } from '../plivo/server.js';
import { serverOptionsOf } from '../plivo/server-options.js';
import { configureSpeech } from '../speech/synthesizer.js';
import { AUTH_TOKEN_ENV } from '../flow/secret-env.js';
import { LOG_CLOSE_MS } from '../ops/log-destination.js';
import { closeLog, createLogger, droppedLogLines } from '../ops/logger.js';
import { keepDeploymentVars, typeDeploymentVars } from '../ops/deployment-vars.js';
import { setUpOperations } from '../ops/operations.js';
import { createReloadThread, type ReloadThread } from '../ops/reload-thread.js';
import { processIo, type CliIo, type CommandResult } from './command.js';
import { serveConfig, type ServeConfig, type ServeOptions } from './serve-options.js';

export interface ServeIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM by default). */
  stopSignal: Promise<string>;
}

/** The command's io, with the stop signal asked for now (a cluster worker is also told by its primary). */
function serveIo(io: CliIo): ServeIo {
  return {
    out: (text) => io.out(text),
    err: (text) => io.err(text),
    env: io.env,
    stopSignal: new Promise((resolveSignal) => {
      void io.stopSignal?.().then(resolveSignal);
      // A terminal's Ctrl-C also reaches a worker directly.
      if (isClusterWorker()) void stopRequested().then(resolveSignal);
    }),
  };
}

/** Runs until stopped; what it prints while running goes through `io`, so the result has only the exit code. */
export async function run(args: string[], options: ServeOptions, io: CliIo = processIo()): Promise<CommandResult> {
  try {
    return { exitCode: await serve(args, options, serveIo(io)) };
  } finally {
    leaveCluster(); // a worker's IPC channel would keep its process alive
  }
}

/** `options` were read and checked by the command table (src/options/serve-options.ts): a bad value never gets here. */
async function serve(args: string[], options: ServeOptions, io: ServeIo): Promise<number> {
  const config = serveConfig(args, options);
  // Every load, the first included, runs in a worker thread under the reload budget (src/ops/reload-thread.ts).
  // Text prompts and `say` items are spoken with this engine and cache, in every thread.
  const speech = { command: config.ttsCommand, cacheDir: config.ttsCache, env: config.ttsEnv };
  configureSpeech(speech);
  const { reloadTimeoutMs: timeoutMs, reloadMemoryMb: memoryMb, maxFlowStates } = config;
  const thread = createReloadThread({ timeoutMs, memoryMb, maxFlowStates }, speech);
  try {
    return await serveWith(config, thread, io);
  } finally {
    await thread.close();
  }
}

async function serveWith(config: ServeConfig, thread: ReloadThread, io: ServeIo): Promise<number> {
  const loaded = await thread.load(config.paths);
  if (loaded.failure !== undefined) {
    io.err(`ivr serve: not starting: ${loaded.failure}\n`);
    return 1;
  }
  const { errors } = countBySeverity(loaded.diagnostics);
  // Workers print errors only: the primary already printed the warnings once.
  if (loaded.diagnostics.length > 0 && (!isClusterWorker() || errors > 0)) {
    io.err(renderText({ flows: loaded.flowCount, diagnostics: loaded.diagnostics }, process.cwd()));
  }
  if (loaded.value === undefined || errors > 0) {
    io.err('ivr serve: not starting: fix the errors above (`ivr validate` shows the same list)\n');
    return 1;
  }
  const serving = loaded.value;
  if (serving.flows.size === 0) {
    io.err(`ivr serve: no flows found in ${config.paths.join(', ')}\n`);
    return 1;
  }
  const deployment = typeDeploymentVars(config.varTexts, serving.flows);
  if (deployment.problems.length > 0) {
    io.err(deployment.problems.map((p) => `ivr serve: ${p}\n`).join(''));
    return 2;
  }
  if (config.workers > 0 && !isClusterWorker()) {
    await thread.close(); // the primary only checked the flows: each worker loads its own
    return runPrimary({ workers: config.workers, out: io.out, err: io.err, stopSignal: io.stopSignal, stopDeadlineMs: config.drainTimeoutMs + LOG_CLOSE_MS + 10_000 });
  }

  const log = createLogger({ level: config.logLevel });
  // Logs, metrics, call records, hot reload, signatures and the drain (src/ops/).
  let ops: Awaited<ReturnType<typeof setUpOperations>>;
  try {
    ops = await setUpOperations(serving, {
      paths: config.paths,
      records: config.records,
      drainTimeoutMs: config.drainTimeoutMs,
      reload: config.reload,
      rescanMs: config.rescanMs,
      load: async (paths) => keepDeploymentVars(await thread.load(paths), config.varTexts, deployment.vars),
      ...(isClusterWorker() ? { metricsExposition: groupMetrics } : {}),
      ...(io.env[AUTH_TOKEN_ENV] ? { authToken: io.env[AUTH_TOKEN_ENV] } : {}),
      ...(config.publicUrl !== undefined ? { publicUrl: config.publicUrl } : {}),
      log,
      report: (text) => io.err(text),
    });
  } catch (error) {
    io.err(`ivr serve: cannot open the call records file ${config.records}: ${(error as Error).message}\n`);
    return 1;
  }
  const server = createServer({
    ...serverOptionsOf(config),
    recordings: fileRecordingSink(resolve(config.recordings)),
    env: config.env,
    vars: deployment.vars,
    log,
    ...ops.serverOptions,
  });
  ops.attach(server);
  if (!serving.flows.has(config.defaultFlow)) {
    log.warn({ defaultFlow: config.defaultFlow }, `the default flow "${config.defaultFlow}" does not exist: /stream without a flow header will be refused`);
  }
  let address: { port: number; host: string };
  try {
    address = await server.listen();
  } catch (error) {
    io.err(`ivr serve: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`);
    await ops.records.close();
    return 1;
  }
  await ops.watch();
  log.info({ flows: [...serving.flows.keys()], allowEnv: Object.keys(config.env) }, 'flows loaded');
  if (isClusterWorker()) reportListening(address);
  else io.out(`listening on http://${address.host}:${address.port}\n`);

  const signal = await io.stopSignal;
  log.info({ signal, drainTimeoutMs: config.drainTimeoutMs }, 'stopping: draining calls in progress');
  await ops.shutdown(server);
  const logEnd = await closeLog(log);
  if (logEnd === 'stuck') io.err(`ivr serve: the reader of stdout took no log lines for ${LOG_CLOSE_MS / 1000} s at shutdown; the lines still waiting were dropped\n`);
  else if (logEnd !== 'written' && logEnd !== 'gone') io.err(`ivr serve: writing log lines to stdout failed (${logEnd}) at shutdown; the lines still waiting were dropped\n`);
  const dropped = droppedLogLines(log);
  if (dropped > 0) io.err(`ivr serve: ${dropped} log lines were dropped before (ivr_log_lines_dropped_total)\n`);
  return 0;
}
