/**
 * YAML syntax errors in the flow author's words: one message per mistake, at the line and column
 * where the mistake is, with the fix. The `yaml` parser reports what it could not read, often
 * as a cascade that starts somewhere else ("All mapping items must start at the same column" at
 * the blank line above an under-indented key; 22 errors for one tab); an author needs the one
 * line to change.
 *
 * The rule: tabs used for indentation are each a mistake of their own (and explain everything
 * after them); otherwise the first error the parser met is explained, and the rest, which follow
 * from it, are dropped (fix it and validate again). Duplicate keys are not syntax errors and are
 * reported apart (parse-flow.ts).
 *
 *   explainYamlErrors(text, errors)
 *   // [{ offset: 57, message: '`next:` is indented further than `play:` on the line above, ...' }]
 */
import type { YAMLError } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export interface YamlMistake {
  /** Where the mistake is: a character offset into the text. */
  offset: number;
  end?: number;
  message: string;
}

interface Line {
  /** Offset of the line's first character. */
  start: number;
  text: string;
  /** Spaces before the first other character (a tab stops the count). */
  indent: number;
}

export function explainYamlErrors(text: string, errors: readonly YAMLError[]): YamlMistake[] {
  const syntax = errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  if (syntax.length === 0) return [];
  const lines = splitLines(text);
  const tabs = tabIndentedLines(lines);
  if (tabs.length > 0) return tabs;
  const first = syntax.reduce((a, b) => (b.pos[0] < a.pos[0] ? b : a));
  return [explainOne(text, lines, first)];
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    const body = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    lines.push({ start, text: body, indent: /^ */.exec(body)![0].length });
    start += raw.length + 1;
  }
  return lines;
}

/**
 * At most this many mistakes of one kind in a file are reported one by one (tab-indented lines,
 * keys given twice: duplicate-keys.ts); the last says how many more there are. A 1 MiB file of
 * them must not print a diagnostic per line.
 */
export const MAX_SAME_MISTAKES = 20;

/** ` (and N more <one or many> below it)`, for the last mistake listed when `more` were not. */
export function moreBelow(more: number, one: string, many = `${one}s`, where = 'below it'): string {
  return ` (and ${more} more ${more === 1 ? one : many} ${where})`;
}

/** ` (and N more \`code\` findings in this file)`: what the last listed finding of a code says of the ones not listed. */
export function moreOfCode(more: number, code: string): string {
  return moreBelow(more, `\`${code}\` finding`, `\`${code}\` findings`, 'in this file');
}

/** That count at the end of a message (a number and a code: nothing of the file). */
export const MORE_OF_CODE = / \(and \d+ more `[a-z-]+` findings? in this file\)$/;

/**
 * Findings of one file into `out`, at most MAX_SAME_MISTAKES of each code: the last one listed
 * counts the rest, and those are never made (`make` is not called), so a menu of 30 000 options
 * that start one another, or 40 000 variables of the wrong type, print twenty lines each and cost
 * the counting, not 30 000 placed messages. The flow's and the set's checks (check-context.ts
 * `reporter`) and the schema's messages (schema-diagnostics.ts) add through it; yaml's warnings
 * (parse-flow.ts) are cut to the same number and counted in the same words (`moreOfCode`).
 */
export function sameCodeLimit(out: Diagnostic[]): (code: string, make: () => Diagnostic) => void {
  const seen = new Map<string, { count: number; last: Diagnostic; message: string }>();
  return (code, make) => {
    const entry = seen.get(code);
    if (entry === undefined || entry.count < MAX_SAME_MISTAKES) {
      const d = make();
      out.push(d);
      seen.set(code, { count: (entry?.count ?? 0) + 1, last: d, message: d.message });
      return;
    }
    entry.count++;
    entry.last.message = entry.message + moreOfCode(entry.count - MAX_SAME_MISTAKES, code);
  };
}

