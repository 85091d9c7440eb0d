import { Composer, LineCounter, Parser, YAMLParseError, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { CST, Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { shortened } from '../diagnostics/escape-control.js';
import { duplicateKeys } from './duplicate-keys.js';
import { FLOW_FILE_LIMITS } from './read-flow-file.js';
import { tooDeepAt } from './yaml-depth.js';
import { MAX_SAME_MISTAKES, moreBelow } from './yaml-mistakes.js';

/** How a flow's YAML becomes data: a "billion laughs" document is refused instead of expanded. */
export const YAML_TO_DATA = { maxAliasCount: 100 } as const;
/** How a flow's YAML is composed: duplicate-keys.ts finds keys given twice, in linear time. */
export const YAML_COMPOSE = { uniqueKeys: false } as const;

/** A key as a message quotes it: a key of a megabyte is cut to its first 80 characters. */
const shortKey = (key: string): string => shortened(key, 81);

/**
 * A flow file's text parsed with positions kept. Nodes carry character ranges; line and column
 * are computed only when a diagnostic is made (`positionOf`), as eemeli/yaml does.
 */
export interface FlowSource {
  /** Absolute path of the file. */
  file: string;
  text: string;
  /** The YAML document, nodes with `range`s (parsed again when read after `releaseDocument`). */
  readonly yaml: Document.Parsed;
  lines: LineCounter;
  /** The document as plain data (undefined when the YAML could not be read). */
  data: unknown;
  /** Why the YAML could not be turned into data although it parsed (an alias to no anchor). */
  dataError?: { message: string; offset: number };
  /** Where the nesting goes deeper than FLOW_FILE_LIMITS.maxDepth; nothing was composed then. */
  tooDeep?: { offset: number };
  /**
   * The data holds more than FLOW_FILE_LIMITS.maxValues values (`data` is then undefined); `offset`:
   * its first alias, if any; `endless`: an alias inside what it names makes data that holds itself.
   */
  tooManyValues?: { offset: number; aliases: boolean; endless: boolean };
  /**
   * The pairs of each long map of `yaml` that `locate` went through, by key (`pairOf`); let go with
   * the document (`releaseDocument`). Not a WeakMap keyed by the map: V8's young-generation
   * collections kept those values alive after their keys died (values holding strings made since
   * the last collection, as a document's scalars are, are kept in Node 20), so every released
   * document (its pairs are in the index) was copied through them: 39-40 MB promoted in a 200 x 50
   * load, 15 MB without.
   */
  pairIndex?: Map<YAMLMap, Map<string, Pair>>;
}

/** A span of the source text: [start, end) character offsets. */
export interface SourceSpan {
  start: number;
  end: number;
}

/** Where a JSON pointer lands in the source: its key (for map members) and its value. */
export interface PointerLocation {
  key?: SourceSpan;
  value?: SourceSpan;
  /** The YAML node of the value, for scalar style and raw source text. */
  node?: YamlNode;
  /** False when the pointer does not exist and the location is its nearest existing ancestor. */
  exact: boolean;
}

/**
 * Parses YAML text keeping node ranges. Syntax errors are on `yaml.errors` (see parse-flow.ts),
 * keys given twice among them (`DUPLICATE_KEY`, found in linear time by duplicate-keys.ts). A
 * text nested deeper than `FLOW_FILE_LIMITS.maxDepth` is not composed at all (`tooDeep`).
 */
export function readSource(file: string, text: string): FlowSource {
  const lines = new LineCounter();
  const { yaml, deep } = documentOf(text, lines.addNewLine);
  if (deep !== undefined) return { file, text, yaml, lines, data: undefined, tooDeep: { offset: deep } };
  const dups = duplicateKeys(yaml);
  for (const dup of dups.slice(0, MAX_SAME_MISTAKES)) {
    yaml.errors.push(new YAMLParseError([dup.start, dup.end], 'DUPLICATE_KEY', `key \`${shortKey(dup.key)}\` appears twice in the same map; the second would silently replace the first`));
  }
  if (dups.length > MAX_SAME_MISTAKES) yaml.errors.at(-1)!.message += moreBelow(dups.length - MAX_SAME_MISTAKES, 'key given twice', 'keys given twice');
  // YAML 1.1 reads `yes` as true and copies `<<` merges while making the data, before countValues
  // can bound them (a 1 MiB file of merges took 7.4 s and 1.1 GB): a flow file is YAML 1.2.
  const version = yaml.directives?.yaml.version;
  if (version !== undefined && version !== '1.2') {
    yaml.errors.push(new YAMLParseError([0, Math.max(1, text.indexOf('\n'))], 'BAD_DIRECTIVE', `flow files are YAML 1.2: remove the \`%YAML ${version}\` line (YAML 1.1 reads yes and no as booleans and copies \`<<\` merges)`));
  }
  if (yaml.errors.length > 0) return { file, text, yaml, lines, data: undefined };
  try {
    const data: unknown = yaml.toJS(YAML_TO_DATA);
    const values = countValues(data, FLOW_FILE_LIMITS.maxValues);
    if (values <= FLOW_FILE_LIMITS.maxValues) return { file, text, yaml, lines, data };
    const alias = firstAlias(yaml);
    return { file, text, yaml, lines, data: undefined, tooManyValues: { offset: alias ?? 0, aliases: alias !== undefined, endless: values === Number.POSITIVE_INFINITY } };
  } catch (err) {
    const message = (err as Error).message;
    const alias = /alias[^:]*: (\S+)/i.exec(message)?.[1];
    const offset = alias === undefined ? 0 : Math.max(0, text.indexOf(`*${alias}`));
    return { file, text, yaml, lines, data: undefined, dataError: { message, offset } };
  }
}

/**
 * How many values `data` holds as a tree (every map, list and scalar in it, the root included), a
 * part shared by aliases counted each time it is used; past `limit`, any number above it (the count
 * stops early), and Infinity for data holding itself. Each object is walked once, without recursion.
 */
export function countValues(data: unknown, limit: number): number {
  if (typeof data !== 'object' || data === null) return 1;
  // Each object's count once done; OPEN while it is being counted (met again then, it holds itself).
  const sizes = new Map<object, number>();
  const OPEN = -1;
  const stack: { value: object; children: unknown[]; next: number; size: number }[] = [];
  const open = (value: object): void => {
    sizes.set(value, OPEN);
    stack.push({ value, children: Array.isArray(value) ? value : Object.values(value), next: 0, size: 1 });
  };
  open(data);
  let last = 0;
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next++];
      const known = typeof child === 'object' && child !== null ? sizes.get(child) : 1;
      if (known === OPEN) return Number.POSITIVE_INFINITY;
      if (known !== undefined) frame.size += known;
      else open(child as object);
      if (frame.size > limit) return frame.size;
      continue;
    }
    stack.pop();
    sizes.set(frame.value, frame.size);
    last = frame.size;
    const parent = stack.at(-1);
    if (parent !== undefined) {
      parent.size += frame.size;
      if (parent.size > limit) return parent.size;
    }
  }
  return last;
}

