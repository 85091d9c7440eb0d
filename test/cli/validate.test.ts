import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { HELLO_WAV, flowDir } from '../check/flow-dir.js';
import { runCli } from '../support/run-cli.js';

/** Runs `ivr ...args` (in this process, as bin/ivr.js would); resolves with the exit code and output. */
async function ivr(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { status, stdout, stderr } = await runCli(args);
  return { code: status, stdout, stderr };
}

const CLEAN = 'ivr: 1\nnodes:\n  a:\n    play: hello\n    next: b\n  b:\n    end: {}\n';
const TYPO = 'ivr: 1\nnodes:\n  greet:\n    play: hello\n    next: mian_menu\n  main_menu:\n    menu: { prompt: hello, options: { "1": greet } }\n';
const WARNS = 'ivr: 1\nnodes:\n  a:\n    end: {}\n  orphan:\n    end: {}\n';

describe('ivr validate', () => {
  test('a clean folder exits 0 with a summary line', async () => {
    const dir = flowDir({ 'ok.yaml': CLEAN, 'prompts/hello.wav': HELLO_WAV });
    const r = await ivr('validate', dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '0 errors, 0 warnings in 1 flow\n');
  });

  test('a next naming a missing node exits 1 with path:line:col, code and did-you-mean', async () => {
    const dir = flowDir({ 'typo.yaml': TYPO, 'prompts/hello.wav': HELLO_WAV });
    const r = await ivr('validate', dir);
    assert.equal(r.code, 1);
    const path = relative(process.cwd(), join(dir, 'typo.yaml'));
    const shown = path.startsWith('..') ? join(dir, 'typo.yaml') : path;
    assert.equal(
      r.stdout,
      `${shown}:5:11: error unknown-target node \`greet\`: \`next\` goes to \`mian_menu\`, which is not a node of this flow — did you mean \`main_menu\`?\n` +
        `${shown}:6:3: warning unreachable-node node \`main_menu\` is never reached from the start node \`greet\`\n` +
        '1 error, 1 warning in 1 flow\n',
    );
  });

  test('paths are printed relative to the working directory', async () => {
    const r = await ivr('validate', 'test/fixtures/broken/unknown-target.yaml');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^test\/fixtures\/broken\/unknown-target\.yaml:7:11: error unknown-target /m);
  });

  test('a forgotten string quote exits 1 with type-mismatch at the value and the quoted spelling', async () => {
    const r = await ivr('validate', 'test/fixtures/broken/type-mismatch.yaml');
    assert.equal(r.code, 1);
    assert.equal(r.stdout.split('\n')[0],
      "test/fixtures/broken/type-mismatch.yaml:8:20: error type-mismatch node `s`: `set.intent`: `intent` is a string variable, but `balance` is a number (double); did you mean `'balance'`? (a string in CEL is quoted)");
  });

  test('a flow too large for ivr serve is the same flow-too-large error here, at the same default; --max-flow-states moves the bound as it does for serve', async () => {
    const files = ['test/fixtures/broken/flow-too-large.d/part.yaml', 'test/fixtures/broken/flow-too-large.yaml'];
    const r = await ivr('validate', ...files);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^test\/fixtures\/broken\/flow-too-large\.yaml:1:1: error flow-too-large flow flow-too-large compiles to (\d+) states, over --max-flow-states 2000: building it would stall calls in progress; /m);
    const states = Number(/compiles to (\d+) states/.exec(r.stdout)![1]);
    assert.equal((await ivr('validate', '--max-flow-states', String(states), ...files)).code, 0, 'a flow exactly at the bound is served');
    const under = await ivr('validate', '--max-flow-states', String(states - 1), ...files);
    assert.equal(under.code, 1);
    assert.match(under.stdout, new RegExp(`compiles to ${states} states, over --max-flow-states ${states - 1}:`));
    const bad = await ivr('validate', '--max-flow-states', '0', ...files);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-flow-states must be a whole number from 1 to 1000000, got "0"/);
  });

  test('warnings alone exit 0, and 1 with --strict', async () => {
    const dir = flowDir({ 'w.yaml': WARNS });
    assert.equal((await ivr('validate', dir)).code, 0);
    const strict = await ivr('validate', '--strict', dir);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /warning unreachable-node/);
  });

  test('--format json prints the diagnostics as data', async () => {
    const dir = flowDir({ 'typo.yaml': TYPO, 'prompts/hello.wav': HELLO_WAV });
    const r = await ivr('validate', '--format', 'json', dir);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as { flows: number; errors: number; warnings: number; diagnostics: { code: string; line: number; col: number; severity: string; pointer?: string }[] };
    assert.deepEqual([report.flows, report.errors, report.warnings], [1, 1, 1]);
    const first = report.diagnostics[0]!;
    assert.deepEqual([first.code, first.severity, first.line, first.col, first.pointer], ['unknown-target', 'error', 5, 11, '/nodes/greet/next']);
  });

  test('--format github prints workflow annotations', async () => {
    const r = await ivr('validate', '--format', 'github', 'test/fixtures/broken/unknown-target.yaml');
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^::error file=test\/fixtures\/broken\/unknown-target\.yaml,line=7,col=11,endLine=7,endColumn=20,title=unknown-target::node `greet`: .*did you mean `main_menu`\?$/);
    assert.match(lines[1]!, /^::warning file=test\/fixtures\/broken\/unknown-target\.yaml,line=8,col=3,.*title=unreachable-node::/);
    assert.equal(lines[2], '1 error, 1 warning in 1 flow');
  });

  test('usage errors exit 2: missing path, unknown format, no path, unknown option', async () => {
    const missing = await ivr('validate', 'no/such/flows');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder: no\/such\/flows/);
    const format = await ivr('validate', '--format', 'xml', 'flows');
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format must be text, json or github/);
    assert.equal((await ivr('validate')).code, 2);
    assert.equal((await ivr('validate', '--bogus', 'flows')).code, 2);
  });

  test('the shipped flows validate', async () => {
    const r = await ivr('validate', 'flows');
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^0 errors, \d+ warnings? in \d+ flows\n$/m);
  });
});

describe('ivr', () => {
  test('--help lists the commands and exits 0', async () => {
    const r = await ivr('--help');
    assert.equal(r.code, 0);
    for (const command of ['validate', 'compile', 'serve', 'test', 'call', 'graph', 'replay']) assert.match(r.stdout, new RegExp(`^  ${command} `, 'm'));
  });

  test('an unknown command is a usage error', async () => {
    const r = await ivr('frobnicate');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });

  test('--version prints the package version', async () => {
    const r = await ivr('--version');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
