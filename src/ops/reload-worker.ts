/**
 * The reload worker thread (started by reload-thread.ts): runs the front-end pipeline (parse,
 * checks, prompt audio, compile: src/pipeline/) off the serving thread, under a time and memory budget, and sends
 * back plain data. Every machine is built here and let go (`checkMachinesBuild`; they hold functions
 * and cannot cross threads): a compiler failure is this thread's and refuses the set, before the
 * serving thread builds the same machines again at each flow's first call.
 *
 * The thread stays up between reloads, so its caches (compiled schemas, the CEL environment,
 * converted prompt audio by content) make the next reload cheap. The reply goes on the given
 * `MessagePort` and a `done` note on `parentPort`, so the serving thread can take the reply with
 * `receiveMessageOnPort` and time what receiving it costs there.
 */
import './lowest-priority.js'; // first: before the front end's modules load
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { promptStoreData } from '../audio/prompt-store-data.js';
import { checkMachinesBuild } from '../compile/index.js';
import { prepareWholeSet } from '../pipeline/prepare-flows.js';
import { configureSpeech, type SynthesizerOptions } from '../speech/synthesizer.js';
import type { ReloadReply, ReloadRequest } from './reload-thread.js';

const { port, speech } = workerData as { port: MessagePort; speech?: SynthesizerOptions };
// Text prompts are synthesized here with the server's engine and cache (speech/synthesizer.ts).
if (speech !== undefined) configureSpeech(speech);

parentPort?.on('message', (request: ReloadRequest) => {
  void load(request).then(({ reply, transfer }) => {
    port.postMessage(reply, transfer);
    parentPort?.postMessage({ done: request.id });
  });
});

async function load(request: ReloadRequest): Promise<{ reply: ReloadReply; transfer: ArrayBuffer[] }> {
  const started = performance.now();
  try {
    // The front-end pipeline, compile included: a compiler failure happens here, not on the serving thread.
    // A flow over --max-flow-states is a `flow-too-large` error like any other, found before anything is compiled (compile/flow-size.ts).
    const prepared = await prepareWholeSet(request.paths, { maxFlowStates: request.maxFlowStates });
    const base = { id: request.id, diagnostics: prepared.diagnostics, flowCount: prepared.flowCount };
    if (prepared.value === undefined) return { reply: { ...base, workerMs: performance.now() - started }, transfer: [] };
    const { loaded, compiled } = prepared.value;
    checkMachinesBuild(compiled.values());
    const prompts = promptStoreData(prepared.value.prompts);
    return {
      reply: { ...base, value: { flows: loaded, compile: [...compiled.keys()], prompts }, workerMs: performance.now() - started },
      transfer: [prompts.buffer],
    };
  } catch (err) {
    // A front-end bug (or a stack overflow a file drove): only its kind crosses, never its
    // message, which may quote the file.
    return { reply: { id: request.id, diagnostics: [], flowCount: 0, crashed: crashKind(err), workerMs: performance.now() - started }, transfer: [] };
  }
}

/**
 * What a crash was, in our words: a stack overflow (this thread's stack is smaller than the serving
 * thread's: reload-thread.ts) is named with its usual cause, which the kind alone would not say.
 */
function crashKind(err: unknown): string {
  if (err instanceof RangeError && err.message.includes('call stack')) return 'stack overflow while loading; usually flows nesting too deeply';
  return (err as Error)?.name ?? typeof err;
}