function tabIndentedLines(lines: Line[]): YamlMistake[] {
  const found: YamlMistake[] = [];
  let more = 0;
  for (const [i, line] of lines.entries()) {
    const lead = /^[ \t]*/.exec(line.text)![0];
    const tab = lead.indexOf('\t');
    if (tab < 0 || lead.length === line.text.length) continue; // a blank line's tabs are harmless
    if (found.length === MAX_SAME_MISTAKES) {
      more++;
      continue;
    }
    found.push({
      offset: line.start + tab,
      end: line.start + lead.length,
      message: `line ${i + 1} is indented with a tab; YAML indents with spaces only: replace the tab with spaces`,
    });
  }
  if (more > 0) found[found.length - 1]!.message += moreBelow(more, 'tab-indented line');
  return found;
}

function explainOne(text: string, lines: Line[], error: YAMLError): YamlMistake {
  const at = lineIndexOf(lines, error.pos[0]);
  switch (error.code) {
    case 'MISSING_CHAR':
      return unclosed(lines, error, at);
    case 'BAD_INDENT':
      if (/Flow (sequence|map)/.test(error.message)) return unclosed(lines, error, at);
      return badIndent(lines, error, at);
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return overIndented(lines, at) ?? missingColon(lines, at) ?? plain(error);
    default:
      return unclosedOnLine(lines, at, error) ?? plain(error);
  }
}

/** yaml's own sentence, without the code excerpt and position it appends (we print positions ourselves). */
export function plainYamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function plain(error: YAMLError): YamlMistake {
  return { offset: error.pos[0], end: error.pos[1], message: plainYamlMessage(error.message) };
}

