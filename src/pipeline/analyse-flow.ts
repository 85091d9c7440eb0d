import { createHash } from 'node:crypto';
import { readPromptFile } from '../audio/wav.js';
import { basename, dirname } from 'node:path';
import type { PromptResolution } from '../audio/resolve-prompt.js';
import type { WavProbe } from '../audio/wav.js';
import { createContext } from '../check/check-context.js';
import type { ExprApi } from '../check/expr-api.js';
import type { SetMember } from '../check/flow-set.js';
import { forgetWalks } from '../check/flow-walk.js';
import { FLOW_CHECKS } from '../check/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { CODES, type FlowCode } from '../diagnostics/codes.js';
import { releaseDocument } from '../parse/flow-source.js';
import { parseFlow } from '../parse/parse-flow.js';
import { MORE_OF_CODE } from '../parse/yaml-mistakes.js';
import { readFlowFile, realFolder } from '../parse/read-flow-file.js';
import { fileDiagnostic } from '../diagnostics/make-diagnostic.js';
import { varTypes } from '../parse/var-types.js';
import { checkSchema } from '../schema/schema-diagnostics.js';
import type { LoadedFlow } from '../flow/loaded-flow.js';
import type { FlowDoc } from '../flow/types.js';

/** A flow through the per-file stages, plus what the set-level checks need. */
export interface AnalysedFlow {
  flow: LoadedFlow;
  /** Present when the flow passed the schema (set-level checks only look at those). */
  member: SetMember | undefined;
  /** Prompt audio files the flow resolves, for the version hash. */
  audioFiles: string[];
}

/** Shared by every flow of one load. */
export interface LoadShared {
  expr: ExprApi;
  probeCache: Map<string, WavProbe>;
  resolveCache: Map<string, PromptResolution>;
  /**
   * Prompt file bytes read for version hashes (undefined: unreadable). Flows share audio (the
   * system prompts above all), so each file is read once per load rather than once per flow.
   */
  audioBytes?: Map<string, Buffer | undefined>;
  /** The real path of each flows folder (read-flow-file.ts `realFolder`), resolved once per load. */
  folders?: Map<string, string>;
}

/** What a flow that could not be read as a flow holds in `doc`: nothing to run. */
const EMPTY_DOC: FlowDoc = { ivr: 1, nodes: {} };

/**
 * The per-file front end: parse (positions) -> schema -> semantic checks. Stops after the first
 * stage with errors, since later stages assume what earlier ones guarantee.
 */
export function analyseFlow(file: string, text: string, shared: LoadShared): AnalysedFlow {
  const diagnostics: Diagnostic[] = [];
  const parsed = parseFlow(file, text);
  diagnostics.push(...parsed.diagnostics);
  const source = parsed.value;
  const data = source?.data;
  const id = flowIdOf(file, parsed.readsAsFlow ? data : undefined);
  const flow: LoadedFlow = { id, file, dir: dirname(file), doc: EMPTY_DOC, version: '', diagnostics };
  if (!parsed.readsAsFlow) {
    if (source !== undefined) diagnostics.push(...checkSchema(source));
    flow.diagnostics = diagnostics.map(unquoted);
    return finish(flow, text, [], shared);
  }
  if (source === undefined) return finish(flow, text, [], shared);

  diagnostics.push(...checkSchema(source));
  if (isObject(data)) flow.doc = data as unknown as FlowDoc;
  if (hasErrors(diagnostics)) return finish(flow, text, [], shared);

  const doc = flow.doc;
  const types = varTypes(source, doc);
  flow.varTypes = types;
  const ctx = createContext({ source, doc, dir: flow.dir, varTypes: types, expr: shared.expr, probeCache: shared.probeCache, resolveCache: shared.resolveCache }, diagnostics);
  for (const check of FLOW_CHECKS) check(ctx);
  // The checks' lists (flow-walk.ts) and the YAML document die here, young, instead of living
  // through the whole load; the set checks rebuild the list they use, and a late diagnostic parses the text again.
  forgetWalks(doc);
  releaseDocument(source);
  const audioFiles = [...ctx.audio.keys()].sort();
  return { ...finish(flow, text, audioFiles, shared), member: { id, source, doc, varTypes: types, report: ctx.report } };
}

/**
 * Reads and analyses one file of the flows folder `root` (read-flow-file.ts says which files may
 * be read); a file that is refused or cannot be read is one diagnostic instead.
 */
export function readAndAnalyseFlow(file: string, root: string, shared: LoadShared): AnalysedFlow | { refused: Diagnostic } {
  let folder = shared.folders?.get(root);
  if (folder === undefined) {
    folder = realFolder(root);
    shared.folders?.set(root, folder);
  }
  const read = readFlowFile(file, folder);
  if (!read.ok) return { refused: fileDiagnostic(file, read.code, read.message) };
  return analyseFlow(file, read.text, shared);
}

/**
 * A diagnostic about a file that does not read as a flow, with nothing of the file in it: the
 * code's summary instead of a message that could quote the text (flow-language.md v1.1, "Bounds").
 */
function unquoted(d: Diagnostic): Diagnostic {
  const summary = CODES[d.code as FlowCode]?.summary ?? 'This file is not a flow.';
  const { pointer: _pointer, ...rest } = d;
  // The count the last of a code gives of the rest (yaml-mistakes.ts `sameCodeLimit`) quotes nothing of the file: it stays.
  const more = MORE_OF_CODE.exec(d.message)?.[0] ?? '';
  return { ...rest, message: `${summary} Nothing of the file is shown: it does not read as a flow (a map with \`ivr: 1\`).${more}` };
}

/** `id:` when it is a string, else the file name without `.yaml`. */
export function flowIdOf(file: string, data: unknown): string {
  const id = isObject(data) ? data.id : undefined;
  return typeof id === 'string' && id !== '' ? id : basename(file).replace(/\.ya?ml$/, '');
}

/**
 * The flow's version: a short sha256 of its text and the bytes of the audio it plays, so a call
 * record says exactly which flow and prompts served it.
 */
export function flowVersion(text: string, audioFiles: readonly string[], bytesCache?: Map<string, Buffer | undefined>): string {
  const hash = createHash('sha256').update(text);
  for (const path of audioFiles) {
    hash.update(`\0${path}\0`);
    const bytes = bytesCache?.has(path) ? bytesCache.get(path) : readBytes(path);
    bytesCache?.set(path, bytes);
    hash.update(bytes ?? '(unreadable)');
  }
  return hash.digest('hex').slice(0, 12);
}

function readBytes(path: string): Buffer | undefined {
  try {
    return readPromptFile(path);
  } catch {
    return undefined;
  }
}

function finish(flow: LoadedFlow, text: string, audioFiles: string[], shared: LoadShared): AnalysedFlow {
  flow.version = flowVersion(text, audioFiles, shared.audioBytes);
  return { flow, member: undefined, audioFiles };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
