/**
 * The documentation is true to the code: the YAML in the authors' guide validates with the real
 * front end (and its flow-test example runs), every `ivr ...` line in the READMEs names a real
 * command and real options, the Commands table lists every command and option, every node kind,
 * key and default of the flow language is documented with the value the code uses, and the
 * README's dependency table and layout match package.json and src/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { encodeWav } from '../../src/audio/pcm.js';
import { parseDuration } from '../../src/flow/duration.js';
import { DEFAULTS } from '../../src/flow/defaults.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { NODE_KINDS } from '../../src/flow/types.js';
import { parseTestFile } from '../../src/testing/load-tests.js';
import { runCli } from '../support/run-cli.js';
import { codeBlocks, codeOf, ivrCommandLines, section, tableRows, type CodeBlock } from './markdown.js';

const root = process.cwd();
const guide = readFileSync(join(root, 'flows', 'README.md'), 'utf8');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const yamlBlocks = codeBlocks(guide).filter((b) => b.lang === 'yaml');

/** A folder holding a copy of the shipped prompts, so prompt names in examples resolve as in flows/. */
function exampleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-docs-'));
  cpSync(join(root, 'flows', 'prompts'), join(dir, 'prompts'), { recursive: true });
  return dir;
}

/**
 * A complete example may declare its own prompts (`hello: { file: en/hello.wav }`) and tell the
 * reader to record them: those files get half a second of silence. Every other prompt name must
 * resolve from the shipped prompts.
 */
function supplyDeclaredPrompts(dir: string, doc: { prompts?: Record<string, { file?: string }> }): string[] {
  const made: string[] = [];
  for (const def of Object.values(doc.prompts ?? {})) {
    if (typeof def.file !== 'string') continue;
    const path = join(dir, 'prompts', def.file);
    if (existsSync(path)) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, encodeWav(new Int16Array(4000), 8000));
    made.push(def.file);
  }
  return made;
}

async function diagnosticsOf(dir: string, file: string, text: string): Promise<{ code: string; severity: string; message: string }[]> {
  writeFileSync(join(dir, file), text);
  const set = await loadFlows([join(dir, file)]);
  return [...set.diagnostics, ...[...set.flows.values()].flatMap((f) => f.diagnostics)]
    .map((d) => ({ code: d.code, severity: d.severity, message: d.message }));
}

/**
 * What a fragment cannot satisfy on its own: the nodes, variables, prompts and flows it points at
 * live in the rest of a flow the guide does not repeat. Everything else (YAML, schema, durations,
 * keys, expression syntax, regexes, next/branch rules) must hold as written.
 */
const NEEDS_THE_REST_OF_A_FLOW = new Set([
  'unknown-target', 'undeclared-variable', 'undeclared-assignment', 'unknown-prompt', 'unreachable-node', 'unknown-subflow',
]);

type Kind = 'flow' | 'nodes' | 'top-level' | 'handlers' | 'flow-test';
const TOP_LEVEL_KEYS = new Set(['ivr', 'id', 'description', 'settings', 'prompts', 'vars', 'global', 'onError', 'onFailure', 'start', 'nodes']);

function kindOf(data: unknown): Kind | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const record = data as Record<string, unknown>;
  if (record.ivr === 1) return 'flow';
  if ('cases' in record) return 'flow-test';
  const keys = Object.keys(record);
  if (keys.every((k) => TOP_LEVEL_KEYS.has(k))) return 'top-level';
  if (keys.every((k) => k === 'noInput' || k === 'noMatch')) return 'handlers';
  const isNode = (v: unknown): boolean => v !== null && typeof v === 'object' && NODE_KINDS.some((kind) => kind in (v as object));
  if (Object.values(record).every(isNode)) return 'nodes';
  return undefined;
}

/** A fragment as a flow of its own: the nodes under `nodes:`, top-level keys beside a trivial node. */
function wrap(kind: Kind, data: Record<string, unknown>): string {
  if (kind === 'nodes') return stringify({ ivr: 1, id: 'fragment', nodes: data });
  if (kind === 'handlers') return stringify({ ivr: 1, id: 'fragment', nodes: { m: { menu: { prompt: 'main_menu', options: { 1: 'm' }, ...data } } } });
  return stringify({ ivr: 1, id: 'fragment', ...data, nodes: { done: { end: {} } } });
}

const where = (block: CodeBlock): string => `flows/README.md:${block.line}`;