/** The offset of the first alias (`*name`) of a document, if it has one. */
function firstAlias(doc: Document.Parsed): number | undefined {
  let found: number | undefined;
  visit(doc, { Alias: (_key, node) => { found = node.range?.[0]; return visit.BREAK; } });
  return found;
}

/**
 * The YAML document of `text`, each line start told to `onNewLine`; nothing is composed when the
 * text nests deeper than `FLOW_FILE_LIMITS.maxDepth` (`deep`: where).
 */
function documentOf(text: string, onNewLine?: (offset: number) => void): { yaml: Document.Parsed; deep: number | undefined } {
  return withPlainEnv(() => {
    const tokens = [...new Parser(onNewLine).parse(text)];
    const at = tooDeepAt(tokens, FLOW_FILE_LIMITS.maxDepth);
    return at === undefined ? { yaml: compose(tokens, text), deep: undefined } : { yaml: compose([], ''), deep: at };
  });
}

/**
 * Lets `source`'s YAML document go: `source.yaml` read afterwards parses the text again, once (new
 * nodes with the same ranges; without the errors readSource added, which were read before). The per-file
 * front end calls it when a flow's own checks are done: after them only a diagnostic of the set's
 * checks reads positions, and every document living to the end of the load was copied through the
 * young generation for nothing (README "Performance", the front end).
 */
export function releaseDocument(source: FlowSource): void {
  source.pairIndex = undefined;
  let yaml: Document.Parsed | undefined;
  Object.defineProperty(source, 'yaml', { get: () => (yaml ??= documentOf(source.text).yaml), enumerable: true, configurable: true });
}

/**
 * yaml's `parseDocument` from parser tokens already read: the first document, an error for any
 * further one. `uniqueKeys: false`: duplicate-keys.ts does that check in linear time.
 */
function compose(tokens: CST.Token[], text: string): Document.Parsed {
  const composer = new Composer(YAML_COMPOSE);
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, text.length)) {
    if (doc === undefined) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  return doc!;
}

/** The environment variables yaml reads while it parses (test/parse/flow-source.test.ts checks yaml's code for others). */
export const YAML_ENV_SWITCHES: readonly string[] = ['LOG_TOKENS', 'LOG_STREAM'];

