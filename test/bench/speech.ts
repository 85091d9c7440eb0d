/**
 * Speech benchmark (issue 12):
 * 1. load-time synthesis of 50 text-only prompts: cold (empty --tts-cache), then warm (the same
 *    cache, a fresh synthesizer: only the disk is reused);
 * 2. `say` latency with 100 concurrent calls asking at once, each for a different text (no cache
 *    hit), from the start frame to the first playAudio frame, p50/p99 — then the same 100 texts
 *    again (cached) — with the serving process's event-loop delay meanwhile (target p99 < 5 ms).
 * The server runs in a child process so the 100 clients' own work is not counted as its delay.
 *
 *   node dist/test/bench/speech.js [--json]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadPromptStore } from '../../src/audio/prompt-store.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { createServer } from '../../src/plivo/server.js';
import { loadServingFlows } from '../../src/plivo/serving-flows.js';
import { configureSpeech, Synthesizer } from '../../src/speech/synthesizer.js';
import { PlivoClient } from '../support/plivo-client.js';

const CALLS = 100;
const PROMPTS = 50;

// sayTimeout raised so every call's latency is measured; with the default 3 s, the calls whose
// speech is not ready in time would go to onError (and be counted here as missing).
const SAY_FLOW = `
ivr: 1
id: say
settings: { sayTimeout: 60s }
nodes:
  tell:
    play: [{ say: "Your reference number is {{ call.callId }}." }]
    next: bye
  bye:
    end: {}
`;

function promptFlow(): string {
  const streets = ['Main', 'Oak', 'Pine', 'Maple', 'Cedar', 'Elm', 'Lake', 'Hill', 'Park', 'River'];
  const lines = Array.from({ length: PROMPTS }, (_, i) =>
    `  p${i}: { text: "Prompt ${i}: our ${streets[i % 10]} Street office is open from ${8 + (i % 3)} to ${4 + (i % 4)}, Monday to Friday." }`);
  const play = Array.from({ length: PROMPTS }, (_, i) => `p${i}`).join(', ');
  return `ivr: 1\nid: many\nprompts:\n${lines.join('\n')}\nnodes:\n  all:\n    play: [${play}]\n    next: bye\n  bye:\n    end: {}\n`;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function loadTime(dir: string, cacheDir: string): Promise<number> {
  const set = await loadFlows([dir]);
  const speech = new Synthesizer({ cacheDir });
  const t0 = performance.now();
  const { diagnostics } = await loadPromptStore(set.flows.values(), { speech, formats: ['audio/x-mulaw;rate=8000'] });
  const ms = performance.now() - t0;
  await speech.close();
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return ms;
}

/** Child mode: serve the say flow and report the event loop's delay while asked to. */
async function serveChild(dir: string, cacheDir: string): Promise<void> {
  // The queue cap raised like sayTimeout above: every call's latency is measured, none refused.
  configureSpeech({ cacheDir, maxQueuedSays: CALLS });
  const loaded = await loadServingFlows([dir]);
  if (loaded.value === undefined) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  const serving = loaded.value;
  const server = createServer({ port: 0, host: '127.0.0.1', flows: () => serving });
  const { port } = await server.listen();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  process.on('message', (msg: string) => {
    if (msg === 'measure') {
      delay.reset();
      delay.enable();
    } else if (msg === 'report') {
      delay.disable();
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      process.send?.({ p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) });
    } else if (msg === 'stop') {
      void server.close().then(() => process.exit(0));
    }
  });
  process.send?.({ port });
}

async function sayRound(port: number, round: string): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: CALLS }, (_, i) =>
    PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/say`, callId: `${i + 1}`, streamId: `s-${round}-${i}`, start: false })));
  const latencies = await Promise.all(clients.map(async (c) => {
    const t0 = performance.now();
    c.sendStart();
    await c.next((f) => f.event === 'playAudio', 120_000);
    return performance.now() - t0;
  }));
  for (const c of clients) c.hangup();
  return latencies.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'ivr-bench-speech-'));
  try {
    const promptsDir = join(root, 'prompts-flow');
    const sayDir = join(root, 'say-flow');
    for (const [dir, file, text] of [[promptsDir, 'many.yaml', promptFlow()], [sayDir, 'say.yaml', SAY_FLOW]] as const) {
      rmSync(dir, { recursive: true, force: true });
      await import('node:fs').then((fs) => fs.mkdirSync(dir, { recursive: true }));
      writeFileSync(join(dir, file), text);
    }
    const cache = join(root, 'tts');
    const cold = await loadTime(promptsDir, cache);
    console.error(`cold load ${Math.round(cold)} ms`);
    const warm = await loadTime(promptsDir, cache);
    console.error(`warm load ${Math.round(warm)} ms`);

    const child = fork(fileURLToPath(import.meta.url), ['--serve', sayDir, join(root, 'tts-say')], { stdio: 'inherit' });
    const ask = <T>(msg?: string) => new Promise<T>((resolve) => {
      child.once('message', (m) => resolve(m as T));
      if (msg) child.send(msg);
    });
    const { port } = await ask<{ port: number }>();
    child.send('measure');
    const uncached = await sayRound(port, 'a');
    console.error(`uncached p50 ${Math.round(percentile(uncached, 50))} ms`);
    const loopUncached = await ask<{ p50: number; p99: number; max: number }>('report');
    child.send('measure');
    const cached = await sayRound(port, 'b');
    const loopCached = await ask<{ p50: number; p99: number; max: number }>('report');
    child.send('stop');

    const result = {
      loadPrompts: PROMPTS,
      loadColdMs: Math.round(cold),
      loadWarmMs: Math.round(warm),
      sayCalls: CALLS,
      sayUncachedMs: { p50: Math.round(percentile(uncached, 50)), p99: Math.round(percentile(uncached, 99)) },
      sayCachedMs: { p50: Math.round(percentile(cached, 50)), p99: Math.round(percentile(cached, 99)) },
      eventLoopDelayMs: { uncached: loopUncached, cached: loopCached },
    };
    if (process.argv.includes('--json')) console.log(JSON.stringify(result));
    else {
      console.log(`load-time synthesis of ${PROMPTS} text prompts: cold ${result.loadColdMs} ms, warm (from --tts-cache) ${result.loadWarmMs} ms`);
      console.log(`say, ${CALLS} calls at once, each a new text: p50 ${result.sayUncachedMs.p50} ms, p99 ${result.sayUncachedMs.p99} ms; serving loop delay p50 ${loopUncached.p50} ms, p99 ${loopUncached.p99} ms, max ${loopUncached.max} ms`);
      console.log(`say, the same ${CALLS} texts again (cached): p50 ${result.sayCachedMs.p50} ms, p99 ${result.sayCachedMs.p99} ms; serving loop delay p50 ${loopCached.p50} ms, p99 ${loopCached.p99} ms, max ${loopCached.max} ms`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') await serveChild(process.argv[3]!, process.argv[4]!);
else await main();
