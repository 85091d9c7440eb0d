/**
 * check/: the semantic rules of one flow, one rule per file (named after its diagnostic code),
 * run in the order below on every schema-valid flow by the front end (src/pipeline/). A rule is a
 * `FlowCheck` (check-context.ts): it reads the document and reports diagnostics, never throws.
 * What several rules walk is listed once per document: the nodes, prompts, expressions and
 * assignments in flow-walk.ts, the edges (written or implied by a default) in
 * src/flow/flow-edges.ts, the list the key masking and `ivr graph` read too. Rules over several
 * flows (subflows, duplicate ids, variable types across calls) are in flow-set.ts.
 */
import type { FlowCheck } from './check-context.js';
import { branchDefault } from './branch-default.js';
import { busyLoop } from './busy-loop.js';
import { collectBounds } from './collect-bounds.js';
import { commentedKey } from './commented-key.js';
import { expressions } from './expressions.js';
import { globalKeyInCollect } from './global-key-in-collect.js';
import { handlerPrompts } from './handler-prompts.js';
import { invalidRegex } from './invalid-regex.js';
import { longPrompt } from './long-prompt.js';
import { nextPresence } from './next-presence.js';
import { nodeNameClash } from './node-name-clash.js';
import { numberKey } from './number-key.js';
import { optionPrefix } from './option-prefix.js';
import { optionTooLong } from './option-too-long.js';
import { promptAudio } from './prompt-audio.js';
import { shadowedGlobalKey } from './shadowed-global-key.js';
import { splitCases } from './split-cases.js';
import { transferDtmf } from './transfer-dtmf.js';
import { typeMismatch } from './type-mismatch.js';
import { undeclaredAssignment } from './undeclared-assignment.js';
import { unknownTarget } from './unknown-target.js';
import { unreachableNode } from './unreachable-node.js';

/**
 * The semantic rules run on every schema-valid flow, in this order (errors first, then
 * warnings). Rules about several flows (subflows, duplicate ids) are in check/flow-set.ts.
 */
export const FLOW_CHECKS: readonly FlowCheck[] = [
  numberKey,
  nodeNameClash,
  unknownTarget,
  nextPresence,
  branchDefault,
  splitCases,
  busyLoop,
  promptAudio,
  expressions,
  undeclaredAssignment,
  typeMismatch,
  invalidRegex,
  collectBounds,
  handlerPrompts,
  transferDtmf,
  unreachableNode,
  shadowedGlobalKey,
  globalKeyInCollect,
  optionPrefix,
  optionTooLong,
  commentedKey,
  longPrompt,
];

export type { CheckContext, FlowCheck } from './check-context.js';
