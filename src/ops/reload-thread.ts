/**
 * Reloads off the serving thread: the flows are parsed, checked, converted and test-compiled in a
 * worker thread (reload-worker.ts) with a time and a memory budget, so whatever a flow file holds,
 * calls in progress and `/healthz` keep their latency. A reload over budget is a failed reload:
 * the worker is terminated (a new one starts at the next reload) and the previous flows keep serving.
 *
 * What crosses back is plain data: diagnostics, the flow set (flow documents are JSON data) and
 * the prompt audio (bytes in one transferred buffer). XState machines hold functions and cannot
 * be sent: the serving thread builds each flow's machine again at that flow's first call
 * (compile-flow.ts `compileFlow`), one flow at a time; each reload's `timing` says what receiving
 * the reply cost it.
 *
 *   const loader = createReloadThread({ timeoutMs: 30_000, memoryMb: 512 });
 *   const { value, diagnostics, failure } = await loader.load(['flows/']);
 *   loader.close();
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { promptStoreFromData, type PromptStoreData } from '../audio/prompt-store-data.js';
import { defaultSynthesizer, type SynthesizerOptions } from '../speech/synthesizer.js';
import { compileFlow, type CompiledFlow } from '../compile/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FlowSet, LoadedFlow } from '../flow/loaded-flow.js';
import { defaultOf } from '../options/option-schema.js';
import { SERVE_OPTIONS } from '../options/serve-options.js';
import { servingFlows } from '../plivo/serving-flows.js';
import type { LoadResult } from './reload.js';

export interface ReloadBudget {
  /** The worker's whole load (parse, checks, audio, compile) must finish within this; default 30 s. */
  timeoutMs: number;
  /** The worker's V8 heap limit (`resourceLimits.maxOldGenerationSizeMb`); default 512 MB. */
  memoryMb: number;
  /**
   * Most states one flow's machine may have (subflows inlined); default 2000. The serving thread
   * builds each machine in one go at the flow's first call (XState makes the whole state tree at
   * once), ~35 µs per state measured here: the bound keeps that turn to about 70 ms.
   */
  maxFlowStates: number;
}

/**
 * The worker's stack: Node keeps 192 KB of it out of V8's reach, so 1 MB leaves ~0.81 MB, 84 % of
 * the ~0.96 MB V8 gives the serving (main) thread (the same recursion goes 11 500 frames deep
 * against 13 700 on Node 20). Building a machine recurses once per level of nested states, so a
 * flow the worker can build (a deep chain of subflows under a raised --max-flow-states) the
 * serving thread can build too at its first call, with room for the frames a call's start is
 * already in. With Node's default worker stack (4 MB) the worker passed flows that overflowed the
 * serving thread's stack at every call.
 */
const WORKER_STACK_MB = 1;

/** As src/options/serve-options.ts declares them (with their bounds and meaning). */
export const RELOAD_BUDGET_DEFAULTS: Readonly<ReloadBudget> = Object.freeze({
  timeoutMs: defaultOf(SERVE_OPTIONS, 'reloadTimeoutMs'),
  memoryMb: defaultOf(SERVE_OPTIONS, 'reloadMemoryMb'),
  maxFlowStates: defaultOf(SERVE_OPTIONS, 'maxFlowStates'),
});

export interface ReloadRequest {
  id: number;
  paths: string[];
  maxFlowStates: number;
}

export interface ReloadReply {
  id: number;
  diagnostics: Diagnostic[];
  flowCount: number;
  /** Every flow loaded (plain data), the ids to compile, and the prompt audio. */
  value?: { flows: Map<string, LoadedFlow>; compile: string[]; prompts: PromptStoreData };
  /** The name of what the worker threw (a front-end bug, a stack overflow): never its message. */
  crashed?: string;
  workerMs: number;
}

/** Where a reload's time went; `serving*` is time the serving thread was busy with it. */
export interface ReloadTiming {
  workerMs: number;
  /** Taking the reply off the port (structured-clone deserialisation). */
  servingReceiveMs: number;
}

export interface ReloadThread {
  load(paths: string[]): Promise<LoadResult & { timing?: ReloadTiming }>;
  close(): Promise<void>;
}

/**
 * `speech`: the synthesizer settings (`--tts-command`, `--tts-cache`) the worker speaks text
 * prompts with; the serving thread's own synthesizer (speech/synthesizer.ts) speaks `say` items.
 */
export function createReloadThread(budget: Partial<ReloadBudget> = {}, speech?: SynthesizerOptions): ReloadThread {
  const { timeoutMs, memoryMb, maxFlowStates } = { ...RELOAD_BUDGET_DEFAULTS, ...budget };
  let thread: { worker: Worker; port: MessagePort } | undefined;
  let nextId = 1;

  const start = (): { worker: Worker; port: MessagePort } => {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL('./reload-worker.js', import.meta.url), {
      workerData: { port: port2, speech },
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, stackSizeMb: WORKER_STACK_MB },
    });
    worker.unref();
    port1.unref();
    return { worker, port: port1 };
  };

  const stop = async (): Promise<void> => {
    const t = thread;
    thread = undefined;
    if (t) {
      t.port.close();
      await t.worker.terminate();
    }
  };

  /** The worker's reply, or why there is none. */
  const ask = (paths: string[]): Promise<{ reply: ReloadReply; receiveMs: number } | { failure: string }> => {
    thread ??= start();
    const { worker, port } = thread;
    const id = nextId++;
    return new Promise((resolve) => {
      const finish = (result: { reply: ReloadReply; receiveMs: number } | { failure: string }): void => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        resolve(result);
      };
      const timer = setTimeout(() => {
        void stop();
        finish({ failure: `loading the flows took longer than ${timeoutMs} ms (--reload-timeout); stopped` });
      }, timeoutMs);
      const onMessage = (note: { done: number }): void => {
        if (note.done !== id) return;
        const started = performance.now();
        const received = receiveMessageOnPort(port) as { message: ReloadReply } | undefined;
        const receiveMs = performance.now() - started;
        if (received?.message.id !== id) finish({ failure: 'the reload worker sent no answer' });
        else finish({ reply: received.message, receiveMs });
      };
      const onError = (err: Error & { code?: string }): void => {
        void stop();
        finish({
          failure: err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `loading the flows needed more than ${memoryMb} MB (--reload-memory); stopped`
            : `the reload worker failed (${err.name})`,
        });
      };
      const onExit = (code: number): void => {
        void stop();
        finish({ failure: `the reload worker exited (code ${code})` });
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ id, paths, maxFlowStates } satisfies ReloadRequest);
    });
  };

  return {
    async load(paths) {
      const answer = await ask(paths);
      if ('failure' in answer) return { value: undefined, diagnostics: [], flowCount: 0, failure: answer.failure };
      const { reply, receiveMs } = answer;
      const base = { diagnostics: reply.diagnostics, flowCount: reply.flowCount };
      if (reply.crashed !== undefined) return { ...base, value: undefined, failure: `loading the flows failed (${reply.crashed})` };
      if (reply.value === undefined) return { ...base, value: undefined };
      const prompts = promptStoreFromData(reply.value.prompts, defaultSynthesizer());
      const set: FlowSet = { flows: reply.value.flows, diagnostics: [] };
      const flows = new Map<string, CompiledFlow>();
      for (const id of reply.value.compile) {
        const flow = set.flows.get(id);
        if (flow !== undefined) flows.set(id, compileFlow(flow, set));
      }
      return { ...base, value: servingFlows(flows, prompts), timing: { workerMs: reply.workerMs, servingReceiveMs: receiveMs } };
    },
    close: stop,
  };
}
