/**
 * cel-js errors in plain words. Its messages end with a source excerpt and a caret and name
 * tokens by their lexer names (`RPAREN`); a flow author sees one sentence with the offset kept
 * separately, so validate can point at the exact column in the YAML file.
 */
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { LINEAR_MATCHES } from './cel-ast.js';
import { EXTRA_TYPES, type ExprEnv, type ExtraName } from './cel-environment.js';

/** `invalid-regex`/`regex-unsupported`: a literal `matches` pattern; `cost`: over the budget (cel-budget.ts). */
export type CompileErrorKind = 'syntax' | 'undeclared' | 'type' | 'invalid-regex' | 'regex-unsupported' | 'cost';

export interface CompileError {
  kind: CompileErrorKind;
  message: string;
  offset?: number;
  /** The undeclared name, when kind is `undeclared`. */
  name?: string;
}

interface CelError {
  name?: string;
  code?: string;
  message?: string;
  range?: { start: number; end: number };
}

const TOKENS: Record<string, string> = {
  RPAREN: '")"', LPAREN: '"("', RBRACKET: '"]"', LBRACKET: '"["', RBRACE: '"}"', LBRACE: '"{"',
  COLON: '":"', COMMA: '","', DOT: '"."', QUESTION: '"?"', PLUS: '"+"', MINUS: '"-"',
  MULTIPLY: '"*"', DIVIDE: '"/"', MODULO: '"%"', IDENTIFIER: 'a name', EOF: 'end of expression',
  EQ: '"=="', NE: '"!="', LT: '"<"', LE: '"<="', GT: '">"', GE: '">="', AND: '"&&"', OR: '"||"',
  NOT: '"!"', IN: '"in"', STRING: 'a string', NUMBER: 'a number',
};

const token = (name: string): string => TOKENS[name] ?? name.toLowerCase();

/** A parse or type-check failure of `source` as a compile error. */
export function compileErrorOf(error: unknown, source: string, env: ExprEnv): CompileError {
  const e = (error ?? {}) as CelError;
  const first = firstLine(e.message);
  const offset = e.range?.start;
  const at = (kind: CompileErrorKind, message: string, name?: string): CompileError => {
    const out: CompileError = { kind, message };
    if (offset !== undefined) out.offset = offset;
    if (name !== undefined) out.name = name;
    return out;
  };
  if (e.code === 'unknown_variable') {
    const name = /Unknown variable: (\S+)/.exec(first)?.[1] ?? source.slice(offset ?? 0, e.range?.end);
    // Worded when read: its "did you mean" compares the name with every variable's, and validate
    // reads it for the findings it lists only (20 of a code per file; check/expressions.ts words its own).
    const out = at('undeclared', '', name);
    let message: string | undefined;
    Object.defineProperty(out, 'message', { get: () => (message ??= undeclaredMessage(name, env)), enumerable: true });
    return out;
  }
  if (e.name === 'ParseError') return at('syntax', `syntax error: ${syntaxWords(e.code, first, source, offset)}`);
  if (e.code === 'no_such_overload') {
    const m = /no such overload: (\S+) (\S+) (\S+)/.exec(first);
    if (m) return at('type', `type error: cannot apply "${m[2]}" to ${m[1]} and ${m[3]}`);
    const unary = /no such overload: ([!-])(\S+)$/.exec(first);
    if (unary) return at('type', `type error: cannot apply "${unary[1]}" to ${unary[2]}`);
  }
  if (e.code === 'invalid_macro_argument' && first.startsWith('has()')) {
    return at('type', 'type error: has() takes a field, as in has(response.body.balance)');
  }
  if (e.code === 'no_matching_overload') {
    const call = /for '([^']+)'/.exec(first)?.[1];
    // `matches` runs as RE2's linearMatches (cel-ast.ts): the author wrote `matches`.
    if (call) return at('type', `type error: no function or method matches ${call.replace(`.${LINEAR_MATCHES}(`, '.matches(')}`);
  }
  if (error instanceof RangeError) return at('syntax', 'syntax error: the expression is too long; split it across `set` nodes');
  return at('type', `type error: ${lowerFirst(first)}`);
}

/** `undeclared name "acount" — did you mean `account`?`, with a hint for names out of place. */
export function undeclaredMessage(name: string, env: ExprEnv): string {
  if (name in EXTRA_TYPES && !env.extra.includes(name as ExtraName)) {
    return `"${name}" is not available here${name === 'response' ? ' (only in a fetch node\'s set)' : ''}`;
  }
  // Among equally close names, the one starting like the typo wins: "acount" is "account", not "count".
  const known = [...Object.keys(env.vars), ...env.extra].sort((a, b) => Number(b[0] === name[0]) - Number(a[0] === name[0]));
  return `undeclared name "${name}"${didYouMean(name, known)}`;
}

function syntaxWords(code: string | undefined, first: string, source: string, offset: number | undefined): string {
  if (code === 'unexpected_token') {
    const tok = /Unexpected token: (\S+)/.exec(first)?.[1];
    if (tok === 'EOF' || offset === undefined || offset >= source.length) return 'unexpected end of expression';
    return `unexpected ${tok ? token(tok) : JSON.stringify(source[offset])}`;
  }
  if (code === 'expected_token') {
    const m = /Expected (\S+), got (\S+)/.exec(first);
    if (m) return m[2] === 'EOF' ? `missing ${token(m[1]!)} at the end of the expression` : `expected ${token(m[1]!)} but found ${token(m[2]!)}`;
  }
  if (code === 'unterminated_string') return 'a string is not closed (missing quote)';
  if (code === 'limit_exceeded') {
    const what = /Exceeded (\w+)/i.exec(first)?.[1];
    if (what === 'maxDepth') return 'the expression is nested too deeply; split it across `set` nodes';
    return 'the expression is too long; split it across `set` nodes';
  }
  if (code === 'unexpected_character') {
    const ch = offset === undefined ? undefined : source[offset];
    if (ch === '=') return 'unexpected "=": compare with "==" (a flow assigns with `set:`, not in expressions)';
    if (ch !== undefined) return `unexpected ${JSON.stringify(ch)}`;
  }
  return lowerFirst(first);
}

/** A runtime failure in plain words. */
export function runtimeMessage(error: unknown, source: string): string {
  const e = (error ?? {}) as CelError;
  const first = firstLine(e.message);
  const where = e.range ? source.slice(0, e.range.end).trim() : source;
  switch (e.code) {
    case 'no_such_key': {
      const key = /No such key: (.*)$/.exec(first)?.[1] ?? '?';
      return `no key "${key}" in ${where.replace(/(\.|\[)[^.[]*$/, '') || 'the value'} (expression ${JSON.stringify(source)})`;
    }
    case 'division_by_zero': return `division by zero in ${JSON.stringify(source)}`;
    case 'modulus_by_zero': return `division by zero in ${JSON.stringify(source)}`;
    case 'no_such_overload': {
      const m = /no such overload: (\S+) (\S+) (\S+)/.exec(first);
      if (m) return `cannot apply "${m[2]}" to ${m[1]} and ${m[3]} in ${JSON.stringify(source)}`;
      break;
    }
    case 'unknown_variable': return `${lowerFirst(first)} in ${JSON.stringify(source)}`;
  }
  return `${lowerFirst(first) || 'evaluation failed'} in ${JSON.stringify(source)}`;
}

function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0]!.trim();
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}
