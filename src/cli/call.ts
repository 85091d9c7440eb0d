import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/render-text.js';
import { eventWriter } from '../try/call-display.js';
import { readKeys } from '../try/keyboard.js';
import type { TryCall } from '../try/local-call.js';
import type { CALL_OPTIONS } from '../options/command-options.js';
import type { OptionValues } from '../options/option-schema.js';
import { processIo, type CliIo, type CommandResult } from './command.js';
import { UsageError } from './usage-error.js';

/**
 * `flow`: which flow of a folder to call; `url`: a running server to call instead; `flows`: with
 * `url`, flows whose prompts name the audio that plays; `callId`: the call's id, which picks a
 * split node's bucket (reproduce a branch). Read and checked by CALL_OPTIONS.
 */
export type CallOptions = OptionValues<typeof CALL_OPTIONS>;

/**
 * `ivr call <flow.yaml | folder> [--flow id] [--fast]` or `ivr call --url ws://… [--flows dir]`:
 * try a flow from the terminal. Each prompt is shown as it is queued (name, `text`, duration),
 * with node changes, clears, transfer tones, fetches and the end; keys come from the keyboard
 * (raw mode on a terminal, otherwise typed text), `q` or Ctrl-C hangs up.
 * Time is real: prompts "play" for their duration. `--fast`: prompts count as played the moment
 * they are queued, while timeouts (no input, between digits) still run in real time, so there
 * is time to type.
 * Exit code: 0 when the call ended, 1 flows with errors or the server refused, 2 usage.
 *
 * @example ivr call flows/support.yaml --fast
 */
export async function run(args: readonly string[], options: CallOptions, io: CliIo = processIo()): Promise<CommandResult> {
  const write = (text: string): void => io.out(text);
  // Times count from the moment the call starts, not from loading the flows.
  let show: ReturnType<typeof eventWriter>;

  let call: TryCall;
  if (options.url !== undefined) {
    if (args.length > 0) throw new UsageError('give either a flow file or --url, not both');
    const prompts = options.flows === undefined ? undefined : await knownPrompts(options.flows);
    show = eventWriter(write, () => Date.now());
    const { startRemoteCall } = await import('../try/remote-call.js');
    try {
      call = await startRemoteCall({ url: options.url, fast: options.fast === true, callId: options.callId, show, ...(prompts ? { prompts } : {}) });
    } catch (err) {
      return { exitCode: 1, stderr: `ivr call: ${err instanceof Error ? err.message : String(err)}\n` };
    }
    write(`calling ${options.url}: keys 0-9 * # A-D, q hangs up\n`);
  } else {
    const path = args[0];
    if (path === undefined) throw new UsageError('call needs a flow file or folder (or --url): ivr call flows/support.yaml');
    if (!existsSync(path)) throw new UsageError(`no such file or folder: ${path}`);
    const picked = await pickFlow(path, options.flow);
    if ('diagnostics' in picked) {
      return { exitCode: 1, stderr: picked.diagnostics.map((d) => `${formatDiagnostic(d, io.cwd)}\n`).join('') };
    }
    const { startLocalCall } = await import('../try/local-call.js');
    const { httpFetcher } = await import('../call/http-fetcher.js');
    show = eventWriter(write, () => Date.now());
    write(`calling ${picked.flow.id}${options.fast ? ' (fast)' : ''}: keys 0-9 * # A-D, q hangs up\n`);
    call = startLocalCall({ flow: picked.flow, prompts: picked.prompts, fetcher: httpFetcher, fast: options.fast === true, callId: options.callId, show });
  }
  // No await since the call started: keys and Ctrl-C are heard before its first event is handled.
  const stop = readKeys(io.stdin ?? process.stdin, { key: (k) => call.press(k), quit: () => call.hangup() });
  // Outside raw mode Ctrl-C is a signal: hang up cleanly rather than dying mid-call.
  const onSignal = (): void => call.hangup();
  process.once('SIGINT', onSignal);
  try {
    await call.done;
  } finally {
    process.off('SIGINT', onSignal);
    stop();
  }
  return { exitCode: 0 };
}

type Picked = { flow: import('../compile/compiled-flow.js').CompiledFlow; prompts: import('../audio/types.js').PromptStore } | { diagnostics: Diagnostic[] };

/** The flow to call: the file given, or in a folder `--flow`, else `main`, else the only one. */
async function pickFlow(path: string, id: string | undefined): Promise<Picked> {
  const { prepareFlows, errorsOf } = await import('../pipeline/prepare-flows.js');
  const { value: prepared, diagnostics } = await prepareFlows([path]);
  const flows = [...prepared.loaded.values()];
  const isFile = statSync(path).isFile();
  const loaded = isFile
    ? flows.find((f) => f.file === resolve(path))
    : id !== undefined
      ? prepared.loaded.get(id)
      : (prepared.loaded.get('main') ?? (flows.length === 1 ? flows[0] : undefined));
  if (!loaded) {
    const ids = flows.map((f) => f.id).join(', ');
    throw new UsageError(id !== undefined ? `no flow \`${id}\` in ${path} (flows: ${ids})` : `which flow? ${path} holds ${ids}: pass --flow <id>`);
  }
  const compiled = prepared.compiled.get(loaded.id);
  if (!compiled) return { diagnostics: errorsOf(diagnostics, loaded).length > 0 ? errorsOf(diagnostics, loaded) : diagnostics.filter((d) => d.severity === 'error') };
  return { flow: compiled, prompts: prepared.prompts };
}

/** Prompt names by audio for `--flows` (flows with errors are left out). */
async function knownPrompts(dir: string): Promise<Map<string, import('../try/prompt-index.js').KnownPrompt>> {
  if (!existsSync(dir)) throw new UsageError(`no such file or folder: ${dir}`);
  const { prepareFlows } = await import('../pipeline/prepare-flows.js');
  const { promptIndex } = await import('../try/prompt-index.js');
  const { value: prepared } = await prepareFlows([dir]);
  const usable = [...prepared.loaded.values()].filter((f) => prepared.compiled.has(f.id));
  return promptIndex(prepared.prompts, usable.map((f) => ({ id: f.id, doc: f.doc })), 'audio/x-mulaw;rate=8000');
}
