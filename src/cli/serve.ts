/**
 * `ivr serve [flows folder]`: loads, checks and compiles the flows once, then serves them to
 * Plivo. Refuses to start (exit 1, diagnostics printed as `ivr validate` prints them) when any
 * flow has errors; exit 2 on bad options. Runs until SIGINT/SIGTERM, then closes and exits 0.
 *
 *   ivr serve flows/ --port 8080 --public-url https://ivr.example.com --allow-env BILLING_
 */
import { resolve } from 'node:path';
import { pino } from 'pino';
import { fileRecordingSink } from '../call/recording-sink.js';
import { countBySeverity } from '../diagnostics/report.js';
import { renderText } from '../diagnostics/render-text.js';
import { createServer } from '../plivo/server.js';
import { loadServingFlows } from '../plivo/serving-flows.js';
import { resolveServeConfig, type ServeFlags } from './serve-options.js';

export interface ServeIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM by default). */
  stopSignal: Promise<string>;
}

function processIo(): ServeIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    stopSignal: new Promise((resolveSignal) => {
      process.once('SIGINT', () => resolveSignal('SIGINT'));
      process.once('SIGTERM', () => resolveSignal('SIGTERM'));
    }),
  };
}

export async function run(args: string[], options: ServeFlags, io: ServeIo = processIo()): Promise<number> {
  const resolved = resolveServeConfig(args, options, io.env);
  if (!resolved.ok) {
    io.err(`ivr serve: ${resolved.message}\n`);
    return 2;
  }
  const config = resolved.config;
  const loaded = await loadServingFlows(config.paths);
  const { errors } = countBySeverity(loaded.diagnostics);
  if (loaded.diagnostics.length > 0) {
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

  const log = pino({ level: config.logLevel, base: undefined });
  const server = createServer({
    port: config.port,
    host: config.host,
    ...(config.publicUrl !== undefined ? { publicUrl: config.publicUrl } : {}),
    contentType: config.contentType,
    defaultFlow: config.defaultFlow,
    startTimeoutMs: config.startTimeoutMs,
    maxPayload: config.maxPayload,
    playbackGraceMs: config.playbackGraceMs,
    recordings: fileRecordingSink(resolve(config.recordings)),
    env: config.env,
    flows: () => serving,
    log,
  });
  if (!serving.flows.has(config.defaultFlow)) {
    log.warn({ defaultFlow: config.defaultFlow }, `the default flow "${config.defaultFlow}" does not exist: /stream without a flow header will be refused`);
  }
  let address: { port: number; host: string };
  try {
    address = await server.listen();
  } catch (error) {
    io.err(`ivr serve: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`);
    return 1;
  }
  log.info({ flows: [...serving.flows.keys()], allowEnv: Object.keys(config.env) }, 'flows loaded');
  io.out(`listening on http://${address.host}:${address.port}\n`);

  const signal = await io.stopSignal;
  log.info({ signal }, 'stopping');
  await server.close();
  return 0;
}