function lineIndexOf(lines: Line[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function nextContentLine(lines: Line[], from: number): number | undefined {
  for (let i = from; i < lines.length; i++) if (isContent(lines[i]!)) return i;
  return undefined;
}

function isContent(line: Line): boolean {
  const body = line.text.trim();
  return body !== '' && !body.startsWith('#');
}

/** `key:` at the start of a line (after `- ` for a list item), or undefined. */
function keyOf(line: Line): string | undefined {
  return /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^\s:#][^:#]*?)\s*:(\s|$)/.exec(line.text)?.[1];
}

/**
 * `play: hi` followed by a line indented further (`  next: a`): YAML reads the deeper line as
 * the continuation of `hi`, a key inside a plain value.
 */
function overIndented(lines: Line[], at: number): YamlMistake | undefined {
  for (let i = Math.max(0, at - 1); i <= at; i++) {
    const line = lines[i]!;
    const key = keyOf(line);
    if (key === undefined || /:\s*$/.test(line.text)) continue; // `menu:` opening a block is fine
    const next = nextContentLine(lines, i + 1);
    if (next === undefined) continue;
    const deeper = lines[next]!;
    const deeperKey = keyOf(deeper);
    if (deeper.indent <= line.indent || deeperKey === undefined) continue;
    const col = keyColumn(line);
    return {
      offset: deeper.start + deeper.indent,
      end: deeper.start + deeper.text.length,
      message: `\`${deeperKey}:\` is indented further than \`${key}:\` on the line above, so YAML reads it as part of that value: indent \`${deeperKey}:\` to column ${col}, the same column as \`${key}:\``,
    };
  }
  return undefined;
}

/** 1-based column of a line's key (after `- `). */
function keyColumn(line: Line): number {
  return /^\s*(?:-\s+)?/.exec(line.text)![0].length + 1;
}

/** `play hi` among `key: value` lines: a key without its colon. */
function missingColon(lines: Line[], at: number): YamlMistake | undefined {
  for (let i = at; i >= Math.max(0, at - 1); i--) {
    const line = lines[i]!;
    if (!isContent(line) || keyOf(line) !== undefined || line.text.trimStart().startsWith('-')) continue;
    const words = line.text.trim();
    const [first, ...rest] = words.split(/\s+/);
    const fix = rest.length > 0 ? `\`${first}: ${rest.join(' ')}\`` : `\`${first}:\` followed by its value`;
    return {
      offset: line.start + line.indent,
      end: line.start + line.text.length,
      message: `\`${words}\` is a key without a value: a key needs a colon and a space after it; write ${fix}`,
    };
  }
  return undefined;
}

/**
 * "All mapping items must start at the same column": the parser points at where it noticed
 * (often the blank line above); the mistake is the next key, whose column differs from its
 * siblings'.
 */
function badIndent(lines: Line[], error: YAMLError, at: number): YamlMistake {
  const here = nextContentLine(lines, at);
  if (here === undefined) return plain(error);
  const line = lines[here]!;
  // Its siblings are the lines since its parent (the last line indented less than it), at the
  // smallest indentation among them.
  let sibling: Line | undefined;
  for (let i = here - 1; i >= 0; i--) {
    const other = lines[i]!;
    if (!isContent(other)) continue;
    if (other.indent < line.indent) break;
    if (sibling === undefined || other.indent <= sibling.indent) sibling = other;
  }
  if (sibling !== undefined && sibling.indent === line.indent) sibling = undefined;
  const key = keyOf(line);
  const siblingKey = sibling === undefined ? undefined : keyOf(sibling);
  if (key === undefined || sibling === undefined || siblingKey === undefined) return plain(error);
  return {
    offset: line.start + line.indent,
    end: line.start + line.text.length,
    message: `\`${key}:\` starts at column ${line.indent + 1}, but \`${siblingKey}:\` and the other keys of its map start at column ${sibling.indent + 1}: indent \`${key}:\` to column ${sibling.indent + 1}`,
  };
}

/** A quote or bracket opened and never closed: point at where it opened. */
function unclosed(lines: Line[], error: YAMLError, at: number): YamlMistake {
  for (let i = Math.min(at, lines.length - 1); i >= 0; i--) {
    const found = unclosedOnLine(lines, i, error);
    if (found !== undefined) return found;
  }
  return plain(error);
}

const CLOSERS: Record<string, string> = { '[': ']', '{': '}' };
const WHAT: Record<string, string> = { '"': 'the string', "'": 'the string', '[': 'the list', '{': 'the map' };

/** The first quote or bracket on line `i` that the line does not close (outside comments). */
function unclosedOnLine(lines: Line[], i: number, error: YAMLError): YamlMistake | undefined {
  const line = lines[i];
  if (line === undefined) return undefined;
  const open: { ch: string; index: number }[] = [];
  const body = line.text;
  for (let k = 0; k < body.length; k++) {
    const ch = body[k]!;
    const top = open[open.length - 1];
    if (top !== undefined && (top.ch === '"' || top.ch === "'")) {
      if (top.ch === '"' && ch === '\\') k++;
      else if (ch === top.ch) {
        if (top.ch === "'" && body[k + 1] === "'") k++;
        else open.pop();
      }
      continue;
    }
    if (ch === '#' && (k === 0 || /\s/.test(body[k - 1]!))) break;
    if (ch === '"' || ch === "'") {
      // A quote opens a string only where a value or key starts.
      if (k === 0 || /[\s:[{,]/.test(body[k - 1]!)) open.push({ ch, index: k });
    } else if (ch === '[' || ch === '{') open.push({ ch, index: k });
    else if ((ch === ']' || ch === '}') && top !== undefined && CLOSERS[top.ch] === ch) open.pop();
  }
  const first = open[0];
  if (first === undefined) return undefined;
  // A multi-line quoted string is valid YAML; only blame the line when the parser complained about this kind.
  const kind = first.ch === '"' || first.ch === "'" ? /quote|scalar/i : first.ch === '[' ? /sequence|\]/i : /mapping|\}/i;
  if (!kind.test(error.message)) return undefined;
  const closer = CLOSERS[first.ch] ?? first.ch;
  return {
    offset: line.start + first.index,
    end: line.start + body.length,
    message: `the \`${first.ch}\` opened here is never closed: end ${WHAT[first.ch]} with \`${closer}\``,
  };
}
