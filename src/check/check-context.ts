import type { FlowCode } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticAt } from '../parse/diagnostic-at.js';
import type { Part } from '../parse/diagnostic-at.js';
import type { FlowDoc } from '../flow/types.js';
import type { FlowSource } from '../parse/flow-source.js';
import type { VarType } from '../parse/var-types.js';
import type { PromptResolution } from '../audio/resolve-prompt.js';
import type { WavProbe } from '../audio/wav.js';
import type { ExprApi } from './expr-api.js';
import { sameCodeLimit } from '../parse/yaml-mistakes.js';

/** What a check sees: one schema-valid flow, and where to put what it finds. */
export interface CheckContext {
  source: FlowSource;
  doc: FlowDoc;
  /** The flow's folder: prompt files resolve from here. */
  dir: string;
  /** Each declared variable's type, from its initial value. */
  varTypes: Record<string, VarType>;
  /** The prompt audio this flow uses (path -> probe): filled by the prompt checks, hashed into the version. */
  audio: Map<string, WavProbe>;
  probeCache: Map<string, WavProbe>;
  /** Prompt resolutions shared by every flow of one load: resolving stats files, and flows share folders. */
  resolveCache: Map<string, PromptResolution>;
  /** The expression module (CEL compile, template split). */
  expr: ExprApi;
  report: Reporter;
}

export interface Reporter {
  /**
   * A finding at `pointer`. A message that takes work (a "did you mean" over every node name) is
   * given as a function: past the file's limit of the code it is never called.
   */
  (code: FlowCode, pointer: string, message: string | (() => string), part?: Part): void;
  /** Adds a diagnostic made elsewhere (positions inside an expression). */
  raw(diagnostic: Diagnostic): void;
  /** Adds a diagnostic of `code` that `make` makes, called only if it is listed. */
  found(code: string, make: () => Diagnostic): void;
}

/** A semantic rule: looks at the flow and reports. One per file, listed in check/index.ts. */
export type FlowCheck = (ctx: CheckContext) => void;

export interface ContextInput {
  source: FlowSource;
  doc: FlowDoc;
  dir: string;
  varTypes: Record<string, VarType>;
  expr: ExprApi;
  /** Probes shared by every flow of one load (system prompts are used by many flows). */
  probeCache: Map<string, WavProbe>;
  resolveCache: Map<string, PromptResolution>;
}

/**
 * A context whose findings go to `diagnostics` (`reporter`).
 */
export function createContext(input: ContextInput, diagnostics: Diagnostic[]): CheckContext {
  return { ...input, audio: new Map(), report: reporter(input.source, diagnostics) };
}

/**
 * Where one file's findings go: into `diagnostics`, at most MAX_SAME_MISTAKES of each code
 * (yaml-mistakes.ts `sameCodeLimit`, the limit for every file of the flows folder), placed in
 * `source`. The flow's own checks and the set's checks (flow-set.ts) report through the same one.
 */
export function reporter(source: FlowSource, diagnostics: Diagnostic[]): Reporter {
  const add = sameCodeLimit(diagnostics);
  return Object.assign(
    (code: FlowCode, pointer: string, message: string | (() => string), part: Part = 'value') =>
      add(code, () => diagnosticAt(source, code, pointer, typeof message === 'string' ? message : message(), part)),
    { raw: (d: Diagnostic) => add(d.code, () => d), found: add },
  );
}

/** "node `x`: " or "" for flow-level keys, to start messages. */
export function nodePrefix(node: string | undefined): string {
  return node === undefined ? '' : `node \`${node}\`: `;
}