/**
 * Runs `parse` with `process.env` as a plain object holding the two switches yaml reads
 * (`LOG_TOKENS` once per token in its parser, `LOG_STREAM` in its composer). Node's `process.env`
 * is a live view of the C environment, so each check was a getenv call: about a quarter of the
 * parse time of a flow. The parse is synchronous, so nothing else can see the stand-in, and yaml
 * reads the same values; the rest of the environment is not copied (it was, once per file).
 */
function withPlainEnv<T>(parse: () => T): T {
  const live = process.env;
  process.env = Object.fromEntries(YAML_ENV_SWITCHES.map((name) => [name, live[name]]));
  try {
    return parse();
  } finally {
    process.env = live;
  }
}

/** 1-based line and column of a character offset. */
export function positionOf(source: FlowSource, offset: number): { line: number; col: number } {
  return source.lines.linePos(offset);
}

/** Splits a JSON pointer (`/nodes/greet/next`) into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Builds a JSON pointer from segments, escaping `~` and `/`. */
export function pointerOf(...segments: (string | number)[]): string {
  let pointer = '';
  for (const segment of segments) {
    const s = String(segment);
    // Checks build a pointer for every reference of every flow: skip the escaping regexes when there is nothing to escape.
    pointer += s.includes('~') || s.includes('/') ? `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}` : `/${s}`;
  }
  return pointer;
}

/**
 * Finds a JSON pointer in the YAML tree. A pointer that does not exist (a missing key) lands on
 * its nearest existing ancestor with `exact: false`, so a "missing key" diagnostic points at the
 * map that lacks it.
 */
export function locate(source: FlowSource, pointer: string): PointerLocation {
  let node: unknown = source.yaml.contents;
  let here: PointerLocation = { value: spanOf(node), node: node as YamlNode, exact: true };
  for (const segment of pointerSegments(pointer)) {
    if (isMap(node)) {
      const pair = pairOf(source, node, segment);
      if (!pair) return { ...here, exact: false };
      here = { key: spanOf(pair.key), value: spanOf(pair.value) ?? spanOf(pair.key), node: pair.value as YamlNode, exact: true };
      node = pair.value;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined || !/^\d+$/.test(segment)) return { ...here, exact: false };
      here = { value: spanOf(item), node: item as YamlNode, exact: true };
      node = item;
    } else {
      return { ...here, exact: false };
    }
  }
  return here;
}

/** Maps longer than this are indexed (`pairOf`) rather than searched. */
const SEARCHED_MAP_ITEMS = 16;

/**
 * The pair of `map` whose scalar key reads `segment` (the first, if several read the same). A
 * diagnostic in a map of 40 000 keys searched all of them, and 40 000 diagnostics took minutes:
 * a longer map is indexed once, at its first diagnostic.
 */
function pairOf(source: FlowSource, map: YAMLMap, segment: string): Pair | undefined {
  const matches = (p: unknown): p is Pair => isPair(p) && isScalar(p.key) && String(p.key.value) === segment;
  if (map.items.length <= SEARCHED_MAP_ITEMS) return map.items.find(matches);
  source.pairIndex ??= new Map();
  let index = source.pairIndex.get(map);
  if (index === undefined) {
    index = new Map();
    for (const p of map.items) if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
    source.pairIndex.set(map, index);
  }
  return index.get(segment);
}

/**
 * The exact source text of the scalar at a pointer (`0.0` stays `0.0`), or undefined when the
 * pointer is not a scalar. The expression module types a variable from it: `0.0` is a double,
 * `0` an int.
 */
export function scalarSource(source: FlowSource, pointer: string): string | undefined {
  const at = locate(source, pointer);
  if (!at.exact || !isScalar(at.node) || !at.node.range) return undefined;
  return source.text.slice(at.node.range[0], at.node.range[1]);
}

/**
 * Offset in the file of character `index` of a scalar's value. Exact for plain and
 * single-line quoted scalars (the usual case for expressions); for block scalars and escaped
 * strings it is the start of the value, close enough to find the line.
 */
export function valueCharOffset(source: FlowSource, pointer: string, index: number): number | undefined {
  const at = locate(source, pointer);
  if (!at.exact || !isScalar(at.node) || !at.node.range) return undefined;
  const [start, end] = at.node.range;
  const raw = source.text.slice(start, end);
  switch (at.node.type) {
    case 'PLAIN':
      return start + index;
    case 'QUOTE_SINGLE':
    case 'QUOTE_DOUBLE':
      return raw.includes('\\') || raw.includes('\n') || raw.includes("''") ? start + 1 : start + 1 + index;
    default:
      return start;
  }
}

function spanOf(node: unknown): SourceSpan | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? { start: range[0], end: range[1] } : undefined;
}
