/**
 * What the front end reads from cel-js's parsed tree before type-checking: CEL `matches` moved to
 * RE2 (`linearMatches`), the patterns it can see (string literals), and a static cost estimate.
 * cel-js nodes are `{ op, args }`; a method call is `op: 'rcall', args: [name, receiver, [args]]`.
 */
import { compileRegex } from './linear-regex.js';

interface CelNode {
  op: string;
  args: unknown;
}

/** The name `matches` calls are renamed to; registered in cel-environment.ts on RE2. */
export const LINEAR_MATCHES = 'linearMatches';

/** Comprehension macros: their body runs once per element of the receiver. */
const MACROS = new Set(['map', 'filter', 'all', 'exists', 'exists_one']);
/** The list length assumed for a list validate cannot see (a variable, a backend answer). */
export const ASSUMED_LIST_LENGTH = 100;

function isNode(value: unknown): value is CelNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as CelNode).op === 'string';
}

/** The nodes directly under `node` (its args may nest arrays: call arguments, map entries). */
function children(node: CelNode): CelNode[] {
  const out: CelNode[] = [];
  const stack: unknown[] = [node.args];
  while (stack.length > 0) {
    const v = stack.pop();
    if (isNode(v)) out.push(v);
    else if (Array.isArray(v)) stack.push(...v);
  }
  return out;
}

export interface RegexProblem {
  code: 'invalid-regex' | 'regex-unsupported';
  why: string;
  pattern: string;
  offset?: number;
}

/**
 * Renames every `x.matches(p)` to RE2's `linearMatches` (cel-js's own `matches` is JavaScript's
 * backtracking RegExp and cannot be replaced in an environment) and returns the first literal
 * pattern RE2 refuses. Iterative: the tree is bounded by cel-js's limits, but no walk here recurses.
 */
export function useLinearMatches(root: unknown): RegexProblem | undefined {
  let problem: RegexProblem | undefined;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isNode(node)) continue;
    const args = node.args;
    if (node.op === 'rcall' && Array.isArray(args) && args[0] === 'matches') {
      args[0] = LINEAR_MATCHES;
      const pattern = Array.isArray(args[2]) ? (args[2][0] as { op?: string; args?: unknown; start?: number } | undefined) : undefined;
      if (problem === undefined && pattern?.op === 'value' && typeof pattern.args === 'string') {
        const compiled = compileRegex(pattern.args);
        if (!compiled.ok) problem = { code: compiled.code, why: compiled.why, pattern: pattern.args, ...(pattern.start !== undefined ? { offset: pattern.start } : {}) };
      }
    }
    stack.push(...children(node));
  }
  return problem;
}

/**
 * Steps the expression would take with lists of ASSUMED_LIST_LENGTH (a literal list counts its
 * own length): one per node, times the receiver's length inside a comprehension. Recursive over
 * the tree, whose depth cel-js bounds (EXPR_LIMITS.maxDepth).
 */
export function staticCost(node: unknown): number {
  if (!isNode(node)) return 0;
  const args = node.args;
  if (node.op === 'rcall' && Array.isArray(args) && typeof args[0] === 'string' && MACROS.has(args[0])) {
    const receiver = args[1] as CelNode;
    const length = receiver?.op === 'list' && Array.isArray(receiver.args) ? receiver.args.length : ASSUMED_LIST_LENGTH;
    const body = (Array.isArray(args[2]) ? args[2] : []).reduce((sum: number, a: unknown) => sum + staticCost(a), 0);
    return 1 + staticCost(receiver) + length * (1 + body);
  }
  return children(node).reduce((sum, child) => sum + staticCost(child), 1);
}