describe("the authors' guide: its YAML examples", () => {
  test('are every one a flow, a fragment of one, or a flow test (nothing the checks below skip)', () => {
    const unknown = yamlBlocks.filter((b) => kindOf(parse(b.body)) === undefined).map(where);
    assert.deepEqual(unknown, []);
    const kinds = yamlBlocks.map((b) => kindOf(parse(b.body)));
    assert.ok(kinds.filter((k) => k === 'flow').length >= 1, 'at least one complete flow');
    assert.ok(kinds.filter((k) => k === 'nodes').length >= 11, 'a node example per node kind at least');
    assert.ok(kinds.includes('flow-test'), 'a flow-test example');
  });

  test('complete flows (`ivr: 1`) validate with no diagnostic at all, prompts resolved as in flows/', async () => {
    const flows = yamlBlocks.filter((b) => kindOf(parse(b.body)) === 'flow');
    for (const block of flows) {
      const dir = exampleDir();
      try {
        const doc = parse(block.body) as { id?: string; prompts?: Record<string, { file?: string }> };
        supplyDeclaredPrompts(dir, doc);
        const found = await diagnosticsOf(dir, `${doc.id ?? 'example'}.yaml`, block.body);
        assert.deepEqual(found, [], `${where(block)}: the example does not validate as written`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  test('fragments (nodes, top-level keys, handlers) are valid flow language as written', async () => {
    const dir = exampleDir();
    try {
      let checked = 0;
      for (const block of yamlBlocks) {
        const data = parse(block.body) as Record<string, unknown>;
        const kind = kindOf(data);
        if (kind !== 'nodes' && kind !== 'top-level' && kind !== 'handlers') continue;
        const found = (await diagnosticsOf(dir, 'fragment.yaml', wrap(kind, data))).filter((d) => !NEEDS_THE_REST_OF_A_FLOW.has(d.code));
        assert.deepEqual(found, [], `${where(block)}: the ${kind} example is not valid flow language`);
        checked++;
      }
      assert.ok(checked >= 14, `only ${checked} fragments checked`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the flow-test example follows the test schema and passes against the shipped flow it names', async () => {
    const block = yamlBlocks.find((b) => kindOf(parse(b.body)) === 'flow-test');
    assert.ok(block);
    const parsed = parseTestFile('example.test.yaml', block.body);
    assert.deepEqual(parsed.diagnostics.map((d) => `${d.code}: ${d.message}`), [], where(block));
    const flow = (parse(block.body) as { flow: string }).flow;
    const dir = mkdtempSync(join(tmpdir(), 'ivr-docs-'));
    try {
      cpSync(join(root, 'flows'), dir, { recursive: true });
      writeFileSync(join(dir, `${flow}.test.yaml`), block.body);
      const run = await runCli(['test', join(dir, `${flow}.test.yaml`)]);
      assert.equal(run.status, 0, `${where(block)}: the example fails against flows/${flow}.yaml\n${run.stdout}${run.stderr}`);
      assert.match(run.stdout, /1 passed, 0 failed|^\s*ok /m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the authors' guide: the flow language's kinds, keys and defaults", () => {
  const schema = JSON.parse(readFileSync(join(root, 'schemas', 'flow.schema.json'), 'utf8')) as {
    properties: Record<string, unknown>;
    definitions: Record<string, { properties?: Record<string, unknown> }>;
  };

  test('every node kind has its section, and every key of a kind is named in it', () => {
    for (const kind of NODE_KINDS) {
      const text = section(guide, `### ${kind}`);
      assert.notEqual(text, '', `no "### ${kind}" section`);
      for (const key of Object.keys(schema.definitions[kind]?.properties ?? {})) {
        assert.ok(text.includes(`\`${key}\``), `### ${kind} does not document \`${key}\``);
      }
    }
  });

  test('every top-level key, setting and key common to all nodes is in its table', () => {
    const tables: [string, string[]][] = [
      ['## The file: top-level keys', Object.keys(schema.properties)],
      ['## Settings and their defaults', Object.keys(schema.definitions.settings?.properties ?? {})],
      ['## Node kinds', ['next', 'onError', 'bargeIn', 'timeout', 'interDigitTimeout', 'description']],
    ];
    for (const [heading, keys] of tables) {
      const documented = tableRows(section(guide, heading)).flatMap((row) => [...(row[0] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]));
      for (const key of keys) assert.ok(documented.includes(key), `${heading} has no row for \`${key}\``);
    }
  });

  /** Where each default of src/flow/defaults.ts is documented: section, row key, and how its cell reads. */
  const documentedDefaults: { name: keyof typeof DEFAULTS; heading: string; key: string }[] = [
    { name: 'timeout', heading: '## Settings and their defaults', key: 'timeout' },
    { name: 'interDigitTimeout', heading: '## Settings and their defaults', key: 'interDigitTimeout' },
    { name: 'bargeIn', heading: '## Settings and their defaults', key: 'bargeIn' },
    { name: 'language', heading: '## Settings and their defaults', key: 'language' },
    { name: 'maxCallDuration', heading: '## Settings and their defaults', key: 'maxCallDuration' },
    { name: 'sayTimeout', heading: '## Settings and their defaults', key: 'sayTimeout' },
    { name: 'handlerMax', heading: '### menu', key: 'noInput' },
    { name: 'menuTerminator', heading: '### menu', key: 'terminator' },
    { name: 'handlerMax', heading: '### collect', key: 'noInput' },
    { name: 'collectMin', heading: '### collect', key: 'min' },
    { name: 'collectTerminator', heading: '### collect', key: 'terminator' },
    { name: 'fetchTimeout', heading: '### fetch', key: 'timeout' },
    { name: 'fetchRetries', heading: '### fetch', key: 'retries' },
    { name: 'fetchMethod', heading: '### fetch', key: 'method' },
    { name: 'recordBeep', heading: '### record', key: 'beep' },
    { name: 'recordMaxDuration', heading: '### record', key: 'maxDuration' },
    { name: 'recordSilenceTimeout', heading: '### record', key: 'silenceTimeout' },
    { name: 'recordTerminator', heading: '### record', key: 'terminator' },
  ];

  test('every default in src/flow/defaults.ts is documented with the value the code uses', () => {
    const covered = new Set(documentedDefaults.map((d) => d.name));
    // Documented in prose rather than a table cell: checked by their sentences below.
    covered.add('settlePerTone').add('endReason');
    assert.deepEqual(Object.keys(DEFAULTS).filter((k) => !covered.has(k as keyof typeof DEFAULTS)), [], 'a default no test documents');
    for (const { name, heading, key } of documentedDefaults) {
      const row = tableRows(section(guide, heading)).find((r) => codeOf(r[0] ?? '') === key);
      assert.ok(row, `${heading}: no row for \`${key}\``);
      const cell = row[1] ?? '';
      const expected = DEFAULTS[name];
      const first = codeOf(cell);
      const written = typeof expected === 'number' && /^handlerMax$/.test(name) ? Number(/max: (\d+)/.exec(cell)?.[1])
        : typeof expected === 'number' ? (/^\d+$/.test(first) ? Number(first) : parseDuration(first))
          : typeof expected === 'boolean' ? first === 'true' : first.replace(/^"|"$/g, '');
      assert.equal(written, expected, `${heading} \`${key}\`: the guide says ${cell}, the code uses ${String(expected)}`);
    }
    const transfer = section(guide, '### transfer');
    assert.ok(transfer.includes(`default ${DEFAULTS.settlePerTone} ms per tone`), 'transfer settle default');
    assert.ok(section(guide, '### end').includes(`\`reason\` (default \`${DEFAULTS.endReason}\`)`), 'end reason default');
  });

  test('every end reason the engine produces is in "How a call ends"', () => {
    const documented = tableRows(section(guide, '## How a call ends')).map((r) => codeOf(r[0] ?? ''));
    const produced = new Set<string>([DEFAULTS.endReason, ...endReasonsInSource(join(root, 'src'))]);
    assert.ok(produced.size >= 7, `only ${[...produced].join(', ')} found in src/: the patterns below are stale`);
    for (const reason of produced) assert.ok(documented.includes(reason), `end reason ${reason} is not documented`);
  });
});

/**
 * The end reasons written as literals where calls end: the machine's `endCall('…')` and fallback
 * reasons of `goTo(…, '…')`, the session's `ending = '…'` / `finish('…'`, and `stop('…')` by the
 * server. (recorder.ts has a `finish` of its own, for why a recording stopped: not a call's end.)
 */
function endReasonsInSource(dir: string): string[] {
  const patterns = [/endCall\('([a-z-]+)'\)/g, /goTo\([^;()]*?, '([a-z-]+)'(?:, \[|\))/g, /ending = '([a-z-]+)'/g, /this\.finish\('([a-z-]+)'/g, /\.stop\('([a-z-]+)'\)/g];
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name === 'recorder.ts') continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) found.add(m[1]!);
  }
  return [...found];
}

/** `ivr --help` and `ivr <command> --help`, as a user sees them (the command table, in this process). */
async function help(...args: string[]): Promise<string> {
  const run = await runCli([...args, '--help']);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** Each option of a `--help` text with its description, continuation lines joined. */
function optionDescriptions(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.split('\n')) {
    const start = /^ {2}(?:-\w, )?(--[a-z-]+)(?: [<[][^>\]]+[>\]])?\s+(.*)$/.exec(line);
    if (start) out.push([start[1]!, start[2]!]);
    else if (/^\s{10,}\S/.test(line) && out.length > 0) out[out.length - 1]![1] += ` ${line.trim()}`;
  }
  return out.filter(([option]) => option !== '--help');
}

const commands = [...(await help()).matchAll(/^ {2}([a-z]+) (?:\[options\])?/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
const optionsOf = new Map(
  await Promise.all(commands.map(async (c) => [c, [...(await help(c)).matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]!).filter((o) => o !== '--help')] as const)),
);

describe('the READMEs: command lines and the Commands table', () => {
  test('the CLI has the commands the README is about', () => {
    assert.deepEqual([...commands].sort(), ['call', 'compile', 'graph', 'replay', 'report', 'serve', 'test', 'validate']);
  });

  test('every `ivr ...` line in README.md and flows/README.md names a real command and real options', () => {
    const lines = [...ivrCommandLines(readme).map((l) => ({ ...l, file: 'README.md' })), ...ivrCommandLines(guide).map((l) => ({ ...l, file: 'flows/README.md' }))];
    assert.ok(lines.length >= 10, `only ${lines.length} command lines found`);
    for (const { command, line, file } of lines) {
      const words = command.split(/\s+/);
      const name = words[1] ?? '';
      if (name.startsWith('<')) continue; // `ivr <command> --help`
      assert.ok(commands.includes(name), `${file}:${line}: \`${command}\`: no command ${name}`);
      for (const word of words.slice(2)) {
        if (!word.startsWith('--')) continue;
        const option = word.replace(/=.*$/, '').replace(/[.,;:)]+$/, '');
        if (option === '--help') continue;
        assert.ok(optionsOf.get(name)?.includes(option), `${file}:${line}: \`${command}\`: ivr ${name} has no option ${option}`);
      }
    }
  });

  test('the Commands table has a row per command, and README.md names every option of each', () => {
    const table = tableRows(section(readme, '## Commands'));
    for (const command of commands) {
      assert.ok(table.some((row) => codeOf(row[0] ?? '').startsWith(`ivr ${command}`)), `no Commands row for ivr ${command}`);
      for (const option of optionsOf.get(command) ?? []) {
        assert.ok(readme.includes(`\`${option}`), `README.md never mentions ivr ${command} ${option}`);
      }
    }
  });

  test('the serve options table has every serve option, with the default ivr serve --help gives', async () => {
    const rows = tableRows(section(readme, '## serve options'));
    for (const [option, description] of optionDescriptions(await help('serve'))) {
      const row = rows.find((r) => codeOf(r[0] ?? '').split(' ')[0] === option);
      assert.ok(row, `## serve options has no row for ${option}`);
      const helpDefault = /\bdefault:? ([^\s)]+)/.exec(description)?.[1]?.replace(/[;:,]$/, '');
      if (helpDefault === undefined || helpDefault === 'the') continue; // `--no-reload`: on by default; `--public-url`: the request's Host
      assert.ok((row[2] ?? '').replace(/`/g, '').includes(helpDefault), `${option}: README says ${row[2]}, --help says default ${helpDefault}`);
    }
  });

  test('the Quick start describes `npm test` as package.json defines it', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const quick = section(readme, '## Quick start');
    assert.ok(quick.includes(`\`${pkg.scripts.test}\``), 'the Quick start quotes the test script');
    assert.ok(quick.includes(`\`${pkg.scripts['test:unit']}\``), 'the Quick start quotes the unit test script');
    assert.match(quick, /npm ci && npx ivr serve flows\//);
    assert.match(quick, /npm ci && npm test/);
  });
});

describe('README.md: dependencies and layout', () => {
  test('every dependency and dev dependency in package.json has a row saying why', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const rows = tableRows(section(readme, '## Dependencies, and why each is there')).filter((r) => (r[1] ?? '').trim() !== '');
    const named = new Set(rows.flatMap((r) => [...(r[0] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1])));
    for (const dep of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]) assert.ok(named.has(dep), `no row for ${dep}`);
    for (const dep of named) assert.ok(dep !== undefined && (dep in pkg.dependencies || dep in pkg.devDependencies), `row for ${dep}, which package.json does not list`);
  });

  test('the Layout names every folder of src/ and nothing that is not there', () => {
    const layout = codeBlocks(section(readme, '## Layout'))[0]?.body ?? '';
    const dirs = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    for (const dir of dirs) assert.match(layout, new RegExp(`(^|\\s)${dir}/`), `src/${dir}/ is not in the Layout`);
    const srcLines = layout.split('\n').filter((l) => /^ {2}\S/.test(l));
    const listed = srcLines.flatMap((l) => [...l.matchAll(/(?:^|\s)([a-z]+)\//g)].map((m) => m[1]!));
    assert.deepEqual(listed.filter((d) => !dirs.includes(d)), [], 'Layout lists folders src/ does not have');
  });
});
